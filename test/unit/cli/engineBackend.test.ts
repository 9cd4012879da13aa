// `flare check-model --backend engine|all` and `flare predict --backend engine` as a user runs
// them: the CLI in a child process, with the Vulkan loader + SwiftShader (Dawn needs them at process
// start) or, for the unavailable cases, with no Vulkan driver at all.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dawnEnv } from '../engine/engineGpu';
import { readNpy, toFloat32, writeNpy } from '../../../extension/core/runtime/npy';

const ROOT = path.resolve(__dirname, '../../..');
const REF = path.resolve(ROOT, '../shared/reference');
const MODEL = path.join(REF, 'flare_small.onnx');
const NOT_FLARE = path.join(ROOT, 'models', 'baselines', 'bracket3d-mlp-baseline.onnx');
const GOLDEN = path.join(ROOT, 'models', 'golden');

interface Cli { code: number | null; out: string; err: string }

function cli(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<Cli> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'extension/cli/main.ts'), ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (b: Buffer) => { out += b.toString(); });
    p.stderr.on('data', (b: Buffer) => { err += b.toString(); });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code) => { clearTimeout(timer); resolve({ code, out, err }); });
  });
}

/** No Vulkan loader or driver: Dawn finds no adapter. */
function noVulkanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' };
  env.LD_LIBRARY_PATH = (env.LD_LIBRARY_PATH ?? '').split(':').filter((p) => p && !p.includes('chromium')).join(':');
  return env;
}

interface Row { backend: string; status: string; maxAbs?: number; maxRel?: number; ms?: number; detail: string }

test('check-model --backend engine: the reference model passes against y.npy on SwiftShader (exit 0, JSON row)', { timeout: 300_000 }, async (t) => {
  const r = await cli(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), path.join(REF, 'y.npy'), '--backend', 'engine', '--json'], dawnEnv());
  assert.equal(r.code, 0, r.out + r.err);
  const j = JSON.parse(r.out) as { ok: boolean; rows: Row[] };
  assert.equal(j.ok, true);
  assert.equal(j.rows.length, 1);
  const row = j.rows[0];
  t.diagnostic(`${row.detail}: max rel ${row.maxRel}, run ${row.ms?.toFixed(0)} ms`);
  assert.equal(row.backend, 'engine');
  assert.equal(row.status, 'pass');
  assert.match(row.detail, /FLARE engine on .*swiftshader/i);
  assert.ok((row.maxRel ?? 1) < 1e-4, `max rel ${row.maxRel}`);
});

test('check-model --backend engine: a tampered golden fails (exit 1, engine row "fail")', { timeout: 300_000 }, async () => {
  const y = readNpy(fs.readFileSync(path.join(REF, 'y.npy')));
  assert.ok(y.ok);
  const data = Float32Array.from(toFloat32(y.array));
  data[777] += 0.01;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-engine-cli-'));
  const bad = path.join(dir, 'y.npy');
  fs.writeFileSync(bad, writeNpy(data, y.array.shape));
  try {
    const r = await cli(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), bad, '--backend', 'engine'], dawnEnv());
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^engine\s+fail\s+1\.00e-2/m);
    assert.match(r.out, /^FAIL/m);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('check-model on a non-FLARE graph: --backend engine exits 1 with the recognizer reason; --backend all reports engine unavailable and passes', { timeout: 300_000 }, async () => {
  const one = await cli(['check-model', NOT_FLARE, '--backend', 'engine'], dawnEnv());
  assert.equal(one.code, 1, one.out + one.err);
  assert.match(one.out, /^engine\s+unavailable\s.*does not recognize this graph: expected a LayerNorm/m);
  const all = await cli(['check-model', NOT_FLARE, '--backend', 'all', '--json'], dawnEnv());
  assert.equal(all.code, 0, all.out + all.err);
  const rows = (JSON.parse(all.out) as { rows: Row[] }).rows;
  assert.deepEqual(rows.map((x) => `${x.backend}:${x.status}`), ['wasm:pass', 'webgpu:unavailable', 'engine:unavailable']);
  assert.match(rows[2].detail, /does not recognize this graph/);
});

test('check-model without a Vulkan driver: --backend engine exits 1 naming why; --backend all still passes on the other back ends', { timeout: 300_000 }, async () => {
  const one = await cli(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), path.join(REF, 'y.npy'), '--backend', 'engine'], noVulkanEnv());
  assert.equal(one.code, 1, one.out + one.err);
  assert.match(one.out, /^engine\s+unavailable\s.*WebGPU found no adapter/m);
  const all = await cli(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), path.join(REF, 'y.npy'), '--backend', 'all', '--json'], noVulkanEnv());
  assert.equal(all.code, 0, all.out + all.err);
  const rows = (JSON.parse(all.out) as { rows: Row[] }).rows;
  assert.deepEqual(rows.map((x) => `${x.backend}:${x.status}`), ['wasm:pass', 'webgpu:unavailable', 'engine:unavailable', 'node-cpu:pass']);
});

test('predict --backend engine: plate2d deck on the engine matches the PyTorch golden to 1e-4 relative per field', { timeout: 300_000, skip: fs.existsSync(path.join(GOLDEN, 'plate2d-elasticity.y.npy')) ? false : 'models/golden/plate2d-elasticity.* not in this checkout' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-engine-predict-'));
  const out = path.join(dir, 'p.json');
  try {
    const r = await cli(['predict', path.join(GOLDEN, 'plate2d-elasticity.inp'), '--model', 'plate2d-elasticity', '--backend', 'engine', '--out', out], dawnEnv());
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^backend\s+engine on google swiftshader/m);
    const j = JSON.parse(fs.readFileSync(out, 'utf8')) as { backend: string; fields: Record<string, { values: number[]; components: number }> };
    assert.equal(j.backend, 'engine');
    const gy = readNpy(fs.readFileSync(path.join(GOLDEN, 'plate2d-elasticity.y.npy')));
    assert.ok(gy.ok);
    const y = toFloat32(gy.array);
    // v1 golden y [1, N, 4] = von_mises, displacement; v2 [1, N, 10] adds stress (6)
    const cols = gy.array.shape[2];
    const n = y.length / cols;
    assert.equal(j.fields.von_mises.values.length, n);
    const groups: [string, number, number][] = [['von_mises', 0, 1], ['displacement', 1, 3], ...(cols === 10 ? [['stress', 4, 6] as [string, number, number]] : [])];
    for (const [field, off, k] of groups) {
      const v = j.fields[field]?.values;
      assert.ok(v, `no field ${field} in ${Object.keys(j.fields).join(', ')}`);
      let err = 0, scale = 0;
      for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) { err = Math.max(err, Math.abs(v[i * k + c] - y[i * cols + off + c])); scale = Math.max(scale, Math.abs(y[i * cols + off + c])); }
      assert.ok(err <= 1e-4 * scale, `${field}: max abs ${err} vs max ${scale}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
