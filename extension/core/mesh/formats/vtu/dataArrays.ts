// DataArray decoding for VTK XML: ascii, inline base64, appended raw or base64, UInt32/UInt64
// block headers, zlib blocks through fflate (sizes checked before inflating), 64-bit indices
// narrowed to 32 bits block by block.
import { unzlibSync } from 'fflate';
import type { ReadContext } from '../../build';
import { TYPE_SIZES, decodeBase64, int64ToInt32, readUint, toDataValues, toFloat64, typedFromBytes, type NumArray } from '../../binary';
import { F64Builder } from '../../builders';
import { MeshReadError } from '../../readError';
import { Scanner } from '../../scanner';
import { countLines, findBytes } from '../../text';
import type { DataArray } from '../../types';
import { child, type XmlDoc, type XmlNode } from './xml';

export class VtkXmlReader {
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
