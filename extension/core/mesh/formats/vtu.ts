// VTK XML: .vtu (UnstructuredGrid), .vtp (PolyData), .pvtu (pieces). A small tag scanner over the
// bytes (no DOM); DataArrays decode straight from the buffer: ascii, inline base64, appended raw/base64,
// UInt32/UInt64 headers, zlib blocks through fflate.
import { unzlibSync } from 'fflate';
import { resolveRelative, type MeshFormat, type ReadContext } from '../build';
import { TYPE_SIZES, decodeBase64, int64ToInt32, readUint, toDataValues, toFloat64, toInt32, typedFromBytes, type NumArray } from '../binary';
import { F64Builder } from '../builders';
import { Diagnostics } from '../diagnostics';
import { MeshReadError } from '../readError';
import { Scanner } from '../scanner';
import { countLines, findBytes, latin1 } from '../text';
import type { CellBlock, DataArray, Mesh } from '../types';
import { cellsFromVtk, polyVtkType } from './vtkcommon';

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Byte range of the text directly inside the element (up to the first child or the end tag). */
  textStart: number;
  textEnd: number;
  offset: number;
}

interface XmlDoc {
  root: XmlNode;
  /** Start of appended data (after the '_'), or -1. */
  appended: number;
  appendedEncoding: string;
}

const ATTR = /([A-Za-z_:][-\w:.]*)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseXml(buf: Uint8Array, file: string): XmlDoc {
  const stack: XmlNode[] = [];
  const top: XmlNode = { name: '#doc', attrs: {}, children: [], textStart: 0, textEnd: 0, offset: 0 };
  stack.push(top);
  let p = 0;
  let appended = -1;
  let appendedEncoding = 'raw';
  while (p < buf.length) {
    const lt = buf.indexOf(60 /* < */, p);
    if (lt < 0) break;
    const cur = stack[stack.length - 1];
    if (cur.textEnd === 0 && cur.children.length === 0) cur.textEnd = lt;
    const c1 = buf[lt + 1];
    if (c1 === 63 /* ? */ || c1 === 33 /* ! */) {
      const endMark = c1 === 33 && buf[lt + 2] === 45 ? '-->' : '>';
      const e = findBytes(buf, endMark, lt + 2);
      if (e < 0) throw new MeshReadError('xml-truncated', 'unterminated XML comment or declaration', file, countLines(buf, 0, lt) + 1);
      p = e + endMark.length;
      continue;
    }
    const gt = buf.indexOf(62 /* > */, lt);
    if (gt < 0) throw new MeshReadError('xml-truncated', 'the file ends inside a tag (truncated?)', file, countLines(buf, 0, lt) + 1);
    const tag = latin1(buf, lt + 1, gt);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new MeshReadError('xml-mismatch', `closing tag </${name}> does not match <${open?.name ?? ''}>`, file, countLines(buf, 0, lt) + 1);
      if (open.textEnd === 0) open.textEnd = lt;
      p = gt + 1;
      continue;
    }
    const selfClose = tag.endsWith('/');
    const body = selfClose ? tag.slice(0, -1) : tag;
    const m = /^\s*([A-Za-z_][-\w:.]*)/.exec(body);
    if (!m) throw new MeshReadError('xml-bad-tag', `malformed tag <${body.slice(0, 40)}>`, file, countLines(buf, 0, lt) + 1);
    const attrs: Record<string, string> = {};
    ATTR.lastIndex = 0;
    for (let a = ATTR.exec(body); a; a = ATTR.exec(body)) attrs[a[1]] = a[3] ?? a[4];
    const node: XmlNode = { name: m[1], attrs, children: [], textStart: gt + 1, textEnd: selfClose ? gt + 1 : 0, offset: lt };
    cur.children.push(node);
    p = gt + 1;
    if (node.name === 'AppendedData') {
      appendedEncoding = attrs.encoding ?? 'raw';
      const us = buf.indexOf(95 /* _ */, p);
      if (us < 0) throw new MeshReadError('vtu-appended', 'AppendedData without the leading "_"', file, countLines(buf, 0, lt) + 1);
      appended = us + 1;
      break; // raw binary follows: no more tags we can trust
    }
    if (!selfClose) stack.push(node);
  }
  if (appended < 0 && stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new MeshReadError('xml-truncated', `the file ends inside <${open.name}> (truncated?)`, file, countLines(buf, 0, open.offset) + 1);
  }
  return { root: top, appended, appendedEncoding };
}

