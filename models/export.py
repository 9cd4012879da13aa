"""Export a FLARE elasticity checkpoint (models/flare/train.py) to ONNX with its card embedded.

  python3 -m models.export --ckpt RUN/ckpt.pt --name plate2d-elasticity \\
      --train-pack PACK/plate2d_train.npz --test-pack PACK/plate2d_test.npz \\
      --metrics RUN/test_metrics.json --baseline-metrics RUN_MLP/test_metrics.json \\
      --golden models/golden/plate2d-elasticity --out-dir models

Writes <out-dir>/<name>.onnx (opset 17; inputs x [B,N,10], load_dir [B,3], scale [B,2];
outputs von_mises [B,N] MPa, displacement [B,N,3] mm, stress [B,N,6] MPa; dynamic B and N;
metadata_props 'flare.card' = the card JSON) and <out-dir>/<name>.card.json.
The card's `applicability` holds the mean and inverse covariance of the training decks'
global descriptors (models/flare/data.py:descriptors), the Mahalanobis threshold and the envelope
margin, calibrated by models/calibrate_applicability.py on --calib-decks (holdout decks, see
models/README.md; without them the threshold is the same conformal quantile of the test decks' distances).
With --golden PREFIX (PREFIX.inp present): writes the golden inputs from the deck (x, load_dir,
scale, json) and PREFIX.y.npy = PyTorch fp32 outputs [1,N,10] (von_mises, displacement xyz, stress 6).
"""
import argparse
import datetime
import json
import os

import numpy as np
import torch

from models import calibrate_applicability as cal
from models.embed_card import embed
from models.fem import ccx
from models.flare import data as fdata
from models.flare import features as ft
from models.flare.model import Exported, build

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILY = {
    "plate2d": dict(dim=2, elements=["CPS6"], description="plane-stress plates and L-brackets with holes"),
    "bracket3d": dict(
        dim=3, elements=["C3D10"], description="3D L-brackets with fillet, gusset and bolt holes"
    ),
}


def applicability(train_pack, test_pack, envelope, calib_decks=None, val_decks=None, workers=2):
    """Descriptor statistics of the training decks, calibrated by models/calibrate_applicability.py
    on the holdout decks in `calib_decks` (else the threshold from the test decks' distances)."""
    tr = np.load(train_pack)["descriptors"]
    mean = tr.mean(0)
    cov = np.cov(tr.T) + 1e-9 * np.eye(tr.shape[1])
    inv = np.linalg.inv(cov)
    app = dict(
        descriptors=fdata.DESCRIPTORS,
        mean=mean.tolist(),
        cov_inv=inv.tolist(),
        train_max=float(cal.distances(tr, mean, inv).max()),
    )
    if calib_decks:
        return cal.calibrate_card(app, envelope, calib_decks, val_decks, workers=workers)
    te = np.load(test_pack)["descriptors"] if test_pack else tr
    thr, margin = cal.calibrate(cal.distances(te, mean, inv), [0.0])
    app.update(
        threshold=thr,
        envelope_margin=margin,
        envelope_log=cal.ENVELOPE_LOG,
        calibration="distance: split-conformal threshold for alpha = %g of the Mahalanobis distances of "
        "the %s decks (no holdout pool: run models/calibrate_applicability.py)"
        % (cal.ALPHA, "test" if test_pack else "training"),
    )
    return app


def golden_inputs(prefix):
    """Features of the golden deck, computed with the reference reader (float32)."""
    d = ccx.read_deck(prefix + ".inp")
    x, sc = ft.features_from_deck(d)
    info = dict(
        deck=os.path.basename(prefix + ".inp"),
        n_nodes=len(x),
        etype=d["etype"],
        E=d["E"],
        nu=d["nu"],
        thickness=sc["thickness"],
        dim=sc["dim"],
        L=sc["L"],
        center=sc["center"].tolist(),
        Ftot=sc["Ftot"].tolist(),
        P=sc["P"],
        dir=sc["dir"].tolist(),
        sigma_ref=sc["sigma_ref"],
        u_ref=sc["u_ref"],
        n_fixed=int(x[:, 3].sum()),
        n_loaded=int(x[:, 4].sum()),
        n_free=int(x[:, 7].sum()),
        descriptors=fdata.descriptors(d["xyz"], d["fixed"], d["cload"]),
        files={
            "x": "[1,N,10] float32 features",
            "load_dir": "[1,3] float32",
            "scale": "[1,2] float32 (sigma_ref MPa, u_ref mm)",
            "y": "[1,N,10] float32 PyTorch fp32: von_mises, displacement xyz, stress 6",
        },
    )
    np.save(prefix + ".x.npy", x[None])
    np.save(prefix + ".load_dir.npy", np.asarray(sc["dir"], np.float32)[None])
    np.save(prefix + ".scale.npy", np.array([[sc["sigma_ref"], sc["u_ref"]]], np.float32))
    json.dump(info, open(prefix + ".json", "w"), indent=1)
    return x, sc


