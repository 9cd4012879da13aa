import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh, writeVtu, type Mesh } from '../../../extension/core/mesh/index';
import { previewPayload } from '../../../extension/host/previewPayload';
import { messageBytes } from '../../../extension/host/previewTraffic';
import { parseHostToWebview } from '../../../extension/core/protocol/messages';

// Two hexahedra side by side (12 nodes) and one triangle block, written and read back by the real VTU code.
const mesh: Mesh = {
  points: Float64Array.from([0, 0, 0, 1, 0, 0, 2, 0, 0, 0, 1, 0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 1, 0, 1, 2, 0, 1, 0, 1, 1, 1, 1, 1, 2, 1, 1]),
  dimension: 3,
  cells: [
    { type: 'hexahedron', connectivity: Int32Array.from([0, 1, 4, 3, 6, 7, 10, 9, 1, 2, 5, 4, 7, 8, 11, 10]) },
  ],
  pointData: [{ name: 'U', components: 3, values: new Float64Array(36).map((_, i) => i) }],
  cellData: [[{ name: 'S', components: 6, values: new Float64Array(12).map((_, i) => i * 10) }]],
  nodeSets: {}, elementSets: {}, source: { file: 'two.vtu', format: 'vtu' },
};

test('preview payload: boundary surface of a volume mesh and float32 fields, valid protocol messages', () => {
  const r = readMesh(writeVtu(mesh), 'two.vtu');
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  const p = previewPayload(r.mesh, 3);
  const s = p.surface;
  assert.equal(s.volumePoints, 12);
  assert.equal(s.cells, 2);
  assert.equal(s.nodeMap.length, 12, 'every node of two hexahedra is on the boundary');
  assert.equal(s.triangles.length / 3, 20, 'the shared face is interior: 10 quads, 20 triangles');
  assert.equal(s.triangleCell.length, 20);
  for (let i = 0; i < s.nodeMap.length; i++) {
    for (let k = 0; k < 3; k++) assert.equal(s.points[i * 3 + k], mesh.points[s.nodeMap[i] * 3 + k]);
  }
  assert.deepEqual(p.fields.map((f) => [f.name, f.components, f.association, f.values.length]), [['U', 3, 'point', 36], ['S', 6, 'cell', 12]]);
  assert.ok(p.fields[0].values instanceof Float32Array);
  assert.equal(parseHostToWebview(s)?.type, 'surface');
  for (const f of p.fields) assert.equal(parseHostToWebview(f)?.type, 'fields');
});

test('preview payload: cell arrays missing from a block are NaN there; name clashes with point arrays are kept apart', () => {
  const m: Mesh = {
    ...mesh,
    cells: [...mesh.cells, { type: 'triangle', connectivity: Int32Array.from([0, 1, 3]) }],
    pointData: [{ name: 'S', components: 1, values: new Float64Array(12) }],
    cellData: [mesh.cellData[0], []],
  };
  const f = previewPayload(m, 0).fields;
  assert.deepEqual(f.map((x) => x.name), ['S', 'S (cells)']);
  assert.equal(f[1].values.length, 18);
  assert.ok(Number.isNaN(f[1].values[12]));
  assert.equal(f[1].values[6], 60);
});

test('preview payload: the mesh goes as plain typed arrays over buffers of their own (VS Code posts a view\'s whole buffer)', () => {
  const file = path.resolve(__dirname, '../../../examples/plate2d/plate-01.inp');
  const r = readMesh(fs.readFileSync(file), file);
  assert.ok(r.mesh);
  const p = previewPayload(r.mesh, 1);
  const arrays = [...Object.entries(p.surface), ...p.fields.map((f) => [f.name, f.values] as const)].filter(([, v]) => ArrayBuffer.isView(v));
  assert.deepEqual(arrays.map(([k]) => k), ['points', 'triangles', 'nodeMap', 'triangleCell', 'nodeIds']);
  for (const [k, v] of arrays) {
    const a = v as Float32Array | Uint32Array | Int32Array;
    assert.ok(['Float32Array', 'Uint32Array', 'Int32Array'].includes(a.constructor.name), `${k}: ${a.constructor.name}`);
    assert.equal(a.buffer.byteLength, a.byteLength, `${k}: ${a.byteLength} bytes over a ${a.buffer.byteLength}-byte buffer`);
  }
  // 4,876 nodes: the boundary's points, triangles and maps plus the node ids, about 250 kB.
  assert.ok(messageBytes(p.surface) < 250_000, `${messageBytes(p.surface)} bytes`);
});
