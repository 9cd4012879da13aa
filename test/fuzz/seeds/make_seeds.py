#!/usr/bin/python3
"""Small valid seed files of every mesh format for the reader fuzzer (test/fuzz).

Small on purpose: every mutation re-reads the whole file, so a 2 KB seed gives ~10x the cases of a 20 KB one.
gmsh writes the .msh seeds (its own block layout, physical tags); meshio writes the rest from one tiny
mixed mesh (hexahedra, a wedge, tetrahedra, boundary triangles) with point and cell data.
Hand-written: .vtp, .pvtu (+ pieces), .frd, .obj with faces of mixed size, the *INCLUDE deck.

Usage: /usr/bin/python3 test/fuzz/seeds/make_seeds.py   (writes next to this script)
"""
import os
import shutil

import gmsh
import meshio
import numpy as np

OUT = os.path.dirname(os.path.abspath(__file__))
os.chdir(OUT)

# Two unit hexes side by side, a wedge on top of the first, a tet on top of the second.
pts = np.array([
    [0, 0, 0], [1, 0, 0], [2, 0, 0], [0, 1, 0], [1, 1, 0], [2, 1, 0],
    [0, 0, 1], [1, 0, 1], [2, 0, 1], [0, 1, 1], [1, 1, 1], [2, 1, 1],
    [0.5, 0, 2], [0.5, 1, 2], [1.5, 0.5, 2],
], dtype=float)
hexes = np.array([[0, 1, 4, 3, 6, 7, 10, 9], [1, 2, 5, 4, 7, 8, 11, 10]])
wedge = np.array([[6, 7, 12, 9, 10, 13]])
tets = np.array([[7, 8, 10, 14], [8, 11, 10, 14]])
tris = np.array([[0, 1, 4], [0, 4, 3]])
cells = [("hexahedron", hexes), ("wedge", wedge), ("tetra", tets), ("triangle", tris)]
disp = pts * np.array([1e-3, -2e-3, 5e-4])
mesh = meshio.Mesh(pts, cells, point_data={"U": disp, "T": pts[:, 0] * 10.0},
                   cell_data={"mat": [np.array([1, 1]), np.array([2]), np.array([3, 3]), np.array([4, 4])]})
vol = meshio.Mesh(pts, cells[:3])
surf = meshio.Mesh(pts[:6], [("triangle", np.array([[0, 1, 4], [0, 4, 3], [1, 2, 5], [1, 5, 4]]))])


def w(name, m, **kw):
    meshio.write(name, m, **kw)


w("mixed_ascii.vtu", mesh, binary=False)
w("mixed_b64.vtu", mesh, binary=True, compression=None)
w("mixed_zlib.vtu", mesh, binary=True, compression="zlib")
w("mixed_zlib64.vtu", mesh, binary=True, compression="zlib", header_type="UInt64")
w("mixed51_ascii.vtk", mesh, file_format="vtk", binary=False)
w("mixed51_bin.vtk", mesh, file_format="vtk", binary=True)
w("mixed42_ascii.vtk", mesh, file_format="vtk42", binary=False)
w("mixed42_bin.vtk", mesh, file_format="vtk42", binary=True)
w("mixed.inp", vol, file_format="abaqus")
w("mixed.bdf", vol, file_format="nastran")
w("surf_ascii.stl", surf, file_format="stl", binary=False)
w("surf_bin.stl", surf, file_format="stl", binary=True)
w("surf_ascii.ply", surf, file_format="ply", binary=False)
w("surf_bin.ply", surf, file_format="ply", binary=True)
w("surf.off", surf, file_format="off")
w("surf.obj", surf, file_format="obj")

# gmsh's own writer: a coarse box, msh 2.2 and 4.1, ascii and binary.
gmsh.initialize()
gmsh.option.setNumber("General.Terminal", 0)
gmsh.model.add("box")
gmsh.model.occ.addBox(0, 0, 0, 1, 1, 1)
gmsh.model.occ.synchronize()
gmsh.model.setPhysicalName(3, gmsh.model.addPhysicalGroup(3, [1]), "solid")
gmsh.model.setPhysicalName(2, gmsh.model.addPhysicalGroup(2, [1]), "fixed")
gmsh.option.setNumber("Mesh.MeshSizeMin", 2.0)
gmsh.option.setNumber("Mesh.MeshSizeMax", 2.0)
gmsh.model.mesh.generate(3)
for ver, binary in [(2.2, 0), (2.2, 1), (4.1, 0), (4.1, 1)]:
    gmsh.option.setNumber("Mesh.MshFileVersion", ver)
    gmsh.option.setNumber("Mesh.Binary", binary)
    gmsh.write(f"box{str(ver).replace('.', '')}{'b' if binary else 'a'}.msh")
