// Mutations of valid mesh files: generic byte and line damage plus format-aware attacks
// (huge header counts, lying binary headers, zlib bombs in VTU blocks, *INCLUDE / .pvtu recursion).
// Pure functions of (input, rng): the same seed always gives the same case.
import zlib from 'node:zlib';
import { Rng } from './rng';
import { baseName, bytesOf, concat, extOf, text, withBytes, type FuzzCase, type FuzzInput, type MutateOptions, type Mutator } from './fuzzCase';
import { inpInclude, pvtuPieces } from './includeAttacks';

export { concat, extOf, type FuzzCase, type FuzzInput, type MutateOptions } from './fuzzCase';

const HUGE_INTS = ['2147483647', '2147483648', '4294967295', '4294967296', '1000000000', '99999999999', '9007199254740993', '-1', '-2147483648', '0', '1e9', '1e308'];
const ODD_NUMBERS = [
  'NaN', 'nan', '-nan', 'Inf', '-inf', 'Infinity', '1e999', '-1e999', '1e-400', '1.7976931348623157e308', '-0', '0', '-1', '-2', '1.5', '0.5',
  '2147483647', '2147483648', '-2147483649', '4294967296', '99999999999999999999', '1e', '1.0e+', '0x10', '', '.', '-', '1,2', '3.4.5', '1d5', '1D-3', '+-1',
];
const ODD_BYTES = [0, 0xff, 0x7f, 0x80, 10, 13, 32, 44, 45, 46, 48, 57, 60, 62, 34, 42, 36, 95, 61, 47];

// ---- generic damage -------------------------------------------------------------------------

const bitFlip: Mutator = (c, rng) => {
  if (c.bytes.length === 0) return undefined;
  const b = c.bytes.slice();
  const n = 1 + rng.int(8);
  const at: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = rng.int(b.length);
    b[p] ^= 1 << rng.int(8);
    at.push(p);
  }
  return withBytes(c, b, `bitflip@${at.join(',')}`);
};

const byteSet: Mutator = (c, rng) => {
  if (c.bytes.length === 0) return undefined;
  const b = c.bytes.slice();
  const p = rng.int(b.length);
  const len = 1 + rng.int(4);
  const v = rng.pick(ODD_BYTES);
  b.fill(v, p, Math.min(b.length, p + len));
  return withBytes(c, b, `bytes@${p}x${len}=${v}`);
};

const truncate: Mutator = (c, rng) => {
  if (c.bytes.length < 2) return undefined;
  const p = rng.chance(0.2) ? rng.int(Math.min(64, c.bytes.length)) : rng.int(c.bytes.length);
  return withBytes(c, c.bytes.slice(0, p), `truncate@${p}`);
};

function lineSpans(b: Uint8Array): [number, number][] {
  const spans: [number, number][] = [];
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    if (b[i] === 10) {
      spans.push([s, i + 1]);
      s = i + 1;
    }
  }
  if (s < b.length) spans.push([s, b.length]);
  return spans;
}

function spliceLines(c: FuzzCase, rng: Rng, kind: 'delete' | 'duplicate' | 'swap' | 'repeat'): FuzzCase | undefined {
  const spans = lineSpans(c.bytes);
  if (spans.length < 2) return undefined;
  const i = rng.int(spans.length);
  const n = Math.min(spans.length - i, 1 + rng.int(3));
  const [s, e] = [spans[i][0], spans[i + n - 1][1]];
  const chunk = c.bytes.subarray(s, e);
  const parts: Uint8Array[] = [c.bytes.subarray(0, s)];
  let what: string;
  if (kind === 'delete') what = `delete-lines ${i + 1}+${n}`;
  else if (kind === 'duplicate') {
    parts.push(chunk, chunk);
    what = `dup-lines ${i + 1}+${n}`;
  } else if (kind === 'repeat') {
    // Many copies: duplicate nodes/elements and size growth without a header saying so.
    const times = rng.pick([10, 100, 1000]);
    for (let k = 0; k < times && (k + 1) * chunk.length < 4 << 20; k++) parts.push(chunk);
    what = `repeat-lines ${i + 1}+${n}x${times}`;
  } else {
    const j = rng.int(spans.length);
    const other = c.bytes.subarray(spans[j][0], spans[j][1]);
    parts.push(other);
    what = `swap-lines ${i + 1}<-${j + 1}`;
  }
  parts.push(c.bytes.subarray(e));
  return withBytes(c, concat(parts), what);
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eEdD][-+]?\d+)?/g;

