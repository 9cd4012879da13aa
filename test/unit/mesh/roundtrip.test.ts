// Our writers' output read back by meshio (an independent reader) and by us, unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMesh, writeVtk, writeVtu, type Mesh } from '../../../extension/core/mesh/index';
import { CORPUS, PY, loadCorpus } from './corpus-helpers';

loadCorpus();
const dir = mkdtempSync(join(tmpdir(), 'flare-mesh-rt-'));

// meshio's view of a file as JSON: points, cells per type, point data and cell data (concatenated per type).
const MESHIO_DUMP = `
import json, sys, numpy as np, meshio
m = meshio.read(sys.argv[1])
cells = {}
for b in m.cells: cells.setdefault(b.type, []).append(np.asarray(b.data))
cd = {}
for name, arrs in m.cell_data.items():
    cd[name] = np.concatenate([np.asarray(a).reshape(len(a), -1) for a in arrs]).ravel().tolist()
print(json.dumps({"points": np.asarray(m.points).ravel().tolist(),
  "cells": {t: np.concatenate(v).ravel().tolist() for t, v in cells.items()},
  "pointData": {k: np.asarray(v).ravel().tolist() for k, v in m.point_data.items()},
  "cellData": cd}))
`;

function meshioView(path: string): { points: number[]; cells: Record<string, number[]>; pointData: Record<string, number[]>; cellData: Record<string, number[]> } {
  return JSON.parse(execFileSync(PY, ['-c', MESHIO_DUMP, path], { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

function source(file: string): Mesh {
  const path = join(CORPUS, file);
  const r = readMesh(new Uint8Array(readFileSync(path)), path);
  assert.ok(r.mesh);
  return r.mesh;
}

function withData(m: Mesh): Mesh {
  const np = m.points.length / 3;
  const f = new Float64Array(np * 3);
  for (let i = 0; i < f.length; i++) f[i] = Math.sin(i) * 1e3;
  const t = new Float32Array(np);
  for (let i = 0; i < np; i++) t[i] = i / 7;
  // cell data on every block so formats with one array over all cells can carry it
  const cellData = m.cells.map((b) => {
    const n = b.connectivity.length / ({ triangle: 3, triangle6: 6, quad: 4, quad8: 8, quad9: 9, tetra: 4, tetra10: 10, hexahedron: 8, hexahedron20: 20, wedge: 6, wedge15: 15, line: 2, line3: 3, vertex: 1 } as Record<string, number>)[b.type];
    return [{ name: 'vonMises', components: 1, values: Float64Array.from({ length: n }, (_, i) => i * 0.5 + 1) }];
  });
  return { ...m, pointData: [{ name: 'U', components: 3, values: f }, { name: 'T', components: 1, values: t }], cellData };
}

const sources = ['tet2_gmsh41b.msh', 'hex2_gmsh41b.msh', 'wedge2_gmsh22b.msh', 'plate2_gmsh41a.msh', 'quad1_gmsh22a.msh'];
for (const file of sources) {
  for (const [label, write] of [
    ['vtu raw', (m: Mesh) => writeVtu(m)],
    ['vtu zlib', (m: Mesh) => writeVtu(m, { compress: true })],
    ['vtk binary', (m: Mesh) => writeVtk(m, { binary: true })],
    ['vtk ascii', (m: Mesh) => writeVtk(m, { binary: false })],
  ] as const) {
    test(`${file} → ${label} → meshio and our reader`, () => {
      const m = withData(source(file));
      const out = join(dir, `${file}.${label.replace(' ', '_')}.${label.startsWith('vtu') ? 'vtu' : 'vtk'}`);
      writeFileSync(out, write(m));
      const mv = meshioView(out);
      assert.deepEqual(mv.points, Array.from(m.points), 'points');
      const ours: Record<string, number[]> = {};
      for (const b of m.cells) (ours[b.type] ??= []).push(...b.connectivity);
      assert.deepEqual(mv.cells, ours, 'cells');
      assert.deepEqual(mv.pointData.U, Array.from(m.pointData[0].values), 'point data U');
      assert.deepEqual(mv.pointData.T, Array.from(m.pointData[1].values), 'point data T (float32)');
      const vm: number[] = [];
      for (const ds of m.cellData) vm.push(...ds[0].values);
      assert.deepEqual(mv.cellData.vonMises, vm, 'cell data');
      // and our own reader
      const back = readMesh(new Uint8Array(readFileSync(out)), out);
      assert.ok(back.mesh);
      assert.deepEqual(Array.from(back.mesh.points), Array.from(m.points));
      assert.deepEqual(back.mesh.cells.map((b) => [b.type, Array.from(b.connectivity)]), m.cells.map((b) => [b.type, Array.from(b.connectivity)]));
      assert.deepEqual(Array.from(back.mesh.pointData.find((a) => a.name === 'U')!.values), Array.from(m.pointData[0].values));
    });
  }
}

test('2D points are padded to 3D in VTU', () => {
  const m: Mesh = { points: Float64Array.from([0, 0, 1, 0, 0, 1]), dimension: 2, cells: [{ type: 'triangle', connectivity: Int32Array.from([0, 1, 2]) }], pointData: [], cellData: [[]], nodeSets: {}, elementSets: {}, source: { file: 'x', format: 'test' } };
  const out = join(dir, 'tri2d.vtu');
  writeFileSync(out, writeVtu(m, { compress: true }));
  assert.deepEqual(meshioView(out).points, [0, 0, 0, 1, 0, 0, 0, 1, 0]);
});
