// Checks, surface extraction and node ordering, on meshes from gmsh/ccx (corpus) and small hand-made ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkMesh, extractSurface, readMesh, CELL_TYPES, type Mesh } from '../../../extension/core/mesh/index';
import { CORPUS, loadCorpus } from './corpus-helpers';

loadCorpus();
function corpus(file: string): Mesh {
  const path = join(CORPUS, file);
  const r = readMesh(new Uint8Array(readFileSync(path)), path);
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  return r.mesh;
}

// VTK mid-edge node definitions (from the VTK cell documentation), independent of the readers.
const VTK_EDGES: Record<string, number[][]> = {
  tetra10: [[0, 1], [1, 2], [2, 0], [0, 3], [1, 3], [2, 3]],
  hexahedron20: [[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4], [0, 4], [1, 5], [2, 6], [3, 7]],
  wedge15: [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [0, 3], [1, 4], [2, 5]],
  triangle6: [[0, 1], [1, 2], [2, 0]],
  quad8: [[0, 1], [1, 2], [2, 3], [3, 0]],
  quad9: [[0, 1], [1, 2], [2, 3], [3, 0]],
  line3: [[0, 1]],
};
const CORNERS: Record<string, number> = { tetra10: 4, hexahedron20: 8, wedge15: 6, triangle6: 3, quad8: 4, quad9: 4, line3: 2 };

// Straight-edged geometry (boxes, prisms): every mid-side node is its edge's midpoint, in VTK order.
for (const file of ['tet2_gmsh41a.msh', 'tet2_gmsh22b.msh', 'hex2_gmsh41b.msh', 'hex2_gmsh.inp', 'wedge2_gmsh41a.msh', 'wedge2_mio.bdf', 'hex2_mio.bdf', 'ccx_tet10.frd', 'ccx_hex20.frd', 'ccx_hex20.inp', 'tet2_mio_raw.vtu', 'quad2_gmsh22a.msh']) {
  test(`${file}: quadratic nodes are in VTK order`, () => {
    const m = corpus(file);
    const tol = file.endsWith('.frd') ? 2e-5 : file.endsWith('.bdf') ? 1e-9 : 1e-12; // frd stores 6 significant digits, bdf 16-character fields
    let checked = 0;
    for (const b of m.cells) {
      const edges = VTK_EDGES[b.type];
      if (!edges) continue;
      const n = CELL_TYPES[b.type].nodes;
      for (let c = 0; c < b.connectivity.length; c += n) {
        edges.forEach(([a, e], k) => {
          const mid = b.connectivity[c + CORNERS[b.type] + k];
          for (let d = 0; d < 3; d++) {
            const want = (m.points[b.connectivity[c + a] * 3 + d] + m.points[b.connectivity[c + e] * 3 + d]) / 2;
            if (Math.abs(m.points[mid * 3 + d] - want) > tol) assert.fail(`${b.type} cell ${c / n} edge ${k}: mid-node ${mid} not at the edge midpoint`);
          }
        });
        checked++;
      }
    }
    assert.ok(checked > 0);
  });
}

test('valid gmsh/ccx volume meshes have no inverted or degenerate elements', () => {
  for (const f of ['tet1_gmsh41b.msh', 'tet2_gmsh41a.msh', 'hex1_gmsh22a.msh', 'hex2_gmsh41b.msh', 'wedge1_gmsh41a.msh', 'ccx_tet10.frd', 'ccx_hex20.frd', 'ccx_hex8.inp']) {
    const diags = checkMesh(corpus(f));
    assert.deepEqual(diags.filter((d) => d.severity === 'error'), [], f);
  }
});

test('checks find a flipped tet inside a valid mesh, with its line', () => {
  const path = join(CORPUS, 'tet1_gmsh22a.msh');
  const text = readFileSync(path, 'latin1').split('\n');
  const start = text.indexOf('$Elements') + 2;
  // find the first tetra (type 4) line and swap two of its nodes
  const i = text.findIndex((l, j) => j >= start && l.split(' ')[1] === '4');
  const p = text[i].split(' ');
  [p[p.length - 1], p[p.length - 2]] = [p[p.length - 2], p[p.length - 1]];
  text[i] = p.join(' ');
  const r = readMesh(new TextEncoder().encode(text.join('\n')), 'flipped.msh');
  const inv = r.diagnostics.filter((d) => d.code === 'inverted-element');
  assert.equal(inv.length, 1);
  assert.equal(inv[0].line, i + 1);
});

function enclosed(p: Float32Array, tris: Int32Array): number {
  let vol = 0;
  for (let t = 0; t < tris.length; t += 3) {
    const [a, b, c] = [0, 1, 2].map((k) => Array.from(p.subarray(tris[t + k] * 3, tris[t + k] * 3 + 3)));
    vol += (a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])) / 6;
  }
  return vol;
}

function closedSurface(tris: Int32Array): boolean {
  const edges = new Map<string, number>();
  for (let t = 0; t < tris.length; t += 3) for (let k = 0; k < 3; k++) {
    const a = tris[t + k], b = tris[t + ((k + 1) % 3)];
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    edges.set(key, (edges.get(key) ?? 0) + 1);
  }
  return [...edges.values()].every((c) => c === 2);
}

test('surface of a structured hex box: outer faces only, closed, outward, mapped to volume nodes', () => {
  const m = corpus('hex1_gmsh41a.msh'); // 3x3x3 cells... of a 1x1x2 box
  const s = extractSurface(m);
  const hexes = m.cells.find((c) => c.type === 'hexahedron')!.connectivity.length / 8;
  assert.equal(hexes, 27);
  assert.equal(s.triangles.length / 3, 2 * 6 * 9);
  assert.ok(closedSurface(s.triangles));
  // every surface node lies on the box boundary
  for (let i = 0; i < s.nodeMap.length; i++) {
    const v = s.nodeMap[i];
    const [x, y, z] = [m.points[v * 3], m.points[v * 3 + 1], m.points[v * 3 + 2]];
    assert.ok([x, y].some((c) => Math.abs(c) < 1e-12 || Math.abs(c - 1) < 1e-12) || Math.abs(z) < 1e-12 || Math.abs(z - 2) < 1e-12);
    assert.equal(s.points[i * 3], Math.fround(x));
  }
  // outward: signed volume enclosed by the triangles equals the box volume (1 x 1 x 2)
  assert.ok(Math.abs(enclosed(s.points, s.triangles) - 2) < 1e-5);
});

test('surface of quadratic tets is split through mid-side nodes and closed', () => {
  const m = corpus('tet2_gmsh41b.msh');
  const s = extractSurface(m);
  assert.ok(closedSurface(s.triangles));
  assert.equal((s.triangles.length / 3) % 4, 0, 'four linear triangles per quadratic face');
  assert.ok(Math.abs(enclosed(s.points, s.triangles) - 1) < 1e-5, 'encloses the 1 x 0.5 x 2 box, outward');
  // every mid-side node of the boundary is on the surface, so there are more surface nodes than corner-only would give
  assert.ok(s.nodeMap.length > s.triangles.length / 3 / 2);
});

test('surface-only meshes are triangulated as they are', () => {
  const s = extractSurface(corpus('quad1_mio_raw.vtu'));
  assert.equal(s.triangles.length / 3, 2 * corpus('quad1_mio_raw.vtu').cells.find((c) => c.type === 'quad')!.connectivity.length / 4);
});
