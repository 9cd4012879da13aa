// The card's error numbers and the extension's agree on the same pair. The card's noise floor comes
// from models/eval/noise_floor.py (numpy: relative L2 of von Mises and of |u|, relative error of the
// 99th percentile of von Mises); the Compare command, the compare view and the benchmark report
// headlineStats (extension/core/analysis). Here noise_floor.compare() runs on a coarse/fine pair
// written for the test (the fine twin holds the coarse nodes, shuffled, plus nodes of its own), and
// headlineStats gets the same matched fields, read back through noise_floor.fields().
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headlineStats } from '../../../extension/core/analysis/fieldStats';

const py = '/usr/bin/python3';
const root = path.resolve(__dirname, '..', '..', '..');
const have = (): boolean => {
  try { execFileSync(py, ['-c', 'import numpy, scipy'], { stdio: 'ignore' }); return true; } catch { return false; }
};
const skip = !fs.existsSync(py) || !have() ? 'needs python3 with numpy and scipy' : false;

const SCRIPT = String.raw`
import json, os, sys, tempfile
import numpy as np
from models.eval import noise_floor as nf

rng = np.random.default_rng(7)
n, extra = 400, 150
xc = rng.uniform(0, 80, (n, 3))
xf = np.concatenate([xc, rng.uniform(0, 80, (extra, 3))])
perm = rng.permutation(n + extra)
xf = xf[perm]
meta = json.dumps({"traction": [0.0, -2.5, 1.0]})
def unit(m, scale):
    return rng.normal(0, scale, (3, m, 3)), rng.normal(0, 40 * scale, (3, m, 6))
uc, sc = unit(n, 1.0)
uf, sf = unit(n + extra, 1.0)
# The fine twin: the coarse fields on the shared nodes, a few percent off (a discretisation error).
uf[:, perm < n] = uc[:, perm[perm < n]] * (1 + rng.normal(0, 0.04, (3, n, 1)))
sf[:, perm < n] = sc[:, perm[perm < n]] * (1 + rng.normal(0, 0.06, (3, n, 1)))
d = tempfile.mkdtemp()
for name, x, u, s in (("c", xc, uc, sc), ("f", xf, uf, sf)):
    np.savez(os.path.join(d, name + ".npz"), xyz=x, u_unit=u, s_unit=s, loadw=np.full(len(x), 0.01),
             meta=meta, etype="C3D10")
c, f = os.path.join(d, "c.npz"), os.path.join(d, "f.npz")
m = nf.compare(c, f)
_, u_c, v_c = nf.fields(c)
_, u_f, v_f = nf.fields(f)
inv = np.argsort(perm)[:n]  # fine row of each coarse node
print(json.dumps(dict(metrics=m, vm_c=v_c.tolist(), vm_f=v_f[inv].tolist(), u_c=u_c.ravel().tolist(), u_f=u_f[inv].ravel().tolist())))
`;

test('noise floor of the card (models/eval/noise_floor.py) and headlineStats give the same numbers on the same pair', { skip }, () => {
  const out = JSON.parse(execFileSync(py, ['-c', SCRIPT], { cwd: root, encoding: 'utf8', timeout: 120_000 })) as {
    metrics: { matched: number; vm: number; u: number; p99: number };
    vm_c: number[]; vm_f: number[]; u_c: number[]; u_f: number[];
  };
  assert.equal(out.metrics.matched, 1);
  const vm = headlineStats(Float64Array.from(out.vm_c), Float64Array.from(out.vm_f), 1);
  const u = headlineStats(Float64Array.from(out.u_c), Float64Array.from(out.u_f), 3);
  const close = (ours: number, card: number, what: string) => assert.ok(Math.abs(ours - card) <= 1e-5 * Math.abs(card), `${what}: headlineStats ${ours}, card ${card}`);
  assert.ok(out.metrics.vm > 0.01 && out.metrics.u > 0.01, JSON.stringify(out.metrics));
  close(vm.relativeL2, out.metrics.vm, 'von Mises, rel. L2');
  close(u.relativeL2, out.metrics.u, '|u|, rel. L2');
  close(vm.p99ValueRelError, out.metrics.p99, 'P99 of von Mises, rel. error');
});
