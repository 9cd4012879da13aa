// `npm test`: every layer in order — type-check, lint, build, unit, browser, VS Code integration, UI —
// then one closing line `N passed, N failed` summed over the layers. Exits non-zero on any failure.
// Usage: node scripts/test.mjs [--only unit|browser|integration|ui|static] [--keep-going]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/code-server.mjs';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const outDir = path.join(root, 'out', 'test-results');
fs.mkdirSync(outDir, { recursive: true });

function run(cmd, argv, opts = {}) {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...opts.env } });
    p.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    p.on('error', () => resolve(127));
  });
}

function findTests(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  const found = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true, recursive: true })) {
    if (e.isFile() && e.name.endsWith('.test.ts')) found.push(path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
  }
  return found.sort();
}

/** Node's test runner with the spec reporter on screen and TAP in a file we count from. */
async function nodeTests(layer, dir, extraEnv = {}) {
  const files = findTests(dir);
  if (files.length === 0) return { passed: 0, failed: 1, note: `no ${layer} tests found under ${dir}` };
  const tap = path.join(outDir, `${layer}.tap`);
  fs.rmSync(tap, { force: true });
  const code = await run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files], { env: extraEnv });
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const num = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? 0);
  const passed = num('pass');
  let failed = num('fail') + num('cancelled');
  if (code !== 0 && failed === 0) failed = 1; // a crash outside any test still fails the layer
  return { passed, failed };
}

async function mochaResults(layer, script) {
  const results = path.join(outDir, `${layer}.json`);
  fs.rmSync(results, { force: true });
  const code = await run(process.execPath, [script], { env: { FLARE_TEST_RESULTS: results } });
  let passed = 0, failed = 0;
  if (fs.existsSync(results)) ({ passed, failed } = JSON.parse(fs.readFileSync(results, 'utf8')));
  if (code !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

const layers = [
  { name: 'typecheck', group: 'static', run: async () => ((await run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.'])) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  { name: 'lint', group: 'static', run: async () => ((await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '.'])) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  // models/ is a Python package (Debian's python3-flake8 and black, as .ci/run installs them)
  { name: 'lint:python', group: 'static', run: async () => ((await run('/usr/bin/python3', ['-m', 'flake8', '--config', 'models/.flake8', 'models'])) === 0 && (await run('black', ['--check', '-q', '--config', 'models/pyproject.toml', 'models'])) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  { name: 'build', group: 'build', run: async () => ((await run(process.execPath, ['scripts/build.mjs'])) === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }) },
  { name: 'unit', group: 'unit', run: () => nodeTests('unit', 'test/unit') },
  { name: 'browser', group: 'browser', run: () => nodeTests('browser', 'test/browser') },
  { name: 'integration', group: 'integration', run: () => mochaResults('integration', 'test/integration/run-code-server.mjs') },
  { name: 'ui', group: 'ui', run: () => mochaResults('ui', 'test/ui/palette.ui.mjs') },
];

const selected = layers.filter((l) => !only || l.group === only || l.name === only || (l.group === 'build' && ['browser', 'integration', 'ui'].includes(only)));
const summary = [];
const t0 = Date.now();
for (const layer of selected) {
  const t = Date.now();
  console.log(`\n━━ ${layer.name} ━━`);
  const r = await layer.run();
  summary.push({ layer: layer.name, ...r, seconds: (Date.now() - t) / 1000 });
  if (r.note) console.log(r.note);
}
console.log('\n━━ summary ━━');
for (const s of summary) console.log(`${s.layer.padEnd(12)} ${String(s.passed).padStart(4)} passed ${String(s.failed).padStart(3)} failed  ${s.seconds.toFixed(1).padStart(6)} s`);
const passed = summary.reduce((a, s) => a + s.passed, 0);
const failed = summary.reduce((a, s) => a + s.failed, 0);
console.log(`total time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
