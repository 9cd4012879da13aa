#!/usr/bin/python3
"""Golden inputs for the TypeScript parity tests, computed from a deck with the reference
reader + feature builder (numpy):
  models/golden/<name>.inp         the deck
  models/golden/<name>.x.npy       features [1,N,10] float32 (deck node order)
  models/golden/<name>.scale.npy   [1,2] = (sigma_ref MPa, u_ref mm) float32
  models/golden/<name>.json        intermediate values (L, center, Ftot, P, dir, counts) and
                                   node ids
  models/golden/<name>.ref.npy     CalculiX result [N,4] = (von Mises MPa, ux, uy, uz mm)
The PyTorch output <name>.y.npy [1,N,4] is written by models/export.py --golden.

  /usr/bin/python3 models/flare/make_golden.py --deck D.inp --npz D.npz --name plate2d-elasticity
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fem"))
import features as ft  # noqa: E402
import ccx  # noqa: E402

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--deck", required=True)
    ap.add_argument("--npz", help="sample npz with the ccx results (u, vm)")
    ap.add_argument("--frd", help="or the .frd")
    ap.add_argument("--name", required=True)
    ap.add_argument("--out", default=os.path.join(HERE, "..", "golden"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    p = os.path.join(a.out, a.name)
    d = ccx.read_deck(a.deck)
    x, sc = ft.features_from_deck(d)
    np.save(p + ".x.npy", x[None])
    np.save(p + ".scale.npy", np.array([[sc["sigma_ref"], sc["u_ref"]]], np.float32))
    shutil.copy(a.deck, p + ".inp")
    info = dict(deck=os.path.basename(p + ".inp"), n_nodes=len(x), etype=d["etype"],
                E=d["E"], nu=d["nu"], thickness=sc["thickness"], dim=sc["dim"],
                L=sc["L"], center=sc["center"].tolist(), Ftot=sc["Ftot"].tolist(), P=sc["P"],
                dir=sc["dir"].tolist(), sigma_ref=sc["sigma_ref"], u_ref=sc["u_ref"],
                n_fixed=int(d["fixed"].sum()),
                n_loaded=int((np.linalg.norm(d["cload"], axis=1) > 0).sum()),
                node_ids_first=int(d["node_ids"][0]), node_ids_last=int(d["node_ids"][-1]),
                files={"x": "[1,N,10] float32 features", "scale": "[1,2] float32",
                       "y": "[1,N,4] float32 PyTorch fp32 output: von_mises MPa, displacement mm",
                       "ref": "[N,4] float32 CalculiX: von Mises MPa, displacement mm"})
    if a.npz:
        r = np.load(a.npz)
        assert np.allclose(r["xyz"], d["xyz"], atol=1e-3)
        ref = np.concatenate([r["vm"][:, None], r["u"]], 1).astype(np.float32)
    else:
        u, vm = ccx.frd_fields(a.frd, d["node_ids"], sc["dim"] == 2)
        ref = np.concatenate([vm[:, None], u], 1).astype(np.float32)
    np.save(p + ".ref.npy", ref)
    json.dump(info, open(p + ".json", "w"), indent=1)
    print(json.dumps(info))
