"""CalculiX helpers for the FLARE model pipeline (run with /usr/bin/python3).

- write_deck(): one self-contained ccx deck (no *INCLUDE): *NODE, *ELEMENT (C3D10 or
  CPS6), *NSET FIX / LOAD, *MATERIAL/*ELASTIC, *SOLID SECTION, one *STEP/*STATIC per load
  case (*BOUNDARY, *CLOAD, *NODE FILE/*EL FILE).  This is the only place decks are written.
- read_deck(): minimal reader of exactly what the features need (see models/flare/features.py).
- run_ccx(), read_frd(), frd_steps(), von_mises().

Units: mm, N, MPa.
"""
import os
import re
import subprocess
import time

import numpy as np

GENERATOR_VERSION = "flare-fem-gen 2.0.0"


def _ids_lines(ids, per=16):
    ids = list(ids)
    return "".join(", ".join(str(int(v)) for v in ids[i : i + per]) + "\n" for i in range(0, len(ids), per))


def write_deck(path, xyz, cells, etype, fixed_idx, fix_dofs, loads, E, nu, thickness=None, header=""):
    """xyz: (n,3) node coordinates (nodes numbered 1..n in this order);
    cells: (m,k) 0-based connectivity in CalculiX local order; fixed_idx: 0-based node indices
    with all `fix_dofs` DOFs fixed; loads: one (n,3) array of nodal forces per *STEP (rows of
    zeros are not written; steps after the first replace the loads, *CLOAD, OP=NEW).
    """
    if isinstance(loads, np.ndarray):
        loads = [loads]
    out = []
    w = out.append
    for line in header.strip().splitlines():
        w("** " + line + "\n")
    w("*HEADING\n%s\n" % (header.strip().splitlines()[0] if header.strip() else "flare sample"))
    w("*NODE, NSET=NALL\n")
    w("".join("%d, %.9g, %.9g, %.9g\n" % (i + 1, p[0], p[1], p[2]) for i, p in enumerate(xyz)))
    w("*ELEMENT, TYPE=%s, ELSET=PART\n" % etype)
    c1 = cells + 1
    w("".join("%d, %s\n" % (j + 1, ", ".join(str(int(v)) for v in c)) for j, c in enumerate(c1)))
    w("*NSET, NSET=FIX\n")
    w(_ids_lines(np.sort(fixed_idx) + 1))
    loaded = np.nonzero(np.any(np.any(np.stack(loads) != 0, axis=2), axis=0))[0]
    w("*NSET, NSET=LOAD\n")
    w(_ids_lines(loaded + 1))
    w("*MATERIAL, NAME=MAT\n*ELASTIC\n%.9g, %.9g\n" % (E, nu))
    if thickness is not None:
        w("*SOLID SECTION, ELSET=PART, MATERIAL=MAT\n%.9g\n" % thickness)
    else:
        w("*SOLID SECTION, ELSET=PART, MATERIAL=MAT\n")
    for k, cload in enumerate(loads):
        w("*STEP\n*STATIC\n")
        if k == 0:
            w("*BOUNDARY\nFIX, 1, %d\n" % fix_dofs)
        w("*CLOAD\n" if k == 0 else "*CLOAD, OP=NEW\n")
        rows = []
        for i in np.nonzero(np.any(cload != 0, axis=1))[0]:
            for j in range(3):
                if cload[i, j] != 0:
                    rows.append("%d, %d, %.10g\n" % (i + 1, j + 1, cload[i, j]))
        w("".join(rows))
        w("*NODE FILE\nU\n*EL FILE\nS\n*END STEP\n")
    with open(path, "w") as f:
        f.write("".join(out))


def _nset_resolve(tok, nsets):
    tok = tok.strip()
    if re.fullmatch(r"[+-]?\d+", tok):
        return [int(tok)]
    return nsets[tok.upper()]