/** Replace one numeric token by an odd number: NaN/Inf, overflow, negative, non-integer, garbage. */
const oddNumber: Mutator = (c, rng) => {
  const t = text(c.bytes);
  const hits = [...t.matchAll(NUMBER)];
  if (hits.length === 0) return undefined;
  const h = rng.pick(hits);
  const v = rng.chance(0.3) ? String(-(1 + rng.int(40))) : rng.pick(ODD_NUMBERS);
  const at = h.index ?? 0;
  return withBytes(c, bytesOf(t.slice(0, at) + v + t.slice(at + h[0].length)), `number@${at}:'${h[0]}'->'${v}'`);
};

/** Integer tokens that are indices into the point list: make them negative or past the end. */
const badIndex: Mutator = (c, rng) => {
  const t = text(c.bytes);
  const hits = [...t.matchAll(/(?<=[\s,])\d{1,6}(?=[\s,])/g)];
  if (hits.length === 0) return undefined;
  const h = rng.pick(hits);
  const v = rng.pick(['-1', '-5', '0', '15', '16', '65535', '65536', '1000000', '2147483647', '-2147483648']);
  const at = h.index ?? 0;
  return withBytes(c, bytesOf(t.slice(0, at) + v + t.slice(at + h[0].length)), `index@${at}:'${h[0]}'->'${v}'`);
};

// ---- header counts --------------------------------------------------------------------------

const COUNT_PATTERNS: Record<string, RegExp[]> = {
  vtk: [/\b(?:POINTS|CELLS|CELL_TYPES|POINT_DATA|CELL_DATA|POLYGONS|LINES|VERTICES|TRIANGLE_STRIPS|OFFSETS|CONNECTIVITY|FIELD \w+)\s+(\d+)/g, /^\w+ (\d+) (\d+) \w+$/gm],
  vtu: [/\b(?:NumberOf\w+|offset)="(\d+)"/g],
  vtp: [/\b(?:NumberOf\w+|offset)="(\d+)"/g],
  pvtu: [/\b(?:NumberOf\w+|GhostLevel)="(\d+)"/g],
  msh: [/^\$(?:Nodes|Elements|Entities|PhysicalNames|NodeData|ElementData)\r?\n(\d+)/gm, /^\d+ \d+ \d+ (\d+)\r?$/gm, /^(\d+) (\d+) (\d+) (\d+)\r?$/gm],
  ply: [/^element \w+ (\d+)/gm],
  off: [/^\s*(\d+)\s+\d+\s+\d+/gm],
  su2: [/\b(?:NDIME|NELEM|NPOIN|NMARK|MARKER_ELEMS)\s*=\s*(\d+)/g],
  frd: [/^ {4}[23]C\s+(\d+)/gm, /^ -4 +\w+ +(\d+)/gm, /^ {2}100CL.{20,40}?(\d+)/gm],
};

const hugeCount: Mutator = (c, rng) => {
  const pats = COUNT_PATTERNS[extOf(c.fileName)];
  if (!pats) return undefined;
  const t = text(c.bytes);
  const hits: { at: number; len: number; old: string }[] = [];
  for (const re of pats) {
    for (const m of t.matchAll(re)) {
      // position of the last captured number inside the match
      const g = m[m.length - 1];
      const at = (m.index ?? 0) + m[0].lastIndexOf(g);
      hits.push({ at, len: g.length, old: g });
    }
  }
  if (hits.length === 0) return undefined;
  const h = rng.pick(hits);
  const v = rng.chance(0.25) ? String(Number(h.old) + rng.pick([1, -1, 2, 1000])) : rng.pick(HUGE_INTS);
  return withBytes(c, bytesOf(t.slice(0, h.at) + v + t.slice(h.at + h.len)), `count@${h.at}:'${h.old}'->'${v}'`);
};

// ---- binary headers -------------------------------------------------------------------------

const ODD_U32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x10000, 0x7ffffff0, 1000000, 3];