function child(n: XmlNode | undefined, name: string): XmlNode | undefined {
  return n?.children.find((c) => c.name === name);
}

class VtkXmlReader {
  readonly little: boolean;
  readonly headerSize: 4 | 8;
  readonly compressed: boolean;
  constructor(
    readonly buf: Uint8Array,
    readonly doc: XmlDoc,
    readonly vtk: XmlNode,
    readonly ctx: ReadContext,
  ) {
    this.little = (vtk.attrs.byte_order ?? 'LittleEndian') !== 'BigEndian';
    this.headerSize = vtk.attrs.header_type === 'UInt64' ? 8 : 4;
    const comp = vtk.attrs.compressor;
    this.compressed = !!comp;
    if (comp && comp !== 'vtkZLibDataCompressor') throw this.err('vtu-compressor', `compressor ${comp} is not supported (only zlib)`, vtk);
  }

  private offsets: number[] | undefined;
  /** End of one base64 appended array: the next array's offset, else the end of the appended section. */
  appendedEnd(off: number): number {
    if (!this.offsets) {
      const all: number[] = [];
      const walk = (n: XmlNode): void => {
        if (n.name === 'DataArray' && n.attrs.format === 'appended') all.push(this.doc.appended + Number(n.attrs.offset ?? 0));
        n.children.forEach(walk);
      };
      walk(this.vtk);
      const end = findBytes(this.buf, '<', this.doc.appended);
      all.push(end < 0 ? this.buf.length : end);
      this.offsets = all.sort((a, b) => a - b);
    }
    for (const o of this.offsets) if (o > off) return o;
    return this.buf.length;
  }

  err(code: string, msg: string, node: XmlNode): MeshReadError {
    return new MeshReadError(code, msg, this.ctx.file, this.lineOf(node));
  }
  lineOf(node: XmlNode): number {
    return countLines(this.buf, 0, node.offset) + 1;
  }

  /** Raw bytes of a DataArray (after headers and decompression), or numbers for ascii. */
  array(node: XmlNode, expected?: number): NumArray {
    const type = node.attrs.type;
    const size = TYPE_SIZES[type];
    if (!size) throw this.err('vtu-type', `DataArray type '${type}' is not supported`, node);
    const format = node.attrs.format ?? 'ascii';
    if (format === 'ascii') return this.ascii(node, type, expected);
    const isIndex = node.attrs.Name === 'connectivity' || node.attrs.Name === 'offsets';
    const wide = type === 'Int64' || type === 'UInt64';
    let bytes: Uint8Array;
    if (format === 'appended' && wide && isIndex && this.compressed && this.doc.appendedEncoding !== 'base64') {
      // Narrow 64-bit indices block by block: never holds the full 64-bit array.
      return this.inflateIndices(this.buf.subarray(this.doc.appended + Number(node.attrs.offset ?? 0)), node, expected);
    }
    if (format === 'binary' && wide && isIndex && this.compressed) return this.inflateIndices(decodeBase64(this.buf, node.textStart, node.textEnd), node, expected);
    if (format === 'binary') {
      bytes = this.payload(decodeBase64(this.buf, node.textStart, node.textEnd), node, true, expected && expected * size);
    } else if (format === 'appended') {
      if (this.doc.appended < 0) throw this.err('vtu-appended', 'DataArray is appended but the file has no AppendedData', node);
      const off = this.doc.appended + Number(node.attrs.offset ?? 0);
      if (this.doc.appendedEncoding === 'base64') {
        // Each appended array is its own base64 stream; it ends at the next array's offset (or the end tag).
        bytes = this.payload(decodeBase64(this.buf, off, this.appendedEnd(off)), node, true, expected && expected * size);
      } else bytes = this.payload(this.buf.subarray(off), node, false, expected && expected * size);
    } else throw this.err('vtu-format', `DataArray format '${format}' is not supported`, node);
    if (type === 'Int64' || type === 'UInt64') {
      return node.attrs.Name === 'connectivity' || node.attrs.Name === 'offsets' || node.attrs.Name === 'types' ? this.narrow(bytes, node) : typedFromBytes(bytes, type, this.little);
    }
    // inflated or base64-decoded bytes are fresh buffers: view them instead of copying
    return typedFromBytes(bytes, type, this.little, this.compressed || format === 'binary' || this.doc.appendedEncoding === 'base64');
  }

