// Format features the gmsh/meshio corpus does not produce: legacy VTK structured datasets and FIELD
// data, .pvtu pieces, big-endian PLY, Nastran free/small-field cards, OFF comments, OBJ relative indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMesh, writeVtu, type Mesh } from '../../../extension/core/mesh/index';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
function ok(bytes: Uint8Array, name: string, include?: (p: string) => Uint8Array | undefined): Mesh {
  const r = readMesh(bytes, name, include ? { readInclude: include } : {});
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.mesh;
}

test('legacy VTK STRUCTURED_POINTS → hexahedra in VTK i-fastest order, with SCALARS', () => {
  const m = ok(enc('# vtk DataFile Version 3.0\nsp\nASCII\nDATASET STRUCTURED_POINTS\nDIMENSIONS 3 2 2\nORIGIN 1 0 0\nSPACING 0.5 1 2\nPOINT_DATA 12\nSCALARS t float\nLOOKUP_TABLE default\n0 1 2 3 4 5 6 7 8 9 10 11\n'), 'a.vtk');
  assert.equal(m.points.length, 36);
  assert.deepEqual(Array.from(m.points.subarray(3, 6)), [1.5, 0, 0]);
  assert.deepEqual(Array.from(m.points.subarray(33, 36)), [2, 1, 2]);
  assert.equal(m.cells[0].type, 'hexahedron');
  assert.deepEqual(Array.from(m.cells[0].connectivity.subarray(0, 8)), [0, 1, 4, 3, 6, 7, 10, 9]);
  assert.deepEqual(Array.from(m.pointData[0].values), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
});

test('legacy VTK RECTILINEAR_GRID (2D → quads) and STRUCTURED_GRID with FIELD data', () => {
  const r = ok(enc('# vtk DataFile Version 3.0\nr\nASCII\nDATASET RECTILINEAR_GRID\nDIMENSIONS 3 2 1\nX_COORDINATES 3 float\n0 1 3\nY_COORDINATES 2 float\n0 2\nZ_COORDINATES 1 float\n5\nCELL_DATA 2\nFIELD f 2\nmat 1 2 int\n7 8\nvec 3 2 double\n1 2 3 4 5 6\n'), 'r.vtk');
  assert.deepEqual(r.cells.map((c) => [c.type, Array.from(c.connectivity)]), [['quad', [0, 1, 4, 3, 1, 2, 5, 4]]]);
  assert.deepEqual(Array.from(r.points.subarray(15, 18)), [3, 2, 5]);
  assert.deepEqual(r.cellData[0].map((a) => [a.name, a.components, Array.from(a.values)]), [['mat', 1, [7, 8]], ['vec', 3, [1, 2, 3, 4, 5, 6]]]);
  const s = ok(enc('# vtk DataFile Version 3.0\ns\nASCII\nDATASET STRUCTURED_GRID\nDIMENSIONS 2 1 1\nPOINTS 2 float\n0 0 0 1 1 1\nPOINT_DATA 2\nVECTORS v double\n1 0 0 0 1 0\n'), 's.vtk');
  assert.deepEqual(s.cells.map((c) => [c.type, Array.from(c.connectivity)]), [['line', [0, 1]]]);
  assert.equal(s.pointData[0].components, 3);
});

test('legacy VTK POLYDATA: polygons of 3, 4 and 5 nodes, lines and vertices', () => {
  const m = ok(enc('# vtk DataFile Version 3.0\np\nASCII\nDATASET POLYDATA\nPOINTS 6 float\n0 0 0 1 0 0 1 1 0 0 1 0 2 0 0 2 1 0\nVERTICES 1 2\n1 5\nLINES 1 3\n2 0 4\nPOLYGONS 3 15\n3 0 1 2\n4 0 1 2 3\n5 0 4 5 2 3\n'), 'p.vtk');
  const byType = Object.fromEntries(m.cells.map((c) => [c.type, Array.from(c.connectivity)]));
  assert.deepEqual(byType, { vertex: [5], line: [0, 4], triangle: [0, 1, 2], quad: [0, 1, 2, 3], polygon: [0, 4, 5, 2, 3] });
  assert.deepEqual(Array.from(m.cells.find((c) => c.type === 'polygon')!.offsets!), [5]);
});

test('.pvtu reads and merges its pieces (offsetting point indices)', () => {
  const piece = (x0: number): Mesh => ({ points: Float64Array.from([x0, 0, 0, x0 + 1, 0, 0, x0, 1, 0]), dimension: 3, cells: [{ type: 'triangle', connectivity: Int32Array.from([0, 1, 2]) }], pointData: [{ name: 'p', components: 1, values: Float64Array.from([x0, x0, x0]) }], cellData: [[]], nodeSets: {}, elementSets: {}, source: { file: '', format: '' } });
  const files: Record<string, Uint8Array> = { '/d/p0.vtu': writeVtu(piece(0)), '/d/p1.vtu': writeVtu(piece(5), { compress: true }) };
  const pvtu = '<?xml version="1.0"?>\n<VTKFile type="PUnstructuredGrid" version="1.0">\n<PUnstructuredGrid GhostLevel="0">\n<PPoints><PDataArray type="Float64" NumberOfComponents="3"/></PPoints>\n<Piece Source="p0.vtu"/>\n<Piece Source="p1.vtu"/>\n</PUnstructuredGrid>\n</VTKFile>\n';
  const m = ok(enc(pvtu), '/d/all.pvtu', (p) => files[p]);
  assert.equal(m.points.length, 18);
  assert.deepEqual(Array.from(m.cells[0].connectivity), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(Array.from(m.pointData[0].values), [0, 0, 0, 5, 5, 5]);
  const missing = readMesh(enc(pvtu), '/d/all.pvtu', { readInclude: () => undefined });
  assert.equal(missing.diagnostics[0].code, 'pvtu-piece-missing');
});

test('PLY binary big-endian with an extra vertex property', () => {
  const head = 'ply\nformat binary_big_endian 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nproperty double temp\nelement face 1\nproperty list uchar int vertex_indices\nend_header\n';
  const body = new DataView(new ArrayBuffer(3 * 20 + 1 + 12));
  [[0, 0, 0, 1.5], [1, 0, 0, 2.5], [0, 1, 0, 3.5]].forEach(([x, y, z, t], i) => {
    body.setFloat32(i * 20, x, false);
    body.setFloat32(i * 20 + 4, y, false);
    body.setFloat32(i * 20 + 8, z, false);
    body.setFloat64(i * 20 + 12, t, false);
  });
  body.setUint8(60, 3);
  [0, 1, 2].forEach((v, k) => body.setInt32(61 + k * 4, v, false));
  const bytes = new Uint8Array(head.length + body.byteLength);
  bytes.set(enc(head));
  bytes.set(new Uint8Array(body.buffer), head.length);
  const m = ok(bytes, 'be.ply');
  assert.deepEqual(Array.from(m.points), [0, 0, 0, 1, 0, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(m.cells[0].connectivity), [0, 1, 2]);
  assert.deepEqual(m.pointData.map((a) => [a.name, Array.from(a.values)]), [['temp', [1.5, 2.5, 3.5]]]);
});

test('Nastran free field, small field with continuation, exponent shorthand, CHEXA20 reordered to VTK', () => {
  const src = [
    '$ comment',
    'BEGIN BULK',
    'GRID,1,,0.0,0.0,0.0',
    'GRID,2,,1.0-1,0.,0.',
    'GRID    3               0.      1.+0    0.',
    'GRID,4,,0.,0.,1.5E+0',
    'CTETRA,10,1,1,2,3,4',
    'CTRIA3  11      1       1       2       3',
    'ENDDATA',
  ].join('\n');
  const m = ok(enc(src), 'a.bdf');
  assert.deepEqual(Array.from(m.points), [0, 0, 0, 0.1, 0, 0, 0, 1, 0, 0, 0, 1.5]);
  assert.deepEqual(m.cells.map((c) => [c.type, Array.from(c.connectivity), Array.from(c.ids!)]), [['tetra', [0, 1, 2, 3], [10]], ['triangle', [0, 1, 2], [11]]]);
  // CHEXA with 20 nodes over continuation lines (Nastran puts vertical mid-edges at 13-16)
  const grids = Array.from({ length: 20 }, (_, i) => `GRID,${i + 1},,${i},0.,0.`);
  const chexa = ['CHEXA   1       1       1       2       3       4       5       6       +A', '+A      7       8       9       10      11      12      13      14      +B', '+B      15      16      17      18      19      20'];
  // (points on a line: the element is degenerate, which is not what this test is about)
  const h = readMesh(enc([...grids, ...chexa].join('\n')), 'h.nas', { checks: false }).mesh!;
  assert.deepEqual(Array.from(h.cells[0].connectivity), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 12, 13, 14, 15]);
});

test('OFF with comments, OBJ with relative indices and v/vt/vn faces', () => {
  const off = ok(enc('OFF\n# a comment\n4 2 0\n0 0 0\n1 0 0\n1 1 0\n0 1 0\n3 0 1 2\n4 0 1 2 3\n'), 'a.off');
  assert.deepEqual(off.cells.map((c) => c.type), ['triangle', 'quad']);
  const obj = ok(enc('# x\nv 0 0 0\nv 1 0 0\nv 0 1 0\nvn 0 0 1\nf 1//1 2//1 3//1\nf -3 -2 -1\n'), 'a.obj');
  assert.deepEqual(Array.from(obj.cells[0].connectivity), [0, 1, 2, 0, 1, 2]);
});

test('.vtp PolyData (ascii): Verts, Lines and Polys in that order, with cell data following it', () => {
  const vtp = `<?xml version="1.0"?>
<VTKFile type="PolyData" version="0.1" byte_order="LittleEndian">
  <PolyData>
    <Piece NumberOfPoints="4" NumberOfVerts="1" NumberOfLines="1" NumberOfStrips="0" NumberOfPolys="2">
      <Points><DataArray type="Float32" NumberOfComponents="3" format="ascii">0 0 0 1 0 0 1 1 0 0 1 0</DataArray></Points>
      <CellData><DataArray type="Int32" Name="id" format="ascii">10 20 30 40</DataArray></CellData>
      <Verts><DataArray type="Int32" Name="connectivity" format="ascii">3</DataArray><DataArray type="Int32" Name="offsets" format="ascii">1</DataArray></Verts>
      <Lines><DataArray type="Int32" Name="connectivity" format="ascii">0 2</DataArray><DataArray type="Int32" Name="offsets" format="ascii">2</DataArray></Lines>
      <Polys><DataArray type="Int64" Name="connectivity" format="ascii">0 1 2 0 1 2 3</DataArray><DataArray type="Int64" Name="offsets" format="ascii">3 7</DataArray></Polys>
    </Piece>
  </PolyData>
</VTKFile>
`;
  const m = ok(enc(vtp), 'a.vtp');
  const by = Object.fromEntries(m.cells.map((c, i) => [c.type, [Array.from(c.connectivity), Array.from(m.cellData[i][0].values)]]));
  assert.deepEqual(by, { vertex: [[3], [10]], line: [[0, 2], [20]], triangle: [[0, 1, 2], [30]], quad: [[0, 1, 2, 3], [40]] });
  assert.equal(m.source.format, 'vtp');
});
