// Abaqus/CalculiX decks: keywords, sets, includes, deck data, element table; FRD fixed-width results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { abaqusCellType } from '../../../extension/core/mesh/formats/inp';

const FIX = join(__dirname, '../../fixtures/mesh');
const includes: string[] = [];
function deck(): Mesh {
  const path = join(FIX, 'deck.inp');
  const r = readMesh(new Uint8Array(readFileSync(path)), path, {
    readInclude: (p) => {
      includes.push(p);
      return new Uint8Array(readFileSync(p));
    },
  });
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.mesh;
}

test('nodes (incl. *INCLUDE relative to the deck), elements with continuation lines, lower-case keywords', () => {
  const m = deck();
  assert.equal(includes[0], join(FIX, 'include/more_nodes.inp'));
  assert.deepEqual(Array.from(m.pointIds!), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(m.points.subarray(15, 21)), [2, 0, 0, 2, 1, 0]);
  assert.deepEqual(m.files, [join(FIX, 'deck.inp'), join(FIX, 'include/more_nodes.inp')]);
  assert.deepEqual(Array.from(m.pointFiles!), [0, 0, 0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(m.pointLines!), [5, 6, 7, 8, 9, 3, 4]);
  const tet = m.cells.find((c) => c.type === 'tetra')!;
  assert.deepEqual(Array.from(tet.connectivity), [0, 1, 2, 3, 1, 4, 2, 3]);
  assert.deepEqual(Array.from(tet.ids!), [1, 2]);
  assert.deepEqual(Array.from(tet.lines!), [12, 13]);
  assert.equal(m.cells.find((c) => c.type === 'triangle')!.connectivity.length, 3);
});

test('sets: NSET/ELSET, GENERATE, nested set names, case-insensitive references', () => {
  const m = deck();
  assert.deepEqual(Array.from(m.nodeSets.FIX), [0, 2]);
  assert.deepEqual(Array.from(m.nodeSets.RANGE), [0, 2, 4]);
  assert.deepEqual(Array.from(m.nodeSets.BOTH), [0, 2, 0, 2, 4]);
  assert.equal(m.nodeSets.nall.length, 5);
  assert.deepEqual(Array.from(m.elementSets.Solid), [1, 2]);
  assert.deepEqual(Array.from(m.elementSets.ALLE), [1, 2, 10]);
});

test('deck data: material, sections, boundaries (nset names, ENCASTRE), loads, steps', () => {
  const d = deck().deck!;
  assert.deepEqual(d.materials.map((x) => [x.name, x.youngsModulus, x.poissonRatio, x.density, x.source.line]), [['Steel', 210000, 0.3, 7.85e-9, 25]]);
  assert.deepEqual(d.sections!.map((s) => [s.elset, s.material, s.kind]), [['Solid', 'Steel', 'SOLID']]);
  assert.deepEqual(d.boundaries.map((b) => [b.node, b.firstDof, b.lastDof, b.value, b.source.line]), [
    [0, 1, 3, 0, 34], [2, 1, 3, 0, 34], [1, 2, 2, 0.5, 35], [3, 1, 6, 0, 36],
  ]);
  assert.deepEqual(d.loads.map((l) => [l.node, l.dof, l.value, l.source.line]), [[4, 3, -100, 40], [0, 1, 1.5, 41], [2, 1, 1.5, 41], [4, 1, 1.5, 41]]);
  assert.deepEqual(d.faceLoads.map((f) => [f.element, f.face, f.value]), [[1, 'P1', 2.5], [2, 'P1', 2.5]]);
  assert.deepEqual(d.steps.map((s) => [s.name, s.procedure, s.source.line]), [['Load', 'STATIC', 37]]);
});

test('unknown keywords give an info diagnostic, known output keywords none', () => {
  const path = join(FIX, 'deck.inp');
  const r = readMesh(new Uint8Array(readFileSync(path)), path, { readInclude: (p) => new Uint8Array(readFileSync(p)) });
  const infos = r.diagnostics.filter((d) => d.code === 'inp-unknown-keyword');
  // *SURFACE (line 31) is read now (pressure surfaces for *DSLOAD): every keyword of deck.inp is known.
  assert.deepEqual(infos.map((d) => [d.severity, d.line]), []);
  const other = readMesh(new TextEncoder().encode('*NODE\n1,0,0,0\n*FOO BAR, X=1\n1, 2\n*NODE PRINT\nU\n'), 'a.inp');
  assert.deepEqual(other.diagnostics.filter((d) => d.code === 'inp-unknown-keyword').map((d) => [d.severity, d.line]), [['info', 3]]);
});

test('missing include and undefined set are errors with lines', () => {
  const src = '*NODE\n1,0,0,0\n*INCLUDE, INPUT=nowhere.inp\n*BOUNDARY\nNOPE, 1, 3\n';
  const r = readMesh(new TextEncoder().encode(src), '/x/a.inp', { readInclude: () => undefined });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.line]), [['inp-include-missing', 3], ['inp-unknown-set', 5]]);
});

