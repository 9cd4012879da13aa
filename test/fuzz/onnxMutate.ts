// Models as untrusted input: seeds and mutations for the ONNX readers (readOnnxInfo, openModel,
// decodeOnnxModel, recognizeFlare). Mutations work on a protobuf field tree, so most of them keep the
// framing valid and reach the graph logic (dims, names, data types, the embedded card), while others
// lie about lengths and wire types at the byte level.
import fs from 'node:fs';
import path from 'node:path';
import { Writer } from 'protobufjs/minimal';
import { concat, type FuzzCase, type FuzzInput } from './mutate';
import { Rng } from './rng';

// ---- a protobuf field tree (wire format only; message-ness guessed by trying to parse) -------------

interface PbField {
  field: number;
  wire: number;
  /** varint value (wire 0) */
  num?: bigint;
  /** fixed64/fixed32 payload, or an unparsed length-delimited payload */
  raw?: Uint8Array;
  /** length-delimited payload that parses as a message */
  kids?: PbField[];
}

function readVarint(b: Uint8Array, p: number): [bigint, number] | undefined {
  let v = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (p >= b.length) return undefined;
    const c = b[p++];
    v |= BigInt(c & 0x7f) << shift;
    if (!(c & 0x80)) return [v, p];
    shift += 7n;
  }
  return undefined;
}

/** Parse `b` as a message; undefined when it is not one. Big payloads (weights) stay raw. */
function parseMessage(b: Uint8Array, depth = 0): PbField[] | undefined {
  const out: PbField[] = [];
  let p = 0;
  while (p < b.length) {
    const t = readVarint(b, p);
    if (!t) return undefined;
    const tag = Number(t[0]);
    p = t[1];
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) return undefined;
    if (wire === 0) {
      const v = readVarint(b, p);
      if (!v) return undefined;
      out.push({ field, wire, num: v[0] });
      p = v[1];
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (p + n > b.length) return undefined;
      out.push({ field, wire, raw: b.slice(p, p + n) });
      p += n;
    } else if (wire === 2) {
      const l = readVarint(b, p);
      if (!l) return undefined;
      const len = Number(l[0]);
      p = l[1];
      if (p + len > b.length) return undefined;
      const payload = b.subarray(p, p + len);
      const kids = depth < 12 && len > 0 && len < 1 << 16 ? parseMessage(payload, depth + 1) : undefined;
      out.push(kids ? { field, wire, kids } : { field, wire, raw: payload.slice() });
      p += len;
    } else return undefined;
  }
  return out;
}

function varint(v: bigint, out: number[]): void {
  let x = BigInt.asUintN(64, v);
  while (x >= 0x80n) {
    out.push(Number(x & 0x7fn) | 0x80);
    x >>= 7n;
  }
  out.push(Number(x));
}

/** The tree back to bytes, with lengths recomputed (so structural edits keep the framing valid). */
function serialize(fields: PbField[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const f of fields) {
    const head: number[] = [];
    varint(BigInt(((f.field << 3) | f.wire) >>> 0), head);
    let body: Uint8Array;
    if (f.wire === 0) {
      const v: number[] = [];
      varint(f.num!, v);
      body = Uint8Array.from(v);
    } else if (f.wire === 2) {
      const payload = f.kids ? serialize(f.kids) : f.raw!;
      varint(BigInt(payload.length), head);
      body = payload;
    } else body = f.raw!;
    parts.push(Uint8Array.from(head), body);
  }
  return concat(parts);
}

/** Every field in the tree with its parent list, depth-first. */
function allFields(root: PbField[]): { f: PbField; parent: PbField[]; path: string }[] {
  const out: { f: PbField; parent: PbField[]; path: string }[] = [];
  const walk = (list: PbField[], pth: string): void => {
    for (const f of list) {
      const p = `${pth}/${f.field}`;
      out.push({ f, parent: list, path: p });
      if (f.kids) walk(f.kids, p);
    }
  };
  walk(root, '');
  return out;
}

// ---- seeds ----------------------------------------------------------------------------------------

const enc = new TextEncoder();

function stringField(w: Writer, field: number, s: string): Writer {
  return w.uint32((field << 3) | 2).string(s);
}

