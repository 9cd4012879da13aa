import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readMesh, writeVtu, type Mesh } from '../../../extension/core/mesh/index';
import { previewPayload } from '../../../extension/host/previewPayload';
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
