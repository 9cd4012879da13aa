"""Batch driver (seeds are reproducible: sample k of a family uses seed k; train = seeds
[0, n), test = seeds [1000000, 1000000 + n), holdout = seeds [2000000, 2000000 + n): decks only, never
solved, for measuring how many in-family decks the applicability check warns about).
--seed-offset K starts at seed SEED0[split] + K: disjoint pools of one split (the holdout calibration
pool = offset 0, its validation pool = offset 600: models/README.md, applicability calibration).

  nice -n 19 /usr/bin/python3 -m models.fem.make_dataset --family plate2d --split train --n 2000 --workers 2
  nice -n 19 /usr/bin/python3 -m models.fem.make_dataset --family plate2d --split test --n 200 --keep-decks
  /usr/bin/python3 -m models.fem.make_dataset --family plate2d --split test --n 30 --refine   # noise floor
  /usr/bin/python3 -m models.fem.make_dataset --family bracket3d --split holdout --n 200 --workers 2

Writes models/data/<family>/<split>[_fine]/<name>.npz (+ the user deck .inp with --keep-decks)
and log.jsonl (one JSON line per sample, failures included).  Existing samples are skipped
(resumable).  --verify solves every user deck too and records the superposition error.
"""
import argparse
import json
import multiprocessing as mp
import os
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
SEED0 = dict(train=0, test=1000000, holdout=2000000)


def work(args):
    family, seed, out, keep, verify, refine, solve = args
    try:
        if family == "plate2d":
            from models.fem import gen_plate2d as g
        else:
            from models.fem import gen_bracket3d as g
        info = g.make_sample(seed, out, keep=keep, verify=verify, refine=refine, solve=solve)
        info = dict(seed=seed, ok=True, n_nodes=info["n_nodes"], t_ccx=info["t_ccx"],
                    t_total=info["t_total"], superposition_err=info["superposition_err"])
    except Exception:
        info = dict(seed=seed, ok=False, error=traceback.format_exc()[-1500:])
        import gmsh
        from models.fem import mesh_common

        mesh_common.close_gmsh(gmsh)
    return info


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--family", required=True, choices=["plate2d", "bracket3d"])
    ap.add_argument("--split", required=True, choices=list(SEED0))
    ap.add_argument("--n", type=int, required=True)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--root", default=os.path.join(HERE, "..", "data"))
    ap.add_argument("--keep-decks", action="store_true")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--refine", action="store_true", help="2x finer twin meshes (noise floor)")
    ap.add_argument("--seed-offset", type=int, default=0, help="first seed = SEED0[split] + this")
    a = ap.parse_args()
    out = os.path.abspath(os.path.join(a.root, a.family, a.split + ("_fine" if a.refine else "")))
    os.makedirs(out, exist_ok=True)
    solve = a.split != "holdout"
    if not solve and (a.verify or a.refine):
        ap.error("holdout decks are not solved: no --verify or --refine")
    if not 0 <= a.seed_offset <= 1000000 - a.n:
        ap.error("--seed-offset: the seeds must stay inside the split's range of 1000000")
    s0, ext = SEED0[a.split] + a.seed_offset, ".npz" if solve else ".inp"
    tasks = [(a.family, s, out, a.keep_decks, a.verify, a.refine, solve) for s in range(s0, s0 + a.n)
             if not os.path.exists(os.path.join(out, "%s_%06d%s" % (a.family, s, ext)))]
    t0 = time.time()
    nok = 0
    with mp.Pool(a.workers, maxtasksperchild=20) as pool, \
            open(os.path.join(out, "log.jsonl"), "a") as log:
        for k, info in enumerate(pool.imap_unordered(work, tasks)):
            nok += info["ok"]
            log.write(json.dumps(info) + "\n")
            log.flush()
            if k % 50 == 0:
                done = (a.family, a.split, k + 1, len(tasks), nok, time.time() - t0)
                print("%s/%s %d/%d ok=%d %.0fs" % done, flush=True)
    print(json.dumps(dict(family=a.family, split=a.split, n=len(tasks), ok=nok,
                          wall_s=round(time.time() - t0, 1))), flush=True)
