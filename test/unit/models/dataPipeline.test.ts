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
