// Surface formats: STL (ASCII and binary), OBJ, OFF, PLY (ASCII, binary little and big endian).
import { CellCollector, type MeshFormat, type ReadContext } from '../build';
import { F64Builder, I32Builder, capacity } from '../builders';
import { MeshReadError, checkAbort, checkCount } from '../readError';
import { Scanner } from '../scanner';
import { findBytes, latin1 } from '../text';
import type { CellBlock, CellType, DataArray, Mesh } from '../types';

function surfaceMesh(file: string, format: string, points: Float64Array, cells: CellBlock[], pointData: DataArray[] = [], cellData?: DataArray[][], dimension: 2 | 3 = 3, pointLines?: Int32Array): Mesh {
  return { points, dimension, ...(pointLines ? { pointLines } : {}), cells, pointData, cellData: cellData ?? cells.map(() => []), nodeSets: {}, elementSets: {}, source: { file, format } };
}

/** Faces of any size → triangle / quad / polygon blocks, grouped by type in file order. */
class FaceSorter {
  readonly tri = new CellCollector('triangle', false, true);
  readonly quad = new CellCollector('quad', false, true);
  readonly poly = new CellCollector('polygon', false, true);
  readonly polyOffsets = new I32Builder(64);
  readonly order: CellType[] = [];
  add(ix: ArrayLike<number>, n: number, line: number): void {
    const c = n === 3 ? this.tri : n === 4 ? this.quad : this.poly;
    if (c.conn.n === 0 && !this.order.includes(c.type)) this.order.push(c.type);
    c.conn.reserve(n);
    for (let i = 0; i < n; i++) c.conn.a[c.conn.n++] = ix[i];
    c.lines!.push(line);
    if (c === this.poly) this.polyOffsets.push(c.conn.n);
  }
  blocks(): CellBlock[] {
    return this.order.map((t) => {
      if (t === 'polygon') return { ...this.poly.toBlock(), offsets: this.polyOffsets.view() };
      return (t === 'triangle' ? this.tri : this.quad).toBlock();
    });
  }
}

/** Exact-duplicate merging of STL vertices, first occurrence first (what meshio does). */
function mergeVertices(xyz: Float64Array): { points: Float64Array; index: Int32Array } {
  const n = xyz.length / 3;
  let cap = 16;
  while (cap < n * 2) cap <<= 1;
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1);
  const bits = new Uint32Array(xyz.buffer, xyz.byteOffset, xyz.length * 2);
  const out = new Float64Array(n * 3);
  const index = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = xyz[i * 3], y = xyz[i * 3 + 1], z = xyz[i * 3 + 2];
    let h = 0;
    for (let k = 0; k < 6; k++) h = Math.imul(h ^ bits[i * 6 + k], 0x9e3779b1) >>> 0;
    h &= mask;
    for (;;) {
      const j = table[h];
      if (j < 0) {
        table[h] = m;
        out[m * 3] = x;
        out[m * 3 + 1] = y;
        out[m * 3 + 2] = z;
        index[i] = m++;
        break;
      }
      if (out[j * 3] === x && out[j * 3 + 1] === y && out[j * 3 + 2] === z) {
        index[i] = j;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  return { points: out.slice(0, m * 3), index };
}

export function readStl(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const file = ctx.file;
  const isBinarySize = bytes.length >= 84 && 84 + 50 * new DataView(bytes.buffer, bytes.byteOffset + 80, 4).getUint32(0, true) === bytes.length;
  const head = latin1(bytes, 0, Math.min(bytes.length, 512)).trimStart().toLowerCase();
  const ascii = !isBinarySize && head.startsWith('solid');
  let xyz: Float64Array;
  let lines: Int32Array | undefined;
  let normals: Float64Array;
  if (!ascii) {
    if (bytes.length < 84) throw new MeshReadError('stl-truncated', 'binary STL shorter than its 84-byte header', file, 1);
    const n = new DataView(bytes.buffer, bytes.byteOffset + 80, 4).getUint32(0, true);
    if (84 + 50 * n > bytes.length) throw new MeshReadError('stl-truncated', `binary STL declares ${n} triangles but holds ${Math.floor((bytes.length - 84) / 50)}`, file, 1);
    if (84 + 50 * n < bytes.length) ctx.diag.add('warning', 'stl-trailing-bytes', `${bytes.length - 84 - 50 * n} bytes after the last triangle are ignored`, 1);
    xyz = new Float64Array(n * 9);
    normals = new Float64Array(n * 3);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let t = 0; t < n; t++) {
      for (let k = 0; k < 3; k++) normals[t * 3 + k] = dv.getFloat32(84 + t * 50 + k * 4, true);
      for (let k = 0; k < 9; k++) xyz[t * 9 + k] = dv.getFloat32(84 + t * 50 + 12 + k * 4, true);
    }
  } else {
    const sc = new Scanner(bytes, file);
    const v = new F64Builder(4096);
    const nb = new F64Builder(1024);
    const tl = new I32Builder(1024);
    let inLoop = 0;
    for (;;) {
      const t = sc.token().toLowerCase();
      if (t === '') break;
      if (t === 'vertex') {
        if (inLoop === 0) tl.push(sc.line);
        v.push(sc.float());
        v.push(sc.float());
        v.push(sc.float());
        inLoop++;
      } else if (t === 'endloop') {
        if (inLoop !== 3) throw sc.error('stl-not-triangle', `facet has ${inLoop} vertices; only triangles are supported`);
        inLoop = 0;
      } else if (t === 'normal') {
        nb.push(sc.float());
        nb.push(sc.float());
        nb.push(sc.float());
      } else if (t === 'solid' || t === 'endsolid') sc.readLine();
      else if (t !== 'facet' && t !== 'outer' && t !== 'loop' && t !== 'endfacet') throw sc.error('stl-syntax', `unexpected '${t.slice(0, 30)}' in ASCII STL`);
    }
    if (inLoop !== 0) throw sc.error('stl-truncated', 'file ends inside a facet');
    xyz = v.view();
    lines = tl.view();
    normals = nb.view();
  }
  const { points, index } = mergeVertices(xyz);
  const cd = normals.length === index.length ? [[{ name: 'facet_normals', components: 3, values: normals }]] : [[]];
  return surfaceMesh(file, ascii ? 'stl' : 'stl-binary', points, [{ type: 'triangle', connectivity: index, ...(lines ? { lines } : {}) }], [], cd);
}

