// Mesh checks as diagnostics with locations: what a solver would reject, found before it runs.
import { cellCount, dropBadCells } from './build';
import { Diagnostics } from './diagnostics';
import { CELL_TYPES, pointCount, type CellBlock, type Mesh, type MeshDiagnostic } from './types';

export interface CheckOptions {
  /** Signed volume / area checks (linear in the number of cells; off for raw-speed reads). */
  readonly geometry?: boolean;
}

// Corner neighbours (right-handed) for hexahedra in VTK order: det > 0 at every corner of a valid hex.
const HEX_CORNERS = [
  [0, 1, 3, 4], [1, 2, 0, 5], [2, 3, 1, 6], [3, 0, 2, 7],
  [4, 7, 5, 0], [5, 4, 6, 1], [6, 5, 7, 2], [7, 6, 4, 3],
];
const TET_CORNERS = [[0, 1, 2, 3]];
const PYR_CORNERS = [[0, 1, 3, 4], [1, 2, 0, 4], [2, 3, 1, 4], [3, 0, 2, 4]];
// VTK's wedge has the opposite handedness to gmsh/Abaqus prisms (meshio passes them through unchanged),
// so wedges are only checked for degeneracy, not sign.
const WEDGE_CORNERS = [[0, 1, 2, 3], [3, 5, 4, 0]];

/**
 * Runs the checks on `mesh`, adding findings to `diag` (or a fresh collector) and returning them.
 * Cells with indices out of range are reported and removed, so later consumers never index out of bounds.
 */
export function checkMesh(mesh: Mesh, diag: Diagnostics = new Diagnostics(mesh.source.file), opts: CheckOptions = {}): MeshDiagnostic[] {
  const file = mesh.source.file;
  const np = pointCount(mesh);
  const dim = mesh.dimension;
  const pts = mesh.points;
  // Binary and XML data have no line per entity: fall back to the section, else the file's first line.
  const lineOfPoint = (i: number): number => mesh.pointLines?.[i] || mesh.pointsLine || 1;
  const fileOfPoint = (i: number): string => (mesh.pointFiles && mesh.files ? mesh.files[mesh.pointFiles[i]] : file);

  for (let i = 0; i < np; i++) {
    for (let k = 0; k < dim; k++) {
      if (!Number.isFinite(pts[i * dim + k])) {
        diag.add('error', 'non-finite-coordinate', `point ${mesh.pointIds?.[i] ?? i} has a non-finite coordinate (${pts[i * dim + k]})`, lineOfPoint(i), fileOfPoint(i));
        break;
      }
    }
  }

  const used = new Uint8Array(np);
  const dims = new Set<number>();
  for (let b = 0; b < mesh.cells.length; b++) {
    const block = mesh.cells[b];
    const conn = block.connectivity;
    const bad: number[] = [];
    for (let j = 0; j < conn.length; j++) {
      const v = conn[j];
      if (v < 0 || v >= np || !Number.isInteger(v)) bad.push(j);
      else used[v] = 1;
    }
    if (bad.length) {
      const n = CELL_TYPES[block.type].nodes;
      let last = -1;
      for (const j of bad) {
        const c = block.offsets ? upperBound(block.offsets, j) : Math.floor(j / n);
        if (c === last) continue;
        last = c;
        diag.add('error', 'index-out-of-range', `${block.type} cell ${block.ids?.[c] ?? c} refers to point index ${conn[j]}, but there are ${np} points; the cell is skipped`, block.lines?.[c] || block.line || 1, cellFile(mesh, block, c));
      }
      if (!block.offsets) {
        mesh.cells[b] = dropBadCells(block, bad);
        // cell data no longer aligns with the block; drop it rather than mislabel values
        if (mesh.cellData[b]?.length) mesh.cellData[b] = [];
      } else {
        // polygons: clamp is unsafe, so drop the whole block
        mesh.cells[b] = { type: block.type, connectivity: new Int32Array(0), offsets: new Int32Array(0) };
        // its cell data would describe cells that are gone
        if (mesh.cellData[b]?.length) mesh.cellData[b] = [];
      }
    }
    if (cellCount(block) > 0) dims.add(CELL_TYPES[block.type].dim);
  }

  if (mesh.cells.length > 0) {
    let unused = 0;
    for (let i = 0; i < np; i++) if (!used[i]) unused++;
    if (unused > 0) {
      let reported = 0;
      for (let i = 0; i < np && reported < 10; i++) {
        if (used[i]) continue;
        reported++;
        diag.add('warning', 'unreferenced-node', `node ${mesh.pointIds?.[i] ?? i} is not used by any element${unused > 10 && reported === 1 ? ` (${unused} such nodes in all)` : ''}`, lineOfPoint(i), fileOfPoint(i));
      }
    }
  }

  if (dims.size > 1) {
    const names = ['points', 'lines', 'surfaces', 'volumes'];
    diag.add('info', 'mixed-dimensions', `mesh mixes ${[...dims].sort().map((d) => names[d]).join(', ')}; lower-dimensional cells are treated as boundary or auxiliary elements`, 1);
  }

  if (opts.geometry !== false) checkMeshGeometry(mesh, diag);
  return diag.list;
}

/**
 * The signed volume / area checks alone, for a mesh read with `checks: false`: the host's preview
 * draws without them, and its diagnostics run them later on the same parse.
 */
export function checkMeshGeometry(mesh: Mesh, diag: Diagnostics = new Diagnostics(mesh.source.file)): MeshDiagnostic[] {
  for (const block of mesh.cells) checkGeometry(mesh, block, diag);
  return diag.list;
}