  /** Strip the VTK block header; inflate zlib blocks. `exact` = the source holds only this array. */
  /** `maxBytes`: what the array needs by its declared counts; a compressed array declaring far more is refused before inflating. */
  private payload(src: Uint8Array, node: XmlNode, exact: boolean, maxBytes?: number): Uint8Array {
    const h = this.headerSize;
    if (src.length < h) throw this.err('vtu-truncated', 'data array is shorter than its header', node);
    if (!this.compressed) {
      const n = readUint(src, 0, h, this.little);
      if (h + n > src.length) throw this.err('vtu-truncated', `data array declares ${n} bytes but only ${src.length - h} are present (truncated?)`, node);
      return src.subarray(h, h + n);
    }
    const nb = readUint(src, 0, h, this.little);
    const blockSize = readUint(src, h, h, this.little);
    const lastSize = readUint(src, 2 * h, h, this.little);
    const total = nb === 0 ? 0 : (nb - 1) * blockSize + (lastSize === 0 ? blockSize : lastSize);
    const headBytes = (3 + nb) * h;
    if (headBytes > src.length) throw this.err('vtu-truncated', 'compressed header is truncated', node);
    this.checkInflatedSize(total, blockSize, src.length - headBytes, node);
    // slack keeps a small count mismatch a (non-fatal) count-mismatch later; far more than needed is a bomb
    if (maxBytes !== undefined && total > 4 * maxBytes + (1 << 20)) throw this.err('count-mismatch', `compressed data array declares ${total} bytes, its counts need ${maxBytes}`, node);
    const out = new Uint8Array(total);
    let p = headBytes;
    let o = 0;
    for (let k = 0; k < nb; k++) {
      const cs = readUint(src, (3 + k) * h, h, this.little);
      if (p + cs > src.length) throw this.err('vtu-truncated', `compressed block ${k} is truncated`, node);
      const expect = k === nb - 1 ? total - o : blockSize;
      const got = this.inflate(src.subarray(p, p + cs), out.subarray(o, o + expect), k, node);
      if (got.length !== expect) throw this.err('vtu-zlib', `compressed block ${k} inflated to ${got.length} bytes, expected ${expect}`, node);
      p += cs;
      o += expect;
    }
    void exact;
    return out;
  }

  /** 64-bit indices narrowed to 32 bits; one that does not fit is an error at this array. */
  private narrow(bytes: Uint8Array, node: XmlNode): Int32Array {
    try {
      return int64ToInt32(bytes, this.little);
    } catch (e) {
      throw this.err('vtu-index-range', e instanceof Error ? e.message : String(e), node);
    }
  }

  /** zlib's deflate inflates at most 1032:1: a header declaring more is lying (a bomb or damage), refused before allocating. */
  private checkInflatedSize(total: number, blockSize: number, compressed: number, node: XmlNode): void {
    if (!Number.isSafeInteger(total) || !Number.isSafeInteger(blockSize) || total > 1032 * compressed + 1024) {
      throw this.err('vtu-zlib', `compressed header declares ${total} bytes from ${compressed} compressed bytes, more than zlib can hold (damaged or a decompression bomb)`, node);
    }
  }

  /** One zlib block into `out`; corrupt data becomes an error at this array instead of fflate's exception. */
  private inflate(block: Uint8Array, out: Uint8Array, k: number, node: XmlNode): Uint8Array {
    try {
      return unzlibSync(block, { out });
    } catch (e) {
      throw this.err('vtu-zlib', `compressed block ${k} is not valid zlib data (${e instanceof Error ? e.message : String(e)})`, node);
    }
  }

