#!/usr/bin/python3
"""Pack per-sample npz (models/data/<family>/<split>) into compact training/test files for the
GPU machine (numpy/scipy only; run with /usr/bin/python3).

  /usr/bin/python3 models/flare/pack.py --family plate2d --points 2048 --out models/data/pack

train pack (<family>_train.npz), K points per sample drawn uniformly at random (seeded):
  xyzn  f16 [S,K,3]   normalized coordinates (features 0..2)
  dist  f16 [S,K,2]   d_fix/L, d_load/L (computed on the FULL mesh, features 5..6)
  flags u8  [S,K]     bit0 fixed, bit1 loaded
  dir   f32 [S,3]     load direction (features 7..9)
  y     f16 [S,K,4]   normalized targets / y_std
  y_std f32 [4]
test pack (<family>_test.npz), ALL nodes of every test sample, concatenated (offsets):
  xyzn, dist, flags as above, dir [S,3], vm_n f32 [sum n] (vm/sigma_ref), u_n f16 [sum n,3]
  (u/u_ref), offsets [S+1]
plus <family>_stats.json: envelope (ranges of L, node count, load, E, nu, features), counts,
seeds, generator version.
"""
import argparse
import glob
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import features as ft  # noqa: E402


def load_sample(path):
    d = np.load(path)
    meta = json.loads(str(d["meta"]))
    dim = 2 if meta["family"] == "plate2d" else 3
    thick = float(d["thickness"]) or None
    x, sc = ft.build_features(d["xyz"], d["fixed"], d["cload"], float(d["E"]), thick, dim)
    y = ft.targets(d["u"].astype(np.float64), d["vm"].astype(np.float64), sc)
    return x, y, sc, meta, d


def cached_sample(path, cache):
    """load_sample() with a per-sample cache of features/targets (float32) and meta."""
    if not cache:
        return load_sample(path)
    os.makedirs(cache, exist_ok=True)
    cp = os.path.join(cache, os.path.basename(path))
    if os.path.exists(cp):
        c = np.load(cp, allow_pickle=True)
        return c["x"], c["y"], c["sc"].item(), json.loads(str(c["meta"])), dict(E=c["E"], nu=c["nu"])
    x, y, sc, meta, d = load_sample(path)
    np.savez(cp + ".tmp.npz", x=x, y=y, sc=np.array(sc, dtype=object), meta=np.array(json.dumps(meta)),
             E=d["E"], nu=d["nu"])
    os.replace(cp + ".tmp.npz", cp)
    return x, y, sc, meta, dict(E=d["E"], nu=d["nu"])


