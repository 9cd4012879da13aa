import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { validateCard, type ModelCard } from '../../../extension/core/model/card';
import { checkEnvelope } from '../../../extension/core/model/applicability';
import { buildInputs, deckQuantities, nearestDistances } from '../../../extension/core/model/features';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';

const MODELS = path.resolve(__dirname, '../../../models');
const GOLDEN = path.join(MODELS, 'golden');

/** The model's own card when it has landed, else the card template with the family's dimension. */
function cardFor(name: string, dim: number): ModelCard {
  const own = path.join(MODELS, `${name}.card.json`);
  const json = JSON.parse(fs.readFileSync(fs.existsSync(own) ? own : path.join(MODELS, 'card_template.json'), 'utf8')) as Record<string, unknown>;
  if (!fs.existsSync(own)) (json.physics as Record<string, unknown>).dimension = dim;
  const r = validateCard(json);
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.card;
}

test('nearest distances match brute force', () => {
  const n = 500;
  const pts = new Float64Array(n * 3);
  let s = 12345;
  for (let i = 0; i < pts.length; i++) { s = (s * 1103515245 + 12345) % 2147483648; pts[i] = s / 2147483648; }
  const targets = Int32Array.from({ length: 37 }, (_, i) => i * 13);
  const d = nearestDistances(pts, n, targets);
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    for (const t of targets) best = Math.min(best, Math.hypot(pts[i * 3] - pts[t * 3], pts[i * 3 + 1] - pts[t * 3 + 1], pts[i * 3 + 2] - pts[t * 3 + 2]));
    assert.ok(Math.abs(d[i] - best) <= 1e-15, `${d[i]} vs ${best}`);
  }
  assert.deepEqual([...nearestDistances(pts, 3, new Int32Array(0))], [1, 1, 1]);
});

const goldens = fs.existsSync(GOLDEN) ? fs.readdirSync(GOLDEN).filter((f) => f.endsWith('.x.npy')).map((f) => f.slice(0, -6)) : [];

test('golden files are present', { skip: goldens.length === 0 ? `no models/golden/*.x.npy in this checkout (${GOLDEN}): feature parity not checked` : false }, () => {
  assert.ok(goldens.length >= 1);
});

for (const name of goldens) {
  test(`features of ${name} match the Python reference (models/golden)`, () => {
    const info = JSON.parse(fs.readFileSync(path.join(GOLDEN, `${name}.json`), 'utf8')) as { dim: 2 | 3; n_nodes: number; L: number; P: number; sigma_ref: number; u_ref: number; n_fixed: number; n_loaded: number };
    const text = fs.readFileSync(path.join(GOLDEN, `${name}.inp`));
    const res = readMesh(text, `${name}.inp`);
    assert.ok(res.mesh, JSON.stringify(res.diagnostics.filter((d) => d.severity === 'error')));
    const q = deckQuantities(res.mesh);
    assert.ok(q.ok, q.ok ? '' : q.error);
    const card = cardFor(name, info.dim);
    const built = buildInputs(card, q.value);
    assert.ok(built.ok, built.ok ? '' : built.error);
    const s = built.value.scales;
    assert.equal(q.value.n, info.n_nodes);
    assert.equal(s.nFixed, info.n_fixed);
    assert.equal(s.nLoaded, info.n_loaded);
    for (const [ours, theirs] of [[s.L, info.L], [s.P, info.P], [s.sigmaRef, info.sigma_ref], [s.uRef, info.u_ref]]) assert.ok(Math.abs(ours - theirs) <= 1e-9 * Math.abs(theirs), `${ours} vs ${theirs}`);
    const gx = readNpy(fs.readFileSync(path.join(GOLDEN, `${name}.x.npy`)));
    const gs = readNpy(fs.readFileSync(path.join(GOLDEN, `${name}.scale.npy`)));
    assert.ok(gx.ok && gs.ok);
    assert.deepEqual(gx.array.shape, [1, q.value.n, built.value.featureNames.length]);
    const x = toFloat32(gx.array);
    let maxAbs = 0;
    for (let i = 0; i < x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(x[i] - built.value.features[i]));
    assert.ok(maxAbs <= 1e-6, `features differ by up to ${maxAbs}`);
    assert.deepEqual([...built.value.tensors.scale.data], [...toFloat32(gs.array)]);
    // A deck from the training family is inside the card's envelope for geometry and features.
    const findings = checkEnvelope(card, q.value, built.value);
    assert.deepEqual(findings.filter((f) => f.severity === 'warning' && f.quantity === 'dimension'), []);
  });
}
