#!/usr/bin/python3
"""Fill the metrics and speed tables of models/README.md from models/eval/*.json."""
import json, os
HERE = os.path.dirname(os.path.abspath(__file__))
R = os.path.join(HERE, "..", "README.md")
t = open(R).read()
rows = ["| family | model | von Mises rel. L2 | \\|u\\| rel. L2 | P99 von Mises rel. error | test nodes |", "|---|---|---|---|---|---|"]
for fam in ("bracket3d", "plate2d"):
    m = json.load(open(os.path.join(HERE, fam + "_test_metrics.json")))
    for key, label in ((fam + "-elasticity", "**FLARE** (451k params)"), (fam + "-mlp-baseline", "per-point MLP baseline (101k params)")):
        r = m[key]
        f = lambda k: "%.1f%% (%.1f%%)" % (100 * r[k]["mean"], 100 * r[k]["median"])
        rows.append("| %s | %s | %s | %s | %s | %d in %d decks |" % (fam, label, f("rel_l2_von_mises"), f("rel_l2_disp_mag"), f("rel_err_p99_von_mises"), r["n_nodes"], r["n_samples"]))
rows.append("| target (issue) | | bracket3d ≤ 5% (aim 2%), plate2d ≤ 3% (aim 1%) | | | |")
t = t.replace("METRICS_TABLE", "\n".join(rows))
sp = json.load(open(os.path.join(HERE, "speed.json")))
rows = ["| deck | nodes | ccx (2 threads) | read + features (Python) | FLARE onnxruntime-node (2 threads) | ccx / FLARE |", "|---|---|---|---|---|---|"]
for fam in ("bracket3d", "plate2d"):
    for d in sp[fam]["decks"]:
        rows.append("| `%s` | %d | %.2f s | %.2f s | %.2f s | %.2fx (%.2fx with features) |" % (d["deck"], d["n_nodes"], d["ccx_s"], d["features_s"], d["onnxruntime_node_s"], d["speedup_inference"], d["speedup_with_features"]))
t = t.replace("SPEED_TABLE", "\n".join(rows))
open(R, "w").write(t)
print("\n".join(rows))
