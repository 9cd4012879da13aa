#!/usr/bin/python3
"""Batch driver (seeds are reproducible: sample k of a family uses seed k; train = seeds
[0, n_train), test = seeds [1000000, 1000000 + n_test)).

  nice -n 19 /usr/bin/python3 models/fem/make_dataset.py --family plate2d --split train --n 1000 --workers 2
  nice -n 19 /usr/bin/python3 models/fem/make_dataset.py --family plate2d --split test --n 100 --keep-decks

Writes models/data/<family>/<split>/<name>.npz (+ .inp for --keep-decks) and log.jsonl
(one JSON line per sample, failures included).  Existing samples are skipped (resumable).
"""
import argparse
import json
import multiprocessing as mp
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
TEST_SEED0 = 1000000


def work(args):
    family, seed, out, keep = args
    try:
        if family == "plate2d":
            import gen_plate2d as g
        else:
            import gen_bracket3d as g
        info = g.make_sample(seed, out, keep_deck=keep, frd_dir=(out + "_frd") if keep else None)
        info = dict(seed=seed, ok=True, n_nodes=info["n_nodes"], t_ccx=info["t_ccx"],
                    t_total=info["t_total"], linear_mid=info.get("linear_mid"))
    except Exception:
        info = dict(seed=seed, ok=False, error=traceback.format_exc()[-1500:])
        try:
            import gmsh
            if gmsh.isInitialized():
                gmsh.finalize()
        except Exception:
            pass
    return info


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", required=True, choices=["plate2d", "bracket3d"])
    ap.add_argument("--split", required=True, choices=["train", "test"])
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--root", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--keep-decks", action="store_true")
    ap.add_argument("--exclude-log", help="log.jsonl of another run: skip its ok seeds")
    a = ap.parse_args()
    out = os.path.abspath(os.path.join(a.root, a.family, a.split))
    os.makedirs(out, exist_ok=True)
    s0 = 0 if a.split == "train" else TEST_SEED0
    tasks = []
    done = set()
    if a.exclude_log:
        done = {json.loads(l)["seed"] for l in open(a.exclude_log) if json.loads(l)["ok"]}
    for s in range(s0, s0 + a.n):
        if s in done:
            continue
        if not os.path.exists(os.path.join(out, "%s_%06d.npz" % (a.family, s))):
            tasks.append((a.family, s, out, a.keep_decks))
    t0 = time.time()
    nok = 0
    with mp.Pool(a.workers, maxtasksperchild=20) as pool, \
            open(os.path.join(out, "log.jsonl"), "a") as log:
        for k, info in enumerate(pool.imap_unordered(work, tasks)):
            nok += info["ok"]
            log.write(json.dumps(info) + "\n")
            log.flush()
            if k % 20 == 0:
                print("%s/%s %d/%d ok=%d %.0fs" % (a.family, a.split, k + 1, len(tasks), nok,
                                                  time.time() - t0), flush=True)
    print(json.dumps(dict(family=a.family, split=a.split, n=len(tasks), ok=nok,
                          wall_s=round(time.time() - t0, 1))), flush=True)
