"""Per-sample npz (models/fem) -> one training pack: features and unit-load targets of every
node of every sample, concatenated (float32), with offsets.  numpy/scipy only.

  python3 -m models.flare.data --family plate2d --src models/data/plate2d/train \\
      --out models/data/pack/plate2d_train.npz --workers 16

Pack arrays: x [sum n, 10], y [sum n, C] (features.unit_targets), offsets [S+1], seeds [S],
test extras: load_dir [S, 3], scale [S, 2] for the sample's own deck load (meta traction).
Stats (<out>.json): counts, seeds, generator, envelope, applicability descriptors.
"""
import argparse
import glob
import json
import multiprocessing as mp
import os

import numpy as np

from models.flare import features as ft


def load_sample(path):
    """(x [n,10], y [n,C], info) of one npz sample."""
    d = np.load(path)
    meta = json.loads(str(d["meta"]))
    etype = str(d["etype"])
    thick = float(d["thickness"]) or None
    traction = np.asarray(meta["traction"], np.float64)
    force = d["loadw"][:, None] * traction[None, :]           # the sample's own deck load
    x, sc = ft.build_features(d["xyz"], d["cells"], etype, d["fixed"], force, float(d["E"]), thick)
    y = ft.unit_targets(d["u_unit"].astype(np.float64), d["s_unit"].astype(np.float64), sc["L"],
                        float(d["E"]), sc["thickness"], sc["dim"])
    info = dict(seed=meta["seed"], generator=meta["generator"], n=len(x), L=sc["L"], P=sc["P"],
                sigma_ref=sc["sigma_ref"], E=float(d["E"]), nu=float(d["nu"]),
                traction=float(np.linalg.norm(traction)), n_fixed=int(x[:, 3].sum()),
                n_loaded=int(x[:, 4].sum()), dir=sc["dir"].tolist(),
                scale=[sc["sigma_ref"], sc["u_ref"]], descriptors=descriptors(d["xyz"], d["fixed"], force))
    return x, y, info


DESCRIPTORS = ["log10_n_nodes", "extent_mid", "extent_min", "fixed_fraction", "loaded_fraction",
               "load_fix_distance"]


def descriptors(xyz, fixed, force):
    """Global descriptors of a deck for the applicability distance (TypeScript: the same in
    extension/core/model/applicability.ts)."""
    xyz = np.asarray(xyz, np.float64)
    ext = np.sort(xyz.max(0) - xyz.min(0))[::-1]
    L = ext[0]
    fixed = np.asarray(fixed, bool)
    loaded = np.linalg.norm(force, axis=1) > 0
    n = len(xyz)
    dist = 0.0
    if loaded.any() and fixed.any():
        dist = np.linalg.norm(xyz[loaded].mean(0) - xyz[fixed].mean(0)) / L
    return [float(np.log10(n)), float(ext[1] / L), float(ext[2] / L), float(fixed.sum() / n),
            float(loaded.sum() / n), float(dist)]


def _safe(path):
    try:
        return load_sample(path)
    except Exception as e:  # a truncated file of an interrupted run
        return None, None, dict(error="%s: %s" % (path, e))


def build_pack(files, workers):
    X, Y, infos = [], [], []
    with mp.Pool(workers) as pool:
        for x, y, info in pool.imap(_safe, files, chunksize=4):
            if x is None:
                print("skip", info["error"], flush=True)
                continue
            X.append(x)
            Y.append(y)
            infos.append(info)
    off = np.cumsum([0] + [len(x) for x in X])
    return np.concatenate(X), np.concatenate(Y), off, infos


def _range(v):
    return [float(np.min(v)), float(np.max(v))]


def stats_of(infos, x):
    env = {k: _range([i[k] for i in infos]) for k in
           ("L", "n", "P", "sigma_ref", "E", "nu", "traction", "n_fixed", "n_loaded")}
    env["n_nodes"] = env.pop("n")
    return dict(count=len(infos), seeds=[i["seed"] for i in infos],
                generator=sorted({i["generator"] for i in infos}), envelope=env,
                features={n: _range(x[:, k]) for k, n in enumerate(ft.FEATURE_NAMES)})


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", required=True, help="folder of <family>_*.npz samples")
    ap.add_argument("--out", required=True, help="pack .npz")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--max", type=int, default=10 ** 9)
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.src, "*.npz")))[: a.max]
    x, y, off, infos = build_pack(files, a.workers)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    np.savez(a.out, x=x, y=y, offsets=off, seeds=np.array([i["seed"] for i in infos]),
             load_dir=np.array([i["dir"] for i in infos], np.float32),
             scale=np.array([i["scale"] for i in infos], np.float32),
             descriptors=np.array([i["descriptors"] for i in infos], np.float64))
    st = stats_of(infos, x)
    json.dump(st, open(a.out[:-4] + ".json", "w"))
    print(json.dumps(dict(out=a.out, samples=len(infos), nodes=int(off[-1]),
                          mb=round((x.nbytes + y.nbytes) / 2 ** 20, 1))), flush=True)