/** The file a cell's line refers to (an included file, or the mesh's own). */
function cellFile(mesh: Mesh, block: CellBlock, c: number): string {
  return block.fileIndex && mesh.files ? mesh.files[block.fileIndex[c]] : mesh.source.file;
}

function upperBound(offsets: Int32Array, j: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid] <= j) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkGeometry(mesh: Mesh, block: CellBlock, diag: Diagnostics): void {
  const t = block.type;
  const pts = mesh.points;
  const d = mesh.dimension;
  const conn = block.connectivity;
  const n = CELL_TYPES[t].nodes;
  const count = n ? conn.length / n : 0;
  const label = (c: number): string => `${t} cell ${block.ids?.[c] ?? c}`;
  const line = (c: number): number => block.lines?.[c] || block.line || 1;
  const file = (c: number): string => cellFile(mesh, block, c);
  const x = (i: number, k: number): number => (k < d ? pts[i * d + k] : 0);

  let corners: number[][] | undefined;
  let signed = true;
  if (t === 'tetra' || t === 'tetra10') corners = TET_CORNERS;
  else if (t === 'hexahedron' || t === 'hexahedron20' || t === 'hexahedron27') corners = HEX_CORNERS;
  else if (t === 'pyramid' || t === 'pyramid13') corners = PYR_CORNERS;
  else if (t === 'wedge' || t === 'wedge15') {
    corners = WEDGE_CORNERS;
    signed = false;
  }
  if (corners) {
    for (let c = 0; c < count; c++) {
      const o = c * n;
      let neg = 0;
      let zero = 0;
      for (const [a, b, e, f] of corners) {
        const p = conn[o + a];
        const q = conn[o + b];
        const r = conn[o + e];
        const s = conn[o + f];
        const ux = x(q, 0) - x(p, 0), uy = x(q, 1) - x(p, 1), uz = x(q, 2) - x(p, 2);
        const vx = x(r, 0) - x(p, 0), vy = x(r, 1) - x(p, 1), vz = x(r, 2) - x(p, 2);
        const wx = x(s, 0) - x(p, 0), wy = x(s, 1) - x(p, 1), wz = x(s, 2) - x(p, 2);
        const det = ux * (vy * wz - vz * wy) - uy * (vx * wz - vz * wx) + uz * (vx * wy - vy * wx);
        const scale = Math.max(ux * ux + uy * uy + uz * uz, vx * vx + vy * vy + vz * vz, wx * wx + wy * wy + wz * wz) ** 1.5;
        if (!(Math.abs(det) > 1e-12 * scale)) zero++;
        else if (det < 0) neg++;
      }
      if (zero > 0) diag.add('error', 'degenerate-element', `${label(c)} is degenerate (zero volume at ${zero} corner${zero > 1 ? 's' : ''})`, line(c), file(c));
      else if (signed && neg === corners.length) diag.add('error', 'inverted-element', `${label(c)} is inverted (negative volume); its node order is mirrored`, line(c), file(c));
      else if (signed && neg > 0) diag.add('warning', 'distorted-element', `${label(c)} is distorted (negative Jacobian at ${neg} of ${corners.length} corners)`, line(c), file(c));
    }
    return;
  }
  const tri = t === 'triangle' || t === 'triangle6';
  const quad = t === 'quad' || t === 'quad8' || t === 'quad9';
  if (!tri && !quad) return;
  // Planar meshes (2D, or 3D with z == 0) have a meaningful sign; shells in space only a size.
  const planar = d === 2 || isFlatZ(mesh);
  const k = tri ? 3 : 4;
  let negCount = 0;
  const areas = new Float64Array(count);
  for (let c = 0; c < count; c++) {
    const o = c * n;
    let ax = 0, ay = 0, az = 0, l2 = 0;
    for (let i = 0; i < k; i++) {
      const p = conn[o + i];
      const q = conn[o + ((i + 1) % k)];
      const px = x(p, 0), py = x(p, 1), pz = x(p, 2), qx = x(q, 0), qy = x(q, 1), qz = x(q, 2);
      ax += py * qz - pz * qy;
      ay += pz * qx - px * qz;
      az += px * qy - py * qx;
      l2 = Math.max(l2, (qx - px) ** 2 + (qy - py) ** 2 + (qz - pz) ** 2);
    }
    const mag = Math.hypot(ax, ay, az) / 2;
    if (!(mag > 1e-12 * l2)) {
      diag.add('error', 'degenerate-element', `${label(c)} is degenerate (zero area)`, line(c), file(c));
      areas[c] = 0;
    } else {
      areas[c] = planar ? az / 2 : mag;
      if (areas[c] < 0) negCount++;
    }
  }
  if (planar && negCount > 0) {
    // A consistently clockwise mesh is a convention, not an error; a minority of flipped cells is.
    if (negCount === count) diag.add('info', 'clockwise-elements', `all ${t} cells are ordered clockwise in the xy plane`, line(0), file(0));
    else for (let c = 0; c < count; c++) if (areas[c] < 0 && negCount * 2 < count) diag.add('error', 'inverted-element', `${label(c)} is inverted (clockwise, unlike its neighbours)`, line(c), file(c));
  }
}

function isFlatZ(mesh: Mesh): boolean {
  if (mesh.dimension === 2) return true;
  const p = mesh.points;
  for (let i = 2; i < p.length; i += 3) if (p[i] !== 0) return false;
  return true;
}