/** Start of the binary part, or -1 for text files. */
function binaryStart(c: FuzzCase): number {
  const ext = extOf(c.fileName);
  const t = text(c.bytes.subarray(0, Math.min(c.bytes.length, 4096)));
  if (ext === 'stl') return /^solid[ \t]/.test(t) && t.includes('facet') ? -1 : 0;
  if (ext === 'ply') {
    if (!/format binary/.test(t)) return -1;
    const e = t.indexOf('end_header');
    return e < 0 ? -1 : e + 11;
  }
  if (ext === 'msh') return /^\$MeshFormat\r?\n\S+ 1 /m.test(t) ? 0 : -1;
  if (ext === 'vtk') return /^BINARY/m.test(t) ? 0 : -1;
  return -1;
}

/** Overwrite a 32-bit word in the binary part with a size-like value (counts, list lengths, tags). */
const binaryWord: Mutator = (c, rng) => {
  const start = binaryStart(c);
  if (start < 0 || c.bytes.length - start < 4) return undefined;
  const b = c.bytes.slice();
  const ext = extOf(c.fileName);
  // binary STL: the triangle count at byte 80 is the header field that matters most
  const p = ext === 'stl' && rng.chance(0.5) ? 80 : start + rng.int(b.length - start - 3);
  if (p + 4 > b.length) return undefined;
  const v = rng.pick(ODD_U32);
  new DataView(b.buffer, b.byteOffset).setUint32(p, v, rng.chance(0.5));
  // PLY list counts are single bytes: sometimes hit one of those instead
  if (ext === 'ply' && rng.chance(0.5)) b[start + rng.int(b.length - start)] = rng.pick([0, 1, 2, 0xff, 0x7f]);
  return withBytes(c, b, `u32@${p}=${v}`);
};

// ---- VTU inline base64 blocks: lying headers, zlib bombs --------------------------------------

interface B64Array {
  start: number;
  end: number;
  tag: string;
}

function vtuBinaryArrays(t: string): B64Array[] {
  const out: B64Array[] = [];
  for (const m of t.matchAll(/<DataArray\b[^>]*format="binary"[^>]*>([^<]*)<\/DataArray>/g)) {
    const start = (m.index ?? 0) + m[0].indexOf('>') + 1;
    out.push({ start, end: start + m[1].length, tag: m[0].slice(0, m[0].indexOf('>') + 1) });
  }
  return out;
}

function headerWord(t: string): 4 | 8 {
  return /header_type="UInt64"/.test(t) ? 8 : 4;
}

function writeWord(b: Uint8Array, at: number, size: 4 | 8, v: number): void {
  const dv = new DataView(b.buffer, b.byteOffset);
  if (size === 4) dv.setUint32(at, v >>> 0, true);
  else dv.setBigUint64(at, BigInt(Math.max(0, Math.floor(v))), true);
}

/** Decode a base64 array, change one header word (or payload bytes), encode it back. */
const vtuHeader: Mutator = (c, rng) => {
  const t = text(c.bytes);
  const arrays = vtuBinaryArrays(t);
  if (arrays.length === 0) return undefined;
  const a = rng.pick(arrays);
  const raw = new Uint8Array(Buffer.from(t.slice(a.start, a.end).trim(), 'base64'));
  const h = headerWord(t);
  const compressed = /compressor=/.test(t);
  const words = compressed ? 3 + Math.max(1, Math.min(4, raw.length >= h ? Number(new DataView(raw.buffer).getUint32(0, true)) : 1)) : 1;
  const k = rng.int(words);
  if ((k + 1) * h > raw.length) return undefined;
  const v = rng.pick([...ODD_U32, 2 ** 40, 2 ** 53]);
  writeWord(raw, k * h, h, v);
  const b64 = Buffer.from(raw).toString('base64');
  return withBytes(c, bytesOf(t.slice(0, a.start) + b64 + t.slice(a.end)), `vtu-header ${a.tag.slice(0, 60)} word${k}=${v}`);
};

