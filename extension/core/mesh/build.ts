// Shared pieces the format readers use to assemble a Mesh.
import { I32Builder } from './builders';
import { Diagnostics } from './diagnostics';
import { MeshReadError } from './readError';
import { Scanner } from './scanner';
import { CELL_TYPES, type CellBlock, type CellType, type DataArray, type Mesh, type ReadOptions } from './types';

export interface ReadContext {
  readonly file: string;
  readonly opts: ReadOptions;
  readonly diag: Diagnostics;
}

export interface MeshFormat {
  /** Short name shown by `flare inspect` ("inp", "vtu", "msh", ...). */
  readonly name: string;
  readonly extensions: readonly string[];
  read(bytes: Uint8Array, ctx: ReadContext): Mesh;
}

/** Base of the readers that walk one file with a Scanner; err() reports at the scanner's line. */
export class ScanningReader {
  readonly sc: Scanner;
  constructor(
    readonly buf: Uint8Array,
    readonly ctx: ReadContext,
  ) {
    this.sc = new Scanner(buf, ctx.file);
  }

  err(code: string, msg: string, line = this.sc.line): MeshReadError {
    return new MeshReadError(code, msg, this.ctx.file, line);
  }
}

/** Cells of one type while reading: connectivity plus optional ids and lines. */
export class CellCollector {
  readonly conn: I32Builder;
  readonly ids: I32Builder | undefined;
  readonly lines: I32Builder | undefined;
  constructor(
    readonly type: CellType,
    withIds: boolean,
    withLines: boolean,
    capCells = 256,
  ) {
    const n = Math.max(1, CELL_TYPES[type].nodes);
    this.conn = new I32Builder(capCells * n);
    this.ids = withIds ? new I32Builder(capCells) : undefined;
    this.lines = withLines ? new I32Builder(capCells) : undefined;
  }
  toBlock(): CellBlock {
    return {
      type: this.type,
      connectivity: this.conn.view(),
      ...(this.ids ? { ids: this.ids.view() } : {}),
      ...(this.lines ? { lines: this.lines.view() } : {}),
    };
  }
}

/** Maps original ids (node numbers) to 0-based indices: a dense table when ids are compact, else a Map. */
export class IdMap {
  private dense: Int32Array | undefined;
  private sparse: Map<number, number> | undefined;
  readonly duplicates: number[] = []; // indices of points whose id was already seen
  constructor(ids: Int32Array) {
    let max = 0;
    let min = 0;
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i];
      if (v > max) max = v;
      if (v < min) min = v;
    }
    if (min >= 0 && max <= 4 * ids.length + 4096) {
      const d = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < ids.length; i++) {
        const v = ids[i];
        if (d[v] !== -1) this.duplicates.push(i);
        d[v] = i;
      }
      this.dense = d;
    } else {
      const m = new Map<number, number>();
      for (let i = 0; i < ids.length; i++) {
        if (m.has(ids[i])) this.duplicates.push(i);
        m.set(ids[i], i);
      }
      this.sparse = m;
    }
  }
  get(id: number): number {
    if (this.dense) return id >= 0 && id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
  /** Replace ids by indices in place; returns the positions that did not resolve. */
  mapInPlace(a: Int32Array, badIds?: number[]): number[] {
    const bad: number[] = [];
    const d = this.dense;
    if (d) {
      const n = d.length;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        const r = v >= 0 && v < n ? d[v] : -1;
        if (r < 0) {
          bad.push(i);
          badIds?.push(v);
        }
        a[i] = r;
      }
    } else {
      const m = this.sparse!;
      for (let i = 0; i < a.length; i++) {
        const r = m.get(a[i]) ?? -1;
        if (r < 0) {
          bad.push(i);
          badIds?.push(a[i]);
        }
        a[i] = r;
      }
    }
    return bad;
  }
}

/** Remove cells whose connectivity holds a negative index (already reported by the caller). */
export function dropBadCells(block: CellBlock, badPositions: number[]): CellBlock {
  if (badPositions.length === 0) return block;
  const n = CELL_TYPES[block.type].nodes;
  const bad = new Set<number>();
  for (const p of badPositions) bad.add(Math.floor(p / n));
  const count = block.connectivity.length / n;
  const keep = count - bad.size;
  const conn = new Int32Array(keep * n);
  const ids = block.ids ? new Int32Array(keep) : undefined;
  const lines = block.lines ? new Int32Array(keep) : undefined;
  const files = block.fileIndex ? new Uint16Array(keep) : undefined;
  let k = 0;
  for (let c = 0; c < count; c++) {
    if (bad.has(c)) continue;
    conn.set(block.connectivity.subarray(c * n, c * n + n), k * n);
    if (ids) ids[k] = block.ids![c];
    if (lines) lines[k] = block.lines![c];
    if (files) files[k] = block.fileIndex![c];
    k++;
  }
  return { type: block.type, connectivity: conn, ...(ids ? { ids } : {}), ...(lines ? { lines } : {}), ...(files ? { fileIndex: files } : {}), ...(block.line ? { line: block.line } : {}) };
}

/** Reorder the nodes of every cell: out[i] = in[perm[i]]. */
export function permuteCells(conn: Int32Array, perm: readonly number[]): void {
  const n = perm.length;
  const tmp = new Int32Array(n);
  for (let c = 0; c < conn.length; c += n) {
    for (let i = 0; i < n; i++) tmp[i] = conn[c + perm[i]];
    conn.set(tmp, c);
  }
}

export function emptyMesh(file: string, format: string): Mesh {
  return { points: new Float64Array(0), dimension: 3, cells: [], pointData: [], cellData: [], nodeSets: {}, elementSets: {}, source: { file, format } };
}

export function cellCount(block: CellBlock): number {
  if (block.offsets) return block.offsets.length;
  return block.connectivity.length / CELL_TYPES[block.type].nodes;
}

/** VTK cell type number → meshio name. */
export const VTK_TO_TYPE: ReadonlyMap<number, CellType> = new Map(Object.values(CELL_TYPES).map((t) => [t.vtk, t.name]));

export function dataArray(name: string, components: number, values: Float64Array | Float32Array | Int32Array): DataArray {
  return { name, components, values };
}

/** Path of `rel` relative to the directory of `file` (POSIX or Windows separators; no node:path, runs in browsers). */
export function resolveRelative(file: string, rel: string): string {
  if (/^([a-zA-Z]:)?[\\/]/.test(rel)) return rel;
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? rel : file.slice(0, i + 1) + rel;
}