export function readObj(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const sc = new Scanner(bytes, ctx.file);
  const v = new F64Builder(4096);
  const faces = new FaceSorter();
  const pl = new I32Builder(1024);
  const ix: number[] = [];
  let np = 0;
  while (!sc.eof()) {
    sc.skipInline();
    const c = bytes[sc.pos];
    if (c === 10 || c === 35 /* # */ || sc.eof()) {
      sc.nextLine();
      continue;
    }
    const line = sc.line;
    const s = sc.pos;
    while (sc.pos < sc.end && bytes[sc.pos] > 32) sc.pos++;
    const kw = latin1(bytes, s, sc.pos);
    if (kw === 'v') {
      pl.push(line);
      v.push(sc.floatInline());
      v.push(sc.floatInline());
      const z = sc.floatInline();
      v.push(Number.isNaN(z) && sc.atEol() ? 0 : z);
      np++;
      sc.nextLine();
    } else if (kw === 'f') {
      ix.length = 0;
      for (;;) {
        sc.skipInline();
        if (sc.atEol()) break;
        // vertex index, then skip "/vt/vn"
        let neg = false;
        if (bytes[sc.pos] === 45) {
          neg = true;
          sc.pos++;
        }
        let k = 0;
        const d0 = sc.pos;
        while (sc.pos < sc.end && bytes[sc.pos] >= 48 && bytes[sc.pos] <= 57) k = k * 10 + bytes[sc.pos++] - 48;
        if (sc.pos === d0) throw sc.error('obj-bad-face', 'face vertex must start with an index', line);
        if (neg) k = -k;
        while (sc.pos < sc.end && bytes[sc.pos] > 32) sc.pos++;
        if (k < 0) k = np + k + 1; // relative index
        ix.push(k - 1);
      }
      if (ix.length < 3) throw sc.error('obj-bad-face', `face with ${ix.length} vertices`, line);
      faces.add(ix, ix.length, line);
      sc.nextLine();
    } else sc.nextLine(); // vt, vn, g, o, s, usemtl, mtllib: not geometry we keep
    checkAbort(ctx.opts.signal, ctx.file, line);
  }
  return surfaceMesh(ctx.file, 'obj', v.view(), faces.blocks(), [], undefined, 3, pl.view());
}

