#!/usr/bin/python3
"""bracket3d sample: 3D L-bracket (base + flange + inner fillet + optional gusset, 2-4 bolt
holes through the base, optional flange hole) -> gmsh OCC -> C3D10 -> self-contained ccx
deck -> ccx -> per-node arrays.

Fixed: cylindrical faces of the bolt holes (all DOF).  Load: one unit load case per axis
(x, y, z) on the flange top face (z = Hz) as consistent nodal forces (tri6 face: A/3 on each
mid-side node, 0 on corners).  The kept test deck (--keep) is the single-step deck a user
would write: a uniform traction of random direction, 2-20 MPa.  Steel E=210000 MPa, nu=0.3.
Units mm, N, MPa.
  /usr/bin/python3 -m models.fem.gen_bracket3d --seed 1 --out /tmp/b3d --keep --verify
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

E, NU = 210000.0, 0.3


def _faces_in_box(x0, y0, z0, x1, y1, z1, eps=1e-6):
    return [
        t
        for _, t in gmsh.model.getEntitiesInBoundingBox(
            x0 - eps, y0 - eps, z0 - eps, x1 + eps, y1 + eps, z1 + eps, 2
        )
    ]


def bracket(rng):
    occ = gmsh.model.occ
    Lx, Ly = rng.uniform(60, 120), rng.uniform(30, 80)
    tb, tw, Hz = rng.uniform(5, 12), rng.uniform(5, 12), rng.uniform(40, 100)
    rf = rng.uniform(0.3, 1.5) * min(tb, tw)
    vol, _ = occ.fuse([(3, occ.addBox(0, 0, 0, Lx, Ly, tb))], [(3, occ.addBox(0, 0, 0, tw, Ly, Hz))])
    occ.synchronize()
    edge = [
        t
        for _, t in gmsh.model.getEntitiesInBoundingBox(
            tw - 1e-6, -1e-6, tb - 1e-6, tw + 1e-6, Ly + 1e-6, tb + 1e-6, 1
        )
    ]
    vol = occ.fillet([vol[0][1]], edge, [rf])
    rib = None
    if rng.random() < 0.5:
        rt = rng.uniform(0.15, 0.3) * Ly
        ry = rng.uniform(0.3, 0.7) * Ly - rt / 2
        rx, rz = rng.uniform(0.4, 0.8) * (Lx - tw), rng.uniform(0.4, 0.8) * (Hz - tb)
        pts = [
            occ.addPoint(tw - 1, ry, tb - 1),
            occ.addPoint(tw + rx, ry, tb - 1),
            occ.addPoint(tw - 1, ry, tb + rz),
        ]
        lines = [occ.addLine(pts[i], pts[(i + 1) % 3]) for i in range(3)]
        ex = occ.extrude([(2, occ.addPlaneSurface([occ.addCurveLoop(lines)]))], 0, rt, 0)
        vol, _ = occ.fuse(vol, [e for e in ex if e[0] == 3])
        rib = dict(y0=ry, thick=rt, dx=rx, dz=rz)
    xlo = tw + rf + 1.0
    nb = int(rng.integers(2, 5))
    rb = rng.uniform(2.5, max(2.6, 0.22 * min(Ly, Lx - xlo)))
    bolts = []
    for _ in range(8):
        bolts = []
        for _ in range(300):
            if len(bolts) == nb:
                break
            x, y = rng.uniform(xlo + rb + 2, Lx - rb - 2), rng.uniform(rb + 2, Ly - rb - 2)
            if (
                rib
                and (rib["y0"] - rb - 2 < y < rib["y0"] + rib["thick"] + rb + 2)
                and x < tw + rib["dx"] + rb + 2
            ):
                continue
            if all(math.hypot(x - a, y - b) > 2 * rb + 3 for a, b in bolts):
                bolts.append((x, y))
        if len(bolts) >= 2:
            break
        rb *= 0.75
    if len(bolts) < 2:
        raise RuntimeError("could not place 2 bolt holes")
    tools = [(3, occ.addCylinder(x, y, -1, 0, 0, tb + 2, rb)) for x, y in bolts]
    fh = None
    if rng.random() < 0.7:
        zlo = tb + rf + 2
        r = rng.uniform(2, max(2.1, 0.3 * min(Ly, Hz - zlo)))
        if Hz - r - 2 > zlo + r:
            y, z = rng.uniform(r + 2, Ly - r - 2), rng.uniform(zlo + r, Hz - r - 2)
            if not (
                rib
                and rib["y0"] - r - 1 < y < rib["y0"] + rib["thick"] + r + 1
                and z < tb + rib["dz"] + r + 1
            ):
                tools.append((3, occ.addCylinder(-1, y, z, tw + 2, 0, 0, r)))
                fh = (y, z, r)
    vol, _ = occ.cut(vol, tools)
    occ.synchronize()
    if len(vol) != 1:
        raise RuntimeError("boolean gave %d volumes" % len(vol))
    fix = []
    for x, y in bolts:
        fix += [
            t
            for t in _faces_in_box(x - rb, y - rb, 0, x + rb, y + rb, tb)
            if gmsh.model.getType(2, t) == "Cylinder"
        ]
    load = _faces_in_box(-1, -1, Hz, tw + 1, Ly + 1, Hz)
    geo = dict(Lx=Lx, Ly=Ly, tb=tb, tw=tw, Hz=Hz, fillet=rf, rib=rib, bolt_r=rb, bolts=bolts, flange_hole=fh)
    return vol[0][1], fix, load, geo, min(tb, tw)


def make_sample(
    seed, outdir, keep=False, verify=False, h_frac=0.8, ho_fix="optimize", refine=False, solve=True
):
    rng = np.random.default_rng([3, seed])
    t0 = time.time()
    name = "bracket3d_%06d" % seed
    tmp = mc.tmpdir(name)
    try:
        gmsh.initialize(["gmsh", "-nt", "1"], readConfigFiles=False)
        gmsh.option.setNumber("General.Terminal", 0)
        gmsh.model.add(name)
        vol, fix_f, load_f, geo, tmin = bracket(rng)
        if not fix_f or not load_f:
            raise RuntimeError("no fix/load faces")
        # Element size varies per sample (own stream: the geometry of a seed does not change),
        # so the model sees the mesh densities users pick, 0.68 to 1.2 of the wall thickness.
        h = h_frac * tmin * float(np.random.default_rng([4, seed]).uniform(0.85, 1.5))
        gmsh.option.setNumber("Mesh.MeshSizeMax", h)
        gmsh.option.setNumber("Mesh.MeshSizeMin", h / 6)
        gmsh.option.setNumber("Mesh.MeshSizeFromCurvature", 24)
        gmsh.option.setNumber("Mesh.Algorithm", 6)
        gmsh.option.setNumber("Mesh.Algorithm3D", 1)
        gmsh.option.setNumber("Mesh.Optimize", 1)
        gmsh.model.mesh.generate(3)
        if refine:  # noise-floor twin: every element split in 2 per edge, coarse nodes kept
            gmsh.model.mesh.refine()
        if ho_fix == "linear":
            gmsh.option.setNumber("Mesh.SecondOrderLinear", 1)
        gmsh.model.mesh.setOrder(2)
        if ho_fix == "optimize":
            gmsh.model.mesh.optimize("HighOrder")
        tags, xyz, cells, new = mc.collect_mesh(gmsh, 3, 11)
        cells = cells[:, mc.TET10_GMSH_TO_CCX]
        fixed = set()
        for f in fix_f:
            nt, _, _ = gmsh.model.mesh.getNodes(2, f, includeBoundary=True)
            fixed.update(new[int(t)] for t in nt if int(t) in new)
        d = rng.normal(size=3)
        d /= np.linalg.norm(d)
        tmag = float(rng.uniform(2, 20))
        tvec = d * tmag
        w = np.zeros(len(xyz))
        for f in load_f:
            for et, _, en in zip(*gmsh.model.mesh.getElements(2, f)):
                assert et == 9
                for e in np.asarray(en).reshape(-1, 6):
                    a, b, c = (xyz[new[int(k)]] for k in e[:3])
                    A = 0.5 * np.linalg.norm(np.cross(b - a, c - a))
                    for k in e[3:6]:
                        w[new[int(k)]] += A / 3
        gmsh.finalize()
        fixed = np.array(sorted(fixed))
        deck = os.path.join(tmp, name + "_unit.inp")
        hdr = "%s family=bracket3d seed=%d" % (ccx.GENERATOR_VERSION, seed)
        ccx.write_deck(
            deck,
            xyz,
            cells,
            "C3D10",
            fixed,
            3,
            mc.unit_loads(w, 3),
            E,
            NU,
            None,
            hdr + "\nbolt holes fixed, unit load cases x, y, z on the flange top",
        )
        t_mesh = time.time() - t0
        dd, u, s, t_ccx = mc.solve_unit_loads(deck, tmp, name + "_unit", solve)
        err = mc.user_deck(
            os.path.join(tmp, name + ".inp"),
            dd,
            cells,
            "C3D10",
            fixed,
            3,
            w,
            tvec,
            None,
            hdr + "\nbolt holes fixed, traction %.4g MPa dir (%.4f, %.4f, %.4f)"
            " on flange top" % (tmag, d[0], d[1], d[2]),
            tmp,
            verify,
            u,
            s,
        )
        meta = dict(
            geo,
            refine=refine,
            family="bracket3d",
            seed=seed,
            traction=tvec.tolist(),
            E=E,
            nu=NU,
            n_nodes=len(xyz),
            n_cells=len(cells),
            t_mesh=t_mesh,
            t_ccx=t_ccx,
            ho_fix=ho_fix,
            superposition_err=err,
            generator=ccx.GENERATOR_VERSION,
        )
        mc.finish(outdir, name, dd, cells, u, s, w, meta, keep, os.path.join(tmp, name + ".inp"), tmp)
        meta["t_total"] = time.time() - t0
        return meta
    except RuntimeError as e:
        retry = (
            None
            if ho_fix == "linear"
            else (lambda: make_sample(seed, outdir, keep, verify, h_frac, "linear", refine, solve))
        )
        return mc.retry_or_raise(gmsh, e, tmp, retry)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="/tmp/b3d")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--verify", action="store_true", help="also solve the user deck")
    a = ap.parse_args()
    print(json.dumps(make_sample(a.seed, a.out, a.keep, a.verify), indent=1))
