#!/usr/bin/python3
"""Complete the cards written by models/export.py on the GPU machine with what is measured on
this machine (test-split metrics through onnxruntime-node, test-data provenance, ccx speed-up),
then write models/<name>.card.json and embed the card into models/<name>.onnx.

  /usr/bin/python3 models/eval/finalize_cards.py --src DIR_WITH_GPU_EXPORTS
"""
import argparse
import datetime
import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.abspath(os.path.join(HERE, ".."))
sys.path.insert(0, MODELS)
from embed_card import embed  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--src", required=True, help="folder with <name>.onnx and <name>.card.json from export.py")
ap.add_argument("--extra", default=os.path.join(HERE, "card_extra.json"))
a = ap.parse_args()
extra = json.load(open(a.extra))
speed = json.load(open(os.path.join(HERE, "speed.json"))) if os.path.exists(os.path.join(HERE, "speed.json")) else {}

for fam in ("plate2d", "bracket3d"):
    name = fam + "-elasticity"
    card = json.load(open(os.path.join(a.src, name + ".card.json")))
    m = json.load(open(os.path.join(HERE, fam + "_test_metrics.json")))
    strip = lambda d: {k: v for k, v in d.items() if k != "per_sample"}
    card["metrics"] = dict(
        definition="per test sample, on ALL nodes of the deck: rel_l2_von_mises = ||vm_pred - vm_ccx|| / ||vm_ccx||; "
                   "rel_l2_disp_mag = || |u_pred| - |u_ccx| || / || |u_ccx| ||; rel_err_p99_von_mises = "
                   "|P99(vm_pred) - P99(vm_ccx)| / P99(vm_ccx); aggregated as mean / median / p90 over samples",
        command="/usr/bin/python3 models/eval/eval_test.py --family %s --models models/%s.onnx,models/baselines/%s-mlp-baseline.onnx" % (fam, name, fam),
        test=strip(m[name]), baseline_test=dict(strip(m[fam + "-mlp-baseline"]),
                                                model="per-point ResidualMLP (width 128, 6 hidden layers, 101k parameters), same features, same loss, 150 s training"))
    e = extra[fam]
    card["family"] = fam
    card["physics"].update(e["physics"])
    card["training_envelope"].update(e.get("envelope", {}))
    card["provenance"]["data"]["test"] = e["test_data"]
    card["provenance"]["data"]["train"].update(e["train_data"])
    card["provenance"]["training"]["schedule"] = e["schedule"]
    card["provenance"]["generator"] = extra["generator"]
    card["provenance"]["finalized"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    if fam in speed:
        card["metrics"]["speed"] = speed[fam]
    card["limitations"] = e["limitations"]
    card["golden"] = dict(x="models/golden/%s.x.npy" % name, scale="models/golden/%s.scale.npy" % name,
                          y="models/golden/%s.y.npy" % name, deck="models/golden/%s.inp" % name)
    json.dump(card, open(os.path.join(MODELS, name + ".card.json"), "w"), indent=1)
    data = embed(open(os.path.join(a.src, name + ".onnx"), "rb").read(), card)
    open(os.path.join(MODELS, name + ".onnx"), "wb").write(data)
    print(name, len(data), "bytes; vm rel L2 mean %.4f, |u| rel L2 mean %.4f" % (
        card["metrics"]["test"]["rel_l2_von_mises"]["mean"], card["metrics"]["test"]["rel_l2_disp_mag"]["mean"]))