gmsh.write("box.su2")  # meshio's su2 writer is broken in this meshio version
gmsh.write("box_gmsh.inp")
gmsh.write("box_gmsh.bdf")
gmsh.finalize()

open("mixed.vtp", "w").write("""<?xml version="1.0"?>
<VTKFile type="PolyData" version="1.0" byte_order="LittleEndian">
<PolyData>
<Piece NumberOfPoints="5" NumberOfVerts="1" NumberOfLines="1" NumberOfStrips="0" NumberOfPolys="2">
<PointData><DataArray type="Float32" Name="p" NumberOfComponents="1" format="ascii">0 1 2 3 4</DataArray></PointData>
<CellData><DataArray type="Int32" Name="id" format="ascii">7 8 9 10</DataArray></CellData>
<Points><DataArray type="Float64" NumberOfComponents="3" format="ascii">
0 0 0 1 0 0 1 1 0 0 1 0 0.5 0.5 1
</DataArray></Points>
<Verts><DataArray type="Int32" Name="connectivity" format="ascii">4</DataArray>
<DataArray type="Int32" Name="offsets" format="ascii">1</DataArray></Verts>
<Lines><DataArray type="Int32" Name="connectivity" format="ascii">0 4</DataArray>
<DataArray type="Int32" Name="offsets" format="ascii">2</DataArray></Lines>
<Polys><DataArray type="Int32" Name="connectivity" format="ascii">0 1 2 3 0 1 4</DataArray>
<DataArray type="Int32" Name="offsets" format="ascii">4 7</DataArray></Polys>
</Piece>
</PolyData>
</VTKFile>
""")

# .pvtu: two pieces written by meshio (one tet each, sharing nothing).
for i in range(2):
    off = np.array([i * 2.0, 0, 0])
    w(f"piece_{i}.vtu", meshio.Mesh(pts[[7, 8, 10, 14]] + off, [("tetra", np.array([[0, 1, 2, 3]]))],
                                    point_data={"U": disp[[7, 8, 10, 14]]}), binary=False)
open("pieces.pvtu", "w").write("""<?xml version="1.0"?>
<VTKFile type="PUnstructuredGrid" version="0.1" byte_order="LittleEndian">
<PUnstructuredGrid GhostLevel="0">
<PPointData><PDataArray type="Float64" Name="U" NumberOfComponents="3"/></PPointData>
<PPoints><PDataArray type="Float64" NumberOfComponents="3"/></PPoints>
<Piece Source="piece_0.vtu"/>
<Piece Source="piece_1.vtu"/>
</PUnstructuredGrid>
</VTKFile>
""")

open("mixed_faces.obj", "w").write("""# a quad and triangles, one with negative (relative) indices
o pyramid
v 0 0 0
v 1 0 0
v 1 1 0
v 0 1 0
v 0.5 0.5 1
f 1 2 3 4
f 1 2 5
f -3 -2 5
""")

# A CalculiX deck: nodes split over an *INCLUDE, sets, material, step, loads (the keywords FLARE reads).
open("deck.inp", "w").write("""** fuzz seed: a small CalculiX deck
*HEADING
 fuzz seed
*NODE, NSET=NALL
1, 0.0, 0.0, 0.0
2, 1.0, 0.0, 0.0
3, 0.0, 1.0, 0.0
4, 0.0, 0.0, 1.0
*INCLUDE, INPUT=deck_nodes.inp
*ELEMENT, TYPE=C3D4, ELSET=EALL
1, 1, 2, 3, 4
2, 2, 5, 3, 4
*ELEMENT, TYPE=S3, ELSET=SKIN
3, 1, 3, 2
*NSET, NSET=FIX
1, 3
*NSET, NSET=GEN, GENERATE
1, 7, 2
*ELSET, ELSET=ALL
EALL, SKIN
*MATERIAL, NAME=STEEL
*ELASTIC
210000.0, 0.3
*DENSITY
7.85E-9
*SOLID SECTION, ELSET=EALL, MATERIAL=STEEL
*BOUNDARY
FIX, 1, 3
2, 2, 2, 0.5
*STEP
*STATIC
*CLOAD
5, 3, -100.0
GEN, 1, 1.5
*DLOAD
EALL, P1, 2.5
*NODE FILE
U
*END STEP
""")
open("deck_nodes.inp", "w").write("""*NODE
5, 1.0, 1.0, 0.0
6, 1.0, 0.0, 1.0
7, 1.0, 1.0, 1.0
""")

# .frd: the hand-checked CalculiX results fixture (nodes, elements, DISP and NDTEMP blocks).
shutil.copy(os.path.join(OUT, "..", "..", "fixtures", "mesh", "results.frd"), "results.frd")
