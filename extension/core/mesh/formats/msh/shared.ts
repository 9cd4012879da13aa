// What MSH 2.2 and 4.1 share: gmsh element types, the reader's state, and binary primitives
// (little- or big-endian per the $MeshFormat check; size_t of 4 or 8 bytes).
import { CellCollector, ScanningReader } from '../../build';
import { F64Builder, I32Builder, capacity } from '../../builders';
import { checkCount } from '../../readError';
import { CELL_TYPES, type CellType } from '../../types';

export const GMSH_TYPES: Record<number, CellType> = {
  1: 'line', 2: 'triangle', 3: 'quad', 4: 'tetra', 5: 'hexahedron', 6: 'wedge', 7: 'pyramid', 8: 'line3', 9: 'triangle6',
  10: 'quad9', 11: 'tetra10', 12: 'hexahedron27', 15: 'vertex', 16: 'quad8', 17: 'hexahedron20', 18: 'wedge15', 19: 'pyramid13',
};
// Nodes per element for gmsh types we skip, so a file using them can still be read past them.
const OTHER_SIZES: Record<number, number> = { 13: 18, 14: 14, 20: 9, 21: 10, 22: 12, 23: 15, 24: 15, 25: 21, 26: 4, 27: 5, 28: 6, 29: 20, 30: 35, 31: 56, 92: 64, 93: 125 };

/** gmsh → VTK node order (out[i] = in[perm[i]]), as meshio converts. */
export const GMSH_TO_VTK: Partial<Record<CellType, number[]>> = {
  tetra10: [0, 1, 2, 3, 4, 5, 6, 7, 9, 8],
  hexahedron20: [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 9, 16, 18, 19, 17, 10, 12, 14, 15],
  hexahedron27: [0, 1, 2, 3, 4, 5, 6, 7, 8, 11, 13, 9, 16, 18, 19, 17, 10, 12, 14, 15, 22, 23, 21, 24, 20, 25, 26],
  wedge15: [0, 1, 2, 3, 4, 5, 6, 9, 7, 12, 14, 13, 8, 10, 11],
  pyramid13: [0, 1, 2, 3, 4, 5, 8, 10, 6, 7, 9, 11, 12],
};

export function nodesOf(t: number): number {
  const c = GMSH_TYPES[t];
  return c ? CELL_TYPES[c].nodes : OTHER_SIZES[t] ?? -1;
}

export interface Group {
  col: CellCollector;
  phys: I32Builder;
  geom: I32Builder;
}

export interface NodeData {
  name: string;
  comps: number;
  tags: Int32Array;
  values: Float64Array;
  line: number;
}

/** State of one read, filled section by section by index.ts, v2.ts and v4.ts. */
export class MshFile extends ScanningReader {
  binary = false;
  little = true;
  version = 0;
  sizeT = 8;
  /** Line of the $Elements header: binary elements have no line of their own. */
  elementsLine = 1;
  readonly ids = new I32Builder(1024);
  readonly coords = new F64Builder(3072);
  readonly pointLines = new I32Builder(1024);
  readonly groups = new Map<CellType, Group>();
  readonly physNames = new Map<string, string>(); // "dim:tag" → name
  readonly entityPhys: Map<number, number[]>[] = [new Map(), new Map(), new Map(), new Map()];
  readonly skippedTypes = new Map<number, number>();
  readonly nodeData: NodeData[] = [];

  group(t: CellType): Group {
    let g = this.groups.get(t);
    if (!g) this.groups.set(t, (g = { col: new CellCollector(t, true, !this.binary, 1024), phys: new I32Builder(1024), geom: new I32Builder(1024) }));
    return g;
  }

