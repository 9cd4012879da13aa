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
    const n = y.length / 4;
    // Per output: max |ours - PyTorch| relative to that output's largest magnitude.
    const err = [0, 0];
    const scale = [0, 0];
    for (let i = 0; i < n; i++) {
      const ours = [byName.von_mises.values[i], byName.displacement.values[i * 3], byName.displacement.values[i * 3 + 1], byName.displacement.values[i * 3 + 2]];
      for (let k = 0; k < 4; k++) {
        const j = k === 0 ? 0 : 1;
        err[j] = Math.max(err[j], Math.abs(ours[k] - y[i * 4 + k]));
        scale[j] = Math.max(scale[j], Math.abs(y[i * 4 + k]));
      }
    }
    assert.ok(err[0] / scale[0] < 1e-4, `von Mises: max abs ${err[0]} vs max ${scale[0]}`);
    assert.ok(err[1] / scale[1] < 1e-4, `displacement: max abs ${err[1]} vs max ${scale[1]}`);
    fs.rmSync(dir, { recursive: true });
  });
}
