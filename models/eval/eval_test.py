#!/usr/bin/python3
"""Test-split metrics of shipped ONNX models, computed on this machine with onnxruntime-node on
ALL nodes of every test sample (features by models/flare/features.py from the sample's deck
arrays; outputs in physical units, compared with CalculiX).

  /usr/bin/python3 models/eval/eval_test.py --family plate2d --models models/plate2d-elasticity.onnx,B.onnx
Prints and writes models/eval/<family>_test_metrics.json.
Metrics per sample: relative L2 of von Mises, relative L2 of |u|, relative error of the
99th-percentile von Mises; reported as mean / median / p90 over the samples."""
import argparse, glob, json, os, subprocess, sys, tempfile
import numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "flare"))
import features as ft  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--family", required=True)
ap.add_argument("--models", required=True)
ap.add_argument("--data", default=os.path.join(HERE, "..", "data"))
a = ap.parse_args()
files = sorted(glob.glob(os.path.join(a.data, a.family, "test", "*.npz")))
tmp = tempfile.mkdtemp(prefix="flare_eval_")
items, refs = [], []
for f in files:
    d = np.load(f)
    dim = 2 if a.family == "plate2d" else 3
    x, sc = ft.build_features(d["xyz"], d["fixed"], d["cload"], float(d["E"]), float(d["thickness"]) or None, dim)
    name = os.path.basename(f)[:-4]
    x.astype(np.float32).tofile(os.path.join(tmp, name + ".x.f32"))
    items.append(dict(x=os.path.join(tmp, name + ".x.f32"), scale=[sc["sigma_ref"], sc["u_ref"]], n=len(x), name=name))
    refs.append((d["vm"].astype(np.float64), d["u"].astype(np.float64)))
res = {}
for m in a.models.split(","):
    key = os.path.basename(m)[:-5]
    for it in items:
        it["out"] = os.path.join(tmp, it["name"] + "." + key + ".y.f32")
    man = os.path.join(tmp, key + ".json")
    json.dump(items, open(man, "w"))
    out = subprocess.run(["node", os.path.join(HERE, "run_onnx.js"), m, man], capture_output=True, text=True, check=True)
    times = json.loads(out.stdout.strip().splitlines()[-1])
    rv, ru, rp = [], [], []
    for it, (vm, u) in zip(items, refs):
        y = np.fromfile(it["out"], np.float32).reshape(-1, 4).astype(np.float64)
        um, ump = np.linalg.norm(u, axis=1), np.linalg.norm(y[:, 1:], axis=1)
        rv.append(np.linalg.norm(y[:, 0] - vm) / np.linalg.norm(vm))
        ru.append(np.linalg.norm(ump - um) / np.linalg.norm(um))
        p, pp = np.percentile(vm, 99), np.percentile(y[:, 0], 99)
        rp.append(abs(pp - p) / p)
    f = lambda v: dict(mean=float(np.mean(v)), median=float(np.median(v)), p90=float(np.percentile(v, 90)))
    res[key] = dict(n_samples=len(items), n_nodes=int(sum(it["n"] for it in items)),
                    rel_l2_von_mises=f(rv), rel_l2_disp_mag=f(ru), rel_err_p99_von_mises=f(rp),
                    ort_node_ms=dict(total=float(sum(t["ms"] for t in times)), median=float(np.median([t["ms"] for t in times]))),
                    runtime="onnxruntime-node (CPU, 2 threads)", per_sample=[dict(name=it["name"], n=it["n"], rel_vm=float(v), rel_u=float(w), p99=float(q)) for it, v, w, q in zip(items, rv, ru, rp)])
    print(key, json.dumps({k: v for k, v in res[key].items() if k != "per_sample"}), flush=True)
json.dump(res, open(os.path.join(HERE, a.family + "_test_metrics.json"), "w"), indent=1)
