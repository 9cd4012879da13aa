"""Noise floor of the reference data: each test geometry solved again on its 2x finer twin
(make_dataset --refine: every element split, coarse nodes kept) and compared on the coarse
nodes, loaded by the test deck's own traction.  A model cannot meaningfully beat this.

  python3 -m models.eval.noise_floor --coarse DATA/plate2d/test --fine DATA/plate2d/test_fine \\
      --out noise_floor.json
"""
import argparse
import glob
import json
import os

import numpy as np
from scipy.spatial import cKDTree

from models.fem import mesh_common as mc
from models.flare import features as ft


def fields(path):
    d = np.load(path)
    meta = json.loads(str(d["meta"]))
    force = d["loadw"].sum() * np.asarray(meta["traction"])
    u, s = mc.superpose(d["u_unit"].astype(np.float64), d["s_unit"].astype(np.float64), force)
    if ft.deck_dim(str(d["etype"])) == 2:
        s[:, [2, 4, 5]] = 0.0  # plane stress (ccx reports the expanded model's SZZ)
    return d["xyz"], u, ft.von_mises6(s)


def compare(coarse, fine):
    xc, uc, vc = fields(coarse)
    xf, uf, vf = fields(fine)
    L = float((xc.max(0) - xc.min(0)).max())
    dist, j = cKDTree(xf).query(xc)
    ok = dist < 1e-6 * L
    um_c, um_f = np.linalg.norm(uc[ok], axis=1), np.linalg.norm(uf[j[ok]], axis=1)
    q = np.percentile(vf[j[ok]], 99)
    return dict(
        matched=float(ok.mean()),
        vm=float(np.linalg.norm(vc[ok] - vf[j[ok]]) / np.linalg.norm(vf[j[ok]])),
        u=float(np.linalg.norm(um_c - um_f) / np.linalg.norm(um_f)),
        p99=float(abs(np.percentile(vc[ok], 99) - q) / q),
    )


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--coarse", required=True)
    ap.add_argument("--fine", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rows = []
    for f in sorted(glob.glob(os.path.join(a.fine, "*.npz"))):
        c = os.path.join(a.coarse, os.path.basename(f))
        if os.path.exists(c):
            rows.append(dict(sample=os.path.basename(f), **compare(c, f)))
    summ = {
        k: dict(mean=float(np.mean([r[k] for r in rows])), median=float(np.median([r[k] for r in rows])))
        for k in ("vm", "u", "p99", "matched")
    }
    json.dump(dict(n_samples=len(rows), summary=summ, samples=rows), open(a.out, "w"), indent=1)
    print(json.dumps(dict(n=len(rows), summary=summ)))