test('element type table: solids, shells, plane, axisymmetric, beams, trusses and variants', () => {
  const table: Record<string, string> = {
    C3D4: 'tetra', C3D4H: 'tetra', C3D10: 'tetra10', C3D10M: 'tetra10', C3D10MH: 'tetra10', C3D10I: 'tetra10', C3D8: 'hexahedron', C3D8R: 'hexahedron', C3D8I: 'hexahedron',
    C3D8RH: 'hexahedron', C3D20: 'hexahedron20', C3D20R: 'hexahedron20', C3D20RH: 'hexahedron20', C3D6: 'wedge', C3D15: 'wedge15', C3D5: 'pyramid',
    CPS3: 'triangle', CPS6: 'triangle6', CPS4: 'quad', CPS4R: 'quad', CPS8: 'quad8', CPS8R: 'quad8', CPE3: 'triangle', CPE4: 'quad', CPE4H: 'quad', CPE6: 'triangle6', CPE8R: 'quad8',
    CAX3: 'triangle', CAX4: 'quad', CAX6: 'triangle6', CAX8R: 'quad8', S3: 'triangle', S3R: 'triangle', S4: 'quad', S4R: 'quad', S6: 'triangle6', S8R: 'quad8', S8R5: 'quad8', S9R5: 'quad9',
    B31: 'line', B31H: 'line', B32: 'line3', B21: 'line', B22: 'line3', T3D2: 'line', T3D3: 'line3', T2D2: 'line', DC3D10: 'tetra10', DC3D8: 'hexahedron', c3d10: 'tetra10',
  };
  for (const [k, v] of Object.entries(table)) assert.equal(abaqusCellType(k), v, k);
  for (const bad of ['C3D7', 'XYZ', 'S5', '']) assert.equal(abaqusCellType(bad), undefined, bad);
});

test('C3D20 / C3D10 node order equals VTK: mid-side nodes are edge midpoints after reading', () => {
  // unit hex with Abaqus-numbered mid-side nodes
  const corners = [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 1, 1]];
  const edges = [[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4], [0, 4], [1, 5], [2, 6], [3, 7]]; // Abaqus 9-20
  const pts = [...corners, ...edges.map(([a, b]) => corners[a].map((v, k) => (v + corners[b][k]) / 2))];
  const src = `*NODE\n${pts.map((p, i) => `${i + 1}, ${p.join(', ')}`).join('\n')}\n*ELEMENT, TYPE=C3D20R\n1, ${pts.slice(0, 15).map((_, i) => i + 1).join(', ')},\n${pts.slice(15).map((_, i) => i + 16).join(', ')}\n`;
  const m = readMesh(new TextEncoder().encode(src), 'h.inp').mesh!;
  const c = m.cells[0].connectivity;
  // VTK_QUADRATIC_HEXAHEDRON: 8..11 bottom edges, 12..15 top edges, 16..19 vertical edges
  const vtkEdges = [[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4], [0, 4], [1, 5], [2, 6], [3, 7]];
  vtkEdges.forEach(([a, b], k) => {
    for (let d = 0; d < 3; d++) assert.equal(m.points[c[8 + k] * 3 + d], (m.points[c[a] * 3 + d] + m.points[c[b] * 3 + d]) / 2);
  });
});

test('frd: touching fixed-width numbers, DISP has 3 stored components (ALL is computed), NDTEMP', () => {
  const path = join(FIX, 'results.frd');
  const r = readMesh(new Uint8Array(readFileSync(path)), path);
  assert.deepEqual(r.diagnostics, []);
  const m = r.mesh!;
  const disp = m.pointData.find((a) => a.name === 'DISP')!;
  assert.equal(disp.components, 3);
  assert.deepEqual(Array.from(disp.values), [-1, -0.25, 300, 0, 0, 0, 1e-3, -1e-3, 1e-3]);
  const t = m.pointData.find((a) => a.name === 'NDTEMP')!;
  assert.deepEqual(Array.from(t.values), [20, 21, 22]);
  assert.deepEqual(Array.from(m.cells[0].connectivity), [0, 1, 2]);
});

test('diagnostics for elements in an *INCLUDEd file point at that file and its line', () => {
  const files: Record<string, string> = {
    '/m/main.inp': '*NODE\n1,0,0,0\n2,1,0,0\n3,0,1,0\n4,0,0,1\n*INCLUDE, INPUT=sub/elems.inp\n*ELEMENT, TYPE=C3D4\n9, 1, 2, 3, 4\n',
    '/m/sub/elems.inp': '** elements\n*ELEMENT, TYPE=C3D4\n1, 1, 2, 3, 4\n2, 1, 2, 3, 77\n3, 1, 3, 2, 4\n',
  };
  const r = readMesh(new TextEncoder().encode(files['/m/main.inp']), '/m/main.inp', { readInclude: (p) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) });
  const oob = r.diagnostics.find((d) => d.code === 'index-out-of-range')!;
  assert.deepEqual([oob.file, oob.line], ['/m/sub/elems.inp', 4]);
  const inv = r.diagnostics.find((d) => d.code === 'inverted-element')!;
  assert.deepEqual([inv.file, inv.line], ['/m/sub/elems.inp', 5]);
  const tet = r.mesh!.cells[0];
  assert.deepEqual(Array.from(tet.ids!), [1, 3, 9]);
  assert.deepEqual(Array.from(tet.fileIndex!), [1, 1, 0]);
  assert.deepEqual(r.mesh!.files, ['/m/main.inp', '/m/sub/elems.inp']);
});