export function readOff(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const sc = new Scanner(bytes, ctx.file);
  // Comments run from '#' to end of line; strip them by skipping when seen.
  const skip = (): void => {
    for (;;) {
      sc.skipWs();
      if (bytes[sc.pos] === 35) sc.nextLine();
      else return;
    }
  };
  skip();
  const magic = sc.token();
  if (!/^C?N?OFF$/.test(magic)) throw new MeshReadError('off-header', `expected OFF header, found '${magic.slice(0, 20)}'`, ctx.file, 1);
  skip();
  const countLine = sc.line;
  const nv = checkCount(sc.int(), 'OFF vertices', ctx.file, countLine);
  const nf = checkCount(sc.int(), 'OFF faces', ctx.file, countLine);
  sc.int();
  // a vertex takes at least three digits and two separators
  const cap = capacity(nv, bytes.length - sc.pos, 5);
  const pts = new Float64Array(cap * 3);
  const pl = new Int32Array(cap);
  for (let i = 0; i < nv; i++) {
    skip();
    if (sc.eof()) throw sc.error('count-mismatch', `header declares ${nv} vertices, the file ends after ${i}`);
    pl[i] = sc.line;
    pts[i * 3] = sc.floatHere();
    pts[i * 3 + 1] = sc.float();
    pts[i * 3 + 2] = sc.float();
    sc.nextLine();
  }
  const faces = new FaceSorter();
  const ix: number[] = [];
  for (let f = 0; f < nf; f++) {
    skip();
    if (sc.eof()) throw sc.error('count-mismatch', `header declares ${nf} faces, the file ends after ${f}`);
    const line = sc.line;
    const n = sc.intHere();
    ix.length = 0;
    for (let k = 0; k < n; k++) ix.push(sc.intInline());
    faces.add(ix, n, line);
    sc.nextLine(); // colour values may follow
  }
  return surfaceMesh(ctx.file, 'off', pts, faces.blocks(), [], undefined, 3, pl);
}

interface PlyProp {
  name: string;
  type: string;
  list?: { countType: string; itemType: string };
}
const PLY_TYPES: Record<string, string> = {
  char: 'Int8', int8: 'Int8', uchar: 'UInt8', uint8: 'UInt8', short: 'Int16', int16: 'Int16', ushort: 'UInt16', uint16: 'UInt16',
  int: 'Int32', int32: 'Int32', uint: 'UInt32', uint32: 'UInt32', float: 'Float32', float32: 'Float32', double: 'Float64', float64: 'Float64',
};
const PLY_SIZES: Record<string, number> = { Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Float32: 4, Float64: 8 };