  /** `expected`: the index count the cell counts call for, if known (a far larger declared size is refused before allocating). */
  private inflateIndices(src: Uint8Array, node: XmlNode, expected?: number): Int32Array {
    const h = this.headerSize;
    if (src.length < 3 * h) throw this.err('vtu-truncated', 'compressed header is truncated', node);
    const nb = readUint(src, 0, h, this.little);
    const blockSize = readUint(src, h, h, this.little);
    const lastSize = readUint(src, 2 * h, h, this.little);
    const total = nb === 0 ? 0 : (nb - 1) * blockSize + (lastSize === 0 ? blockSize : lastSize);
    if (blockSize % 8 !== 0) return this.narrow(this.payload(src, node, false, expected !== undefined ? expected * 8 : undefined), node);
    const headBytes = (3 + nb) * h;
    if (headBytes > src.length) throw this.err('vtu-truncated', 'compressed header is truncated', node);
    this.checkInflatedSize(total, blockSize, src.length - headBytes, node);
    if (expected !== undefined && total > 4 * expected * 8 + (1 << 20)) throw this.err('count-mismatch', `compressed index array declares ${total} bytes, its counts need ${expected * 8}`, node);
    const out = new Int32Array(total / 8);
    const scratch = new Uint8Array(Math.min(blockSize, total)); // one block (the header's block size may exceed a single last block)
    const dv = new DataView(scratch.buffer);
    const le = this.little;
    const lo = le ? 0 : 4;
    let p = headBytes;
    let o = 0;
    for (let k = 0; k < nb; k++) {
      const cs = readUint(src, (3 + k) * h, h, this.little);
      if (p + cs > src.length) throw this.err('vtu-truncated', `compressed block ${k} is truncated`, node);
      const expect = k === nb - 1 ? total - o * 8 : blockSize;
      const got = this.inflate(src.subarray(p, p + cs), scratch.subarray(0, expect), k, node);
      if (got.length !== expect) throw this.err('vtu-zlib', `compressed block ${k} inflated to ${got.length} bytes, expected ${expect}`, node);
      for (let i = 0; i < expect; i += 8) {
        const l = dv.getInt32(i + lo, le);
        if (dv.getInt32(i + 4 - lo, le) !== l >> 31) throw this.err('vtu-index-range', 'a 64-bit index does not fit 32 bits', node);
        out[o++] = l;
      }
      p += cs;
    }
    return out;
  }

  private ascii(node: XmlNode, type: string, expected?: number): NumArray {
    const sc = new Scanner(this.buf, this.ctx.file, node.textStart, node.textEnd);
    sc.line = this.lineOf(node);
    const out = new F64Builder(Math.min(expected ?? 1024, (node.textEnd - node.textStart) / 2 + 16));
    for (;;) {
      sc.skipWs();
      if (sc.eof()) break;
      out.push(sc.floatHere());
    }
    const v = out.view();
    if (type.startsWith('Float')) return type === 'Float32' ? Float32Array.from(v) : v;
    return Int32Array.from(v);
  }

  dataArrays(section: XmlNode | undefined, tuples: number): DataArray[] {
    const out: DataArray[] = [];
    if (!section) return out;
    for (const da of section.children) {
      if (da.name !== 'DataArray') continue;
      const comps = Number(da.attrs.NumberOfComponents ?? 1);
      const v = this.array(da, tuples * comps);
      const name = da.attrs.Name ?? `array${out.length}`;
      if (v.length !== tuples * comps) {
        this.ctx.diag.add('error', 'count-mismatch', `data array '${name}' has ${v.length} values, expected ${tuples} × ${comps}; it is skipped`, this.lineOf(da));
        continue;
      }
      out.push({ name, components: comps, values: toDataValues(v) });
    }
    return out;
  }

  points(piece: XmlNode, n: number): Float64Array {
    const da = child(child(piece, 'Points'), 'DataArray');
    if (!da) {
      if (n === 0) return new Float64Array(0);
      throw this.err('vtu-no-points', 'Piece has no Points', piece);
    }
    const comps = Number(da.attrs.NumberOfComponents ?? 3);
    const v = toFloat64(this.array(da, n * comps));
    if (v.length !== n * comps) throw this.err('count-mismatch', `Points has ${v.length} values but NumberOfPoints=${n} × ${comps}`, da);
    if (comps === 3) return v;
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) for (let k = 0; k < Math.min(3, comps); k++) out[i * 3 + k] = v[i * comps + k];
    return out;
  }

  named(section: XmlNode | undefined, name: string): XmlNode | undefined {
    return section?.children.find((c) => c.name === 'DataArray' && c.attrs.Name === name);
  }
}

interface PieceResult {
  points: Float64Array;
  /** Line of the Points DataArray (XML data has no line per point). */
  pointsLine?: number;
  cells: CellBlock[];
  pointData: DataArray[];
  cellData: DataArray[][];
}

function pointsLineOf(r: VtkXmlReader, piece: XmlNode): number {
  const da = child(child(piece, 'Points'), 'DataArray');
  return r.lineOf(da ?? piece);
}

