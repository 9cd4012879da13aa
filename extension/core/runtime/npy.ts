// NumPy .npy files (format versions 1, 2 and 3): float32/float64/int32/int64, little-endian, C order.
// Golden inputs/outputs for parity checks travel in this format, so reading never throws: errors
// come back as values naming what was wrong.

export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64';

export type NpyData = Float32Array | Float64Array | Int32Array | BigInt64Array;

export interface NpyArray {
  readonly dtype: NpyDtype;
  readonly shape: readonly number[];
  readonly data: NpyData;
}

export type NpyResult = { ok: true; array: NpyArray } | { ok: false; error: string };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR: Record<string, NpyDtype> = { '<f4': 'float32', '<f8': 'float64', '<i4': 'int32', '<i8': 'int64' };
const SIZE: Record<NpyDtype, number> = { float32: 4, float64: 8, int32: 4, int64: 8 };

/** Parses the header dict, a Python literal like {'descr': '<f4', 'fortran_order': False, 'shape': (1, 2000, 3), }. */
function parseHeader(text: string): { descr: string; fortran: boolean; shape: number[] } | string {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) return `malformed header: ${text.trim().slice(0, 120)}`;
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const out: number[] = [];
  for (const d of dims) {
    if (!/^\d+$/.test(d)) return `bad shape entry '${d}'`;
    out.push(Number(d));
  }
  return { descr: descr[1], fortran: fortran[1] === 'True', shape: out };
}

export function readNpy(bytes: Uint8Array, name = 'array'): NpyResult {
  const fail = (msg: string): NpyResult => ({ ok: false, error: `${name}: ${msg}` });
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) return fail('not a .npy file (missing \\x93NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) return fail('truncated header');
    headerLen = view.getUint32(8, true);
    headerStart = 12;
  } else {
    return fail(`unsupported .npy format version ${major}.${bytes[7]}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.length) return fail('truncated header');
  const header = parseHeader(new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart)));
  if (typeof header === 'string') return fail(header);
  const dtype = DESCR[header.descr === '|i4' ? '<i4' : header.descr];
  if (!dtype) return fail(`unsupported dtype '${header.descr}' (supported: little-endian float32, float64, int32, int64)`);
  if (header.fortran && header.shape.filter((d) => d > 1).length > 1) return fail('Fortran-order arrays are not supported (save with np.ascontiguousarray)');
  const count = header.shape.reduce((a, b) => a * b, 1);
  const need = count * SIZE[dtype];
  if (bytes.length - dataStart < need) return fail(`data truncated: shape (${header.shape.join(', ')}) needs ${need} bytes, file has ${bytes.length - dataStart}`);
  // Copy into a fresh, aligned buffer: the source may sit at any byte offset. (Not bytes.slice:
  // on a Node Buffer that is a view sharing the whole pool.)
  const buf = new Uint8Array(need);
  buf.set(bytes.subarray(dataStart, dataStart + need));
  const ab = buf.buffer;
  const data: NpyData =
    dtype === 'float32' ? new Float32Array(ab) : dtype === 'float64' ? new Float64Array(ab) : dtype === 'int32' ? new Int32Array(ab) : new BigInt64Array(ab);
  return { ok: true, array: { dtype, shape: header.shape, data } };
}

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'int64';
}

/** Writes a version 1 file (version 2 when the header does not fit in 64 KiB). */
export function writeNpy(data: NpyData, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new RangeError(`writeNpy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const descr = Object.entries(DESCR).find(([, d]) => d === dtypeOf(data))?.[0] ?? '<f4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const v2 = dict.length + 11 > 65535;
  const pre = v2 ? 12 : 10;
  // Header (incl. trailing newline) is padded with spaces so the data starts 64-byte aligned.
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, dict.length, true);
  else view.setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[pre + i] = dict.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** The values as float32 (int64 converted through Number), for feeding a model or comparing. */
export function toFloat32(a: NpyArray): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < a.data.length; i++) out[i] = Number(a.data[i]);
  return out;
}
