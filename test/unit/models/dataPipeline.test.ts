// The Python data pipeline of the v2 models, run for real (Debian's gmsh + CalculiX + numpy):
// unit-load cases superpose to the solve of the deck a user would write; the features of that
// deck (read back with the reference reader) are the ones training used; a 2x finer twin keeps
// every coarse node, so the noise floor compares like with like.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const py = '/usr/bin/python3';
const root = path.resolve(import.meta.dirname, '..', '..', '..');
const have = (mod: string): boolean => {
  try { execFileSync(py, ['-c', `import ${mod}`], { stdio: 'ignore' }); return true; } catch { return false; }
};
const skip = !fs.existsSync('/usr/bin/ccx') || !have('gmsh') || !have('scipy') ? 'needs ccx, python3-gmsh and scipy' : false;

function pyRun(code: string): string {
  return execFileSync(py, ['-c', code], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

test('plate2d sample: unit loads superpose to the user deck solve (<= 1e-5), deck features equal training features, twin keeps coarse nodes', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-data-'));
  const out = pyRun(`
import json, numpy as np
from models.fem import gen_plate2d, ccx
from models.flare import data, features as ft
from models.eval import noise_floor
d = "${dir}"
m = gen_plate2d.make_sample(7, d, keep=True, verify=True)
f = gen_plate2d.make_sample(7, d + "/fine", refine=True)
x_train, y, info = data.load_sample(d + "/plate2d_000007.npz")
x_deck, sc = ft.features_from_deck(ccx.read_deck(d + "/plate2d_000007.inp"))
nf = noise_floor.compare(d + "/plate2d_000007.npz", d + "/fine/plate2d_000007.npz")
print(json.dumps(dict(err=m["superposition_err"], dx=float(np.abs(x_train - x_deck).max()),
                      n=m["n_nodes"], nfine=f["n_nodes"], matched=nf["matched"], vm=nf["vm"])))
`);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { err: number; dx: number; n: number; nfine: number; matched: number; vm: number };
  assert.ok(r.err <= 1e-5, `superposition error ${r.err}`);
  assert.equal(r.dx, 0, 'features of the written deck differ from the training features');
  assert.ok(r.nfine > 3 * r.n, `the twin should be about 4x finer: ${r.n} -> ${r.nfine}`);
  assert.equal(r.matched, 1, 'every coarse node is a node of the fine twin');
  assert.ok(r.vm > 0 && r.vm < 0.3, `coarse vs fine von Mises differs by ${r.vm}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a sample whose first mesh fails with a jacobian error is retried with straight-sided elements (gmsh 4.8 has no isInitialized)', { skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-retry-'));
  const out = pyRun(`
import json
from models.fem import gen_plate2d, mesh_common as mc
orig, calls = mc.solve_unit_loads, []
def flaky(*a):
    calls.append(1)
    if len(calls) == 1:
        raise RuntimeError("ccx failed: nonpositive jacobian determinant in element 3")
    return orig(*a)
mc.solve_unit_loads = flaky
m = gen_plate2d.make_sample(11, "${dir}")
print(json.dumps(dict(calls=len(calls), linear_mid=m["linear_mid"])))
`);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { calls: number; linear_mid: boolean };
  assert.deepEqual(r, { calls: 2, linear_mid: true });
  fs.rmSync(dir, { recursive: true, force: true });
});

test('holdout pools: --seed-offset picks the seeds; the calibration\'s Python envelope margin is the one the TypeScript rule needs', { skip }, async () => {
  const { readMesh } = await import('../../../extension/core/mesh/index');
  const { validateCard } = await import('../../../extension/core/model/card');
  const { buildInputs, deckQuantities } = await import('../../../extension/core/model/features');
  const { checkEnvelope } = await import('../../../extension/core/model/applicability');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-cal-'));
  execFileSync(py, ['-m', 'models.fem.make_dataset', '--family', 'plate2d', '--split', 'holdout', '--n', '1', '--seed-offset', '5', '--workers', '1', '--root', dir], { cwd: root, stdio: 'ignore', timeout: 120_000 });
  const deck = path.join(dir, 'plate2d', 'holdout', 'plate2d_2000005.inp');
  assert.ok(fs.existsSync(deck), 'seed 2000000 + 5');
  // A training range for L that the deck misses by some margin, in the card; n_nodes narrowed on its log scale.
  const out = pyRun(`
import json
from models import calibrate_applicability as ca
v = ca.deck_values("${deck}")
L, n = v["envelope"]["L"], v["envelope"]["n_nodes"]
env = dict(L=[L + 3.0, L + 63.0], n_nodes=[n / 10.0, n / 1.3], n_fixed=[1, 1e6], n_loaded=[1, 1e6], features={})
print(json.dumps(dict(env=env, L=ca.deck_margin(dict(v, envelope=dict(v["envelope"], n_nodes=n / 2)), env),
                      n=ca.deck_margin(dict(v, envelope=dict(v["envelope"], L=L + 30)), env),
                      ranks=[ca.rank(500, ca.ALPHA), ca.rank(200, ca.ALPHA)])))
`);
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { env: Record<string, [number, number]>; L: [number, string]; n: [number, string]; ranks: number[] };
  assert.deepEqual(r.ranks, [497, 200]);
  assert.equal(r.L[1], 'L');
  assert.ok(Math.abs(r.L[0] - 3 / 60) < 1e-9, `L margin ${r.L[0]}`);
  assert.equal(r.n[1], 'n_nodes');
  assert.ok(Math.abs(r.n[0] - Math.log10(1.3) / Math.log10(10 / 1.3)) < 1e-9, `n_nodes margin ${r.n[0]} (on the log span)`);
  const mesh = readMesh(fs.readFileSync(deck), deck, { checks: false }).mesh!;
  const q = deckQuantities(mesh);
  assert.ok(q.ok);
  const json = JSON.parse(fs.readFileSync(path.join(root, 'models', 'plate2d-elasticity.card.json'), 'utf8')) as Record<string, unknown>;
  const at = (env: Record<string, [number, number]>, margin: number): string[] => {
    const c = validateCard({ ...json, training_envelope: env, applicability: { ...(json.applicability as object), envelope_margin: margin, envelope_log: ['n_nodes'] } });
    assert.ok(c.ok);
    const b = buildInputs(c.card, q.value);
    assert.ok(b.ok);
    return checkEnvelope(c.card, q.value, b.value).filter((f) => f.severity === 'warning').map((f) => f.quantity);
  };
  const { n_nodes: _n, ...withoutN } = r.env;
  const { L: _L, ...withoutL } = r.env;
  assert.deepEqual(at(withoutN, r.L[0] * 0.99), ['L']);
  assert.deepEqual(at(withoutN, r.L[0] * 1.01), []);
  assert.deepEqual(at(withoutL, r.n[0] * 0.99), ['n_nodes']);
  assert.deepEqual(at(withoutL, r.n[0] * 1.01), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
