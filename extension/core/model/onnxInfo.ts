// What the runtime needs to know about an ONNX file before running it: metadata_props (the model
// card lives under `flare.card`), graph inputs/outputs with their symbolic shapes, and initializer
// shapes (to infer attention heads/latents when there is no card). A field-level walk over
// protobufjs' wire Reader: no generated code (the webview CSP forbids eval), no weights copied.
import { Reader } from 'protobufjs/minimal';

export interface OnnxValueInfo {
  readonly name: string;
  /** Dimension sizes, or the symbolic name of a dynamic dimension ('N'), or '?' when unnamed. */
  readonly dims: readonly (number | string)[];
  readonly elemType: number;
}

export interface OnnxInfo {
  readonly producer: string;
  readonly opset: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers: readonly { readonly name: string; readonly dims: readonly number[] }[];
  readonly opTypes: readonly string[];
}

export type OnnxInfoResult = { ok: true; info: OnnxInfo } | { ok: false; error: string };

const WIRE_LEN = 2;

function fields(r: Reader, end: number, visit: (field: number, wire: number) => boolean): void {
  while (r.pos < end) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (!visit(field, wire)) r.skipType(wire);
  }
}

function sub(r: Reader): number {
  const len = r.uint32();
  return r.pos + len;
}

function longToNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number };
    return l.high * 4294967296 + (l.low >>> 0);
  }
  return Number(v);
}

function readStringPair(r: Reader): [string, string] {
  const end = sub(r);
  let k = '';
  let v = '';
  fields(r, end, (f, w) => {
    if (f === 1 && w === WIRE_LEN) k = r.string();
    else if (f === 2 && w === WIRE_LEN) v = r.string();
    else return false;
    return true;
  });
  return [k, v];
}

function readValueInfo(r: Reader): OnnxValueInfo {
  const end = sub(r);
  let name = '';
  const dims: (number | string)[] = [];
  let elemType = 0;
  fields(r, end, (f, w) => {
    if (f === 1 && w === WIRE_LEN) { name = r.string(); return true; }
    if (f !== 2 || w !== WIRE_LEN) return false;
    const tEnd = sub(r); // TypeProto
    fields(r, tEnd, (tf, tw) => {
      if (tf !== 1 || tw !== WIRE_LEN) return false;
      const ttEnd = sub(r); // TypeProto.Tensor
      fields(r, ttEnd, (xf, xw) => {
        if (xf === 1 && xw === 0) { elemType = r.int32(); return true; }
        if (xf !== 2 || xw !== WIRE_LEN) return false;
        const sEnd = sub(r); // TensorShapeProto
        fields(r, sEnd, (sf, sw) => {
          if (sf !== 1 || sw !== WIRE_LEN) return false;
          const dEnd = sub(r);
          let dim: number | string = '?';
          fields(r, dEnd, (df, dw) => {
            if (df === 1 && dw === 0) dim = longToNumber(r.int64());
            else if (df === 2 && dw === WIRE_LEN) dim = r.string();
            else return false;
            return true;
          });
          dims.push(dim);
          return true;
        });
        return true;
      });
      return true;
    });
    return true;
  });
  return { name, dims, elemType };
}

function readTensorHeader(r: Reader): { name: string; dims: number[] } {
  const end = sub(r);
  let name = '';
  const dims: number[] = [];
  fields(r, end, (f, w) => {
    if (f === 8 && w === WIRE_LEN) { name = r.string(); return true; }
    if (f !== 1) return false;
    if (w === WIRE_LEN) {
      const pEnd = sub(r);
      while (r.pos < pEnd) dims.push(longToNumber(r.int64()));
    } else {
      dims.push(longToNumber(r.int64()));
    }
    return true;
  });
  return { name, dims };
}

function readNodeOp(r: Reader): string {
  const end = sub(r);
  let op = '';
  fields(r, end, (f, w) => {
    if (f === 4 && w === WIRE_LEN) { op = r.string(); return true; }
    return false;
  });
  return op;
}

/** Reads the header information of an ONNX ModelProto; never throws. */
export function readOnnxInfo(bytes: Uint8Array): OnnxInfoResult {
  try {
    const r = Reader.create(bytes);
    let producer = '';
    let opset = 0;
    const metadata: Record<string, string> = {};
    const inputs: OnnxValueInfo[] = [];
    const outputs: OnnxValueInfo[] = [];
    const initializers: { name: string; dims: number[] }[] = [];
    const ops = new Set<string>();
    let sawGraph = false;
    fields(r, bytes.length, (f, w) => {
      if (f === 2 && w === WIRE_LEN) { producer = r.string(); return true; }
      if (f === 14 && w === WIRE_LEN) { const [k, v] = readStringPair(r); metadata[k] = v; return true; }
      if (f === 8 && w === WIRE_LEN) {
        const end = sub(r);
        let domain = '';
        let version = 0;
        fields(r, end, (of, ow) => {
          if (of === 1 && ow === WIRE_LEN) domain = r.string();
          else if (of === 2 && ow === 0) version = longToNumber(r.int64());
          else return false;
          return true;
        });
        if (domain === '' || domain === 'ai.onnx') opset = version;
        return true;
      }
      if (f === 7 && w === WIRE_LEN) {
        sawGraph = true;
        const end = sub(r);
        fields(r, end, (gf, gw) => {
          if (gw !== WIRE_LEN) return false;
          if (gf === 1) ops.add(readNodeOp(r));
          else if (gf === 5) initializers.push(readTensorHeader(r));
          else if (gf === 11) inputs.push(readValueInfo(r));
          else if (gf === 12) outputs.push(readValueInfo(r));
          else return false;
          return true;
        });
        return true;
      }
      return false;
    });
    if (!sawGraph) return { ok: false, error: 'not an ONNX model: no graph found' };
    // Initializers are listed as graph inputs too in old exports; keep only the real inputs.
    const init = new Set(initializers.map((i) => i.name));
    return {
      ok: true,
      info: { producer, opset, metadata, inputs: inputs.filter((i) => !init.has(i.name)), outputs, initializers, opTypes: [...ops].sort() },
    };
  } catch (e) {
    return { ok: false, error: `not a readable ONNX model: ${e instanceof Error ? e.message : String(e)}` };
  }
}
