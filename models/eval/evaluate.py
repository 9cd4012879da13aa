"""Test metrics of a checkpoint on a test pack (all nodes; see models/flare/train.py:evaluate).

  python3 -m models.eval.evaluate --ckpt RUN/ckpt.pt --test PACK/plate2d_test.npz --out RUN/test_metrics.json
"""
import argparse
import json

import torch

from models.flare.model import build
from models.flare.train import Pack, evaluate

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    st = torch.load(a.ckpt, map_location=dev, weights_only=False)
    net = build(st["config"]).to(dev)
    net.load_state_dict(st["model"])
    dim = 2 if st["family"] == "plate2d" else 3
    m = evaluate(net, Pack(a.test, dev, y_std=st["y_std"].to(dev)), dim)
    m.update(step=st["step"], config=st["config"])
    json.dump(m, open(a.out, "w"), indent=1)
    print(json.dumps(dict(metrics=m["summary"], n=m["n_samples"], arch=st["config"]["arch"])), flush=True)
