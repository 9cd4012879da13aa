#!/usr/bin/python3
"""Benchmark mesh: ~1M-node quadratic tets (structured box, 6 tets per cube), written in each
format by meshio (INP, MSH 4.1 ascii/binary, VTK ascii/binary, VTU base64 zlib). Cached.

Usage: /usr/bin/python3 make_bench.py OUT_DIR [N]   (N cubes per side; 50 gives ~1.03M nodes)
"""
import os
import sys
import time

import meshio
import numpy as np

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
os.makedirs(out, exist_ok=True)
t0 = time.time()
g = np.linspace(0.0, 1.0, n + 1)
X, Y, Z = np.meshgrid(g, g * 0.5, g * 2.0, indexing="ij")
pts = np.column_stack([X.ravel(), Y.ravel(), Z.ravel()])
# irrational-looking coordinates so text formats carry full-precision numbers
pts = pts + 1e-3 * np.sin(7.0 * pts[:, [1, 2, 0]]) * (pts > 0) * (pts < pts.max(axis=0))
idx = np.arange((n + 1) ** 3).reshape(n + 1, n + 1, n + 1)
c = [idx[i:n + i, j:n + j, k:n + k].ravel() for k in (0, 1) for j in (0, 1) for i in (0, 1)]
# cube corners c[0..7] (i fastest); Kuhn split into 6 positive tets along the 0-7 diagonal
v = np.array(c).T
kuhn = [(0, 1, 3, 7), (0, 3, 2, 7), (0, 2, 6, 7), (0, 6, 4, 7), (0, 4, 5, 7), (0, 5, 1, 7)]
tets = np.concatenate([v[:, list(t)] for t in kuhn])
vol = np.einsum("ij,ij->i", np.cross(pts[tets[:, 1]] - pts[tets[:, 0]], pts[tets[:, 2]] - pts[tets[:, 0]]), pts[tets[:, 3]] - pts[tets[:, 0]])
flip = vol < 0
tets[flip] = tets[flip][:, [0, 2, 1, 3]]
# mid-edge nodes in VTK tetra10 order
E = [(0, 1), (1, 2), (2, 0), (0, 3), (1, 3), (2, 3)]
edges = np.sort(np.concatenate([tets[:, [a, b]] for a, b in E]), axis=1)
uniq, inv = np.unique(edges, axis=0, return_inverse=True)
mid = 0.5 * (pts[uniq[:, 0]] + pts[uniq[:, 1]])
allpts = np.vstack([pts, mid])
t10 = np.hstack([tets, (len(pts) + inv.reshape(len(E), -1).T)])
mesh = meshio.Mesh(allpts, [("tetra10", t10)])
print(f"{len(allpts)} nodes, {len(t10)} tet10 ({time.time() - t0:.1f} s)", file=sys.stderr)
for name, kw in [
    ("mesh.inp", {}),
    ("mesh_ascii.msh", dict(file_format="gmsh", binary=False)),
    ("mesh_binary.msh", dict(file_format="gmsh", binary=True)),
    ("mesh_ascii.vtk", dict(binary=False)),
    ("mesh_binary.vtk", dict(binary=True)),
    ("mesh_zlib.vtu", dict(binary=True, compression="zlib")),
]:
    meshio.write(os.path.join(out, name), mesh, **kw)
    print(f"  wrote {name} ({time.time() - t0:.1f} s)", file=sys.stderr)
np.save(os.path.join(out, "reference_points.npy"), allpts)
