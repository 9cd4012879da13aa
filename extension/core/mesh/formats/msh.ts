// Gmsh .msh 2.2 and 4.1, ASCII and binary: nodes with sparse tags, elements by type, physical
// names (as element sets), gmsh:physical / gmsh:geometrical cell data and $NodeData point data
// (the same names meshio uses). Gmsh node order differs from VTK for some quadratic types.
import { CellCollector, IdMap, dropBadCells, permuteCells, type MeshFormat, type ReadContext } from '../build';
import { F64Builder, I32Builder, capacity } from '../builders';
import { MeshReadError, checkAbort, checkCount } from '../readError';
import { Scanner } from '../scanner';
import { countLines, findBytes } from '../text';
import { CELL_TYPES, type CellBlock, type CellType, type DataArray, type Mesh } from '../types';

const GMSH_TYPES: Record<number, CellType> = {
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

function nodesOf(t: number): number {
  const c = GMSH_TYPES[t];
  return c ? CELL_TYPES[c].nodes : OTHER_SIZES[t] ?? -1;
}

interface Group {
  col: CellCollector;
  phys: I32Builder;
  geom: I32Builder;
}

class MshReader {
  readonly sc: Scanner;
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
  readonly nodeData: { name: string; comps: number; tags: Int32Array; values: Float64Array; line: number }[] = [];
  constructor(
    readonly buf: Uint8Array,
    readonly ctx: ReadContext,
  ) {
    this.sc = new Scanner(buf, ctx.file);
  }

  err(code: string, msg: string, line = this.sc.line): MeshReadError {
    return new MeshReadError(code, msg, this.ctx.file, line);
  }

  group(t: CellType): Group {
    let g = this.groups.get(t);
    if (!g) this.groups.set(t, (g = { col: new CellCollector(t, true, !this.binary, 1024), phys: new I32Builder(1024), geom: new I32Builder(1024) }));
    return g;
  }

  // --- binary primitives (little-endian per the $MeshFormat check) ---
  private dv(): DataView {
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

  read(): Mesh {
    const sc = this.sc;
    for (;;) {
      sc.skipWs();
      if (sc.eof()) break;
      checkAbort(this.ctx.opts.signal, this.ctx.file, sc.line);
      const line = sc.line;
      const head = sc.readLine().trim();
      if (!head.startsWith('$')) throw this.err('msh-syntax', `expected a $Section, found '${head.slice(0, 40)}'`, line);
      const name = head.slice(1);
      switch (name) {
        case 'MeshFormat':
          this.meshFormat(line);
          break;
        case 'PhysicalNames':
          this.physicalNames();
          break;
        case 'Entities':
          if (this.version >= 4) this.entities();
          break;
        case 'Nodes':
          if (this.version >= 4) this.nodes4();
          else this.nodes2();
          break;
        case 'Elements':
          this.elementsLine = line;
          if (this.version >= 4) this.elements4();
          else this.elements2();
          break;
        case 'NodeData':
          this.nodeDataSection(line);
          break;
        default:
          if (this.version === 0) throw this.err('msh-no-format', 'file does not start with $MeshFormat', line);
      }
      this.endSection(name, line);
    }
    if (this.version === 0) throw this.err('msh-no-format', 'no $MeshFormat section (not a gmsh file?)', 1);
    return this.finish();
  }

  endSection(name: string, startLine: number): void {
    const sc = this.sc;
    const end = '$End' + name;
    const at = findBytes(this.buf, end, sc.pos);
    if (at < 0) throw this.err('msh-truncated', `section $${name} (line ${startLine}) has no ${end} (truncated file?)`, startLine);
    // Text between content and the end marker should be whitespace; a binary section is skipped by offset.
    if (!this.binary || name === 'MeshFormat' || name === 'PhysicalNames') sc.line += countLines(this.buf, sc.pos, at);
    sc.pos = at + end.length;
    sc.lineStart = sc.pos;
  }

  meshFormat(line: number): void {
    const sc = this.sc;
    const v = sc.float();
    const ft = sc.int();
    this.sizeT = sc.int();
    if (v !== 2.2 && v !== 2.1 && v !== 2 && v !== 4.1) {
      if (v === 4 || v === 4.0) throw this.err('msh-version', 'msh 4.0 is not supported; save as 4.1 or 2.2', line + 1);
      throw this.err('msh-version', `msh version ${v} is not supported (2.2 or 4.1)`, line + 1);
    }
    if (this.sizeT !== 4 && this.sizeT !== 8) throw this.err('msh-version', `data size ${this.sizeT} is not supported`, line + 1);
    this.version = v;
    this.binary = ft === 1;
    if (this.binary) {
      sc.nextLine();
      const one = new DataView(this.buf.buffer, this.buf.byteOffset + sc.pos, 4);
      this.little = one.getInt32(0, true) === 1;
      sc.pos += 4;
    }
  }

  physicalNames(): void {
    const sc = this.sc;
    const n = sc.int();
    sc.nextLine();
    for (let i = 0; i < n; i++) {
      const line = sc.line;
      const m = /^\s*(\d+)\s+(\d+)\s+"?([^"]*)"?\s*$/.exec(sc.readLine());
      if (!m) throw this.err('msh-syntax', 'physical name line must be: dim tag "name"', line);
      this.physNames.set(`${m[1]}:${m[2]}`, m[3]);
    }
  }

  entities(): void {
    const sc = this.sc;
    const b = this.binary;
    const counts = b ? [this.bSize(), this.bSize(), this.bSize(), this.bSize()] : [sc.int(), sc.int(), sc.int(), sc.int()];
    for (let d = 0; d < 4; d++) {
      for (let i = 0; i < counts[d]; i++) {
        const tag = b ? this.bInt() : sc.int();
        for (let k = 0; k < (d === 0 ? 3 : 6); k++) void (b ? this.bDouble() : sc.float()); // bounding box: unused
        const np = b ? this.bSize() : sc.int();
        const phys: number[] = [];
        for (let k = 0; k < np; k++) phys.push(b ? this.bInt() : sc.int());
        this.entityPhys[d].set(tag, phys);
        if (d > 0) {
          const nb = b ? this.bSize() : sc.int();
          for (let k = 0; k < nb; k++) void (b ? this.bInt() : sc.int()); // bounding entities: unused
        }
      }
    }
  }

  /** A declared count can't exceed the bytes left (hostile headers must not drive allocations). */
  plausible(n: number, what: string): void {
    if (!Number.isInteger(n) || n < 0 || n > this.buf.length - this.sc.pos) throw this.err('count-mismatch', `${what} declares ${n} entries but only ${this.buf.length - this.sc.pos} bytes remain`);
  }

  nodes2(): void {
    const sc = this.sc;
    const n = sc.int();
    this.plausible(n, '$Nodes');
    sc.nextLine();
    this.ids.reserve(n);
    this.coords.reserve(n * 3);
    const ids = this.ids;
    const xyz = this.coords.a;
    let q = this.coords.n;
    if (this.binary) {
      this.need(n * 28);
      const d = this.dv();
      let p = sc.pos;
      for (let i = 0; i < n; i++) {
        ids.a[ids.n++] = d.getInt32(p, this.little);
        xyz[q++] = d.getFloat64(p + 4, this.little);
        xyz[q++] = d.getFloat64(p + 12, this.little);
        xyz[q++] = d.getFloat64(p + 20, this.little);
        p += 28;
      }
      sc.pos = p;
    } else {
      this.pointLines.reserve(n);
      const pl = this.pointLines;
      for (let i = 0; i < n; i++) {
        sc.skipWs();
        if (sc.eof()) throw this.err('count-mismatch', `$Nodes declares ${n} nodes but the file ends after ${i}`);
        pl.a[pl.n++] = sc.line;
        ids.a[ids.n++] = sc.intHere();
        xyz[q++] = sc.float();
        xyz[q++] = sc.float();
        xyz[q++] = sc.float();
      }
    }
    this.coords.n = q;
  }

  elements2(): void {
    const sc = this.sc;
    const n = sc.int();
    this.plausible(n, '$Elements');
    sc.nextLine();
    if (this.binary) {
      let done = 0;
      while (done < n) {
        const type = this.bInt();
        const count = this.bInt();
        const ntags = this.bInt();
        const k = nodesOf(type);
        if (k < 0 || count <= 0) throw this.err('msh-element-type', `unknown gmsh element type ${type}`);
        const data = this.bInts(count * (1 + ntags + k), 4);
        const ct = GMSH_TYPES[type];
        if (!ct) this.skippedTypes.set(type, (this.skippedTypes.get(type) ?? 0) + count);
        else {
          const g = this.group(ct);
          const conn = g.col.conn;
          conn.reserve(count * k);
          for (let e = 0; e < count; e++) {
            const o = e * (1 + ntags + k);
            g.col.ids!.push(data[o]);
            g.phys.push(ntags > 0 ? data[o + 1] : 0);
            g.geom.push(ntags > 1 ? data[o + 2] : 0);
            for (let j = 0; j < k; j++) conn.a[conn.n++] = data[o + 1 + ntags + j];
          }
        }
        done += count;
      }
      return;
    }
    for (let i = 0; i < n; i++) {
      sc.skipWs();
      if (sc.eof()) throw this.err('count-mismatch', `$Elements declares ${n} elements but the file ends after ${i}`);
      const line = sc.line;
      const id = sc.intHere();
      const type = sc.int();
      const ntags = sc.int();
      let phys = 0;
      let geom = 0;
      for (let t = 0; t < ntags; t++) {
        const v = sc.int();
        if (t === 0) phys = v;
        else if (t === 1) geom = v;
      }
      const k = nodesOf(type);
      if (k < 0) throw this.err('msh-element-type', `unknown gmsh element type ${type}`, line);
      const ct = GMSH_TYPES[type];
      if (!ct) {
        this.skippedTypes.set(type, (this.skippedTypes.get(type) ?? 0) + 1);
        for (let j = 0; j < k; j++) sc.int();
        continue;
      }
      const g = this.group(ct);
      const conn = g.col.conn;
      conn.reserve(k);
      for (let j = 0; j < k; j++) conn.a[conn.n++] = sc.int();
      g.col.ids!.push(id);
      g.col.lines!.push(line);
      g.phys.push(phys);
      g.geom.push(geom);
    }
  }

  /** MSH 4 $Nodes/$Elements header: numEntityBlocks numItems minTag maxTag (the tag range is not needed). */
  private sectionHeader4(): { nBlocks: number; n: number } {
    const read = (): number => (this.binary ? this.bSize() : this.sc.int());
    const nBlocks = read();
    const n = read();
    read();
    read();
    return { nBlocks, n };
  }

  nodes4(): void {
    const sc = this.sc;
    const b = this.binary;
    const { nBlocks, n } = this.sectionHeader4();
    this.plausible(n, '$Nodes');
    this.plausible(nBlocks, '$Nodes');
    this.ids.reserve(n);
    this.coords.reserve(n * 3);
    if (!b) this.pointLines.reserve(n);
    for (let blk = 0; blk < nBlocks; blk++) {
      const line = sc.line;
      void (b ? this.bInt() : sc.int()); // entity dim
      void (b ? this.bInt() : sc.int()); // entity tag
      const parametric = b ? this.bInt() : sc.int();
      const count = b ? this.bSize() : sc.int();
      this.plausible(count, 'a $Nodes block');
      if (this.ids.n + count > n) throw this.err('count-mismatch', `$Nodes declares ${n} nodes but its blocks hold more`, line);
      if (parametric) throw this.err('msh-parametric', 'parametric nodes are not supported; save without parametric coordinates', line);
      const ids = this.ids;
      const base = ids.n;
      const xyz = this.coords.a;
      if (b) {
        ids.a.set(this.bInts(count, this.sizeT), base);
        ids.n += count;
        this.bDoubles(count * 3, xyz, this.coords.n);
        this.coords.n += count * 3;
      } else {
        for (let i = 0; i < count; i++) ids.a[ids.n++] = sc.int();
        let q = this.coords.n;
        const pl = this.pointLines;
        for (let i = 0; i < count; i++) {
          sc.skipWs();
          if (sc.eof()) throw this.err('msh-truncated', 'the file ends inside $Nodes');
          pl.a[pl.n++] = sc.line;
          xyz[q++] = sc.floatHere();
          xyz[q++] = sc.float();
          xyz[q++] = sc.float();
        }
        this.coords.n = q;
      }
    }
    if (this.ids.n !== n) throw this.err('count-mismatch', `$Nodes declares ${n} nodes but its blocks hold ${this.ids.n}`);
  }

  elements4(): void {
    const sc = this.sc;
    const b = this.binary;
    const { nBlocks, n } = this.sectionHeader4();
    let total = 0;
    for (let blk = 0; blk < nBlocks; blk++) {
      const line = sc.line;
      const dim = b ? this.bInt() : sc.int();
      const tag = b ? this.bInt() : sc.int();
      const type = b ? this.bInt() : sc.int();
      const count = b ? this.bSize() : sc.int();
      this.plausible(count, 'an $Elements block');
      const k = nodesOf(type);
      if (k < 0) throw this.err('msh-element-type', `unknown gmsh element type ${type}`, line);
      const ct = GMSH_TYPES[type];
      const physList = this.entityPhys[dim]?.get(tag);
      const phys = physList && physList.length ? physList[0] : 0;
      total += count;
      if (b) {
        if (!ct) {
          this.bInts(count * (1 + k), this.sizeT);
          this.skippedTypes.set(type, (this.skippedTypes.get(type) ?? 0) + count);
          continue;
        }
        const g = this.group(ct);
        this.bElements(count, k, this.sizeT, 0, g.col.ids!, g.col.conn);
        fill(g.phys, count, phys);
        fill(g.geom, count, tag);
        continue;
      }
      if (!ct) {
        this.skippedTypes.set(type, (this.skippedTypes.get(type) ?? 0) + count);
        for (let e = 0; e < count * (1 + k); e++) sc.int();
        continue;
      }
      const g = this.group(ct);
      const conn = g.col.conn;
      conn.reserve(count * k);
      const ids = g.col.ids!;
      const lines = g.col.lines!;
      for (let e = 0; e < count; e++) {
        sc.skipWs();
        if (sc.eof()) throw this.err('msh-truncated', 'the file ends inside $Elements');
        lines.push(sc.line);
        ids.push(sc.intHere());
        for (let j = 0; j < k; j++) conn.a[conn.n++] = sc.int();
      }
      fill(g.phys, count, phys);
      fill(g.geom, count, tag);
    }
    if (total !== n) this.ctx.diag.add('error', 'count-mismatch', `$Elements declares ${n} elements but its blocks hold ${total}`, sc.line);
  }

  nodeDataSection(line: number): void {
    const sc = this.sc;
    const ns = sc.int();
    sc.nextLine();
    const strings: string[] = [];
    for (let i = 0; i < ns; i++) strings.push(sc.readLine().trim().replace(/^"(.*)"$/, '$1'));
    const nr = sc.int();
    for (let i = 0; i < nr; i++) sc.float();
    const ni = sc.int();
    const ints: number[] = [];
    for (let i = 0; i < ni; i++) ints.push(sc.int());
    const comps = ints[1] ?? 1;
    const count = ints[2] ?? 0;
    if (!Number.isSafeInteger(comps) || comps < 1) throw this.err('bad-count', `$NodeData with ${comps} components`);
    const cap = this.count(count, 2 * (1 + comps) - 1, '$NodeData');
    const tags = new Int32Array(cap);
    const values = new Float64Array(cap * comps);
    if (this.binary) {
      sc.nextLine();
      for (let i = 0; i < count; i++) {
        tags[i] = this.bInt();
        for (let c = 0; c < comps; c++) values[i * comps + c] = this.bDouble();
      }
    } else {
      for (let i = 0; i < count; i++) {
        tags[i] = sc.int();
        for (let c = 0; c < comps; c++) values[i * comps + c] = sc.float();
      }
    }
    this.nodeData.push({ name: strings[0] ?? `data${this.nodeData.length}`, comps, tags, values, line });
  }

  finish(): Mesh {
    const diag = this.ctx.diag;
    const ids = this.ids.view();
    const idMap = new IdMap(ids);
    const np = ids.length;
    const pointLines = this.binary ? undefined : this.pointLines.view();
    for (const i of idMap.duplicates) diag.add('warning', 'duplicate-node-id', `node tag ${ids[i]} appears more than once`, pointLines?.[i] ?? 0);
    for (const [t, c] of this.skippedTypes) diag.add('warning', 'unsupported-cell-type', `${c} elements of gmsh type ${t} are not supported and were skipped`, 1);
    const cells: CellBlock[] = [];
    const cellData: DataArray[][] = [];
    const elementSets: Record<string, number[]> = {};
    for (const [type, g] of this.groups) {
      let block = g.col.toBlock();
      const badIds: number[] = [];
      const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
      let phys = g.phys.view();
      let geom = g.geom.view();
      if (bad.length) {
        const k = CELL_TYPES[type].nodes;
        const seen = new Set<number>();
        bad.forEach((p, j) => {
          const c = Math.floor(p / k);
          if (seen.has(c)) return;
          seen.add(c);
          diag.add('error', 'index-out-of-range', `element ${block.ids![c]} refers to undefined node ${badIds[j]}; the element is skipped`, block.lines?.[c] || this.elementsLine);
        });
        const keep = (a: Int32Array): Int32Array => a.filter((_, c) => !seen.has(c));
        phys = keep(phys);
        geom = keep(geom);
        block = dropBadCells(block, bad);
      }
      const perm = GMSH_TO_VTK[type];
      if (perm) permuteCells(block.connectivity as Int32Array, perm);
      cells.push(block);
      cellData.push([
        { name: 'gmsh:physical', components: 1, values: phys },
        { name: 'gmsh:geometrical', components: 1, values: geom },
      ]);
      const dim = CELL_TYPES[type].dim;
      for (let c = 0; c < phys.length; c++) {
        const name = this.physNames.get(`${dim}:${phys[c]}`);
        if (name) (elementSets[name] ??= []).push(block.ids![c]);
      }
    }
    const pointData: DataArray[] = [];
    for (const nd of this.nodeData) {
      const v = new Float64Array(np * nd.comps).fill(NaN);
      for (let i = 0; i < nd.tags.length; i++) {
        const idx = idMap.get(nd.tags[i]);
        if (idx < 0) {
          diag.add('error', 'index-out-of-range', `$NodeData '${nd.name}' refers to undefined node ${nd.tags[i]}`, nd.line);
          continue;
        }
        for (let c = 0; c < nd.comps; c++) v[idx * nd.comps + c] = nd.values[i * nd.comps + c];
      }
      pointData.push({ name: nd.name, components: nd.comps, values: v });
    }
    const sets: Record<string, Int32Array> = {};
    for (const [k, v] of Object.entries(elementSets)) sets[k] = Int32Array.from(v);
    return {
      points: this.coords.view(),
      dimension: 3,
      pointIds: ids,
      ...(pointLines ? { pointLines } : {}),
      cells,
      pointData,
      cellData,
      nodeSets: {},
      elementSets: sets,
      source: { file: this.ctx.file, format: `msh${this.version}${this.binary ? '-binary' : ''}` },
    };
  }
}

function fill(b: I32Builder, count: number, v: number): void {
  b.reserve(count);
  b.a.fill(v, b.n, b.n + count);
  b.n += count;
}

export function readMsh(bytes: Uint8Array, ctx: ReadContext): Mesh {
  return new MshReader(bytes, ctx).read();
}

export const mshFormat: MeshFormat = { name: 'msh', extensions: ['.msh'], read: readMsh };
