// Starts engineBench.ts with the Vulkan loader on LD_LIBRARY_PATH (Debian keeps it in chromium's
// directory, beside SwiftShader's ICD; Dawn needs it at process start). Arguments pass through.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const lib = '/usr/lib/chromium';
const env = { ...process.env };
if (fs.existsSync(path.join(lib, 'libvulkan.so.1'))) env.LD_LIBRARY_PATH = [lib, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && fs.existsSync(path.join(lib, 'vk_swiftshader_icd.json'))) env.VK_ICD_FILENAMES = path.join(lib, 'vk_swiftshader_icd.json');
const p = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'engineBench.ts'), ...process.argv.slice(2)], { env, stdio: 'inherit' });
p.on('exit', (code) => process.exit(code ?? 1));
