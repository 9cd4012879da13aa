#!/usr/bin/python3
"""Comparison corpus for the mesh readers: files written by tools nobody here wrote.

gmsh generates small 2D/3D meshes (linear and quadratic) and writes them in every format it has
(msh 2.2 / 4.1, ascii and binary, inp, vtk, su2, bdf, stl); meshio converts clean copies to VTU
(ascii / binary / zlib), legacy VTK (ascii / binary, 4.2 and 5.1), SU2, Nastran, PLY, OBJ, OFF, STL
and Abaqus; ccx solves small decks and writes .frd (checked against its own .dat NODE PRINT).

For each file, meshio's view (or ccx's .dat for .frd) is written to <out>/manifest.json:
points, cells per type (connectivity concatenated over meshio's blocks of that type) and data arrays.

Usage: /usr/bin/python3 scripts/mesh-corpus/make_corpus.py [OUT_DIR]   (default .cache/mesh-corpus)
"""
import json
import os
import subprocess
import sys
import time

import gmsh
import meshio
import numpy as np

OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".cache/mesh-corpus")
os.makedirs(OUT, exist_ok=True)
os.chdir(OUT)
t0 = time.time()
cases = []


def view(path, fmt=None):
    """meshio's reading of `path`, as plain JSON lists."""
    m = meshio.read(path, file_format=fmt) if fmt else meshio.read(path)
    cells = {}
    for b in m.cells:
        cells.setdefault(b.type, []).append(np.asarray(b.data))
    out_cells = {t: np.concatenate(v).astype(int).ravel().tolist() for t, v in cells.items()}
    counts = {t: int(sum(len(x) for x in v)) for t, v in cells.items()}
    pts = np.asarray(m.points, dtype=float)
    pd = []
    for name, a in m.point_data.items():
        a = np.asarray(a)
        pd.append({"name": name, "components": 1 if a.ndim == 1 else int(a.shape[1]), "values": a.astype(float).ravel().tolist()})
    cd = []
    for name, blocks in m.cell_data.items():
        # concatenated per type, in meshio's block order (same grouping as cells above)
        per = {}
        for b, a in zip(m.cells, blocks):
            per.setdefault(b.type, []).append(np.asarray(a))
        for t, arrs in per.items():
            a = np.concatenate(arrs)
            cd.append({"name": name, "type": t, "components": 1 if a.ndim == 1 else int(a.shape[1]), "values": a.astype(float).ravel().tolist()})
    return {
        "points": pts.shape[0],
        "pointDim": int(pts.shape[1]),
        "coords": pts.ravel().tolist(),
        "counts": counts,
        "cells": out_cells,
        "pointData": pd,
        "cellData": cd,
    }


def add(path, note, fmt=None, expect=None):
    try:
        exp = expect if expect is not None else view(path, fmt)
    except (Exception, SystemExit) as e:  # meshio cannot read it (it may even sys.exit): record so the test knows why it is absent
        print(f"  meshio cannot read {path}: {e}", file=sys.stderr)
        return
    cases.append({"file": path, "note": note, "expect": exp})


def phys(dim, tags, name):
    # gmsh 4.8's API: no name= argument yet
    t = gmsh.model.addPhysicalGroup(dim, tags)
    gmsh.model.setPhysicalName(dim, t, name)


def gmsh_model(name, kind, order, size):
    gmsh.clear()
    gmsh.model.add(name)
    occ = gmsh.model.occ
    if kind == "plate":  # 2D plate with a hole, triangles
        r = occ.addRectangle(0, 0, 0, 2, 1)
        h = occ.addDisk(0.7, 0.5, 0, 0.2, 0.2)
        occ.cut([(2, r)], [(2, h)])
        occ.synchronize()
        phys(2, [s[1] for s in gmsh.model.getEntities(2)], "plate")
    elif kind == "quadplate":  # 2D recombined quads
        occ.addRectangle(0, 0, 0, 2, 1)
        occ.synchronize()
        gmsh.model.mesh.setRecombine(2, 1)
        phys(2, [1], "plate")
    elif kind == "box":  # tets
        occ.addBox(0, 0, 0, 1, 0.5, 2)
        occ.synchronize()
        phys(3, [1], "solid")
        phys(2, [1], "fixed")
    elif kind == "hexbox":  # structured hexes
        occ.addBox(0, 0, 0, 1, 1, 2)
        occ.synchronize()
        for c in gmsh.model.getEntities(1):
            gmsh.model.mesh.setTransfiniteCurve(c[1], 4)
        for s in gmsh.model.getEntities(2):
            gmsh.model.mesh.setTransfiniteSurface(s[1])
            gmsh.model.mesh.setRecombine(2, s[1])
        gmsh.model.mesh.setTransfiniteVolume(1)
        phys(3, [1], "solid")
    elif kind == "prism":  # extruded triangles → wedges
        occ.addRectangle(0, 0, 0, 1, 1)
        occ.synchronize()
        gmsh.model.occ.extrude([(2, 1)], 0, 0, 1, numElements=[3])
        occ.synchronize()
        phys(3, [1], "solid")
    gmsh.option.setNumber("Mesh.MeshSizeMax", size)
    gmsh.model.mesh.generate(3 if kind in ("box", "hexbox", "prism") else 2)
    # hexahedron20 / wedge15 need the incomplete (serendipity) option before setOrder
    gmsh.option.setNumber("Mesh.SecondOrderIncomplete", 1 if name in ("hex2", "wedge2") else 0)
    if order == 2:
        gmsh.model.mesh.setOrder(2)