export function readPly(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const file = ctx.file;
  const endHeader = findBytes(bytes, 'end_header', 0, Math.min(bytes.length, 1 << 16));
  if (latin1(bytes, 0, 3) !== 'ply' || endHeader < 0) throw new MeshReadError('ply-header', 'not a PLY file (no "ply" ... "end_header")', file, 1);
  const headerLines = latin1(bytes, 0, endHeader).split(/\r?\n/);
  let format = '';
  const elements: { name: string; count: number; props: PlyProp[]; line: number }[] = [];
  headerLines.forEach((l, i) => {
    const p = l.trim().split(/\s+/);
    if (p[0] === 'format') format = p[1];
    else if (p[0] === 'element') elements.push({ name: p[1], count: Number(p[2]), props: [], line: i + 1 });
    else if (p[0] === 'property') {
      const el = elements[elements.length - 1];
      if (!el) throw new MeshReadError('ply-header', 'property before any element', file, i + 1);
      if (p[1] === 'list') el.props.push({ name: p[4], type: '', list: { countType: PLY_TYPES[p[2]], itemType: PLY_TYPES[p[3]] } });
      else el.props.push({ name: p[2], type: PLY_TYPES[p[1]] });
      const last = el.props[el.props.length - 1];
      if ((!last.list && !last.type) || (last.list && (!last.list.countType || !last.list.itemType))) throw new MeshReadError('ply-header', `unknown property type in '${l.trim()}'`, file, i + 1);
    }
  });
  if (format !== 'ascii' && format !== 'binary_little_endian' && format !== 'binary_big_endian') throw new MeshReadError('ply-header', `unknown PLY format '${format}'`, file, 2);
  let pos = bytes.indexOf(10, endHeader) + 1;
  // Arrays are sized from counts no larger than the rest of the file can hold: an ascii value takes at
  // least a digit and a separator, a binary one its size (a list at least its count).
  const alloc = new Map<string, number>();
  for (const el of elements) {
    checkCount(el.count, `element ${el.name}`, file, el.line);
    if (el.props.length === 0 && el.count > 0) {
      // no properties, no data: report it rather than loop 2^31 times over nothing
      ctx.diag.add('error', 'ply-header', `element ${el.name} declares ${el.count} items but no properties`, el.line);
      el.count = 0;
    }
    const min = el.props.reduce((s, p) => s + (format === 'ascii' ? 2 : PLY_SIZES[p.list ? p.list.countType : p.type]), 0) - (format === 'ascii' ? 1 : 0);
    alloc.set(el.name, capacity(el.count, bytes.length - pos, Math.max(1, min)));
  }
  let elLine = headerLines.length + 1; // binary data has no lines: errors point at the element's header line
  const sc = new Scanner(bytes, file, pos);
  sc.line = headerLines.length + 1;
  const little = format === 'binary_little_endian';
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const readBin = (type: string): number => {
    const size = PLY_SIZES[type];
    if (pos + size > bytes.length) throw new MeshReadError('ply-truncated', 'binary PLY data ends early', file, elLine);
    let v: number;
    switch (type) {
      case 'Int8': v = dv.getInt8(pos); break;
      case 'UInt8': v = dv.getUint8(pos); break;
      case 'Int16': v = dv.getInt16(pos, little); break;
      case 'UInt16': v = dv.getUint16(pos, little); break;
      case 'Int32': v = dv.getInt32(pos, little); break;
      case 'UInt32': v = dv.getUint32(pos, little); break;
      case 'Float32': v = dv.getFloat32(pos, little); break;
      default: v = dv.getFloat64(pos, little);
    }
    pos += size;
    return v;
  };
  const num = (type: string): number => (format === 'ascii' ? sc.float() : readBin(type));
  let points = new Float64Array(0);
  const pointData: DataArray[] = [];
  const faces = new FaceSorter();
  for (const el of elements) {
    elLine = el.line;
    checkAbort(ctx.opts.signal, file, sc.line);
    if (el.name === 'vertex') {
      const scalar = el.props.filter((p) => !p.list);
      // Fixed-size binary vertex records: one typed read per property column.
      const cols = scalar.map(() => new Float64Array(alloc.get(el.name) ?? 0));
      if (format !== 'ascii' && el.props.every((p) => !p.list)) {
        const rec = el.props.reduce((s, p) => s + PLY_SIZES[p.type], 0);
        const start = pos;
        if (start + rec * el.count > bytes.length) throw new MeshReadError('ply-truncated', `vertex data needs ${rec * el.count} bytes`, file, el.line);
        let off = 0;
        scalar.forEach((p, j) => {
          const col = cols[j];
          for (let i = 0; i < el.count; i++) {
            pos = start + i * rec + off;
            col[i] = readBin(p.type);
          }
          off += PLY_SIZES[p.type];
        });
        pos = start + rec * el.count;
      } else {
        for (let i = 0; i < el.count; i++) {
          let j = 0;
          for (const p of el.props) {
            if (p.list) {
              const n = num(p.list.countType);
              for (let k = 0; k < n; k++) num(p.list.itemType);
            } else cols[j++][i] = num(p.type);
          }
        }
      }
      const xi = scalar.findIndex((p) => p.name === 'x');
      const yi = scalar.findIndex((p) => p.name === 'y');
      const zi = scalar.findIndex((p) => p.name === 'z');
      if (xi < 0 || yi < 0) throw new MeshReadError('ply-no-xyz', 'vertex element has no x/y properties', file, el.line);
      points = new Float64Array((alloc.get(el.name) ?? 0) * 3);
      for (let i = 0; i < el.count; i++) {
        points[i * 3] = cols[xi][i];
        points[i * 3 + 1] = cols[yi][i];
        points[i * 3 + 2] = zi >= 0 ? cols[zi][i] : 0;
      }
      scalar.forEach((p, j) => {
        if (j !== xi && j !== yi && j !== zi) pointData.push({ name: p.name, components: 1, values: cols[j] });
      });
    } else if (el.name === 'face') {
      const ix: number[] = [];
      for (let i = 0; i < el.count; i++) {
        const line = sc.line;
        for (const p of el.props) {
          if (p.list) {
            const n = num(p.list.countType);
            const isIdx = p.name === 'vertex_indices' || p.name === 'vertex_index';
            if (isIdx) ix.length = 0;
            for (let k = 0; k < n; k++) {
              const v = num(p.list.itemType);
              if (isIdx) ix.push(v);
            }
            if (isIdx) faces.add(ix, n, format === 'ascii' ? line : 0);
          } else num(p.type);
        }
      }
    } else {
      // other elements (edge, material, ...) are skipped
      for (let i = 0; i < el.count; i++) for (const p of el.props) {
        if (p.list) {
          const n = num(p.list.countType);
          for (let k = 0; k < n; k++) num(p.list.itemType);
        } else num(p.type);
      }
    }
    if (format === 'ascii') pos = sc.pos;
  }
  return surfaceMesh(file, 'ply', points, faces.blocks(), pointData);
}

export const stlFormat: MeshFormat = { name: 'stl', extensions: ['.stl'], read: readStl };
export const objFormat: MeshFormat = { name: 'obj', extensions: ['.obj'], read: readObj };
export const offFormat: MeshFormat = { name: 'off', extensions: ['.off'], read: readOff };
export const plyFormat: MeshFormat = { name: 'ply', extensions: ['.ply'], read: readPly };
