// Builds every bundle with esbuild: the extension host (Node, CJS), the CLI (Node, CJS, runnable),
// one browser bundle per webview (webview/<name>/main.ts -> dist/webview/<name>.js), the integration
// test suite (run inside VS Code's extension host), and copies onnxruntime-web's runtime files into media/ort.
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** onnxruntime-web files the runtime loads at run time (module + wasm binaries), served from media/ort. */
export const ORT_FILES = [
  'ort.wasm.min.mjs',
  'ort.webgpu.min.mjs',
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
];

function copyOrt() {
  const src = path.join(root, 'node_modules', 'onnxruntime-web', 'dist');
  const dst = path.join(root, 'media', 'ort');
  fs.mkdirSync(dst, { recursive: true });
  for (const f of ORT_FILES) {
    const from = path.join(src, f);
    if (!fs.existsSync(from)) throw new Error(`onnxruntime-web file missing: ${from}`);
    const to = path.join(dst, f);
    const st = fs.existsSync(to) ? fs.statSync(to) : undefined;
    if (!st || st.size !== fs.statSync(from).size) fs.copyFileSync(from, to);
  }
}

const common = {
  bundle: true,
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
  define: { __FLARE_VERSION__: JSON.stringify(pkg.version) },
  absWorkingDir: root,
};

function webviewEntries() {
  const dir = path.join(root, 'webview');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'main.ts'))).map((d) => ({ in: `webview/${d}/main.ts`, out: d }));
}

function integrationEntries() {
  const dir = path.join(root, 'test', 'integration', 'suite');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => ({ in: `test/integration/suite/${f}`, out: f.replace(/\.ts$/, '') }));
}

const builds = [
  { ...common, entryPoints: ['extension/host/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'onnxruntime-node', 'webgpu'] },
  { ...common, entryPoints: ['extension/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node20', banner: { js: '#!/usr/bin/env node' }, external: ['onnxruntime-node', 'webgpu'] },
  { ...common, entryPoints: webviewEntries(), outdir: 'dist/webview', platform: 'browser', format: 'esm', target: 'es2022', external: [] },
  { ...common, minify: false, entryPoints: integrationEntries(), outdir: 'out/test/integration/suite', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode', 'mocha'] },
].filter((b) => !Array.isArray(b.entryPoints) || b.entryPoints.length > 0);

copyOrt();
if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
  console.log('esbuild: watching…');
} else {
  const t = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync(path.join(root, 'dist', 'cli.js'), 0o755);
  console.log(`esbuild: ${builds.length} bundle groups built${production ? ' (production)' : ''} in ${Date.now() - t} ms`);
}
