import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { readNpy, writeNpy } from '../../../extension/core/runtime/npy';
import { compare, concatOutputs } from '../../../extension/cli/commands/checkModel';

const REF = path.resolve(__dirname, '../../../../shared/reference');
const MODEL = path.join(REF, 'flare_small.onnx');

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) }, get out() { return out; }, get err() { return err; } };
}

test('compare and concatOutputs', () => {
  assert.deepEqual(compare(new Float32Array([1, 2.5]), new Float32Array([1, 2])), { maxAbs: 0.5, maxRel: 0.25 });
  assert.equal(compare(new Float32Array([NaN]), new Float32Array([1])).maxAbs, Infinity);
  const vm = { data: new Float32Array([1, 2]), dims: [1, 2] };
  const u = { data: new Float32Array([10, 11, 12, 20, 21, 22]), dims: [1, 2, 3] };
  assert.deepEqual([...concatOutputs({ von_mises: vm, displacement: u }, ['von_mises', 'displacement'])], [1, 10, 11, 12, 2, 20, 21, 22]);
});

test('check-model passes the reference model on wasm against the PyTorch golden', async () => {
  const c = capture();
  const code = await main(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), path.join(REF, 'y.npy'), '--backend', 'wasm', '--json'], c.io);
  const r = JSON.parse(c.out) as { ok: boolean; rows: { backend: string; status: string; maxAbs: number; maxRel: number }[] };
  assert.equal(code, 0, c.out + c.err);
  assert.equal(r.rows.length, 1);
  assert.equal(r.rows[0].backend, 'wasm');
  assert.equal(r.rows[0].status, 'pass');
  assert.ok(r.rows[0].maxAbs < 1e-5, `max abs ${r.rows[0].maxAbs}`);
});

test('a tampered golden makes check-model exit 1', async () => {
  const y = readNpy(fs.readFileSync(path.join(REF, 'y.npy')));
  assert.ok(y.ok);
  const data = Float32Array.from(y.array.data as Float32Array);
  data[1234] += 0.01; // far above 1e-4 relative of max |y|
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-check-'));
  const bad = path.join(dir, 'y.npy');
  fs.writeFileSync(bad, writeNpy(data, y.array.shape));
  const c = capture();
  const code = await main(['check-model', MODEL, '--golden', path.join(REF, 'x.npy'), bad, '--backend', 'wasm'], c.io);
  assert.equal(code, 1, c.out + c.err);
  assert.match(c.out, /wasm\s+fail\s+1\.00e-2/);
  assert.match(c.out, /^FAIL/m);
  fs.rmSync(dir, { recursive: true });
});

test('usage errors exit 2', async () => {
  const c = capture();
  assert.equal(await main(['check-model'], c.io), 2);
  assert.match(c.err, /missing MODEL\.onnx/);
  assert.equal(await main(['check-model', MODEL, '--backend', 'cuda'], c.io), 2);
  assert.match(c.err, /--backend must be all or one of/);
});
