// Golden parity of the v2 models (features v2, load_dir input, stress output) on the tiny
// random-weight fixtures exported by models/export.py: TypeScript features equal x.npy, load_dir and
// scale equal the Python ones, and the ONNX run through the runtime (onnxruntime-node and wasm)
// gives PyTorch's y [1, N, 10] = von_mises, displacement xyz, stress 6.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { buildInputs, deckQuantities, nodeTopology, usesFeaturesV2 } from '../../../extension/core/model/features';
import { openModel } from '../../../extension/core/runtime/model';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import { maxPrincipal, predict } from '../../../extension/core/runtime/pipeline';
import { InProcessRunner } from '../../../extension/core/runtime/runner';

const FIX = path.resolve(__dirname, '../../fixtures/models-v2');
const MODELS = path.resolve(__dirname, '../../../models');
const GOLDEN = path.join(MODELS, 'golden');

function npy(file: string): { data: Float32Array; shape: readonly number[] } {
  const r = readNpy(fs.readFileSync(file), path.basename(file));
  assert.ok(r.ok, r.ok ? '' : r.error);
  return { data: toFloat32(r.array), shape: r.array.shape };
}

interface Case { name: string; dir: string; onnx: string }
const cases: Case[] = [
  { name: 'plate2d-v2-tiny', dir: FIX, onnx: path.join(FIX, 'plate2d-v2-tiny.onnx') },
  { name: 'bracket3d-v2-tiny', dir: FIX, onnx: path.join(FIX, 'bracket3d-v2-tiny.onnx') },
  // The shipped v2 models, when its golden files are v2 (load_dir.npy beside them).
  { name: 'plate2d-elasticity', dir: GOLDEN, onnx: path.join(MODELS, 'plate2d-elasticity.onnx') },
  { name: 'bracket3d-elasticity', dir: GOLDEN, onnx: path.join(MODELS, 'bracket3d-elasticity.onnx') },
].filter((c) => fs.existsSync(c.onnx) && fs.existsSync(path.join(c.dir, `${c.name}.load_dir.npy`)));

test('v2 fixtures are present', () => {
  assert.ok(cases.length >= 2, `test/fixtures/models-v2 missing (${FIX})`);
});

function load(c: Case) {
  const text = fs.readFileSync(path.join(c.dir, `${c.name}.inp`));
  const res = readMesh(text, `${c.name}.inp`);
  assert.ok(res.mesh, JSON.stringify(res.diagnostics.filter((d) => d.severity === 'error')));
  const opened = openModel(fs.readFileSync(c.onnx), c.name);
  assert.ok(opened.ok, opened.ok ? '' : opened.error);
  assert.ok(opened.model.card, opened.model.cardProblem ?? 'no card');
  return { mesh: res.mesh, model: opened.model, card: opened.model.card };
}

for (const c of cases) {
  test(`${c.name}: features v2, load_dir and scale match the Python reference`, () => {
    const { mesh, card } = load(c);
    assert.ok(usesFeaturesV2(card));
    assert.deepEqual(card.inputs.map((i) => i.name).sort(), ['load_dir', 'scale', 'x']);
    const stress = card.outputs.find((o) => o.name === 'stress');
    assert.deepEqual(stress?.components, ['SXX', 'SYY', 'SZZ', 'SXY', 'SYZ', 'SZX']);
    assert.ok('applicability' in card.raw);
    const q = deckQuantities(mesh);
    assert.ok(q.ok, q.ok ? '' : q.error);
    const built = buildInputs(card, q.value);
    assert.ok(built.ok, built.ok ? '' : built.error);
    const gx = npy(path.join(c.dir, `${c.name}.x.npy`));
    assert.deepEqual(gx.shape, [1, q.value.n, 10]);
    const nf = 10;
    const worst = new Float64Array(nf);
    for (let i = 0; i < gx.data.length; i++) worst[i % nf] = Math.max(worst[i % nf], Math.abs(gx.data[i] - built.value.features[i]));
    assert.ok(Math.max(...worst) <= 1e-6, `features differ by up to ${[...worst].map((w, k) => `${built.value.featureNames[k]}=${w}`).join(' ')}`);
    assert.deepEqual([...built.value.tensors.load_dir.data], [...npy(path.join(c.dir, `${c.name}.load_dir.npy`)).data]);
    assert.deepEqual(built.value.tensors.load_dir.dims, [1, 3]);
    assert.deepEqual([...built.value.tensors.scale.data], [...npy(path.join(c.dir, `${c.name}.scale.npy`)).data]);
  });

  for (const backend of ['node-cpu', 'wasm'] as const) {
    test(`${c.name}: ${backend} prediction matches PyTorch (von_mises, displacement, stress) and derives max_principal`, async () => {
      const { mesh, model } = load(c);
      const rt = await createNodeRuntime({ backends: [backend], wasmThreads: 1 });
      try {
        const r = await predict(new InProcessRunner(rt, backend), model, mesh);
        assert.ok(r.ok, r.ok ? '' : r.error);
        const byName = Object.fromEntries(r.prediction.fields.map((f) => [f.name, f]));
        assert.deepEqual(Object.keys(byName).sort(), ['displacement', 'max_principal', 'stress', 'von_mises']);
        assert.equal(byName.stress.components, 6);
        assert.deepEqual(byName.stress.componentNames, ['SXX', 'SYY', 'SZZ', 'SXY', 'SYZ', 'SZX']);
        assert.equal(byName.stress.unit, 'MPa');
        const y = npy(path.join(c.dir, `${c.name}.y.npy`));
        const n = mesh.points.length / mesh.dimension;
        assert.deepEqual(y.shape, [1, n, 10]);
        const groups: [string, number, number][] = [['von_mises', 0, 1], ['displacement', 1, 3], ['stress', 4, 6]];
        for (const [name, off, k] of groups) {
          let err = 0;
          let scale = 0;
          for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
            const t = y.data[i * 10 + off + j];
            err = Math.max(err, Math.abs(byName[name].values[i * k + j] - t));
            scale = Math.max(scale, Math.abs(t));
          }
          assert.ok(scale > 0 && err / scale <= 1e-4, `${name}: max abs ${err} vs max ${scale}`);
        }
        // The largest principal stress is at least the mean normal stress.
        const mp = byName.max_principal.values;
        const st = byName.stress.values;
        for (let i = 0; i < n; i++) {
          const mean = (st[i * 6] + st[i * 6 + 1] + st[i * 6 + 2]) / 3;
          assert.ok(mp[i] >= mean - 1e-4 * (Math.abs(mean) + 1), `max principal ${mp[i]} < mean ${mean} at node ${i}`);
        }
      } finally {
        await rt.dispose();
      }
    });
  }
}

