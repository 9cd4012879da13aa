// Boundary surface of a volume mesh, as triangles for rendering, with a map back to the volume nodes.
// Quadratic faces are split into linear triangles through their mid-side nodes, so curved
// boundaries keep their shape.
import { cellCount } from './build';
import { CELL_TYPES, pointCount, type CellType, type Mesh } from './types';

export interface Surface {
  /** Surface point i is volume point nodeMap[i]. */
  readonly nodeMap: Int32Array;
  /** xyz per surface point (3D even for 2D meshes). */
  readonly points: Float32Array;
  /** Triangles, 3 surface-point indices each. */
  readonly triangles: Int32Array;
  /** Per triangle: the cell it came from, as a running index over all blocks in order. */
  readonly triangleCell: Int32Array;
}

interface FaceDef {
  corners: number[][]; // outward-ordered corner local indices per face
  edges?: number[][]; // quadratic types: edges[k] = local corners of mid-side node (ncorners + k)
  ncorners: number;
}

const TET_F = [[0, 2, 1], [0, 1, 3], [1, 2, 3], [2, 0, 3]];
const HEX_F = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]];
const WEDGE_F = [[0, 1, 2], [3, 5, 4], [0, 3, 4, 1], [1, 4, 5, 2], [2, 5, 3, 0]];
const PYR_F = [[0, 3, 2, 1], [0, 1, 4], [1, 2, 4], [2, 3, 4], [3, 0, 4]];
const TET_E = [[0, 1], [1, 2], [2, 0], [0, 3], [1, 3], [2, 3]];
const HEX_E = [[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4], [0, 4], [1, 5], [2, 6], [3, 7]];
const WEDGE_E = [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3], [0, 3], [1, 4], [2, 5]];
const PYR_E = [[0, 1], [1, 2], [2, 3], [3, 0], [0, 4], [1, 4], [2, 4], [3, 4]];

const VOLUME: Partial<Record<CellType, FaceDef>> = {
  tetra: { corners: TET_F, ncorners: 4 },
  tetra10: { corners: TET_F, edges: TET_E, ncorners: 4 },
  hexahedron: { corners: HEX_F, ncorners: 8 },
  hexahedron20: { corners: HEX_F, edges: HEX_E, ncorners: 8 },
  hexahedron27: { corners: HEX_F, edges: HEX_E, ncorners: 8 },
  wedge: { corners: WEDGE_F, ncorners: 6 },
  wedge15: { corners: WEDGE_F, edges: WEDGE_E, ncorners: 6 },
  pyramid: { corners: PYR_F, ncorners: 5 },
  pyramid13: { corners: PYR_F, edges: PYR_E, ncorners: 5 },
};
const SURFACE: Partial<Record<CellType, FaceDef>> = {
  triangle: { corners: [[0, 1, 2]], ncorners: 3 },
  triangle6: { corners: [[0, 1, 2]], edges: [[0, 1], [1, 2], [2, 0]], ncorners: 3 },
  quad: { corners: [[0, 1, 2, 3]], ncorners: 4 },
  quad8: { corners: [[0, 1, 2, 3]], edges: [[0, 1], [1, 2], [2, 3], [3, 0]], ncorners: 4 },
  quad9: { corners: [[0, 1, 2, 3]], edges: [[0, 1], [1, 2], [2, 3], [3, 0]], ncorners: 4 },
};

/** Local index of the mid-side node on edge (a, b), or -1. */
function midOf(def: FaceDef, a: number, b: number): number {
  const e = def.edges!;
  for (let k = 0; k < e.length; k++) if ((e[k][0] === a && e[k][1] === b) || (e[k][0] === b && e[k][1] === a)) return def.ncorners + k;
  return -1;
}

/** Triangles (local node indices) for one face, splitting quadratic faces through mid-side nodes. */
function faceTriangles(def: FaceDef, f: number[]): number[][] {
  if (!def.edges) return f.length === 3 ? [f] : [[f[0], f[1], f[2]], [f[0], f[2], f[3]]];
  const m = f.map((a, i) => midOf(def, a, f[(i + 1) % f.length]));
  if (f.length === 3) return [[f[0], m[0], m[2]], [m[0], f[1], m[1]], [m[2], m[1], f[2]], [m[0], m[1], m[2]]];
  return [[f[0], m[0], m[3]], [f[1], m[1], m[0]], [f[2], m[2], m[1]], [f[3], m[3], m[2]], [m[0], m[1], m[2]], [m[0], m[2], m[3]]];
}