  // --- binary primitives (little-endian per the $MeshFormat check) ---
  dv(): DataView {
    return new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
  need(n: number): void {
    if (!(n >= 0) || !Number.isSafeInteger(n)) throw this.err('bad-count', `a damaged count asks for ${n} bytes of binary data`);
    if (this.sc.pos + n > this.buf.length) throw this.err('msh-truncated', `binary section ends early (needs ${n} more bytes at offset ${this.sc.pos})`);
  }
  bInt(): number {
    this.need(4);
    const v = this.dv().getInt32(this.sc.pos, this.little);
    this.sc.pos += 4;
    return v;
  }
  /** How much to reserve for `n` declared items: a count, and no more than the rest of the file can hold at `minBytes` each. */
  count(n: number, minBytes: number, what: string): number {
    return capacity(checkCount(n, what, this.ctx.file, this.sc.line), this.buf.length - this.sc.pos, minBytes);
  }
  bSize(): number {
    this.need(this.sizeT);
    const d = this.dv();
    const p = this.sc.pos;
    this.sc.pos += this.sizeT;
    if (this.sizeT === 4) return d.getUint32(p, this.little);
    const lo = d.getUint32(p + (this.little ? 0 : 4), this.little);
    const hi = d.getUint32(p + (this.little ? 4 : 0), this.little);
    return hi * 4294967296 + lo;
  }
  bDouble(): number {
    this.need(8);
    const v = this.dv().getFloat64(this.sc.pos, this.little);
    this.sc.pos += 8;
    return v;
  }
  /** Fixed-size ints (4 or 8 bytes) narrowed to Int32, from the current position. */
  bInts(count: number, size: number): Int32Array {
    this.need(count * size);
    const p = this.sc.pos;
    this.sc.pos += count * size;
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + p, count * size);
    const le = this.little;
    const lo = le || size === 4 ? 0 : 4; // low word of an 8-byte int; tags < 2^31
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) out[i] = dv.getInt32(i * size + lo, le);
    return out;
  }
  bDoubles(count: number, into: Float64Array, at: number): void {
    this.need(count * 8);
    const p = this.sc.pos;
    this.sc.pos += count * 8;
    const src = this.buf.subarray(p, p + count * 8);
    if (src.byteOffset % 8 === 0 && this.little) into.set(new Float64Array(src.buffer, src.byteOffset, count), at);
    else {
      // Unaligned: read in place rather than allocating an aligned copy (fresh pages are the cost).
      const dv = new DataView(src.buffer, src.byteOffset, src.byteLength);
      const le = this.little;
      for (let i = 0; i < count; i++) into[at + i] = dv.getFloat64(i * 8, le);
    }
  }
  /** Element records (tag + k nodes, `size`-byte ints) straight into the collector: no intermediate arrays. */
  bElements(count: number, k: number, size: number, skip: number, ids: I32Builder, conn: I32Builder): void {
    const rec = (1 + skip + k) * size;
    this.need(count * rec);
    const p0 = this.sc.pos;
    this.sc.pos += count * rec;
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset + p0, count * rec);
    const le = this.little;
    ids.reserve(count);
    conn.reserve(count * k);
    const ia = ids.a;
    const ca = conn.a;
    let ni = ids.n;
    let nc = conn.n;
    const lo = le || size === 4 ? 0 : 4; // low word of an 8-byte int; tags < 2^31
    for (let e = 0; e < count; e++) {
      const o = e * rec;
      ia[ni++] = dv.getInt32(o + lo, le);
      const q = o + (1 + skip) * size + lo;
      for (let j = 0; j < k; j++) ca[nc++] = dv.getInt32(q + j * size, le);
    }
    ids.n = ni;
    conn.n = nc;
  }

  /** A declared count can't exceed the bytes left (hostile headers must not drive allocations). */
  plausible(n: number, what: string): void {
    if (!Number.isInteger(n) || n < 0 || n > this.buf.length - this.sc.pos) throw this.err('count-mismatch', `${what} declares ${n} entries but only ${this.buf.length - this.sc.pos} bytes remain`);
  }
}

/** Appends `count` copies of `v`. */
export function fill(b: I32Builder, count: number, v: number): void {
  b.reserve(count);
  b.a.fill(v, b.n, b.n + count);
  b.n += count;
}