def rng_stats(a):
    a = np.asarray(a, np.float64)
    return [float(a.min()), float(a.max())]


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", required=True)
    ap.add_argument("--points", type=int, default=2048)
    ap.add_argument("--root", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--out", default=os.path.join(HERE, "..", "data", "pack"))
    ap.add_argument("--max-train", type=int, default=100000)
    ap.add_argument("--cache", default=None, help="per-sample feature cache dir")
    ap.add_argument("--cache-only", action="store_true", help="only fill the cache")
    ap.add_argument("--splits", default="train,test")
    ap.add_argument("--parts", type=int, default=1, help="split the train pack into files")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(12345)
    stats = dict(family=a.family, points_per_train_sample=a.points)
    env = dict(L=[], n_nodes=[], P=[], sigma_ref=[], E=[], nu=[], traction=[], n_fixed=[],
               n_loaded=[])
    fmin = np.full(ft.N_FEATURES, np.inf)
    fmax = np.full(ft.N_FEATURES, -np.inf)
    for split in a.splits.split(","):
        files = sorted(glob.glob(os.path.join(a.root, a.family, split, "*.npz")))
        if split == "train":
            files = files[:a.max_train]
        if a.cache_only:
            for f in files:
                cached_sample(f, os.path.join(a.cache, split))
            print(split, "cached", len(files), flush=True)
            continue
        cache = os.path.join(a.cache, split) if a.cache else None
        seeds, gens = [], set()
        X, D, FL, DIR, Y, VM, U, OFF = [], [], [], [], [], [], [], [0]
        for f in files:
            try:
                x, y, sc, meta, d = cached_sample(f, cache)
            except Exception as e:  # truncated file of an interrupted run
                print("skip", f, e, flush=True)
                continue
            seeds.append(meta["seed"])
            gens.add(meta["generator"])
            if split == "train":
                fmin = np.minimum(fmin, x.min(0))
                fmax = np.maximum(fmax, x.max(0))
                env["L"].append(sc["L"]); env["n_nodes"].append(len(x)); env["P"].append(sc["P"])
                env["sigma_ref"].append(sc["sigma_ref"]); env["E"].append(float(d["E"]))
                env["nu"].append(float(d["nu"])); env["n_fixed"].append(int(x[:, 3].sum()))
                env["n_loaded"].append(int(x[:, 4].sum()))
                env["traction"].append(meta.get("sigma0") or float(np.linalg.norm(meta["traction"])))
                idx = rng.choice(len(x), size=a.points, replace=len(x) < a.points)
                x, y = x[idx], y[idx]
                Y.append(y)
            else:
                VM.append(y[:, 0])
                U.append(y[:, 1:4])
                OFF.append(OFF[-1] + len(x))
            X.append(x[:, 0:3]); D.append(x[:, 5:7])
            FL.append(x[:, 3].astype(np.uint8) | (x[:, 4].astype(np.uint8) << 1))
            DIR.append(x[0, 7:10])
        if split == "train":
            Y = np.stack(Y)
            y_std = np.sqrt((Y.astype(np.float64) ** 2).mean(axis=(0, 1)))
            y_std[1:4] = np.sqrt((Y[:, :, 1:4].astype(np.float64) ** 2).mean())  # isotropic u
            X, D, FL, DIR = np.stack(X), np.stack(D), np.stack(FL), np.stack(DIR)
            for k, sl in enumerate(np.array_split(np.arange(len(Y)), a.parts)):
                fn = a.family + ("_train.npz" if a.parts == 1 else "_train_%d.npz" % k)
                np.savez(os.path.join(a.out, fn),
                         xyzn=X[sl].astype(np.float16), dist=D[sl].astype(np.float16),
                         flags=FL[sl], dir=DIR[sl].astype(np.float32),
                         y=(Y[sl] / y_std).astype(np.float16), y_std=y_std.astype(np.float32))
            stats["y_std"] = y_std.tolist()
        else:
            np.savez(os.path.join(a.out, a.family + "_test.npz"),
                     xyzn=np.concatenate(X).astype(np.float16),
                     dist=np.concatenate(D).astype(np.float16), flags=np.concatenate(FL),
                     dir=np.stack(DIR).astype(np.float32),
                     vm_n=np.concatenate(VM).astype(np.float32),
                     u_n=np.concatenate(U).astype(np.float16), offsets=np.array(OFF, np.int64),
                     seeds=np.array(seeds))
        stats[split] = dict(count=len(seeds), seed_min=min(seeds), seed_max=max(seeds),
                            generator=sorted(gens))
        print(split, len(files), flush=True)
    if a.cache_only:
        sys.exit(0)
    if env["L"]:
        stats["envelope"] = {k: rng_stats(v) for k, v in env.items()}
        stats["envelope"]["features"] = {n: [float(lo), float(hi)] for n, lo, hi in
                                         zip(ft.FEATURE_NAMES, fmin, fmax)}
    with open(os.path.join(a.out, a.family + "_stats_%s.json" % "_".join(a.splits.split(","))), "w") as f:
        json.dump(stats, f, indent=1)
    for fn in glob.glob(os.path.join(a.out, a.family + "_*")):
        print(fn, os.path.getsize(fn) // 1024, "KiB")