function readPiece(r: VtkXmlReader, piece: XmlNode, kind: 'UnstructuredGrid' | 'PolyData'): PieceResult {
  const n = Number(piece.attrs.NumberOfPoints ?? 0);
  if (!Number.isInteger(n) || n < 0) throw r.err('vtu-bad-count', `NumberOfPoints="${piece.attrs.NumberOfPoints}" is not a count`, piece);
  const points = r.points(piece, n);
  const pointData = r.dataArrays(child(piece, 'PointData'), n);
  if (kind === 'UnstructuredGrid') {
    const nc = Number(piece.attrs.NumberOfCells ?? 0);
    const cellsNode = child(piece, 'Cells');
    const connNode = r.named(cellsNode, 'connectivity');
    const offNode = r.named(cellsNode, 'offsets');
    const typNode = r.named(cellsNode, 'types');
    if (nc > 0 && (!connNode || !offNode || !typNode)) throw r.err('vtu-no-cells', 'Cells needs connectivity, offsets and types arrays', cellsNode ?? piece);
    // offsets first: the last offset is the connectivity length, which bounds what its (compressed) array may declare
    const offsets = offNode ? toInt32(r.array(offNode, nc)) : new Int32Array(0);
    const connLength = offsets.length > 0 && offsets[offsets.length - 1] >= 0 ? offsets[offsets.length - 1] : undefined;
    const conn = connNode ? toInt32(r.array(connNode, connLength)) : new Int32Array(0);
    const types = typNode ? r.array(typNode, nc) : new Uint8Array(0);
    if (types.length !== nc) r.ctx.diag.add('error', 'count-mismatch', `NumberOfCells=${nc} but ${types.length} cell types`, r.lineOf(typNode ?? piece));
    const raw = r.dataArrays(child(piece, 'CellData'), types.length);
    const cellsLine = r.lineOf(connNode ?? cellsNode ?? piece);
    const { cells, cellData } = cellsFromVtk(conn, offsets, types, raw, r.ctx.diag, r.lineOf(cellsNode ?? piece));
    return { points, pointsLine: pointsLineOf(r, piece), cells: cells.map((b) => ({ ...b, line: cellsLine })), pointData, cellData };
  }
  // PolyData: Verts, Lines, Polys, Strips each with connectivity + offsets; cell data runs over them in that order.
  const conns: Int32Array[] = [];
  const offs: number[] = [];
  const types: number[] = [];
  let base = 0;
  for (const [tag, kindName] of [['Verts', 'verts'], ['Lines', 'lines'], ['Polys', 'polys'], ['Strips', 'strips']] as const) {
    const sec = child(piece, tag);
    const cn = r.named(sec, 'connectivity');
    const on = r.named(sec, 'offsets');
    if (!cn || !on) continue;
    const c = toInt32(r.array(cn));
    const o = toInt32(r.array(on));
    let s = 0;
    for (let i = 0; i < o.length; i++) {
      offs.push(base + o[i]);
      types.push(polyVtkType(kindName, o[i] - s));
      s = o[i];
    }
    conns.push(c);
    base += c.length;
  }
  const conn = new Int32Array(base);
  let p = 0;
  for (const c of conns) {
    conn.set(c, p);
    p += c.length;
  }
  const raw = r.dataArrays(child(piece, 'CellData'), types.length);
  const { cells, cellData } = cellsFromVtk(conn, Int32Array.from(offs), types, raw, r.ctx.diag, r.lineOf(piece));
  return { points, pointsLine: pointsLineOf(r, piece), cells: cells.map((b) => ({ ...b, line: r.lineOf(piece) })), pointData, cellData };
}

