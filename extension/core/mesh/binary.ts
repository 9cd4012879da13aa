// Binary helpers shared by the VTK, gmsh, STL and PLY readers: typed views with endianness,
// base64 without Buffer (this module also runs in the browser), 64-bit ints narrowed to 32.

export type NumArray = Float64Array | Float32Array | Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array;

export const TYPE_SIZES: Record<string, number> = {
  Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Int64: 8, UInt64: 8, Float32: 4, Float64: 8,
};

const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Aligned copy (or view when already aligned and native-endian) of `bytes` as `type`. 64-bit ints become Float64 (data) — use `toInt32` for indices. */
export function typedFromBytes(bytes: Uint8Array, type: string, littleEndian: boolean, owned = false): NumArray {
  const size = TYPE_SIZES[type];
  if (!size) throw new Error(`unknown data type '${type}'`);
  const count = Math.floor(bytes.length / size);
  const b = bytes.subarray(0, count * size);
  const native = littleEndian === LITTLE;
  if (type === 'Int64' || type === 'UInt64') {
    // Low and high words; exact for |v| < 2^53.
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const out = new Float64Array(count);
    const lo = littleEndian ? 0 : 4;
    const hi = 4 - lo;
    for (let i = 0; i < count; i++) out[i] = (type === 'Int64' ? dv.getInt32(i * 8 + hi, littleEndian) : dv.getUint32(i * 8 + hi, littleEndian)) * 4294967296 + dv.getUint32(i * 8 + lo, littleEndian);
    return out;
  }
  // Aligned native data: a view when the bytes are ours (freshly inflated/decoded), else a copy so the
  // mesh does not keep the whole input buffer alive.
  if (native && b.byteOffset % size === 0) return owned ? view(type, b.buffer, b.byteOffset, count) : view(type, b.slice().buffer, 0, count);
  if (native) return view(type, b.slice().buffer, 0, count);
  const out = view(type, new ArrayBuffer(count * size), 0, count);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = littleEndian;
  switch (type) {
    case 'Int16': for (let i = 0; i < count; i++) out[i] = dv.getInt16(i * 2, le); break;
    case 'UInt16': for (let i = 0; i < count; i++) out[i] = dv.getUint16(i * 2, le); break;
    case 'Int32': for (let i = 0; i < count; i++) out[i] = dv.getInt32(i * 4, le); break;
    case 'UInt32': for (let i = 0; i < count; i++) out[i] = dv.getUint32(i * 4, le); break;
    case 'Float32': for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, le); break;
    case 'Float64': for (let i = 0; i < count; i++) out[i] = dv.getFloat64(i * 8, le); break;
    default: out.set(b);
  }
  return out;
}

function view(type: string, buf: ArrayBufferLike, off: number, count: number): NumArray {
  switch (type) {
    case 'Int8': return new Int8Array(buf, off, count);
    case 'UInt8': return new Uint8Array(buf, off, count);
    case 'Int16': return new Int16Array(buf, off, count);
    case 'UInt16': return new Uint16Array(buf, off, count);
    case 'Int32': return new Int32Array(buf, off, count);
    case 'UInt32': return new Uint32Array(buf, off, count);
    case 'Float32': return new Float32Array(buf, off, count);
    case 'Float64': return new Float64Array(buf, off, count);
  }
  throw new Error(`unknown data type '${type}'`);
}

/** Int64/UInt64 straight to Int32 (indices), with a range check; avoids a Float64 intermediate. */
export function int64ToInt32(bytes: Uint8Array, littleEndian: boolean): Int32Array {
  const count = Math.floor(bytes.length / 8);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, count * 8);
  const out = new Int32Array(count);
  const lo = littleEndian ? 0 : 4;
  const hi = 4 - lo;
  for (let i = 0; i < count; i++) {
    const l = dv.getInt32(i * 8 + lo, littleEndian);
    const h = dv.getInt32(i * 8 + hi, littleEndian);
    if (h !== l >> 31) throw new RangeError(`64-bit index ${h * 4294967296 + (l >>> 0)} does not fit 32 bits`);
    out[i] = l;
  }
  return out;
}

export function toInt32(a: NumArray): Int32Array {
  if (a instanceof Int32Array) return a;
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  return out;
}

export function toFloat64(a: NumArray): Float64Array {
  if (a instanceof Float64Array) return a;
  return Float64Array.from(a);
}

/** Data arrays keep Float32/Int32 when stored so, else widen to Float64. */
export function toDataValues(a: NumArray): Float64Array | Float32Array | Int32Array {
  if (a instanceof Float64Array || a instanceof Float32Array || a instanceof Int32Array) return a;
  if (a instanceof Int8Array || a instanceof Uint8Array || a instanceof Int16Array || a instanceof Uint16Array) return Int32Array.from(a);
  return Float64Array.from(a);
}

const B64 = new Int16Array(256).fill(-1);
{
  const s = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) B64[s.charCodeAt(i)] = i;
  B64['-'.charCodeAt(0)] = 62;
  B64['_'.charCodeAt(0)] = 63;
}

/** Decode base64 from buf[start, end), skipping whitespace; stops at '=' padding of a group only at the very end. */
export function decodeBase64(buf: Uint8Array, start = 0, end = buf.length): Uint8Array {
  const out = new Uint8Array(Math.floor(((end - start) * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    const v = B64[c];
    if (v < 0) {
      if (c === 61 /* = */) {
        // padding ends a group; VTK may concatenate separately encoded streams, so reset
        acc = 0;
        bits = 0;
      }
      continue;
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

const B64C = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function encodeBase64(b: Uint8Array): string {
  let s = '';
  let i = 0;
  const parts: string[] = [];
  for (; i + 2 < b.length; i += 3) {
    const v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64C[v >> 18] + B64C[(v >> 12) & 63] + B64C[(v >> 6) & 63] + B64C[v & 63];
    if (s.length > 8192) {
      parts.push(s);
      s = '';
    }
  }
  if (i < b.length) {
    const v = (b[i] << 16) | ((i + 1 < b.length ? b[i + 1] : 0) << 8);
    s += B64C[v >> 18] + B64C[(v >> 12) & 63] + (i + 1 < b.length ? B64C[(v >> 6) & 63] : '=') + '=';
  }
  parts.push(s);
  return parts.join('');
}

export function readUint(bytes: Uint8Array, offset: number, size: 4 | 8, littleEndian: boolean): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
  if (size === 4) return dv.getUint32(0, littleEndian);
  const lo = dv.getUint32(littleEndian ? 0 : 4, littleEndian);
  const hi = dv.getUint32(littleEndian ? 4 : 0, littleEndian);
  return hi * 4294967296 + lo;
}
