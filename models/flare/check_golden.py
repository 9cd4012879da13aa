#!/usr/bin/python3
"""Self-check of the golden files: features recomputed from each golden deck must equal
<name>.x.npy, and the shipped model's PyTorch output (<name>.y.npy) is compared with the
CalculiX result (<name>.ref.npy) for information.
  /usr/bin/python3 models/flare/check_golden.py"""
import glob, os, sys
import numpy as np
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE); sys.path.insert(0, os.path.join(HERE, "..", "fem"))
import features as ft  # noqa: E402
import ccx  # noqa: E402
ok = True
for deck in sorted(glob.glob(os.path.join(HERE, "..", "golden", "*.inp"))):
    p = deck[:-4]
    x, sc = ft.features_from_deck(ccx.read_deck(deck))
    gx, gs = np.load(p + ".x.npy")[0], np.load(p + ".scale.npy")[0]
    dx = float(np.abs(x - gx).max()); ds = float(np.abs(np.array([sc["sigma_ref"], sc["u_ref"]], np.float32) - gs).max())
    line = "%s: N=%d features max|diff|=%.2g scale max|diff|=%.2g" % (os.path.basename(p), len(x), dx, ds)
    if os.path.exists(p + ".y.npy") and os.path.exists(p + ".ref.npy"):  # v2 goldens have no .ref.npy
        y, ref = np.load(p + ".y.npy")[0].astype(np.float64), np.load(p + ".ref.npy").astype(np.float64)
        line += "; model vs ccx rel L2: von Mises %.3f, |u| %.3f" % (
            np.linalg.norm(y[:, 0] - ref[:, 0]) / np.linalg.norm(ref[:, 0]),
            np.linalg.norm(np.linalg.norm(y[:, 1:4], axis=1) - np.linalg.norm(ref[:, 1:4], axis=1)) / np.linalg.norm(np.linalg.norm(ref[:, 1:4], axis=1)))
    ok &= dx == 0 and ds == 0
    print(line)
sys.exit(0 if ok else 1)