def mio_write(path, mesh, note, **kw):
    """meshio write + record; meshio 5.0 has writer bugs (su2), which must not stop the corpus."""
    try:
        meshio.write(path, mesh, **kw)
    except (Exception, SystemExit) as e:
        print(f"  meshio cannot write {path}: {e}", file=sys.stderr)
        return
    add(path, note)


def clean_mesh(path):
    """A meshio mesh with merged blocks per type, plus synthetic data, for meshio's writers."""
    m = meshio.read(path)
    blocks = {}
    for b in m.cells:
        blocks.setdefault(b.type, []).append(b.data)
    cells = [(t, np.concatenate(v)) for t, v in blocks.items() if t != "vertex"]
    pts = m.points
    pd = {"T": pts[:, 0] * 2.0 + 1.0, "u": np.column_stack([pts[:, 1], -pts[:, 0], 0.5 * pts[:, 0]])}
    cd = {"mat": [np.arange(len(c), dtype=np.int32) % 3 for _, c in cells]}
    return meshio.Mesh(pts, cells, point_data=pd, cell_data=cd)


gmsh.initialize()
gmsh.option.setNumber("General.Terminal", 0)
models = [
    ("plate1", "plate", 1, 0.15),
    ("plate2", "plate", 2, 0.2),
    ("quad1", "quadplate", 1, 0.2),
    ("quad2", "quadplate", 2, 0.25),
    ("tet1", "box", 1, 0.25),
    ("tet2", "box", 2, 0.3),
    ("hex1", "hexbox", 1, 1),
    ("hex2", "hexbox", 2, 1),
    ("wedge1", "prism", 1, 0.3),
    ("wedge2", "prism", 2, 0.4),
]
for name, kind, order, size in models:
    gmsh_model(name, kind, order, size)
    for ver, binary in [(2.2, 0), (2.2, 1), (4.1, 0), (4.1, 1)]:
        gmsh.option.setNumber("Mesh.MshFileVersion", ver)
        gmsh.option.setNumber("Mesh.Binary", binary)
        f = f"{name}_gmsh{str(ver).replace('.', '')}{'b' if binary else 'a'}.msh"
        gmsh.write(f)
        add(f, f"gmsh msh {ver} {'binary' if binary else 'ascii'}")
    gmsh.option.setNumber("Mesh.Binary", 0)
    # (gmsh's .bdf has no BEGIN BULK, which meshio 5 refuses, so there is no reference for it)
    for ext in ("inp", "vtk", "su2"):
        f = f"{name}_gmsh.{ext}"
        gmsh.write(f)
        add(f, f"gmsh {ext}")
    if name in ("tet1", "plate1"):
        gmsh.option.setNumber("Mesh.Binary", 0)
        gmsh.write(f"{name}_gmsh.stl")
        add(f"{name}_gmsh.stl", "gmsh stl ascii")
        gmsh.option.setNumber("Mesh.Binary", 1)
        gmsh.write(f"{name}_gmshb.stl")
        add(f"{name}_gmshb.stl", "gmsh stl binary")
        gmsh.option.setNumber("Mesh.Binary", 0)

    src = f"{name}_gmsh41a.msh"
    m = clean_mesh(src)
    mio_write(f"{name}_mio_ascii.vtu", m, "meshio vtu ascii", binary=False)
    mio_write(f"{name}_mio_raw.vtu", m, "meshio vtu base64 binary", binary=True, compression=None)
    mio_write(f"{name}_mio_zlib.vtu", m, "meshio vtu base64 zlib", binary=True, compression="zlib")
    mio_write(f"{name}_mio64.vtu", m, "meshio vtu zlib UInt64 header", binary=True, compression="zlib", header_type="UInt64")
    mio_write(f"{name}_mio_ascii.vtk", m, "meshio vtk 5.1 ascii", file_format="vtk", binary=False)
    mio_write(f"{name}_mio_bin.vtk", m, "meshio vtk 5.1 binary", file_format="vtk", binary=True)
    mio_write(f"{name}_mio42.vtk", m, "meshio vtk 4.2 binary", file_format="vtk42", binary=True)
    mio_write(f"{name}_mio42a.vtk", m, "meshio vtk 4.2 ascii", file_format="vtk42", binary=False)
    nodata = meshio.Mesh(m.points, m.cells)
    mio_write(f"{name}_mio.su2", nodata, "meshio su2")
    mio_write(f"{name}_mio.bdf", nodata, "meshio nastran")
    mio_write(f"{name}_mio.inp", nodata, "meshio abaqus")
    tris = [(t, c) for t, c in m.cells_dict.items() if t in ("triangle",)]
    if tris:
        surf = meshio.Mesh(m.points, tris)
        for ext, kw in [("ply", dict(binary=False)), ("obj", {}), ("off", {}), ("stl", dict(binary=False))]:
            f = f"{name}_mio.{ext}"
            mio_write(f, surf, f"meshio {ext}", **kw)
        mio_write(f"{name}_miob.ply", surf, "meshio ply binary", binary=True)
        mio_write(f"{name}_miob.stl", surf, "meshio stl binary", binary=True)
