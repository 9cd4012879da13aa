import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { readMesh } from '../../../extension/core/mesh/index';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';

const MODELS = path.resolve(__dirname, '../../../models');
const GOLDEN = path.join(MODELS, 'golden');
const REF_ONNX = path.resolve(__dirname, '../../../../shared/reference/flare_small.onnx');

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) }, get out() { return out; }, get err() { return err; } };
}

test('predict: clear errors for a model without a card, a missing model, a missing deck, bad usage', async () => {
  const deck = path.join(GOLDEN, 'plate2d-elasticity.inp');
  const c = capture();
  if (fs.existsSync(deck)) {
    assert.equal(await main(['predict', deck, '--model', REF_ONNX], c.io), 1);
    assert.match(c.err, /no model card/);
    assert.equal(await main(['predict', deck, '--model', '/nonexistent/m.onnx'], c.io), 1);
    assert.match(c.err, /cannot read model \/nonexistent\/m\.onnx/);
  }
  assert.equal(await main(['predict', '/nonexistent/deck.inp'], c.io), 1);
  assert.match(c.err, /cannot read \/nonexistent\/deck\.inp/);
  assert.equal(await main(['predict'], c.io), 2);
  assert.equal(await main(['predict', 'a.inp', '--out', 'x.txt'], c.io), 2);
  assert.match(c.err, /--out needs a FILE\.vtu or FILE\.json/);
});

const shipped = ['plate2d-elasticity', 'bracket3d-elasticity'].filter((n) => fs.existsSync(path.join(MODELS, `${n}.onnx`)) && fs.existsSync(path.join(GOLDEN, `${n}.y.npy`)));

test('shipped models present', { skip: shipped.length === 0 ? `models/*.onnx with models/golden/*.y.npy not in this checkout yet: end-to-end predict parity not checked` : false }, () => {
  assert.ok(shipped.length > 0);
});

for (const name of shipped) {
  test(`predict ${name}: deck -> features -> wasm matches PyTorch golden output, VTU has the card's fields`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-predict-'));
    const out = path.join(dir, 'p.vtu');
    const c = capture();
    const code = await main(['predict', path.join(GOLDEN, `${name}.inp`), '--model', name, '--backend', 'wasm', '--out', out], c.io);
    assert.equal(code, 0, c.out + c.err);
    assert.match(c.out, new RegExp(`model\\s+${name}`));
    assert.match(c.out, /backend\s+wasm/);
    const res = readMesh(fs.readFileSync(out), out);
    assert.ok(res.mesh);
    const byName = Object.fromEntries(res.mesh.pointData.map((a) => [a.name, a]));
    assert.equal(byName.von_mises?.components, 1);
    assert.equal(byName.displacement?.components, 3);
    assert.equal(byName.node_id?.components, 1);
    const gy = readNpy(fs.readFileSync(path.join(GOLDEN, `${name}.y.npy`)));
    assert.ok(gy.ok);
    const y = toFloat32(gy.array);
    // v1 golden y [1, N, 4] = von_mises, displacement; v2 [1, N, 10] adds stress (6) and the VTU its max principal
    const cols = gy.array.shape[2];
    assert.ok(cols === 4 || cols === 10, `y shape [${gy.array.shape}]`);
    if (cols === 10) {
      assert.equal(byName.stress?.components, 6);
      assert.equal(byName.max_principal?.components, 1);
    }
    const n = y.length / cols;
    // Per output: max |ours - PyTorch| relative to that output's largest magnitude.
    const groups: [string, number, number][] = [['von_mises', 0, 1], ['displacement', 1, 3], ...(cols === 10 ? [['stress', 4, 6] as [string, number, number]] : [])];
    for (const [field, off, k] of groups) {
      let err = 0;
      let scale = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
        err = Math.max(err, Math.abs(byName[field].values[i * k + j] - y[i * cols + off + j]));
        scale = Math.max(scale, Math.abs(y[i * cols + off + j]));
      }
      assert.ok(err / scale < 1e-4, `${field}: max abs ${err} vs max ${scale}`);
    }
    fs.rmSync(dir, { recursive: true });
  });
}