/** ValueInfoProto: name, tensor type float with the given dims (numbers or symbolic names). */
function valueInfo(name: string, dims: (number | string)[]): Uint8Array {
  const shape = Writer.create();
  for (const d of dims) {
    const dim = typeof d === 'number' ? Writer.create().uint32(1 << 3).int64(d).finish() : stringField(Writer.create(), 2, d).finish();
    shape.uint32((1 << 3) | 2).bytes(dim);
  }
  const tensorType = Writer.create().uint32(1 << 3).int32(1).uint32((2 << 3) | 2).bytes(shape.finish()).finish();
  const type = Writer.create().uint32((1 << 3) | 2).bytes(tensorType).finish();
  return stringField(Writer.create(), 1, name).uint32((2 << 3) | 2).bytes(type).finish();
}

function tensor(name: string, dims: number[], values: number[]): Uint8Array {
  const w = Writer.create();
  for (const d of dims) w.uint32(1 << 3).int64(d);
  w.uint32(2 << 3).int32(1);
  stringField(w, 8, name);
  const raw = new Uint8Array(new Float32Array(values).buffer);
  w.uint32((9 << 3) | 2).bytes(raw);
  return w.finish();
}

function node(op: string, inputs: string[], outputs: string[], name: string): Uint8Array {
  const w = Writer.create();
  for (const i of inputs) stringField(w, 1, i);
  for (const o of outputs) stringField(w, 2, o);
  stringField(w, 3, name);
  stringField(w, 4, op);
  return w.finish();
}

/** A tiny valid model: x[1,N,3] -> MatMul(W[3,4]) -> Add(b) -> Softmax -> y[1,N,4], opset 17, with a card. */
export function tinyOnnx(card?: string): Uint8Array {
  const g = Writer.create();
  g.uint32((1 << 3) | 2).bytes(node('MatMul', ['x', 'W'], ['h'], 'mm'));
  g.uint32((1 << 3) | 2).bytes(node('Add', ['h', 'b'], ['a'], 'add'));
  g.uint32((1 << 3) | 2).bytes(node('Softmax', ['a'], ['y'], 'sm'));
  stringField(g, 2, 'tiny');
  g.uint32((5 << 3) | 2).bytes(tensor('W', [3, 4], [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0.5]));
  g.uint32((5 << 3) | 2).bytes(tensor('b', [4], [0.1, 0.2, 0.3, 0.4]));
  g.uint32((11 << 3) | 2).bytes(valueInfo('x', [1, 'N', 3]));
  g.uint32((12 << 3) | 2).bytes(valueInfo('y', [1, 'N', 4]));
  const m = Writer.create();
  m.uint32(1 << 3).int64(8);
  stringField(m, 2, 'flare-fuzz');
  m.uint32((7 << 3) | 2).bytes(g.finish());
  m.uint32((8 << 3) | 2).bytes(stringField(Writer.create(), 1, '').uint32(2 << 3).int64(17).finish());
  if (card !== undefined) m.uint32((14 << 3) | 2).bytes(stringField(stringField(Writer.create(), 1, 'flare.card'), 2, card).finish());
  return m.finish();
}

/** Appends a metadata_props entry: protobuf merges appended repeated fields. */
function withCard(onnx: Uint8Array, card: string): Uint8Array {
  const entry = stringField(stringField(Writer.create(), 1, 'flare.card'), 2, card).finish();
  const field = Writer.create().uint32((14 << 3) | 2).bytes(entry).finish();
  const out = new Uint8Array(onnx.length + field.length);
  out.set(onnx);
  out.set(field, onnx.length);
  return out;
}

export const REFERENCE_ONNX = path.resolve(__dirname, '..', '..', '..', 'shared', 'reference', 'flare_small.onnx');

/** Seeds: the tiny model with and without the card, and (when present) the reference FLARE export with the card. */
export function onnxSeeds(seedDir: string, withReference: boolean): FuzzInput[] {
  const card = fs.readFileSync(path.join(seedDir, 'flare.card.json'), 'utf8');
  const seeds: FuzzInput[] = [];
  const add = (name: string, bytes: Uint8Array): void => {
    const fileName = `/fuzz/${name}`;
    seeds.push({ fileName, bytes, files: new Map([[fileName, bytes]]) });
  };
  add('tiny.onnx', tinyOnnx());
  add('tiny_card.onnx', tinyOnnx(card));
  if (withReference && fs.existsSync(REFERENCE_ONNX)) add('flare_small.onnx', withCard(new Uint8Array(fs.readFileSync(REFERENCE_ONNX)), card));
  return seeds;
}

