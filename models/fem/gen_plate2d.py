#!/usr/bin/python3
"""plate2d sample: plane-stress plate or L-bracket (1-5 round/elliptic holes, rounded corners)
-> gmsh OCC -> CPS6 -> ccx deck with one unit load case per axis (x, y) -> ccx -> arrays.

One edge clamped (ux=uy=0); the load is a uniform traction on another edge, as consistent
nodal forces (quadratic edge: 1/6, 2/3, 1/6 of L*t).  Steel E=210000 MPa, nu=0.3, t=1 mm.
The kept test deck (--keep) is the single-step deck a user would write, with a random traction.
  /usr/bin/python3 -m models.fem.gen_plate2d --seed 3 --out /tmp/p2d --keep --verify
"""
import argparse
import json
import math
import os
import shutil
import time

import numpy as np
import gmsh

from models.fem import ccx
from models.fem import mesh_common as mc

E, NU, THICK = 210000.0, 0.3, 1.0


def _holes(rng, W, H, n, rmin, rmax, margin, ok):
    out = []
    for _ in range(500):
        if len(out) == n:
            break
        r = rng.uniform(rmin, rmax)
        x = rng.uniform(r + margin, W - r - margin)
        y = rng.uniform(r + margin, H - r - margin)
        if ok(x, y, r + margin) and all(math.hypot(x - a, y - b) > r + c + margin for a, b, c in out):
            out.append((x, y, r))
    return out


def plate(rng):
    occ = gmsh.model.occ
    W, H = rng.uniform(80, 140), rng.uniform(30, 70)
    rc = rng.uniform(0.02, 0.15) * H if rng.random() < 0.6 else 0.0
    circ = _holes(rng, W, H, int(rng.integers(1, 6)), 0.04 * H, 0.25 * H, 0.06 * H + rc, lambda x, y, r: True)
    holes = []
    for x, y, r in circ:
        if rng.random() < 0.35:
            holes.append((x, y, r, r * rng.uniform(0.4, 1.0), rng.uniform(0, math.pi)))
        else:
            holes.append((x, y, r, r, 0.0))
    s = occ.addRectangle(0, 0, 0, W, H, roundedRadius=rc) if rc > 0 else occ.addRectangle(0, 0, 0, W, H)
    tools = []
    for x, y, rx, ry, ang in holes:
        d = occ.addDisk(x, y, 0, rx, ry)
        if ang:
            occ.rotate([(2, d)], x, y, 0, 0, 0, 1, ang)
        tools.append((2, d))
    out, _ = occ.cut([(2, s)], tools)
    occ.synchronize()
    geo = dict(shape="plate", W=W, H=H, corner_radius=rc, holes=holes)
    # clamp x=0 edge, load x=W edge (straight parts only)
    fix = lambda bb: bb[0] < 1e-6 and bb[3] < 1e-6
    load = lambda bb: bb[0] > W - 1e-6 and bb[3] > W - 1e-6
    ang = float(rng.uniform(-math.pi, math.pi))
    return [t for _, t in out], geo, fix, load, ang, min(W, H)


def lbracket(rng):
    occ = gmsh.model.occ
    W, H = rng.uniform(80, 140), rng.uniform(60, 120)
    a, b = rng.uniform(0.2, 0.4) * W, rng.uniform(0.2, 0.45) * H
    rf = rng.uniform(0.05, 0.6) * min(a, b)
    P = [
        occ.addPoint(px, py, 0)
        for px, py in [(0, 0), (W, 0), (W, b), (a + rf, b), (a + rf, b + rf), (a, b + rf), (a, H), (0, H)]
    ]
    L = [
        occ.addLine(P[0], P[1]),
        occ.addLine(P[1], P[2]),
        occ.addLine(P[2], P[3]),
        occ.addCircleArc(P[3], P[4], P[5]),
        occ.addLine(P[5], P[6]),
        occ.addLine(P[6], P[7]),
        occ.addLine(P[7], P[0]),
    ]
    occ.remove([(0, P[4])])
    body = [(2, occ.addPlaneSurface([occ.addCurveLoop(L)]))]
    inside = lambda x, y, r: (x + r < a and y - r > b + rf) or (y + r < b and x - r > a + rf)
    circ = _holes(
        rng, W, H, int(rng.integers(1, 6)), 0.03 * min(a, b) + 0.5, 0.3 * min(a, b), 0.08 * min(a, b), inside
    )
    holes = [(x, y, r, r, 0.0) for x, y, r in circ]
    if holes:
        body, _ = occ.cut(body, [(2, occ.addDisk(x, y, 0, r, r)) for x, y, r, _, _ in holes])
    occ.synchronize()
    geo = dict(shape="lbracket", W=W, H=H, a=a, b=b, fillet=rf, holes=holes)
    fix = lambda bb: bb[1] > H - 1e-6 and bb[4] > H - 1e-6
    load = lambda bb: bb[0] > W - 1e-6 and bb[3] > W - 1e-6
    ang = float(rng.uniform(-math.pi / 2 - 0.8, -math.pi / 2 + 0.8))
    return [t for _, t in body], geo, fix, load, ang, min(W, H)


