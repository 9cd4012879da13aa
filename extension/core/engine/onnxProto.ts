// Minimal ONNX protobuf decoding: a reflection-style schema (the subset of onnx.proto the engine
// needs) interpreted over protobufjs' Reader. protobufjs' own reflection decoders are generated
// with `Function(...)`, which the webview's CSP (no 'unsafe-eval') forbids, so the schema is
// walked here instead; all wire-level reading (varints, fixed32, length-delimited) is protobufjs'.
import { Reader } from 'protobufjs/minimal';

type Scalar = 'int32' | 'int64' | 'float' | 'double' | 'string' | 'bytes';
interface FieldDef { name: string; type: Scalar | string; repeated?: boolean }
type MessageDef = Record<number, FieldDef>;

/** Field numbers from onnx/onnx.proto (IR version 10). Unlisted fields are skipped. */
const SCHEMA: Record<string, MessageDef> = {
  ModelProto: {
    1: { name: 'irVersion', type: 'int64' },
    2: { name: 'producerName', type: 'string' },
    3: { name: 'producerVersion', type: 'string' },
    4: { name: 'domain', type: 'string' },
    5: { name: 'modelVersion', type: 'int64' },
    7: { name: 'graph', type: 'GraphProto' },
    8: { name: 'opsetImport', type: 'OperatorSetIdProto', repeated: true },
    14: { name: 'metadataProps', type: 'StringStringEntryProto', repeated: true },
  },
  OperatorSetIdProto: { 1: { name: 'domain', type: 'string' }, 2: { name: 'version', type: 'int64' } },
  StringStringEntryProto: { 1: { name: 'key', type: 'string' }, 2: { name: 'value', type: 'string' } },
  GraphProto: {
    1: { name: 'node', type: 'NodeProto', repeated: true },
    2: { name: 'name', type: 'string' },
    5: { name: 'initializer', type: 'TensorProto', repeated: true },
    11: { name: 'input', type: 'ValueInfoProto', repeated: true },
    12: { name: 'output', type: 'ValueInfoProto', repeated: true },
  },
  NodeProto: {
    1: { name: 'input', type: 'string', repeated: true },
    2: { name: 'output', type: 'string', repeated: true },
    3: { name: 'name', type: 'string' },
    4: { name: 'opType', type: 'string' },
    5: { name: 'attribute', type: 'AttributeProto', repeated: true },
    7: { name: 'domain', type: 'string' },
  },
  AttributeProto: {
    1: { name: 'name', type: 'string' },
    2: { name: 'f', type: 'float' },
    3: { name: 'i', type: 'int64' },
    4: { name: 's', type: 'bytes' },
    5: { name: 't', type: 'TensorProto' },
    7: { name: 'floats', type: 'float', repeated: true },
    8: { name: 'ints', type: 'int64', repeated: true },
    20: { name: 'type', type: 'int32' },
  },
  TensorProto: {
    1: { name: 'dims', type: 'int64', repeated: true },
    2: { name: 'dataType', type: 'int32' },
    4: { name: 'floatData', type: 'float', repeated: true },
    5: { name: 'int32Data', type: 'int32', repeated: true },
    7: { name: 'int64Data', type: 'int64', repeated: true },
    8: { name: 'name', type: 'string' },
    9: { name: 'rawData', type: 'bytes' },
    10: { name: 'doubleData', type: 'double', repeated: true },
    13: { name: 'externalData', type: 'StringStringEntryProto', repeated: true },
    14: { name: 'dataLocation', type: 'int32' },
  },
  ValueInfoProto: { 1: { name: 'name', type: 'string' }, 2: { name: 'type', type: 'TypeProto' } },
  TypeProto: { 1: { name: 'tensorType', type: 'TypeProtoTensor' } },
  TypeProtoTensor: { 1: { name: 'elemType', type: 'int32' }, 2: { name: 'shape', type: 'TensorShapeProto' } },
  TensorShapeProto: { 1: { name: 'dim', type: 'TensorShapeDimension', repeated: true } },
  TensorShapeDimension: { 1: { name: 'dimValue', type: 'int64' }, 2: { name: 'dimParam', type: 'string' } },
};

export interface OnnxTensor {
  name?: string; dims?: number[]; dataType?: number; floatData?: number[]; int32Data?: number[]; int64Data?: number[];
  doubleData?: number[]; rawData?: Uint8Array; externalData?: { key?: string; value?: string }[]; dataLocation?: number;
}
export interface OnnxAttribute { name?: string; f?: number; i?: number; s?: Uint8Array; t?: OnnxTensor; floats?: number[]; ints?: number[]; type?: number }
export interface OnnxNode { input?: string[]; output?: string[]; name?: string; opType?: string; domain?: string; attribute?: OnnxAttribute[] }
export interface OnnxValueInfo {
  name?: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: number; dimParam?: string }[] } } };
}
export interface OnnxGraph { name?: string; node?: OnnxNode[]; initializer?: OnnxTensor[]; input?: OnnxValueInfo[]; output?: OnnxValueInfo[] }
export interface OnnxModel {
  irVersion?: number; producerName?: string; producerVersion?: string; domain?: string; modelVersion?: number; graph?: OnnxGraph;
  opsetImport?: { domain?: string; version?: number }[]; metadataProps?: { key?: string; value?: string }[];
}