let bombChunk: Uint8Array | undefined;
/** zlib stream inflating to `n` zeros, in ~n/1000 bytes: one sync-flushed 1 MiB chunk repeated. */
export function zlibBomb(n: number): Uint8Array {
  const MiB = 1 << 20;
  bombChunk ??= new Uint8Array(zlib.deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH }));
  const chunks = Math.max(1, Math.round(n / MiB));
  const total = chunks * MiB;
  const parts: Uint8Array[] = [new Uint8Array([0x78, 0xda])];
  for (let i = 0; i < chunks; i++) parts.push(bombChunk);
  parts.push(new Uint8Array([0x03, 0x00])); // final empty fixed-Huffman block
  const adler = (((total % 65521) << 16) | 1) >>> 0; // adler32 of `total` zero bytes
  parts.push(new Uint8Array([adler >>> 24, (adler >>> 16) & 255, (adler >>> 8) & 255, adler & 255]));
  return concat(parts);
}

/** Replace a compressed DataArray by a zlib bomb: honest header, lying-small header or lying-huge header. */
const vtuBomb: Mutator = (c, rng, o) => {
  const t = text(c.bytes);
  if (!/compressor="vtkZLibDataCompressor"/.test(t)) return undefined;
  const arrays = vtuBinaryArrays(t);
  if (arrays.length === 0) return undefined;
  const a = rng.pick(arrays);
  const h = headerWord(t);
  const size = rng.pick([1 << 24, 1 << 26, o.maxBombBytes].filter((s) => s <= o.maxBombBytes));
  const stream = zlibBomb(size);
  const mode = rng.pick(['honest', 'small', 'huge'] as const);
  const declared = mode === 'honest' ? Math.round(size / (1 << 20)) * (1 << 20) : mode === 'small' ? 32768 : 2 ** 32 - 1;
  const head = new Uint8Array(4 * h);
  writeWord(head, 0, h, 1);
  writeWord(head, h, h, declared);
  writeWord(head, 2 * h, h, declared);
  writeWord(head, 3 * h, h, stream.length);
  const b64 = Buffer.from(concat([head, stream])).toString('base64');
  return withBytes(c, bytesOf(t.slice(0, a.start) + b64 + t.slice(a.end)), `zlib-bomb ${a.tag.slice(0, 60)} ${size}B header=${mode}`);
};

// ---- recursion through readInclude ----------------------------------------------------------

/** Damage a companion file (an included deck, a .pvtu piece) instead of the main file. */
function mutateCompanion(c: FuzzCase, rng: Rng, o: MutateOptions): FuzzCase | undefined {
  const others = [...c.files.keys()].filter((k) => k !== c.fileName).sort();
  if (others.length === 0) return undefined;
  const path = rng.pick(others);
  const sub: FuzzCase = { fileName: path, bytes: c.files.get(path)!, files: c.files, mutation: '' };
  const m = rng.pick(GENERIC)(sub, rng, o);
  if (!m) return undefined;
  const files = new Map(c.files);
  files.set(path, m.bytes);
  return { fileName: c.fileName, bytes: c.bytes, files, mutation: `${c.mutation ? c.mutation + '; ' : ''}${baseName(path)}: ${m.mutation}` };
}

const GENERIC: Mutator[] = [
  bitFlip, byteSet, truncate, oddNumber, oddNumber, badIndex,
  (c, r) => spliceLines(c, r, 'delete'), (c, r) => spliceLines(c, r, 'duplicate'), (c, r) => spliceLines(c, r, 'swap'), (c, r) => spliceLines(c, r, 'repeat'),
];
const TARGETED: Mutator[] = [hugeCount, hugeCount, binaryWord, binaryWord, vtuHeader, vtuHeader, vtuBomb, inpInclude, inpInclude, pvtuPieces, pvtuPieces, mutateCompanion];

/** 1 to 3 stacked mutations; about a third targeted ones where the format has them. */
export function mutate(input: FuzzInput, rng: Rng, o: MutateOptions): FuzzCase {
  let c: FuzzCase = { ...input, files: new Map(input.files), mutation: '' };
  const n = rng.chance(0.6) ? 1 : 2 + rng.int(2);
  for (let i = 0; i < n; i++) {
    for (let tries = 0; tries < 8; tries++) {
      const pool = rng.chance(0.4) ? TARGETED : GENERIC;
      const m = rng.pick(pool)(c, rng, o);
      if (m) {
        c = m;
        break;
      }
    }
  }
  if (!c.mutation) c = withBytes(c, c.bytes.slice(0, c.bytes.length >> 1), `truncate@${c.bytes.length >> 1}`);
  return c;
}
