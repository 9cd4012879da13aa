"""Calibrate a card's applicability check (the distance threshold and the envelope margin) on
in-family decks no model saw, without retraining: the generator's holdout split, decks only.

  /usr/bin/python3 -m models.calibrate_applicability --card models/bracket3d-elasticity.card.json \\
      --onnx models/bracket3d-elasticity.onnx --decks /tmp/cal/bracket3d-cal/bracket3d/holdout \\
      --val-decks /tmp/cal/bracket3d-val/bracket3d/holdout --workers 2

The mean and inverse covariance of the descriptors (models/flare/data.py:descriptors, fitted on
the training decks by models/export.py) stay as they are.  What is calibrated:

- threshold: the split-conformal quantile of the calibration decks' Mahalanobis distances for
  ALPHA = 0.8 % (the ceil((1 - ALPHA)(n + 1))-th smallest of n: a new in-family deck exceeds it
  with probability at most ALPHA, whatever the distances' distribution, which has a heavy tail).
  The target is at most 1 % of in-family decks warned by distance or envelope together: 0.8 % for
  the distance and ENVELOPE_ALPHA = 0.2 % for the envelope add up to it.  (A plain 99th percentile
  of a few hundred decks misses the target about half the time: its sampling error is ~0.45 %.)
- envelope_margin: the check accepts a quantity within [lo - m * span, hi + m * span] of its
  training range [lo, hi] (span = hi - lo), on a log10 scale for the quantities in ENVELOPE_LOG
  (counts and the element size spanning decades); m is the conformal quantile for ENVELOPE_ALPHA
  = 0.2 % of the margins the calibration decks need (with n <= 500 decks: the largest), rounded up
  to the MARGINS grid.  TypeScript: checkEnvelope in
  extension/core/model/applicability.ts (the one implementation of the rule; this mirrors it to
  measure the calibration decks).

Writes the card's `applicability` (threshold, envelope_margin, envelope_log, calibration text,
validation figures) and re-embeds the card in the ONNX file (metadata 'flare.card').
models/export.py calls calibrate() too, with the test decks' descriptors when no holdout pool is given.
"""
import argparse
import glob
import json
import multiprocessing as mp
import os

import numpy as np

from models.embed_card import embed
from models.fem import ccx
from models.flare import data as fdata
from models.flare import features as ft