// ---- mutations ------------------------------------------------------------------------------------

const ODD_VARINTS = [0n, 1n, 2n, 3n, 16n, 17n, 255n, 999n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 64n - 1n];
const ODD_STRINGS = ['', 'x', 'y', 'W', 'h', 'N', 'flare.card', 'onnx::MatMul_0', '\u0000', 'é', 'a'.repeat(70000)];
const ODD_JSON = ['', '{', 'null', '[]', '{}', '"x"', '1e999', '{"format":"flare-card/1"}', '['.repeat(100000) + ']'.repeat(100000), JSON.stringify({ format: 'flare-card/1', inputs: { x: { shape: ['B', 'N', 1e308] } } })];

type Mut = (root: PbField[], rng: Rng) => string | undefined;

const pickField = (root: PbField[], rng: Rng, pred: (f: PbField) => boolean = () => true): { f: PbField; parent: PbField[]; path: string } | undefined => {
  const all = allFields(root).filter((x) => pred(x.f));
  return all.length ? rng.pick(all) : undefined;
};

const MUTS: Mut[] = [
  (root, rng) => {
    const x = pickField(root, rng, (f) => f.wire === 0);
    if (!x) return undefined;
    const v = rng.chance(0.3) ? BigInt.asUintN(64, -BigInt(1 + rng.int(5))) : rng.pick(ODD_VARINTS);
    x.f.num = v;
    return `varint ${x.path}=${v}`;
  },
  (root, rng) => {
    const x = pickField(root, rng);
    if (!x) return undefined;
    x.parent.splice(x.parent.indexOf(x.f), 1);
    return `delete ${x.path}`;
  },
  (root, rng) => {
    const x = pickField(root, rng);
    if (!x) return undefined;
    const times = rng.pick([1, 2, 50]);
    x.parent.splice(x.parent.indexOf(x.f), 0, ...Array.from({ length: times }, () => structuredClone(x.f)));
    return `duplicate ${x.path} x${times}`;
  },
  (root, rng) => {
    const x = pickField(root, rng, (f) => f.wire === 2 && !!f.raw && f.raw.length < 4096 && !f.raw.some((c) => c < 9));
    if (!x) return undefined;
    const s = rng.pick(ODD_STRINGS);
    x.f.raw = enc.encode(s);
    return `string ${x.path}='${s.slice(0, 20)}'(${s.length})`;
  },
  (root, rng) => {
    // truncate or grow a raw payload (tensor data, a string)
    const x = pickField(root, rng, (f) => f.wire === 2 && !!f.raw);
    if (!x) return undefined;
    const n = rng.chance(0.5) ? rng.int(x.f.raw!.length) : x.f.raw!.length + 1 + rng.int(64);
    const r = new Uint8Array(n);
    r.set(x.f.raw!.subarray(0, Math.min(n, x.f.raw!.length)));
    x.f.raw = r;
    return `resize ${x.path} to ${n}`;
  },
  (root, rng) => {
    const x = pickField(root, rng);
    if (!x) return undefined;
    const old = x.f.field;
    x.f.field = rng.pick([1, 2, 3, 4, 5, 7, 8, 9, 11, 12, 14, 20, 536870911]);
    return `renumber ${x.path} -> ${x.f.field} (was ${old})`;
  },
  (root, rng) => {
    // the card: replace the JSON, or change one value in it
    const x = pickField(root, rng, (f) => f.wire === 2 && !!f.raw && f.raw.length > 0 && f.raw[0] === 0x7b);
    if (!x) return undefined;
    if (rng.chance(0.4)) {
      const s = rng.pick(ODD_JSON);
      x.f.raw = enc.encode(s);
      return `card='${s.slice(0, 30)}'(${s.length})`;
    }
    let j: unknown;
    try {
      j = JSON.parse(new TextDecoder().decode(x.f.raw));
    } catch {
      return undefined;
    }
    const slots: [Record<string, unknown> | unknown[], string | number][] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach((c, i) => {
          slots.push([v, i]);
          walk(c);
        });
      } else if (v && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          slots.push([v as Record<string, unknown>, k]);
          walk(c);
        }
      }
    };
    walk(j);
    if (!slots.length) return undefined;
    const [obj, key] = rng.pick(slots);
    const val = rng.pick<unknown>([null, -1, 0, 1e308, 2 ** 53, 'N', '', [], {}, [1, 2, 3], 'x'.repeat(10000), true]);
    if (rng.chance(0.3)) {
      if (Array.isArray(obj)) obj.splice(key as number, 1);
      else delete (obj as Record<string, unknown>)[key as string];
    } else (obj as Record<string | number, unknown>)[key] = val;
    x.f.raw = enc.encode(JSON.stringify(j));
    return `card.${String(key)}=${JSON.stringify(val)?.slice(0, 20)}`;
  },
  (root, rng) => {
    // graph cycles: make a node's input its own output or a later node's output
    const nodes = allFields(root).filter((x) => x.path === '/7/1');
    if (nodes.length < 1) return undefined;
    const a = rng.pick(nodes).f;
    const b = rng.pick(nodes).f;
    const out = b.kids?.find((k) => k.field === 2);
    const inp = a.kids?.filter((k) => k.field === 1);
    if (!out || !inp?.length) return undefined;
    rng.pick(inp).raw = out.raw ? out.raw.slice() : out.raw;
    return 'graph-cycle';
  },
];