function mergePieces(parts: PieceResult[]): PieceResult {
  if (parts.length === 1) return parts[0];
  let np = 0;
  for (const p of parts) np += p.points.length / 3;
  const points = new Float64Array(np * 3);
  const blocks = new Map<string, { conn: Int32Array[]; data: DataArray[][] }>();
  let base = 0;
  const pdNames = parts[0].pointData.filter((d) => parts.every((p) => p.pointData.some((q) => q.name === d.name && q.components === d.components)));
  for (const p of parts) {
    points.set(p.points, base * 3);
    p.cells.forEach((b, i) => {
      const c = b.connectivity.map((v) => v + base);
      let g = blocks.get(b.type);
      if (!g) blocks.set(b.type, (g = { conn: [], data: [] }));
      g.conn.push(c);
      g.data.push(p.cellData[i] ?? []);
    });
    base += p.points.length / 3;
  }
  const concat = <T extends Float64Array | Float32Array | Int32Array>(arrs: T[]): T => {
    const n = arrs.reduce((s, a) => s + a.length, 0);
    const out = new (arrs[0].constructor as { new (n: number): T })(n);
    let o = 0;
    for (const a of arrs) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  const pointData = pdNames.map((d) => ({ name: d.name, components: d.components, values: concat(parts.map((p) => p.pointData.find((q) => q.name === d.name)!.values as Float64Array)) }));
  const cells: CellBlock[] = [];
  const cellData: DataArray[][] = [];
  for (const [type, g] of blocks) {
    cells.push({ type: type as CellBlock['type'], connectivity: concat(g.conn) });
    const names = g.data[0].filter((d) => g.data.every((ds) => ds.some((q) => q.name === d.name)));
    cellData.push(names.map((d) => ({ name: d.name, components: d.components, values: concat(g.data.map((ds) => ds.find((q) => q.name === d.name)!.values as Float64Array)) })));
  }
  return { points, cells, pointData, cellData };
}

export function readVtkXml(bytes: Uint8Array, ctx: ReadContext): Mesh {
  return readVtkXmlFile(bytes, ctx, false);
}

function readVtkXmlFile(bytes: Uint8Array, ctx: ReadContext, isPiece: boolean): Mesh {
  const doc = parseXml(bytes, ctx.file);
  const vtk = child(doc.root, 'VTKFile');
  if (!vtk) throw new MeshReadError('vtu-not-vtk', 'not a VTK XML file (no <VTKFile>)', ctx.file, 1);
  const type = vtk.attrs.type;
  const r = new VtkXmlReader(bytes, doc, vtk, ctx);
  let res: PieceResult;
  if (type === 'UnstructuredGrid' || type === 'PolyData') {
    const grid = child(vtk, type);
    const pieces = grid?.children.filter((c) => c.name === 'Piece') ?? [];
    if (pieces.length === 0) throw r.err('vtu-no-piece', `<${type}> has no <Piece>`, grid ?? vtk);
    res = mergePieces(pieces.map((p) => readPiece(r, p, type)));
  } else if (type === 'PUnstructuredGrid' || type === 'PPolyData') {
    // A piece that is itself parallel (the .pvtu listing itself, two listing each other) would recurse forever.
    if (isPiece) throw r.err('pvtu-nested', `a .pvtu piece is itself a parallel ${type} file (a cycle?)`, vtk);
    const grid = child(vtk, type);
    const pieceNodes = grid?.children.filter((c) => c.name === 'Piece') ?? [];
    const parts: PieceResult[] = [];
    for (const pn of pieceNodes) {
      const s = pn.attrs.Source;
      const path = resolveRelative(ctx.file, s ?? '');
      const got = ctx.opts.readInclude?.(path);
      const b = got && got.constructor !== Uint8Array ? new Uint8Array(got.buffer, got.byteOffset, got.byteLength) : got;
      if (!b) throw r.err('pvtu-piece-missing', `piece '${s}' could not be read`, pn);
      // the piece's findings name the piece, whose lines they count
      const diag = new Diagnostics(path, ctx.diag.cap);
      let sub: Mesh;
      try {
        sub = readVtkXmlFile(b, { ...ctx, file: path, diag }, true);
      } finally {
        ctx.diag.list.push(...diag.list);
      }
      // the pieces' section lines count lines of the piece files, not of this file: drop them
      parts.push({ points: sub.points, cells: sub.cells.map(({ line: _line, ...b }) => b), pointData: sub.pointData, cellData: sub.cellData });
    }
    if (parts.length === 0) throw r.err('vtu-no-piece', `<${type}> lists no pieces`, grid ?? vtk);
    res = mergePieces(parts);
  } else throw r.err('vtu-type', `VTK XML type '${type}' is not supported (UnstructuredGrid, PolyData, PUnstructuredGrid)`, vtk);
  const format = ctx.file.toLowerCase().endsWith('.vtp') ? 'vtp' : ctx.file.toLowerCase().endsWith('.pvtu') ? 'pvtu' : 'vtu';
  return { points: res.points, ...(res.pointsLine ? { pointsLine: res.pointsLine } : {}), dimension: 3, cells: res.cells, pointData: res.pointData, cellData: res.cellData, nodeSets: {}, elementSets: {}, source: { file: ctx.file, format } };
}

export const vtuFormat: MeshFormat = { name: 'vtu', extensions: ['.vtu', '.vtp', '.pvtu', '.pvtp'], read: readVtkXml };