// Reader.int64 gives a Long when the `long` package is present, else a number.
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  const l = v as { toNumber?: () => number; toString(): string };
  return l.toNumber ? l.toNumber() : Number(l.toString());
}

function readScalar(r: Reader, type: Scalar): unknown {
  switch (type) {
    case 'int32': return r.int32();
    case 'int64': return toNumber(r.int64());
    case 'float': return r.float();
    case 'double': return r.double();
    case 'string': return r.string();
    case 'bytes': return r.bytes();
  }
}

const PACKABLE = new Set(['int32', 'int64', 'float', 'double']);
const WIRE: Record<string, number> = { int32: 0, int64: 0, float: 5, double: 1 };

function decodeMessage(r: Reader, typeName: string, end: number, depth: number): Record<string, unknown> {
  if (depth > 32) throw new Error(`ONNX protobuf nested too deeply (${typeName})`);
  const def = SCHEMA[typeName];
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const field = def[tag >>> 3];
    const wire = tag & 7;
    if (!field) { r.skipType(wire); continue; }
    let value: unknown;
    if (field.type in SCHEMA) {
      if (wire !== 2) throw new Error(`ONNX ${typeName}.${field.name}: wire type ${wire}, expected a message`);
      const len = r.uint32();
      value = decodeMessage(r, field.type, r.pos + len, depth + 1);
    } else if (field.repeated && PACKABLE.has(field.type) && wire === 2) {
      // packed repeated scalars
      const len = r.uint32(), stop = r.pos + len;
      const arr = (out[field.name] ??= []) as unknown[];
      while (r.pos < stop) arr.push(readScalar(r, field.type as Scalar));
      continue;
    } else {
      const expected = WIRE[field.type] ?? 2;
      if (wire !== expected) throw new Error(`ONNX ${typeName}.${field.name}: wire type ${wire}, expected ${expected}`);
      value = readScalar(r, field.type as Scalar);
    }
    if (field.repeated) ((out[field.name] ??= []) as unknown[]).push(value);
    else out[field.name] = value;
  }
  if (r.pos !== end) throw new Error(`ONNX ${typeName}: message overruns its length`);
  return out;
}

/** Decodes an ONNX ModelProto. Throws with a message on malformed input. */
export function decodeOnnxModel(bytes: Uint8Array): OnnxModel {
  const r = Reader.create(bytes) as Reader;
  return decodeMessage(r, 'ModelProto', bytes.length, 0) as OnnxModel;
}

export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_INT32 = 6;
export const ONNX_DOUBLE = 11;

/** A tensor's values as float32 (FLOAT/DOUBLE) or numbers (INT32/INT64); undefined for other types. */
export function tensorFloats(t: OnnxTensor): Float32Array | undefined {
  const n = (t.dims ?? []).reduce((a, d) => a * d, 1);
  if (t.dataLocation === 1) return undefined; // external data: not supported
  if (t.dataType === ONNX_FLOAT) {
    if (t.rawData && t.rawData.length) {
      if (t.rawData.length !== n * 4) return undefined;
      // copy: rawData may be unaligned inside the file buffer
      const copy = new Uint8Array(t.rawData);
      return new Float32Array(copy.buffer, 0, n);
    }
    if (t.floatData && t.floatData.length === n) return Float32Array.from(t.floatData);
    return n === 0 ? new Float32Array(0) : undefined;
  }
  if (t.dataType === ONNX_DOUBLE) {
    if (t.rawData && t.rawData.length === n * 8) return Float32Array.from(new Float64Array(new Uint8Array(t.rawData).buffer, 0, n));
    if (t.doubleData && t.doubleData.length === n) return Float32Array.from(t.doubleData);
  }
  return undefined;
}

export function tensorInts(t: OnnxTensor): number[] | undefined {
  const n = (t.dims ?? []).reduce((a, d) => a * d, 1);
  if (t.dataType === ONNX_INT64) {
    if (t.rawData && t.rawData.length === n * 8) {
      const dv = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Array.from({ length: n }, (_, i) => Number(dv.getBigInt64(i * 8, true)));
    }
    if (t.int64Data && t.int64Data.length === n) return t.int64Data.slice();
  }
  if (t.dataType === ONNX_INT32) {
    if (t.rawData && t.rawData.length === n * 4) {
      const dv = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Array.from({ length: n }, (_, i) => dv.getInt32(i * 4, true));
    }
    if (t.int32Data && t.int32Data.length === n) return t.int32Data.slice();
  }
  return undefined;
}
