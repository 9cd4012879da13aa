// Abaqus assemblies: *Part bodies placed by *Instance (translation, rotation), flattened into one
// mesh with 'instance.set' names and per-instance ids kept for diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { instanceLabel } from '../../../extension/core/mesh/formats/inp';
import { deckQuantities } from '../../../extension/core/model/features';

const FIX = join(__dirname, '../../fixtures/decks');

function read(name: string): Mesh {
  const path = join(FIX, name);
  const r = readMesh(new Uint8Array(readFileSync(path)), path);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), []);
  assert.ok(r.mesh);
  return r.mesh;
}

const xyz = (m: Mesh, id: number): number[] => {
  const i = Array.from(m.pointIds!).indexOf(id);
  return Array.from(m.points.subarray(i * 3, i * 3 + 3)).map((v) => Math.round(v * 1e12) / 1e12);
};

test('two instances of one part: ids offset per instance, the second translated then rotated', () => {
  const m = read('assembly-two-instances.inp');
  assert.equal(m.points.length / 3, 24);
  assert.deepEqual(m.deck?.instances?.map((i) => [i.name, i.part, i.nodeOffset, i.elementOffset, i.nodes]), [['A', 'Bar', 0, 0, 12], ['B', 'Bar', 12, 2, 12]]);
  assert.deepEqual(xyz(m, 2), [1, 0, 0]);
  // B.2 = (1,0,0) + (0,0,5), then 90° about z through the origin: (0,1,5).
  assert.deepEqual(xyz(m, 14), [0, 1, 5]);
  assert.deepEqual(xyz(m, 24), [-1, 2, 6]);
  assert.deepEqual(m.cells.map((c) => [c.type, Array.from(c.ids!)]), [['hexahedron', [1, 2, 3, 4]]]);
  assert.deepEqual(Object.keys(m.nodeSets).sort(), ['A.Root', 'A.End', 'B.Root', 'B.End', 'Corner'].sort());
  assert.deepEqual(Array.from(m.elementSets['B.All']), [3, 4]);
  assert.equal(instanceLabel(m.deck?.instances, 14, 'node'), 'B.2');
  assert.equal(instanceLabel(m.deck?.instances, 4, 'element'), 'B.2');
  assert.equal(instanceLabel(m.deck?.instances, 7, 'node'), 'A.7');
  // Sections refer to each instance's element set.
  assert.deepEqual(m.deck?.sections?.map((s) => s.elset), ['A.All', 'B.All']);
});

test('loads and supports on I.set, I.node, assembly sets and an assembly surface', () => {
  const m = read('assembly-two-instances.inp');
  const d = m.deck!;
  const ids = Array.from(m.pointIds!);
  assert.equal(d.boundaries.length, 8);
  assert.deepEqual([...new Set(d.boundaries.map((b) => ids[b.node]))].sort((a, b) => a - b), [1, 4, 7, 10, 13, 16, 19, 22]);
  assert.deepEqual(d.loads.map((l) => [ids[l.node], l.dof, l.value]), [[3, 2, -10], [6, 2, -10], [9, 2, -10], [12, 2, -10], [12, 3, 1.5], [18, 1, 5]]);
  assert.deepEqual(d.faceLoads.map((f) => [f.element, f.face, f.value]), [[4, 'P4', 2]]);
  const q = deckQuantities(m);
  assert.ok(q.ok, q.ok ? '' : q.error);
  // Face S4 of B's element 2 is the part's x = 2 end (area 1, outward +x); rotated 90° about z it faces +y, so pressure 2 pushes -y.
  let fx = 0, fy = 0, fz = 0;
  for (const l of q.value.pressureLoads ?? []) { if (l.dof === 1) fx += l.value; else if (l.dof === 2) fy += l.value; else fz += l.value; }
  assert.deepEqual([fx, fy, fz].map((v) => Math.round(v * 1e12) / 1e12 + 0), [0, -2, 0]);
});

test('mesh inside the *Instance, assembly sets with instance=, element I.1 in *DLOAD', () => {
  const m = read('assembly-instance-mesh.inp');
  assert.deepEqual(Object.keys(m.nodeSets).sort(), ['P1.Left', 'Right']);
  assert.deepEqual(m.deck?.sections?.map((s) => [s.elset, s.thickness]), [['P1.Body', 2]]);
  const q = deckQuantities(m);
  assert.ok(q.ok, q.ok ? '' : q.error);
  assert.equal(q.value.thickness, 2);
  // P2 is edge 2-3 (x = 10, length 5), pressure 3, t = 2: 30 along -x; plus 2 × 50 along +x.
  let fx = 0;
  for (let i = 0; i < q.value.n; i++) fx += q.value.force[i * 3];
  assert.ok(Math.abs(fx - 70) < 1e-12, String(fx));
  assert.deepEqual(Array.from(q.value.fixed), [1, 0, 0, 1]);
});

// Part P is never placed (the instance names an undefined part Q), so the deck has no nodes at all.
test('undefined instance, part and instance node are errors at their lines, named as written', () => {
  const text = '*Part, name=P\n*Node\n1, 0, 0, 0\n*End Part\n*Assembly\n*Instance, name=I, part=Q\n*End Instance\n*Nset, nset=S, instance=J\n1\n*End Assembly\n*Boundary\nI.7, 1, 3\n';
  const r = readMesh(new TextEncoder().encode(text), 'a.inp');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line]), [['inp-unknown-part', 6], ['inp-unknown-instance', 8], ['inp-unknown-node', 8], ['inp-unknown-node', 12], ['no-points', 1]]);
  assert.match(r.diagnostics.find((d) => d.code === 'inp-unknown-node' && d.line === 12)!.message, /I\.7/);
});

test('parts without any *Instance are read where they stand (ccx ignores *PART)', () => {
  const r = readMesh(new TextEncoder().encode('*Part, name=P\n*Node\n1, 0, 0, 0\n2, 1, 0, 0\n*Element, type=T3D2, elset=E\n1, 1, 2\n*End Part\n'), 'a.inp');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(Array.from(r.mesh!.pointIds!), [1, 2]);
  assert.deepEqual(Object.keys(r.mesh!.elementSets), ['E']);
});
