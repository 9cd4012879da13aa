"""Export a FLARE elasticity checkpoint to ONNX with its model card embedded.

Shipped models (run on the machine that trained them; needs torch + onnx):
  python3 models/export.py --ckpt models/runs/plate2d-flare/ckpt.pt --name plate2d-elasticity \
      --card models/card_template.json --stats models/data/pack/plate2d_stats.json \
      --metrics models/runs/plate2d-flare/test_metrics.json \
      --baseline-metrics models/runs/plate2d-mlp/test_metrics.json \
      --golden models/golden/plate2d-elasticity --out-dir models

Bring your own model: train with models/flare/train.py on your own packed data (or use any
state dict of models/flare/model.py:FLARE plus --config '{"arch":"flare","C":64,...}' and
--y-std '[...]'), copy models/card_template.json, fill in its fields, then
  python3 models/export.py --ckpt my.pt --name my-model --card my_card.json --out-dir out/

Writes <out-dir>/<name>.onnx (opset 17, inputs x[B,N,10] and scale[B,2], outputs
von_mises[B,N] and displacement[B,N,3], dynamic B and N; metadata_props 'flare.card' = the card
JSON) and <out-dir>/<name>.card.json.  With --golden PREFIX (PREFIX.x.npy, PREFIX.scale.npy
present): writes PREFIX.y.npy = PyTorch fp32 output [B,N,4] (von_mises, displacement) and
checks onnxruntime (if installed) against it.
"""
import argparse
import datetime
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "flare"))
from model import Exported, build  # noqa: E402
import features as ft  # noqa: E402


def deep_update(dst, src):
    for k, v in src.items():
        if isinstance(v, dict) and isinstance(dst.get(k), dict):
            deep_update(dst[k], v)
        else:
            dst[k] = v
    return dst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--card", default=os.path.join(HERE, "card_template.json"))
    ap.add_argument("--config", help="JSON model config when --ckpt is a bare state dict")
    ap.add_argument("--y-std", help="JSON list of 4 output scales when --ckpt is a bare state dict")
    ap.add_argument("--stats", help="pack stats JSON file(s), comma-separated (envelope, counts, seeds)")
    ap.add_argument("--metrics", help="test_metrics.json of this model")
    ap.add_argument("--baseline-metrics", help="test_metrics.json of the baseline")
    ap.add_argument("--extra", help="JSON file merged into the card last")
    ap.add_argument("--golden", help="prefix of golden files")
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()

    st = torch.load(a.ckpt, map_location="cpu", weights_only=False)
    if "model" in st:
        sd, cfg, y_std = st["model"], st["config"], st["y_std"]
    else:
        sd, cfg, y_std = st, json.loads(a.config), json.loads(a.y_std)
    net = build(cfg)
    net.load_state_dict(sd)
    net.eval()
    m = Exported(net, np.asarray(y_std, np.float32)).eval()
    nparam = sum(p.numel() for p in net.parameters())

    card = json.load(open(a.card))
    card["name"] = a.name
    card.setdefault("architecture", {}).update(cfg)
    card["architecture"]["parameters"] = int(nparam)
    card["normalization"]["y_std"] = [float(v) for v in np.asarray(y_std).ravel()]
    prov = card.setdefault("provenance", {})
    prov["exported"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    prov["torch"] = torch.__version__
    if torch.cuda.is_available():
        prov.setdefault("gpu", torch.cuda.get_device_name(0))
    if "model" in st:
        prov["training"] = dict(epochs=st["epoch"], steps=st["step"], n_train=st.get("n_train"),
                                points_per_sample=st.get("points"), world_size=st.get("world"),
                                args=st.get("args"))
    if a.stats:
        s = {}
        for fn in a.stats.split(","):
            deep_update(s, json.load(open(fn)))
        card["training_envelope"] = s["envelope"]
        prov["data"] = dict(train=s.get("train"), test=s.get("test"),
                            points_per_train_sample=s["points_per_train_sample"])
    if a.metrics:
        card.setdefault("metrics", {})["test"] = json.load(open(a.metrics))
    if a.baseline_metrics:
        card.setdefault("metrics", {})["baseline_test"] = json.load(open(a.baseline_metrics))
    if a.extra:
        deep_update(card, json.load(open(a.extra)))

    os.makedirs(a.out_dir, exist_ok=True)
    onnx_path = os.path.join(a.out_dir, a.name + ".onnx")
    x = torch.rand(1, 1500, ft.N_FEATURES) - 0.5
    scale = torch.tensor([[1.0, 1.0]])
    kw = dict(input_names=["x", "scale"], output_names=["von_mises", "displacement"],
              dynamic_axes={"x": {0: "B", 1: "N"}, "scale": {0: "B"},
                            "von_mises": {0: "B", 1: "N"}, "displacement": {0: "B", 1: "N"}},
              opset_version=a.opset, do_constant_folding=True)
    try:
        torch.onnx.export(m, (x, scale), onnx_path, dynamo=False, **kw)
    except TypeError:
        torch.onnx.export(m, (x, scale), onnx_path, **kw)
    import onnx
    mo = onnx.load(onnx_path)
    ops = sorted({n.op_type for n in mo.graph.node})
    card["architecture"]["onnx_ops"] = ops
    card["architecture"]["opset"] = a.opset
    del mo.metadata_props[:]
    e = mo.metadata_props.add()
    e.key, e.value = "flare.card", json.dumps(card, separators=(",", ":"))
    mo.producer_name = "flare-vscode models/export.py"
    onnx.save(mo, onnx_path)
    json.dump(card, open(os.path.join(a.out_dir, a.name + ".card.json"), "w"), indent=1)
    print("wrote", onnx_path, os.path.getsize(onnx_path), "bytes; ops:", ",".join(ops), flush=True)

    if a.golden and os.path.exists(a.golden + ".x.npy"):
        gx = torch.as_tensor(np.load(a.golden + ".x.npy"))
        gs = torch.as_tensor(np.load(a.golden + ".scale.npy"))
        with torch.no_grad():
            vm, u = m(gx, gs)
        y = torch.cat([vm.unsqueeze(-1), u], -1).numpy().astype(np.float32)
        gy = os.path.join(a.out_dir, os.path.basename(a.golden) + ".y.npy")
        np.save(gy, y)
        print("golden y", gy, y.shape, flush=True)
        try:
            import onnxruntime as ort
            sess = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"])
            ovm, ou = sess.run(None, {"x": gx.numpy(), "scale": gs.numpy()})
            oy = np.concatenate([ovm[..., None], ou], -1)
            err = np.abs(oy - y).max() / max(np.abs(y).max(), 1e-30)
            print("onnxruntime vs torch: max abs err %.3g (relative to max |y| %.3g)" %
                  (np.abs(oy - y).max(), err), flush=True)
        except ImportError:
            pass


if __name__ == "__main__":
    main()
