// Spawns engineGpuWorker.ts with the Vulkan loader on LD_LIBRARY_PATH (Debian ships it inside
// chromium's directory, next to SwiftShader's ICD) and returns its results.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GpuCase, GpuResult } from './engineGpuWorker';

const CHROMIUM_LIB = '/usr/lib/chromium';

/** This process's environment plus the Vulkan loader and SwiftShader's ICD where chromium ships them. */
export function dawnEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (fs.existsSync(path.join(CHROMIUM_LIB, 'libvulkan.so.1'))) env.LD_LIBRARY_PATH = [CHROMIUM_LIB, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  if (!env.VK_ICD_FILENAMES && !env.VK_DRIVER_FILES && fs.existsSync(path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json'))) env.VK_ICD_FILENAMES = path.join(CHROMIUM_LIB, 'vk_swiftshader_icd.json');
  return env;
}

export async function runGpuCases(cases: GpuCase[], timeoutMs = 600_000): Promise<{ results?: GpuResult[]; noDevice?: string; fatal?: string }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flare-engine-')), 'cases.json');
  fs.writeFileSync(file, JSON.stringify(cases));
  const env = dawnEnv();
  const worker = path.join(__dirname, 'engineGpuWorker.ts');
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', worker, file], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => {
      clearTimeout(timer);
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      const line = out.trim().split('\n').pop() ?? '';
      try { resolve(JSON.parse(line) as { results?: GpuResult[]; noDevice?: string; fatal?: string }); } catch {
        resolve({ fatal: `worker exited ${code}: ${err.slice(-2000)}` });
      }
    });
  });
}