ALPHA = 0.008
ENVELOPE_LOG = ["n_nodes", "n_fixed", "n_loaded", "h_n"]
MARGINS = (0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
ENVELOPE_ALPHA = 0.002
# Deck quantities the envelope warns about (P, sigma_ref, E, traction: the outputs are rescaled
# exactly for them, an info only; E and nu are constant in training, a material finding).
WARNED = ("L", "n_nodes", "n_fixed", "n_loaded")


def deck_values(path):
    """Descriptors, envelope quantities and feature ranges of one deck (as the TypeScript check)."""
    d = ccx.read_deck(path)
    x, sc = ft.features_from_deck(d)
    env = dict(L=float(sc["L"]), n_nodes=len(x), n_fixed=int(x[:, 3].sum()), n_loaded=int(x[:, 4].sum()))
    feats = {n: [float(x[:, k].min()), float(x[:, k].max())] for k, n in enumerate(ft.FEATURE_NAMES)}
    desc = fdata.descriptors(d["xyz"], d["fixed"], d["cload"])
    return dict(deck=os.path.basename(path), descriptors=desc, envelope=env, features=feats)


def distances(desc, mean, cov_inv):
    z = np.asarray(desc, np.float64) - np.asarray(mean)
    return np.sqrt(np.maximum(0.0, np.einsum("ni,ij,nj->n", z, np.asarray(cov_inv), z)))


def needed_margin(value, rng, log):
    """The smallest m with value inside [lo - m * span, hi + m * span] (0 when inside the range)."""
    lo, hi, v = float(rng[0]), float(rng[1]), float(value)
    if log and lo > 0:
        if v <= 0:
            return float("inf")
        lo, hi, v = np.log10(lo), np.log10(hi), np.log10(v)
    out = max(lo - v, v - hi, 0.0)
    if out <= 1e-6 * max(abs(lo), abs(hi), 1.0):
        return 0.0
    span = hi - lo
    return float("inf") if span <= 0 else out / span


def deck_margin(vals, envelope):
    """The margin a deck needs to pass the whole envelope check, with the quantity that needs it."""
    need = [(needed_margin(vals["envelope"][k], envelope[k], k in ENVELOPE_LOG), k) for k in WARNED]
    for n, (lo, hi) in vals["features"].items():
        rng, log = envelope.get("features", {}).get(n), n in ENVELOPE_LOG
        if rng is not None:
            need.append((max(needed_margin(lo, rng, log), needed_margin(hi, rng, log)), "feature " + n))
    return max(need)


def rank(n, alpha):
    """The conformal rank ceil((1 - alpha)(n + 1)), at most n."""
    return min(n, int(np.ceil((1 - alpha) * (n + 1))))


def conformal_threshold(dist, alpha=ALPHA):
    """The ceil((1 - alpha)(n + 1))-th smallest of n distances: a new deck of the same family exceeds
    it with probability at most alpha (split conformal; exchangeable decks).  With too few decks for
    that rank (n < 1/alpha - 1), the largest."""
    d = np.sort(np.asarray(dist, np.float64))
    return float(d[rank(len(d), alpha) - 1])


def calibrate(dist, margins, alpha=ALPHA, alpha_envelope=ENVELOPE_ALPHA):
    """(threshold, envelope margin) from the calibration decks' distances and needed margins: the
    conformal quantiles of both, the margin rounded up to the MARGINS grid."""
    need = conformal_threshold(margins, alpha_envelope)
    m = next((c for c in MARGINS if c >= need), MARGINS[-1])
    return conformal_threshold(dist, alpha), float(m)


def measure(vals, app, envelope):
    """Shares of decks over the threshold / outside the envelope (with the card's margin)."""
    dist = distances([v["descriptors"] for v in vals], app["mean"], app["cov_inv"])
    need = [deck_margin(v, envelope) for v in vals]
    far = dist > app["threshold"]
    out = np.array([n > app["envelope_margin"] for n, _ in need])
    return dict(
        decks=len(vals),
        distance=int(far.sum()),
        envelope=int(out.sum()),
        warned=int((far | out).sum()),
        distance_quantiles={
            q: round(float(np.quantile(dist, float(q))), 3) for q in ("0.5", "0.99", "0.995")
        },
        distance_max=round(float(dist.max()), 3),
        envelope_cases=sorted({k for n, k in need if n > app["envelope_margin"]}),
    )


def read_pool(folder, workers):
    files = sorted(glob.glob(os.path.join(folder, "*.inp")))
    if not files:
        raise SystemExit("no .inp decks in %s" % folder)
    with mp.Pool(workers) as pool:
        return list(pool.imap(deck_values, files, chunksize=4))


def seeds_of(vals):
    s = [int(os.path.splitext(v["deck"])[0].rsplit("_", 1)[1]) for v in vals]
    return [min(s), max(s)]


def calibrate_card(app, envelope, decks, val_decks=None, alpha=ALPHA, workers=2):
    """Calibrates `app` (a card's applicability: mean, cov_inv) on the holdout decks in folder `decks`
    against `envelope` (the card's training_envelope); records the validation pool when given."""
    cal = read_pool(decks, workers)
    dist = distances([v["descriptors"] for v in cal], app["mean"], app["cov_inv"])
    thr, margin = calibrate(dist, [deck_margin(v, envelope)[0] for v in cal], alpha)
    s0, s1 = seeds_of(cal)
    app.update(
        threshold=thr,
        envelope_margin=margin,
        envelope_log=ENVELOPE_LOG,
        calibration=(
            "distance: split-conformal threshold for alpha = %g (the %d-th smallest) of the Mahalanobis "
            "distances of %d holdout decks (seeds %d-%d, never solved, no model saw them)"
            % (alpha, rank(len(cal), alpha), len(cal), s0, s1)
        )
        + "; envelope: each training range widened by %g of its span (log10 span for %s): the "
        "conformal quantile for alpha = %g of the margins those decks need, rounded up to %s"
        % (margin, "/".join(ENVELOPE_LOG), ENVELOPE_ALPHA, list(MARGINS)),
    )
    app["calibration_result"] = dict(measure(cal, app, envelope), seeds=[s0, s1])
    app.pop("validation", None)
    if val_decks:
        val = read_pool(val_decks, workers)
        app["validation"] = dict(measure(val, app, envelope), seeds=seeds_of(val))
    return app


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--card", required=True)
    ap.add_argument("--onnx", help="re-embed the card into this model file")
    ap.add_argument("--decks", required=True, help="calibration pool: a folder of holdout .inp decks")
    ap.add_argument("--val-decks", help="validation pool (disjoint seeds): recorded in the card")
    ap.add_argument("--alpha", type=float, default=ALPHA, help="design share of decks over the threshold")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()

    card = json.load(open(a.card))
    app = calibrate_card(
        card["applicability"], card["training_envelope"], a.decks, a.val_decks, a.alpha, a.workers
    )
    json.dump(card, open(a.card, "w"), indent=1)
    if a.onnx:
        model = open(a.onnx, "rb").read()  # before open(..., "wb") truncates it
        open(a.onnx, "wb").write(embed(model, card))
    keys = ("threshold", "envelope_margin", "calibration_result", "validation")
    print(json.dumps({k: app.get(k) for k in keys}, indent=1), flush=True)


if __name__ == "__main__":
    main()