def read_deck(path):
    """Parse a ccx deck: returns dict(node_ids, xyz (n,3), etype, cells (0-based), fixed (bool n),
    cload (n,3), E, nu, thickness).  A node is 'fixed' if *BOUNDARY constrains any DOF of it
    (zero prescribed value); loads are summed per node and DOF from *CLOAD."""
    ids, xyz, cells, nsets = [], [], [], {}
    etype = None
    bnd, cl = [], []
    E = nu = None
    thick = None
    mode = None
    cur_set = None
    with open(path) as f:
        lines = f.read().splitlines()
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("**"):
            continue
        if line.startswith("*"):
            up = line.upper().replace(" ", "")
            key = up.split(",")[0]
            opts = dict((kv.split("=") + [""])[:2] for kv in up.split(",")[1:])
            mode = None
            if key == "*NODE":
                mode = "node"
                if "NSET" in opts:
                    cur_set = nsets.setdefault(opts["NSET"], [])
                else:
                    cur_set = None
            elif key == "*ELEMENT":
                etype = opts.get("TYPE")
                mode = "elem"
            elif key == "*NSET":
                cur_set = nsets.setdefault(opts["NSET"], [])
                mode = "nsetgen" if "GENERATE" in opts else "nset"
            elif key == "*BOUNDARY":
                mode = "bnd"
            elif key == "*CLOAD":
                mode = "cload"
            elif key == "*ELASTIC":
                mode = "elastic"
            elif key == "*SOLIDSECTION":
                mode = "section"
            continue
        p = [t for t in line.split(",") if t.strip() != ""]
        if mode == "node":
            ids.append(int(p[0]))
            c = [float(v) for v in p[1:4]] + [0.0] * (4 - len(p))
            xyz.append(c[:3])
            if cur_set is not None:
                cur_set.append(int(p[0]))
        elif mode == "elem":
            cells.append([int(v) for v in p[1:]])
        elif mode == "nset":
            cur_set.extend(int(v) if re.fullmatch(r"\s*\d+\s*", v) else 0 for v in p)
        elif mode == "nsetgen":
            a, b = int(p[0]), int(p[1])
            s = int(p[2]) if len(p) > 2 else 1
            cur_set.extend(range(a, b + 1, s))
        elif mode == "bnd":
            bnd.append(p)
        elif mode == "cload":
            cl.append(p)
        elif mode == "elastic":
            E, nu = float(p[0]), float(p[1])
            mode = None
        elif mode == "section":
            thick = float(p[0])
            mode = None
    ids = np.array(ids, dtype=np.int64)
    xyz = np.array(xyz, dtype=np.float64)
    index = {int(t): i for i, t in enumerate(ids)}
    cells = np.array([[index[v] for v in c] for c in cells], dtype=np.int64)
    fixed = np.zeros(len(ids), bool)
    for p in bnd:
        val = float(p[3]) if len(p) > 3 else 0.0
        if val != 0.0:
            continue
        for t in _nset_resolve(p[0], nsets):
            fixed[index[t]] = True
    cload = np.zeros((len(ids), 3))
    for p in cl:
        dof = int(p[1])
        if 1 <= dof <= 3:
            for t in _nset_resolve(p[0], nsets):
                cload[index[t], dof - 1] += float(p[2])
    return dict(
        node_ids=ids, xyz=xyz, etype=etype, cells=cells, fixed=fixed, cload=cload, E=E, nu=nu, thickness=thick
    )


def run_ccx(jobdir, job, nthreads=1, timeout=3600):
    env = dict(os.environ)
    for k in ("OMP_NUM_THREADS", "CCX_NPROC_STIFFNESS", "CCX_NPROC_EQUATION_SOLVER", "CCX_NPROC_RESULTS"):
        env[k] = str(nthreads)
    t = time.time()
    p = subprocess.run(
        ["ccx", "-i", job], cwd=jobdir, env=env, capture_output=True, text=True, timeout=timeout
    )
    dt = time.time() - t
    if p.returncode != 0 or "*ERROR" in p.stdout:
        raise RuntimeError("ccx failed (rc=%d):\n%s" % (p.returncode, p.stdout[-3000:]))
    return dt, p.stdout


def read_frd(path):
    """Nodal result blocks of an ASCII .frd, one per step: name -> [(ids, values), ...].
    Fixed-width records ' -1' + I10 + E12.5*ncomp (numbers may touch)."""
    res = {}
    with open(path) as f:
        lines = f.read().splitlines()
    i, n = 0, len(lines)
    while i < n:
        ln = lines[i]
        if ln.startswith(" -4"):
            name = ln[5:13].strip()
            i += 1
            while lines[i].startswith(" -5"):
                i += 1
            start = i
            while not lines[i].startswith(" -3"):
                i += 1
            block = [ln for ln in lines[start:i] if ln.startswith(" -1")]
            nval = (len(block[0]) - 13) // 12
            ids = np.array([int(ln[3:13]) for ln in block], dtype=np.int64)
            vals = np.array([[float(ln[13 + 12 * c : 25 + 12 * c]) for c in range(nval)] for ln in block])
            res.setdefault(name, []).append((ids, vals))
        i += 1
    return res


def von_mises(s, plane_stress=False):
    """s: (n,6) in ccx order SXX SYY SZZ SXY SYZ SZX.  plane_stress: szz=syz=szx=0."""
    s = np.array(s, dtype=np.float64)
    if plane_stress:
        s[:, 2] = 0.0
        s[:, 4:] = 0.0
    sxx, syy, szz, sxy, syz, szx = s.T
    return np.sqrt(
        0.5 * ((sxx - syy) ** 2 + (syy - szz) ** 2 + (szz - sxx) ** 2)
        + 3.0 * (sxy**2 + syz**2 + szx**2)
    )


def frd_steps(frd_path, node_ids):
    """Per step: (u [S,n,3], s [S,n,6] in ccx order SXX SYY SZZ SXY SYZ SZX), node_ids order."""
    frd = read_frd(frd_path)
    index = {int(t): i for i, t in enumerate(node_ids)}

    def gather(name, ncomp):
        out = []
        for ids, v in frd[name]:
            a = np.full((len(node_ids), ncomp), np.nan)
            rows = np.array([index.get(int(t), -1) for t in ids])
            ok = rows >= 0
            a[rows[ok]] = v[ok, :ncomp]
            out.append(a)
        return np.stack(out)

    return gather("DISP", 3), gather("STRESS", 6)


def frd_fields(frd_path, node_ids, plane_stress=False):
    """Last step: (u (n,3), vm (n,)) in the order of node_ids."""
    u, s = frd_steps(frd_path, node_ids)
    return u[-1], von_mises(s[-1], plane_stress)