/** Byte-level lies on the serialized model: bit flips, truncation, a length varint made huge. */
function byteLie(b: Uint8Array, rng: Rng): [Uint8Array, string] {
  const k = rng.int(3);
  if (k === 0) {
    const c = b.slice();
    const at: number[] = [];
    for (let i = 0; i < 1 + rng.int(6); i++) {
      const p = rng.chance(0.7) ? rng.int(Math.min(c.length, 4096)) : rng.int(c.length);
      c[p] ^= 1 << rng.int(8);
      at.push(p);
    }
    return [c, `bitflip@${at.join(',')}`];
  }
  if (k === 1) {
    const p = rng.int(b.length);
    return [b.slice(0, p), `truncate@${p}`];
  }
  // rewrite the first length-delimited length found after a random offset in the header area
  const start = rng.int(Math.min(b.length, 2048));
  for (let p = start; p < b.length - 1; p++) {
    if ((b[p] & 7) === 2 && b[p] >> 3 > 0) {
      const l = readVarint(b, p + 1);
      if (!l) continue;
      const v = rng.pick([0x7fffffff, 0xffffffff, 2 ** 35, Number(l[0]) + 1, Math.max(0, Number(l[0]) - 1)]);
      const wv: number[] = [];
      varint(BigInt(v), wv);
      const w = Uint8Array.from(wv);
      const out = new Uint8Array(p + 1 + w.length + (b.length - l[1]));
      out.set(b.subarray(0, p + 1));
      out.set(w, p + 1);
      out.set(b.subarray(l[1]), p + 1 + w.length);
      return [out, `length@${p}=${v}`];
    }
  }
  return [b.slice(0, b.length >> 1), `truncate@${b.length >> 1}`];
}

const parsedCache = new WeakMap<Uint8Array, PbField[]>();

export function mutateOnnx(input: FuzzInput, rng: Rng): FuzzCase {
  let bytes: Uint8Array;
  const what: string[] = [];
  if (rng.chance(0.75)) {
    let tree = parsedCache.get(input.bytes);
    if (!tree) {
      tree = parseMessage(input.bytes) ?? [];
      parsedCache.set(input.bytes, tree);
    }
    const root = structuredClone(tree);
    const n = 1 + rng.int(3);
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < 6; t++) {
        const w = rng.pick(MUTS)(root, rng);
        if (w) {
          what.push(w);
          break;
        }
      }
    }
    bytes = serialize(root);
    if (rng.chance(0.15)) {
      const [b, w] = byteLie(bytes, rng);
      bytes = b;
      what.push(w);
    }
  } else {
    const [b, w] = byteLie(input.bytes, rng);
    bytes = b;
    what.push(w);
  }
  return { fileName: input.fileName, bytes, files: new Map([[input.fileName, bytes]]), mutation: what.join('; ') || 'none' };
}
