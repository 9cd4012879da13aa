// VTK's flat cell arrays (connectivity + offsets + types) → cell blocks grouped by type.
import { VTK_TO_TYPE } from '../build';
import type { Diagnostics } from '../diagnostics';
import { CELL_TYPES, type CellBlock, type CellType, type DataArray } from '../types';

const VTK_POLY_VERTEX = 2;
const VTK_POLY_LINE = 4;
const VTK_TRIANGLE_STRIP = 6;
const VTK_PIXEL = 8;
const VTK_VOXEL = 11;

/**
 * Groups cells by type in file order (stable), permuting cell data the same way.
 * `offsets` are end offsets (VTU style: offsets[i] = end of cell i).
 */
export function cellsFromVtk(
  conn: Int32Array,
  offsets: Int32Array,
  types: ArrayLike<number>,
  cellData: DataArray[],
  diag: Diagnostics,
  line = 0,
  cellLines?: Int32Array,
): { cells: CellBlock[]; cellData: DataArray[][] } {
  const nc = types.length;
  if (offsets.length !== nc) {
    diag.add('error', 'count-mismatch', `${types.length} cell types but ${offsets.length} cell offsets`, line);
  }
  const n = Math.min(nc, offsets.length);
  // Cell data must line up with the cells it describes (CELL_DATA's count is the file's word, not the cells').
  const fits = cellData.filter((d) => d.values.length === n * d.components);
  for (const d of cellData) if (!fits.includes(d)) diag.add('error', 'count-mismatch', `cell data '${d.name}' has ${d.values.length / d.components} tuples for ${n} cells; it is skipped`, line || 1);
  cellData = fits;
  // Fast path: one fixed-size type, contiguous.
  if (n > 0) {
    const t0 = types[0];
    const name = VTK_TO_TYPE.get(t0);
    if (name && CELL_TYPES[name].nodes > 0) {
      let same = true;
      for (let i = 1; i < n && same; i++) if (types[i] !== t0) same = false;
      const k = CELL_TYPES[name].nodes;
      if (same && offsets[n - 1] === n * k && conn.length >= n * k) {
        let regular = true;
        for (let i = 0; i < n && regular; i++) if (offsets[i] !== (i + 1) * k) regular = false;
        if (regular) return { cells: [{ type: name, connectivity: conn.length === n * k ? conn : conn.slice(0, n * k), ...(cellLines ? { lines: cellLines.subarray(0, n) } : {}) }], cellData: [cellData] };
      }
    }
  }
  const groups = new Map<CellType, { cells: number[] }>();
  const skipped = new Map<number, number>();
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = offsets[i];
    const size = end - start;
    let t = types[i];
    let name = VTK_TO_TYPE.get(t);
    if (t === VTK_PIXEL) name = 'quad';
    else if (t === VTK_VOXEL) name = 'hexahedron';
    else if (t === VTK_POLY_VERTEX && size === 1) name = 'vertex';
    else if (t === VTK_POLY_LINE && size === 2) name = 'line';
    else if (t === VTK_TRIANGLE_STRIP && size === 3) name = 'triangle';
    if (!name || (CELL_TYPES[name].nodes > 0 && CELL_TYPES[name].nodes !== size) || size < 0 || start < 0 || end > conn.length) {
      if (!name) skipped.set(t, (skipped.get(t) ?? 0) + 1);
      else diag.add('error', 'bad-cell-size', `cell ${i} of type ${name} has ${size} nodes, expected ${CELL_TYPES[name].nodes}`, cellLines?.[i] ?? line);
      start = end;
      continue;
    }
    let g = groups.get(name);
    if (!g) groups.set(name, (g = { cells: [] }));
    g.cells.push(i);
    start = end;
    t = 0;
  }
  for (const [t, count] of skipped) diag.add('warning', 'unsupported-cell-type', `${count} cells of VTK type ${t} are not supported and were skipped`, line);
  const cells: CellBlock[] = [];
  const data: DataArray[][] = [];
  for (const [name, g] of groups) {
    const k = CELL_TYPES[name].nodes;
    let total = 0;
    for (const i of g.cells) total += offsets[i] - (i > 0 ? offsets[i - 1] : 0);
    const c = new Int32Array(total);
    const offs = k === 0 ? new Int32Array(g.cells.length) : undefined;
    let p = 0;
    g.cells.forEach((i, j) => {
      const s = i > 0 ? offsets[i - 1] : 0;
      c.set(conn.subarray(s, offsets[i]), p);
      p += offsets[i] - s;
      if (offs) offs[j] = p;
    });
    const lines = cellLines ? Int32Array.from(g.cells, (i) => cellLines[i]) : undefined;
    cells.push({ type: name, connectivity: c, ...(offs ? { offsets: offs } : {}), ...(lines ? { lines } : {}) });
    data.push(
      cellData.map((d) => {
        const out = new (d.values.constructor as Float64ArrayConstructor)(g.cells.length * d.components);
        g.cells.forEach((i, j) => {
          for (let q = 0; q < d.components; q++) out[j * d.components + q] = d.values[i * d.components + q];
        });
        return { name: d.name, components: d.components, values: out };
      }),
    );
  }
  return { cells, cellData: data };
}

/** Polydata-style cell lists (vertices, lines, polygons): size-prefixed or offset form already split. */
export function polyCellType(kind: 'verts' | 'lines' | 'polys' | 'strips', size: number): CellType | undefined {
  if (kind === 'verts') return size === 1 ? 'vertex' : undefined;
  if (kind === 'lines') return size === 2 ? 'line' : undefined;
  if (kind === 'polys') return size === 3 ? 'triangle' : size === 4 ? 'quad' : 'polygon';
  return size === 3 ? 'triangle' : undefined;
}

/** VTK type numbers for polydata sections, so they can go through cellsFromVtk. */
export function polyVtkType(kind: 'verts' | 'lines' | 'polys' | 'strips', size: number): number {
  if (kind === 'verts') return size === 1 ? 1 : VTK_POLY_VERTEX;
  if (kind === 'lines') return size === 2 ? 3 : VTK_POLY_LINE;
  if (kind === 'polys') return size === 3 ? 5 : size === 4 ? 9 : 7;
  return VTK_TRIANGLE_STRIP;
}