/**
 * Boundary faces of the volume cells (faces used by exactly one cell). When the mesh has no
 * volume cells, its surface cells are triangulated instead (surface-only models).
 */
export function extractSurface(mesh: Mesh): Surface {
  const hasVolume = mesh.cells.some((b) => VOLUME[b.type] && cellCount(b) > 0);
  const table = hasVolume ? VOLUME : SURFACE;
  let totalFaces = 0;
  for (const b of mesh.cells) {
    const def = table[b.type];
    if (def) totalFaces += def.corners.length * cellCount(b);
  }
  // Open-addressing hash of faces keyed by their sorted corners; value = first face slot, count.
  let cap = 16;
  while (cap < totalFaces * 2) cap <<= 1;
  const mask = cap - 1;
  const slotFace = new Int32Array(cap).fill(-1);
  const keys = new Int32Array(totalFaces * 4);
  const uses = new Uint8Array(totalFaces);
  const faceCell = new Int32Array(totalFaces);
  const faceBlock = new Int32Array(totalFaces);
  const faceLocal = new Uint8Array(totalFaces);
  let nf = 0;
  let cellBase = 0;
  const s = [0, 0, 0, 0];
  for (let bi = 0; bi < mesh.cells.length; bi++) {
    const b = mesh.cells[bi];
    const def = table[b.type];
    const count = cellCount(b);
    if (!def) {
      cellBase += count;
      continue;
    }
    const n = CELL_TYPES[b.type].nodes;
    const conn = b.connectivity;
    for (let c = 0; c < count; c++) {
      const o = c * n;
      for (let fi = 0; fi < def.corners.length; fi++) {
        const f = def.corners[fi];
        const k = f.length;
        for (let i = 0; i < k; i++) s[i] = conn[o + f[i]];
        if (k === 3) s[3] = -1;
        sort4(s, k);
        let h = (Math.imul(s[0], 73856093) ^ Math.imul(s[1], 19349663) ^ Math.imul(s[2], 83492791) ^ Math.imul(s[3], 2654435761)) & mask;
        for (;;) {
          const g = slotFace[h];
          if (g < 0) {
            slotFace[h] = nf;
            keys.set(s, nf * 4);
            uses[nf] = 1;
            faceCell[nf] = cellBase + c;
            faceBlock[nf] = bi;
            faceLocal[nf] = fi;
            nf++;
            break;
          }
          const q = g * 4;
          if (keys[q] === s[0] && keys[q + 1] === s[1] && keys[q + 2] === s[2] && keys[q + 3] === s[3]) {
            if (uses[g] < 255) uses[g]++;
            break;
          }
          h = (h + 1) & mask;
        }
      }
    }
    cellBase += count;
  }
  const np = pointCount(mesh);
  const remap = new Int32Array(np).fill(-1);
  const tris: number[] = [];
  const triCell: number[] = [];
  const nodeMap: number[] = [];
  const cellOffset: number[] = [];
  let base = 0;
  for (const b of mesh.cells) {
    cellOffset.push(base);
    base += cellCount(b);
  }
  for (let g = 0; g < nf; g++) {
    if (uses[g] !== 1 && hasVolume) continue;
    const b = mesh.cells[faceBlock[g]];
    const def = table[b.type]!;
    const n = CELL_TYPES[b.type].nodes;
    const o = (faceCell[g] - cellOffset[faceBlock[g]]) * n;
    for (const t of faceTriangles(def, def.corners[faceLocal[g]])) {
      for (const l of t) {
        const v = b.connectivity[o + l];
        if (remap[v] < 0) {
          remap[v] = nodeMap.length;
          nodeMap.push(v);
        }
        tris.push(remap[v]);
      }
      triCell.push(faceCell[g]);
    }
  }
  const d = mesh.dimension;
  const points = new Float32Array(nodeMap.length * 3);
  for (let i = 0; i < nodeMap.length; i++) for (let k = 0; k < d; k++) points[i * 3 + k] = mesh.points[nodeMap[i] * d + k];
  return { nodeMap: Int32Array.from(nodeMap), points, triangles: Int32Array.from(tris), triangleCell: Int32Array.from(triCell) };
}

function sort4(s: number[], k: number): void {
  // insertion sort of the first k entries
  for (let i = 1; i < k; i++) {
    const v = s[i];
    let j = i - 1;
    while (j >= 0 && s[j] > v) {
      s[j + 1] = s[j];
      j--;
    }
    s[j + 1] = v;
  }
}
