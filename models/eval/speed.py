#!/usr/bin/python3
"""Speed-up over CalculiX on the same decks (the examples/): ccx wall time (fresh run, 2 threads)
vs reading the deck + building features (Python reference) + onnxruntime-node inference (2
threads, median of 3 runs after one warm-up).  Writes models/eval/speed.json.

  /usr/bin/python3 models/eval/speed.py
"""
import glob, json, os, shutil, subprocess, sys, tempfile, time
import numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "flare"))
sys.path.insert(0, os.path.join(HERE, "..", "fem"))
import features as ft  # noqa: E402
import ccx  # noqa: E402

res = {}
for fam in ("plate2d", "bracket3d"):
    rows = []
    for deck in sorted(glob.glob(os.path.join(ROOT, "examples", fam, "*.inp"))):
        tmp = tempfile.mkdtemp()
        shutil.copy(deck, os.path.join(tmp, "job.inp"))
        env = dict(os.environ, OMP_NUM_THREADS="2", CCX_NPROC_STIFFNESS="2", CCX_NPROC_EQUATION_SOLVER="2", CCX_NPROC_RESULTS="2")
        t = time.time()
        subprocess.run(["ccx", "-i", "job"], cwd=tmp, env=env, capture_output=True, check=True)
        t_ccx = time.time() - t
        t = time.time()
        d = ccx.read_deck(deck)
        x, sc = ft.features_from_deck(d)
        t_feat = time.time() - t
        x.tofile(os.path.join(tmp, "x.f32"))
        man = os.path.join(tmp, "m.json")
        json.dump([dict(x=os.path.join(tmp, "x.f32"), scale=[sc["sigma_ref"], sc["u_ref"]], n=len(x), out=os.path.join(tmp, "y.f32"))] * 4, open(man, "w"))
        out = subprocess.run(["node", os.path.join(HERE, "run_onnx.js"), os.path.join(ROOT, "models", fam + "-elasticity.onnx"), man],
                             capture_output=True, text=True, check=True)
        ms = sorted(r["ms"] for r in json.loads(out.stdout.strip().splitlines()[-1])[1:])
        t_ort = ms[1] / 1000
        rows.append(dict(deck=os.path.relpath(deck, ROOT), n_nodes=len(x), ccx_s=round(t_ccx, 3), features_s=round(t_feat, 3),
                         onnxruntime_node_s=round(t_ort, 3), speedup_inference=round(t_ccx / t_ort, 2),
                         speedup_with_features=round(t_ccx / (t_ort + t_feat), 2)))
        print(rows[-1], flush=True)
        shutil.rmtree(tmp)
    res[fam] = dict(machine="this project's shared 2-core x86-64 CPU machine (other work running), ccx 2.20 SPOOLES with 2 threads, onnxruntime-node 1.30 CPU with 2 threads",
                    decks=rows)
json.dump(res, open(os.path.join(HERE, "speed.json"), "w"), indent=1)
