// Bad input never throws: each malformed fixture gives a diagnostic with the right code and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMesh, type ReadResult } from '../../../extension/core/mesh/index';

const FIX = join(__dirname, '../../fixtures/mesh');
function read(name: string): ReadResult {
  const path = join(FIX, name);
  return readMesh(new Uint8Array(readFileSync(path)), path, { readInclude: (p) => (existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined) });
}
function find(r: ReadResult, code: string) {
  const d = r.diagnostics.find((x) => x.code === code);
  assert.ok(d, `expected diagnostic ${code}, got ${JSON.stringify(r.diagnostics)}`);
  return d;
}

const cases: [file: string, code: string, line: number, meshRead: boolean][] = [
  ['truncated_nodes.msh', 'count-mismatch', 8, false],
  ['count_mismatch.msh', 'count-mismatch', 12, false],
  ['nan_coordinate.inp', 'non-finite-coordinate', 3, true],
  ['unknown_element.inp', 'inp-unknown-element', 5, true],
  ['undefined_node.inp', 'index-out-of-range', 8, true],
  ['bad_number.inp', 'bad-number', 3, false],
  ['out_of_range.vtk', 'index-out-of-range', 11, true],
  ['truncated_points.vtk', 'vtk-truncated', 8, false],
  ['truncated.vtu', 'xml-truncated', 11, false],
  ['inverted.inp', 'inverted-element', 11, true],
  ['inverted.inp', 'degenerate-element', 12, true],
  ['inverted.inp', 'duplicate-node-id', 14, true],
];
for (const [file, code, line, meshRead] of cases) {
  test(`${file}: ${code} at line ${line}`, () => {
    const r = read(file);
    const d = find(r, code);
    assert.equal(d.line, line);
    assert.ok(d.file.endsWith(file));
    assert.equal(!!r.mesh, meshRead, meshRead ? 'the readable part is returned' : 'no mesh for an unreadable file');
  });
}

test('unknown element type: the known elements are still read', () => {
  const r = read('unknown_element.inp');
  assert.deepEqual(r.mesh!.cells.map((c) => c.type), ['triangle']);
});

test('out-of-range cells are dropped, the rest kept', () => {
  const r = read('out_of_range.vtk');
  assert.equal(r.mesh!.cells[0].connectivity.length, 3);
  const u = read('undefined_node.inp');
  assert.deepEqual(Array.from(u.mesh!.cells[0].ids!), [1]);
});

test('column is reported for a bad number', () => {
  const d = find(read('bad_number.inp'), 'bad-number');
  assert.equal(d.column, 7);
});

test('garbage, empty and wrong-extension input never throws', () => {
  const junk = new Uint8Array(4096);
  for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 251;
  for (const name of ['a.inp', 'a.msh', 'a.vtu', 'a.vtk', 'a.frd', 'a.stl', 'a.obj', 'a.off', 'a.ply', 'a.su2', 'a.bdf', 'a.pvtu', 'a.xyz']) {
    for (const bytes of [junk, new Uint8Array(0), new TextEncoder().encode('*NODE\n1,')]) {
      const r = readMesh(bytes, name);
      assert.ok(Array.isArray(r.diagnostics), name);
      if (!r.mesh) assert.ok(r.diagnostics.some((d) => d.severity === 'error'), `${name}: an error explains the missing mesh`);
    }
  }
  assert.equal(readMesh(junk, 'a.xyz').diagnostics[0].code, 'unknown-format');
});

test('every prefix of a valid file is handled without throwing', () => {
  const bytes = readFileSync(join(FIX, 'deck.inp'));
  for (let n = 0; n < bytes.length; n += 7) readMesh(new Uint8Array(bytes.subarray(0, n)), 'deck.inp');
  const frd = readFileSync(join(FIX, 'results.frd'));
  for (let n = 0; n < frd.length; n += 11) readMesh(new Uint8Array(frd.subarray(0, n)), 'r.frd');
});

test('cancellation is a diagnostic, not an exception', () => {
  const ac = new AbortController();
  ac.abort();
  const r = readMesh(new Uint8Array(readFileSync(join(FIX, 'deck.inp'))), 'deck.inp', { signal: ac.signal });
  assert.equal(r.mesh, undefined);
  assert.equal(r.diagnostics[0].code, 'cancelled');
});

test('maxPoints refuses big meshes', () => {
  const r = readMesh(new Uint8Array(readFileSync(join(FIX, 'deck.inp'))), join(FIX, 'deck.inp'), { maxPoints: 3, readInclude: (p) => new Uint8Array(readFileSync(p)) });
  assert.equal(r.mesh, undefined);
  assert.equal(r.diagnostics.at(-1)!.code, 'too-many-points');
});

test('a runaway *NSET GENERATE range is refused with its line, not allocated', () => {
  const r = readMesh(new TextEncoder().encode('*NODE\n1,0,0,0\n*NSET, NSET=A, GENERATE\n1, 2000000000, 1\n'), 'g.inp');
  const d = r.diagnostics.find((x) => x.code === 'inp-bad-generate')!;
  assert.equal(d.line, 4);
  assert.equal(r.mesh!.nodeSets.A.length, 0);
});

test('absurd header counts are refused with a diagnostic, not a giant allocation', () => {
  const cases: [string, string, string][] = [
    ['a.msh', '$MeshFormat\n4.1 0 8\n$EndMeshFormat\n$Nodes\n1 900000000000 1 900000000000\n', 'count-mismatch'],
    ['a.msh', '$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n999999999999\n1 0 0 0\n$EndNodes\n', 'count-mismatch'],
    ['a.vtk', '# vtk DataFile Version 4.2\nx\nASCII\nDATASET UNSTRUCTURED_GRID\nPOINTS 999999999999 double\n0 0 0\n', 'vtk-truncated'],
  ];
  for (const [name, text, code] of cases) {
    const r = readMesh(new TextEncoder().encode(text), name);
    assert.equal(r.mesh, undefined);
    assert.equal(r.diagnostics[0].code, code, JSON.stringify(r.diagnostics));
    assert.ok(r.diagnostics[0].line > 1);
  }
});
