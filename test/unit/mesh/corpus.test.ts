// Our readers against meshio's view of files written by gmsh, meshio and ccx (tools nobody here wrote).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { CORPUS, loadCorpus, readFile, type CorpusCase } from './corpus-helpers';

const corpus = loadCorpus();

function close(a: number, b: number, tol = 1e-9): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));
}

function byType(mesh: Mesh): Map<string, { conn: number[]; blocks: number[] }> {
  const m = new Map<string, { conn: number[]; blocks: number[] }>();
  mesh.cells.forEach((b, i) => {
    let g = m.get(b.type);
    if (!g) m.set(b.type, (g = { conn: [], blocks: [] }));
    for (const v of b.connectivity) g.conn.push(v);
    g.blocks.push(i);
  });
  return m;
}

function compare(c: CorpusCase, mesh: Mesh): void {
  const e = c.expect;
  const d = mesh.dimension;
  const np = mesh.points.length / d;
  assert.equal(np, e.points, 'number of points');
  const ed = e.pointDim ?? 3;
  for (let i = 0; i < np; i++) {
    for (let k = 0; k < Math.max(d, ed); k++) {
      const ours = k < d ? mesh.points[i * d + k] : 0;
      const theirs = k < ed ? e.coords[i * ed + k] : 0;
      if (!close(ours, theirs, 1e-12)) assert.fail(`point ${i} coordinate ${k}: ours ${ours}, meshio ${theirs}`);
    }
  }
  if (e.counts) {
    const ours = byType(mesh);
    const oursCounts = Object.fromEntries([...ours].map(([t, g]) => [t, g.conn.length / (t === 'polygon' ? 1 : g.conn.length / g.blocks.reduce((s, b) => s + cellsIn(mesh, b), 0) || 1)]));
    const counts: Record<string, number> = {};
    for (const [t, g] of ours) counts[t] = g.blocks.reduce((s, b) => s + cellsIn(mesh, b), 0);
    void oursCounts;
    assert.deepEqual(counts, e.counts, 'cells per type');
    for (const [t, conn] of Object.entries(e.cells ?? {})) {
      const g = ours.get(t)!;
      assert.equal(g.conn.length, conn.length, `${t} connectivity length`);
      for (let j = 0; j < conn.length; j++) if (g.conn[j] !== conn[j]) assert.fail(`${t} connectivity differs at ${j} (cell ${Math.floor(j / (conn.length / e.counts[t]))}): ours ${g.conn[j]}, meshio ${conn[j]}`);
    }
  }
  for (const pd of e.pointData ?? []) {
    const ours = mesh.pointData.find((a) => a.name === pd.name);
    if (!ours) {
      if (pd.name.startsWith('gmsh:')) continue; // meshio-only bookkeeping
      assert.fail(`point data '${pd.name}' missing`);
    }
    assert.equal(ours.components, pd.components, `${pd.name} components`);
    for (let j = 0; j < pd.values.length; j++) if (!close(ours.values[j], pd.values[j], 1e-6)) assert.fail(`point data ${pd.name}[${j}]: ours ${ours.values[j]}, meshio ${pd.values[j]}`);
  }
  const ours = byType(mesh);
  for (const cd of e.cellData ?? []) {
    const g = ours.get(cd.type);
    assert.ok(g, `cell data ${cd.name} for missing type ${cd.type}`);
    const vals: number[] = [];
    let found = true;
    for (const b of g.blocks) {
      const a = mesh.cellData[b]?.find((x) => x.name === cd.name);
      if (!a) found = false;
      else for (const v of a.values) vals.push(v);
    }
    if (!found) {
      if (cd.name.startsWith('gmsh:') || cd.name.startsWith('obj:')) continue; // meshio bookkeeping
      assert.fail(`cell data '${cd.name}' on ${cd.type} missing`);
    }
    assert.equal(vals.length, cd.values.length, `cell data ${cd.name} length`);
    for (let j = 0; j < vals.length; j++) if (!close(vals[j], cd.values[j], 1e-6)) assert.fail(`cell data ${cd.name}[${j}] on ${cd.type}: ours ${vals[j]}, meshio ${cd.values[j]}`);
  }
}

function cellsIn(mesh: Mesh, b: number): number {
  const block = mesh.cells[b];
  if (block.offsets) return block.offsets.length;
  const n = ({ vertex: 1, line: 2, line3: 3, triangle: 3, triangle6: 6, quad: 4, quad8: 8, quad9: 9, tetra: 4, tetra10: 10, hexahedron: 8, hexahedron20: 20, hexahedron27: 27, wedge: 6, wedge15: 15, pyramid: 5, pyramid13: 13 } as Record<string, number>)[block.type];
  return block.connectivity.length / n;
}

test('corpus exists and covers the formats', () => {
  const exts = new Set(corpus.cases.map((c) => c.file.split('.').pop()));
  for (const e of ['msh', 'inp', 'vtu', 'vtk', 'su2', 'bdf', 'stl', 'ply', 'obj', 'off', 'frd']) assert.ok(exts.has(e), `corpus has .${e} files`);
  assert.ok(corpus.cases.length > 100);
});

for (const c of corpus.cases) {
  test(`${c.file} (${c.note})`, () => {
    const path = join(CORPUS, c.file);
    assert.ok(existsSync(path), `corpus file ${path}`);
    const res = readMesh(readFile(path), path, { readInclude: (p) => (existsSync(p) ? readFile(p) : undefined) });
    const errors = res.diagnostics.filter((d) => d.severity === 'error');
    assert.ok(res.mesh, `read failed: ${JSON.stringify(res.diagnostics.slice(0, 3))}`);
    assert.deepEqual(errors, [], 'no error diagnostics on a valid file');
    if (c.expect.frdDisp) {
      const disp = res.mesh.pointData.find((a) => a.name === 'DISP');
      assert.ok(disp, 'DISP block');
      assert.equal(disp.components, 3);
      const ids = res.mesh.pointIds!;
      const index = new Map<number, number>();
      ids.forEach((id, i) => index.set(id, i));
      const { ids: eid, values } = c.expect.frdDisp;
      assert.ok(eid.length > 0);
      eid.forEach((id, j) => {
        const i = index.get(id)!;
        for (let k = 0; k < 3; k++) if (!close(disp.values[i * 3 + k], values[j * 3 + k], 1e-4) && Math.abs(disp.values[i * 3 + k] - values[j * 3 + k]) > 1e-9) assert.fail(`DISP node ${id}[${k}]: frd ${disp.values[i * 3 + k]}, dat ${values[j * 3 + k]}`);
      });
      return;
    }
    compare(c, res.mesh);
  });
}