def make_sample(
    seed, outdir, keep=False, verify=False, h_frac=1 / 18, linear_mid=False, refine=False, solve=True
):
    rng = np.random.default_rng([2, seed])
    t0 = time.time()
    name = "plate2d_%06d" % seed
    tmp = mc.tmpdir(name)
    try:
        gmsh.initialize(["gmsh", "-nt", "1"], readConfigFiles=False)
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add(name)
        surfs, geo, fix_sel, load_sel, ang, lref = (plate if rng.random() < 0.6 else lbracket)(rng)
        curves = [
            c for _, c in gmsh.model.getBoundary([(2, s) for s in surfs], oriented=False, combined=True)
        ]
        fix_c = [c for c in curves if fix_sel(gmsh.model.getBoundingBox(1, c))]
        load_c = [c for c in curves if load_sel(gmsh.model.getBoundingBox(1, c))]
        if not fix_c or not load_c:
            raise RuntimeError("no fix/load edge")
        h = lref * h_frac * rng.uniform(0.8, 1.25)
        gmsh.option.setNumber("Mesh.MeshSizeMax", h)
        gmsh.option.setNumber("Mesh.MeshSizeMin", h / 15)
        gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", 36)
        gmsh.option.setNumber("Mesh.Algorithm", 6)
        gmsh.model.mesh.generate(2)
        if refine:  # noise-floor twin: every element split in 2 per edge, coarse nodes kept
            gmsh.model.mesh.refine()
        if linear_mid:
            gmsh.option.setNumber("Mesh.SecondOrderLinear", 1)
        gmsh.model.mesh.setOrder(2)
        tags, xyz, cells, new = mc.collect_mesh(gmsh, 2, 9)
        # orientation: counter-clockwise corner order (positive area) for ccx
        p = xyz[cells[:, :3], :2]
        area2 = (p[:, 1, 0] - p[:, 0, 0]) * (p[:, 2, 1] - p[:, 0, 1]) - (p[:, 2, 0] - p[:, 0, 0]) * (
            p[:, 1, 1] - p[:, 0, 1]
        )
        neg = area2 < 0
        cells[neg] = cells[neg][:, [0, 2, 1, 5, 4, 3]]
        fixed = set()
        for c in fix_c:
            nt, _, _ = gmsh.model.mesh.getNodes(1, c, includeBoundary=True)
            fixed.update(new[int(t)] for t in nt if int(t) in new)
        sigma0 = float(rng.uniform(20, 120))
        tvec = sigma0 * np.array([math.cos(ang), math.sin(ang), 0.0])
        w = np.zeros(len(xyz))
        for c in load_c:
            for et, _, en in zip(*gmsh.model.mesh.getElements(1, c)):
                assert et == 8
                for e in np.asarray(en).reshape(-1, 3):
                    i0, i1, i2 = (new[int(k)] for k in e)
                    Le = float(np.linalg.norm(xyz[i0, :2] - xyz[i1, :2]))
                    w[i0] += Le * THICK / 6
                    w[i1] += Le * THICK / 6
                    w[i2] += Le * THICK * 2 / 3
        gmsh.finalize()
        xyz[:, 2] = 0.0
        fixed = np.array(sorted(fixed))
        deck = os.path.join(tmp, name + "_unit.inp")
        hdr = "%s family=plate2d seed=%d shape=%s" % (ccx.GENERATOR_VERSION, seed, geo["shape"])
        ccx.write_deck(
            deck,
            xyz,
            cells,
            "CPS6",
            fixed,
            2,
            mc.unit_loads(w, 2),
            E,
            NU,
            THICK,
            hdr + "\nclamped edge, unit load cases x, y on the loaded edge",
        )
        t_mesh = time.time() - t0
        d, u, s, t_ccx = mc.solve_unit_loads(deck, tmp, name + "_unit", solve)
        err = mc.user_deck(
            os.path.join(tmp, name + ".inp"),
            d,
            cells,
            "CPS6",
            fixed,
            2,
            w,
            tvec,
            THICK,
            hdr + "\nclamped edge, uniform traction %.4g MPa at %.4f rad" % (sigma0, ang),
            tmp,
            verify,
            u,
            s,
        )
        meta = dict(
            geo,
            refine=refine,
            family="plate2d",
            seed=seed,
            sigma0=sigma0,
            angle=ang,
            traction=tvec.tolist(),
            E=E,
            nu=NU,
            thickness=THICK,
            n_nodes=len(xyz),
            n_cells=len(cells),
            t_mesh=t_mesh,
            t_ccx=t_ccx,
            linear_mid=linear_mid,
            superposition_err=err,
            generator=ccx.GENERATOR_VERSION,
        )
        mc.finish(outdir, name, d, cells, u, s, w, meta, keep, os.path.join(tmp, name + ".inp"), tmp)
        meta["t_total"] = time.time() - t0
        return meta
    except RuntimeError as e:
        retry = (
            None
            if linear_mid
            else (lambda: make_sample(seed, outdir, keep, verify, h_frac, True, refine, solve))
        )
        return mc.retry_or_raise(gmsh, e, tmp, retry)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="/tmp/p2d")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--verify", action="store_true", help="also solve the user deck")
    a = ap.parse_args()
    print(json.dumps(make_sample(a.seed, a.out, a.keep, a.verify), indent=1))