def card_for(a, cfg, nparam, st):
    fam = FAMILY[a.family]
    card = json.load(open(os.path.join(HERE, "card_template.json")))
    card.update(
        name=a.name,
        family=a.family,
        description="FLARE surrogate (%s): per-node stress tensor, von Mises stress and "
        "displacement from a CalculiX deck, by superposition of unit loads." % fam["description"],
    )
    card["physics"]["dimension"] = fam["dim"]
    card["physics"]["element_types"] = fam["elements"]
    card["architecture"] = dict(cfg, parameters=int(nparam))
    card["normalization"]["y_std"] = [float(v) for v in st["y_std"].cpu().numpy().ravel()]
    stats = json.load(open(a.train_pack[:-4] + ".json"))
    prov = card.setdefault("provenance", {})
    data = dict(
        generator=stats["generator"],
        train_count=stats["count"],
        train_seeds=[min(stats["seeds"]), max(stats["seeds"])],
    )
    if a.keep_applicability:
        # a run continued on more samples of the same family: the family's training statistics,
        # calibrated on holdout decks, stay; the card lists the data of every cycle
        old = json.load(open(a.keep_applicability))
        card["training_envelope"] = old["training_envelope"]
        card["applicability"] = old["applicability"]
        first = old["provenance"]["data"]
        cycles = first.pop("cycles", None) or [
            {k: first[k] for k in ("generator", "train_count", "train_seeds", "steps") if k in first}
        ]
        cycles[0].setdefault("steps", old["provenance"]["training"]["steps"])
        data["steps"] = st["step"]
        data = dict(first, cycles=cycles + [data], statistics_from="cycle 1")
    else:
        card["training_envelope"] = dict(stats["envelope"], features=stats["features"])
        card["applicability"] = applicability(
            a.train_pack, a.test_pack, card["training_envelope"], a.calib_decks, a.val_decks
        )
    prov["exported"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    prov["torch"] = torch.__version__
    prov["data"] = data
    if a.test_pack:
        ts = json.load(open(a.test_pack[:-4] + ".json"))
        prov["data"].update(test_count=ts["count"], test_seeds=[min(ts["seeds"]), max(ts["seeds"])])
    prov["training"] = dict(steps=st["step"], args=st.get("args"))
    if a.metrics:
        m = json.load(open(a.metrics))
        card.setdefault("metrics", {})["test"] = dict(
            n_samples=m["n_samples"], n_nodes=m["n_nodes"], summary=m["summary"]
        )
    if a.baseline_metrics:
        m = json.load(open(a.baseline_metrics))
        card.setdefault("metrics", {})["baseline_test"] = dict(n_samples=m["n_samples"], summary=m["summary"])
    if a.noise_floor:
        card.setdefault("metrics", {})["noise_floor"] = json.load(open(a.noise_floor))["summary"]
    return card


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--name", required=True)
    ap.add_argument("--family", required=True, choices=sorted(FAMILY))
    ap.add_argument("--train-pack", required=True)
    ap.add_argument("--test-pack")
    ap.add_argument("--metrics")
    ap.add_argument("--baseline-metrics")
    ap.add_argument("--noise-floor")
    ap.add_argument("--calib-decks", help="holdout decks calibrating the applicability check")
    ap.add_argument("--val-decks", help="holdout decks (other seeds) validating it")
    ap.add_argument(
        "--keep-applicability",
        help="card of the run's first cycle: keep its training envelope and applicability block "
        "(a run continued on more samples of the same family, see train.py --new-cycle)",
    )
    ap.add_argument("--golden", help="prefix of the golden files (PREFIX.inp must exist)")
    ap.add_argument("--out-dir", default=HERE)
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args()

    st = torch.load(a.ckpt, map_location="cpu", weights_only=False)
    cfg = st["config"]
    net = build(cfg)
    net.load_state_dict(st["model"])
    net.eval()
    dim = FAMILY[a.family]["dim"]
    m = Exported(net, st["y_std"].cpu().float(), dim).eval()
    card = card_for(a, cfg, sum(p.numel() for p in net.parameters()), st)

    os.makedirs(a.out_dir, exist_ok=True)
    path = os.path.join(a.out_dir, a.name + ".onnx")
    x = torch.rand(1, 1500, ft.N_FEATURES) - 0.5
    ld = torch.tensor([[0.6, 0.8, 0.0]])
    sc = torch.tensor([[1.0, 1.0]])
    outs = ["von_mises", "displacement", "stress"]
    kw = dict(
        input_names=["x", "load_dir", "scale"],
        output_names=outs,
        dynamic_axes=dict(
            {"x": {0: "B", 1: "N"}, "load_dir": {0: "B"}, "scale": {0: "B"}},
            **{o: {0: "B", 1: "N"} for o in outs}
        ),
        opset_version=a.opset,
        do_constant_folding=True,
    )
    try:
        torch.onnx.export(m, (x, ld, sc), path, dynamo=False, **kw)
    except TypeError:
        torch.onnx.export(m, (x, ld, sc), path, **kw)
    raw = open(path, "rb").read()
    open(path, "wb").write(embed(raw, card))
    json.dump(card, open(os.path.join(a.out_dir, a.name + ".card.json"), "w"), indent=1)
    print("wrote", path, os.path.getsize(path), "bytes", flush=True)

    if a.golden:
        gx, gsc = golden_inputs(a.golden)
        with torch.no_grad():
            vm, u, s = m(
                torch.as_tensor(gx)[None],
                torch.as_tensor(np.asarray(gsc["dir"], np.float32))[None],
                torch.tensor([[gsc["sigma_ref"], gsc["u_ref"]]], dtype=torch.float32),
            )
        y = torch.cat([vm.unsqueeze(-1), u, s], -1).numpy().astype(np.float32)
        np.save(a.golden + ".y.npy", y)
        try:
            import onnxruntime as ort

            sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
            o = sess.run(
                None,
                {
                    "x": gx[None],
                    "load_dir": np.asarray(gsc["dir"], np.float32)[None],
                    "scale": np.array([[gsc["sigma_ref"], gsc["u_ref"]]], np.float32),
                },
            )
            oy = np.concatenate([o[0][..., None], o[1], o[2]], -1)
            print(
                "onnxruntime vs torch: max abs err / max |y| = %.3g"
                % (np.abs(oy - y).max() / np.abs(y).max()),
                flush=True,
            )
        except ImportError:
            pass


if __name__ == "__main__":
    main()