gmsh.finalize()

# ccx: small decks from gmsh's tet10/hex20/hex8 meshes, results in .frd, checked against .dat.
def ccx_case(name, src_inp, etype):
    m = meshio.read(src_inp)
    pts = m.points
    blocks = [(b.type, b.data) for b in m.cells if b.type in ("tetra10", "hexahedron20", "hexahedron", "tetra")]
    lines = ["*NODE, NSET=NALL"] + [f"{i + 1}, {p[0]!r}, {p[1]!r}, {p[2]!r}" for i, p in enumerate(pts)]
    eid = 1
    for t, d in blocks:
        lines.append(f"*ELEMENT, TYPE={etype}, ELSET=EALL")
        for c in d:
            ids = [str(int(v) + 1) for v in c]
            head = [str(eid)] + ids
            # 16 entries per line at most (Abaqus rule), continuation after a trailing comma
            rows = [head[i:i + 16] for i in range(0, len(head), 16)]
            lines.append(",\n".join(", ".join(r) for r in rows))
            eid += 1
    zmin = pts[:, 2].min()
    zmax = pts[:, 2].max()
    fixed = [str(i + 1) for i, p in enumerate(pts) if abs(p[2] - zmin) < 1e-9]
    top = [i + 1 for i, p in enumerate(pts) if abs(p[2] - zmax) < 1e-9]
    lines.append("*NSET, NSET=FIX")
    lines += [", ".join(fixed[i:i + 10]) for i in range(0, len(fixed), 10)]
    lines += ["*BOUNDARY", "FIX, 1, 3, 0.0",
              "*MATERIAL, NAME=STEEL", "*ELASTIC", "210000.0, 0.3", "*DENSITY", "7.85e-9",
              "*SOLID SECTION, ELSET=EALL, MATERIAL=STEEL",
              "*STEP", "*STATIC", "*CLOAD"]
    lines += [f"{n}, 1, {10.0 / len(top)!r}" for n in top]
    lines += ["*NODE FILE", "U", "*EL FILE", "S, E", "*NODE PRINT, NSET=NALL", "U", "*END STEP"]
    with open(f"{name}.inp", "w") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ, OMP_NUM_THREADS="1", CCX_NPROC_EQUATION_SOLVER="1")
    subprocess.run(["ccx", "-i", name], check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # The .dat NODE PRINT is ccx's own independent view of the displacements.
    disp = {}
    with open(f"{name}.dat") as f:
        on = False
        for line in f:
            if "displacements" in line:
                on = True
                continue
            parts = line.split()
            if on and len(parts) == 4:
                disp[int(parts[0])] = [float(x) for x in parts[1:]]
    ids = sorted(disp)
    cases.append({"file": f"{name}.frd", "note": f"ccx {etype} frd", "expect": {
        "points": len(pts), "frdDisp": {"ids": ids, "values": [v for i in ids for v in disp[i]]},
        "coords": pts.ravel().tolist(), "etype": etype,
    }})
    add(f"{name}.inp", f"ccx deck {etype} (our writer of an Abaqus deck, read by meshio)")


ccx_case("ccx_tet10", "tet2_gmsh41a.msh", "C3D10")
ccx_case("ccx_hex20", "hex2_gmsh41a.msh", "C3D20")
ccx_case("ccx_hex8", "hex1_gmsh41a.msh", "C3D8")

with open("manifest.json", "w") as f:
    json.dump({"meshio": meshio.__version__, "gmsh": gmsh.__version__, "cases": cases}, f)
print(f"{len(cases)} cases in {OUT} ({time.time() - t0:.1f} s)", file=sys.stderr)