test('max principal stress of symmetric tensors', () => {
  const s = Float32Array.from([
    3, 1, 2, 0, 0, 0, // diagonal
    0, 0, 0, 5, 0, 0, // pure shear xy: +-5
    1, 1, 1, 0, 0, 0, // hydrostatic
    2, 2, 0, 1, 0, 0, // plane: eigen 3, 1, 0
  ]);
  const mp = maxPrincipal(s, 4);
  for (const [got, want] of [[mp[0], 3], [mp[1], 5], [mp[2], 1], [mp[3], 3]]) assert.ok(Math.abs(got - want) < 1e-5, `${got} vs ${want}`);
});

test('topology: boundary edges by sorted corners, loaded edge needs every mid-side node loaded, free surface, segment sizes', () => {
  // Two CPS6 triangles sharing the edge 1-2 (unit square split on its diagonal); CalculiX order: corners, then mids 0-1, 1-2, 2-0.
  const pts = [[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0], [0.5, 0.5], [0, 0.5], [1, 0.5], [0.5, 1]];
  const n = pts.length;
  const xyz = new Float64Array(n * 3);
  pts.forEach(([x, y], i) => { xyz[i * 3] = x; xyz[i * 3 + 1] = y; });
  const conn = Int32Array.from([0, 1, 2, 4, 5, 6, /* second: 1, 3, 2 */ 1, 3, 2, 7, 8, 5]);
  const force = new Float64Array(n * 3);
  force[4 * 3 + 1] = -1; // the mid-side node of edge 0-1 only: edge 0-1 is a loaded face, corners 0 and 1 become loaded
  force[7 * 3] = 1; // mid of edge 1-3 carries force too; edge 3-2 (mid 8) does not
  const fixed = new Uint8Array(n);
  fixed[2] = 1;
  const q = { n, xyz, fixed, force, E: 1, thickness: 1, meshDim: 2 as const, cells: [{ type: 'triangle6' as const, connectivity: conn }] };
  const t = nodeTopology(q);
  assert.ok(t.ok, t.ok ? '' : t.error);
  assert.deepEqual([...t.value.loaded], [1, 1, 0, 1, 1, 0, 0, 1, 0]);
  // node 5 (mid of the shared diagonal) is interior; 2 is fixed; 6 and 8 are on unloaded boundary edges
  assert.deepEqual([...t.value.free], [0, 0, 0, 0, 0, 0, 1, 0, 1]);
  // node 4: segments 0-4 and 4-1 of element 0 (0.5 each)
  assert.equal(t.value.h[4], 0.5);
  // node 5: the halves 1-5 and 5-2 of the diagonal, once per element (4 segments of sqrt(2) / 2)
  assert.ok(Math.abs(t.value.h[5] - Math.SQRT1_2) < 1e-15);
  const bad = nodeTopology({ ...q, cells: [{ type: 'wedge' as const, connectivity: new Int32Array(6) }] });
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.error : '', /do not support 'wedge' cells/);
});
