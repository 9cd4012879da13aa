// The part of a model's graph after the FLARE network: e.g. models/export.py's wrapper
// (y * y_std, relu(y[..., 0]) * scale[:, 0:1], y[..., 1:4] * scale[:, 1:2]). It is O(N·cout), so it
// runs on the CPU with this small interpreter of shape/elementwise ops (numpy broadcasting).
import type { OnnxNode } from './onnxProto';

export interface NdArray { data: Float64Array; dims: number[] }

export const TAIL_OPS = new Set(['Constant', 'Identity', 'Mul', 'Add', 'Sub', 'Div', 'Pow', 'Max', 'Min', 'Relu', 'Neg', 'Abs', 'Sqrt', 'Exp', 'Tanh', 'Sigmoid',
  'Gather', 'Slice', 'Unsqueeze', 'Squeeze', 'Reshape', 'Concat', 'Shape', 'Cast', 'Clip', 'Transpose', 'MatMul']);

export interface GraphTail {
  /** Nodes in graph (topological) order. */
  nodes: OnnxNode[];
  /** Constant tensors the nodes read (initializers, Constant outputs). */
  consts: Map<string, NdArray>;
}

const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
const strides = (d: number[]) => { const s = new Array<number>(d.length); let k = 1; for (let i = d.length - 1; i >= 0; i--) { s[i] = k; k *= d[i]; } return s; };
const ax = (a: number, rank: number) => (a < 0 ? a + rank : a);

function broadcast(a: NdArray, b: NdArray, f: (x: number, y: number) => number): NdArray {
  const r = Math.max(a.dims.length, b.dims.length);
  const da = [...Array(r - a.dims.length).fill(1), ...a.dims], db = [...Array(r - b.dims.length).fill(1), ...b.dims];
  const dims = da.map((x, i) => {
    if (x !== db[i] && x !== 1 && db[i] !== 1) throw new Error(`cannot broadcast [${a.dims}] with [${b.dims}]`);
    return Math.max(x, db[i]);
  });
  const sa = strides(da).map((s, i) => (da[i] === 1 ? 0 : s)), sb = strides(db).map((s, i) => (db[i] === 1 ? 0 : s));
  const so = strides(dims);
  const out = new Float64Array(size(dims));
  for (let k = 0; k < out.length; k++) {
    let ia = 0, ib = 0, rem = k;
    for (let i = 0; i < r; i++) { const c = Math.floor(rem / so[i]); rem -= c * so[i]; ia += c * sa[i]; ib += c * sb[i]; }
    out[k] = f(a.data[ia], b.data[ib]);
  }
  return { data: out, dims };
}

/** numpy matmul: the last two axes multiply, leading (batch) axes broadcast; rank-1 operands are promoted and the added axis dropped. */
function matmul(a0: NdArray, b0: NdArray): NdArray {
  const a = a0.dims.length === 1 ? { data: a0.data, dims: [1, a0.dims[0]] } : a0;
  const b = b0.dims.length === 1 ? { data: b0.data, dims: [b0.dims[0], 1] } : b0;
  const ra = a.dims.length, rb = b.dims.length;
  const m = a.dims[ra - 2], k = a.dims[ra - 1], k2 = b.dims[rb - 2], p = b.dims[rb - 1];
  if (k !== k2) throw new Error(`MatMul of [${a0.dims}] and [${b0.dims}]: inner dimensions differ`);
  const ba = a.dims.slice(0, -2), bb = b.dims.slice(0, -2);
  const r = Math.max(ba.length, bb.length);
  const da = [...Array(r - ba.length).fill(1), ...ba], db = [...Array(r - bb.length).fill(1), ...bb];
  const batch = da.map((x, i) => {
    if (x !== db[i] && x !== 1 && db[i] !== 1) throw new Error(`MatMul cannot broadcast [${a0.dims}] with [${b0.dims}]`);
    return Math.max(x, db[i]);
  });
  const sa = strides(da).map((s, i) => (da[i] === 1 ? 0 : s)), sb = strides(db).map((s, i) => (db[i] === 1 ? 0 : s)), so = strides(batch);
  const nb = size(batch);
  const out = new Float64Array(nb * m * p);
  for (let t = 0; t < nb; t++) {
    let ia = 0, ib = 0, rem = t;
    for (let i = 0; i < r; i++) { const c = Math.floor(rem / so[i]); rem -= c * so[i]; ia += c * sa[i]; ib += c * sb[i]; }
    const oa = ia * m * k, ob = ib * k * p, oo = t * m * p;
    for (let i = 0; i < m; i++) for (let j = 0; j < p; j++) {
      let acc = 0;
      for (let l = 0; l < k; l++) acc += a.data[oa + i * k + l] * b.data[ob + l * p + j];
      out[oo + i * p + j] = acc;
    }
  }
  let dims = [...batch, m, p];
  if (a0.dims.length === 1) dims = [...batch, p];
  if (b0.dims.length === 1) dims = a0.dims.length === 1 ? batch : [...batch, m];
  return { data: out, dims };
}

/** out[idx] = a[map(idx)]: generic gather over a new shape. */
function remap(a: NdArray, dims: number[], src: (idx: number[]) => number[]): NdArray {
  const so = strides(dims), sa = strides(a.dims);
  const out = new Float64Array(size(dims));
  const idx = new Array<number>(dims.length);
  for (let k = 0; k < out.length; k++) {
    let rem = k;
    for (let i = 0; i < dims.length; i++) { idx[i] = Math.floor(rem / so[i]); rem -= idx[i] * so[i]; }
    const s = src(idx);
    let o = 0; for (let i = 0; i < s.length; i++) o += s[i] * sa[i];
    out[k] = a.data[o];
  }
  return { data: out, dims };
}

const ints = (a: NdArray | undefined): number[] => (a ? Array.from(a.data, (v) => Math.trunc(v)) : []);

function evalNode(n: OnnxNode, get: (name: string) => NdArray | undefined): NdArray[] {
  const ins = (n.input ?? []).map((i) => (i ? get(i) : undefined));
  const attrI = (k: string) => n.attribute?.find((a) => a.name === k)?.i;
  const attrIs = (k: string) => n.attribute?.find((a) => a.name === k)?.ints;
  const attrF = (k: string) => n.attribute?.find((a) => a.name === k)?.f;
  const [a, b] = ins;
  const need = (v: NdArray | undefined, what: string): NdArray => { if (!v) throw new Error(`${n.opType}: missing ${what}`); return v; };
  const unary = (f: (x: number) => number): NdArray[] => { const x = need(a, 'input'); return [{ data: x.data.map(f), dims: x.dims.slice() }]; };
  switch (n.opType) {
    case 'Identity': case 'Cast': return [need(a, 'input')];
    case 'Mul': return [broadcast(need(a, 'a'), need(b, 'b'), (x, y) => x * y)];
    case 'MatMul': return [matmul(need(a, 'a'), need(b, 'b'))];
    case 'Add': return [broadcast(need(a, 'a'), need(b, 'b'), (x, y) => x + y)];
    case 'Sub': return [broadcast(need(a, 'a'), need(b, 'b'), (x, y) => x - y)];
    case 'Div': return [broadcast(need(a, 'a'), need(b, 'b'), (x, y) => x / y)];
    case 'Pow': return [broadcast(need(a, 'a'), need(b, 'b'), (x, y) => Math.pow(x, y))];
    case 'Max': return [broadcast(need(a, 'a'), need(b, 'b'), Math.max)];
    case 'Min': return [broadcast(need(a, 'a'), need(b, 'b'), Math.min)];
    case 'Relu': return unary((x) => Math.max(0, x));
    case 'Neg': return unary((x) => -x);
    case 'Abs': return unary(Math.abs);
    case 'Sqrt': return unary(Math.sqrt);
    case 'Exp': return unary(Math.exp);
    case 'Tanh': return unary(Math.tanh);
    case 'Sigmoid': return unary((x) => 1 / (1 + Math.exp(-x)));
    case 'Clip': {
      const lo = ins[1]?.data[0] ?? attrF('min') ?? -Infinity, hi = ins[2]?.data[0] ?? attrF('max') ?? Infinity;
      return unary((x) => Math.min(hi, Math.max(lo, x)));
    }
    case 'Shape': { const x = need(a, 'input'); return [{ data: Float64Array.from(x.dims), dims: [x.dims.length] }]; }
    case 'Gather': {
      const x = need(a, 'data'), id = need(b, 'indices');
      const axis = ax(attrI('axis') ?? 0, x.dims.length);
      const idx = ints(id).map((i) => (i < 0 ? i + x.dims[axis] : i));
      const dims = [...x.dims.slice(0, axis), ...id.dims, ...x.dims.slice(axis + 1)];
      return [remap(x, dims, (o) => {
        const flat = id.dims.length ? o.slice(axis, axis + id.dims.length).reduce((acc, v, i) => acc * id.dims[i] + v, 0) : 0;
        return [...o.slice(0, axis), idx[flat], ...o.slice(axis + id.dims.length)];
      })];
    }
    case 'Slice': {
      const x = need(a, 'data');
      const starts = ints(ins[1]), ends = ints(ins[2]);
      const axes = ins[3] ? ints(ins[3]) : starts.map((_, i) => i), steps = ins[4] ? ints(ins[4]) : starts.map(() => 1);
      const st = x.dims.map(() => 0), sp = x.dims.map(() => 1), dims = x.dims.slice();
      axes.forEach((a0, i) => {
        const d = ax(a0, x.dims.length), len = x.dims[d], step = steps[i];
        if (step <= 0) throw new Error('Slice with non-positive step');
        const clamp = (v: number) => Math.min(len, Math.max(0, v < 0 ? v + len : v));
        const s0 = clamp(starts[i]), e0 = clamp(ends[i]);
        st[d] = s0; sp[d] = step; dims[d] = Math.max(0, Math.ceil((e0 - s0) / step));
      });
      return [remap(x, dims, (o) => o.map((v, i) => st[i] + v * sp[i]))];
    }
    case 'Unsqueeze': {
      const x = need(a, 'data');
      const axes = (ins[1] ? ints(ins[1]) : attrIs('axes') ?? []).map((v) => ax(v, x.dims.length + (ins[1] ? ints(ins[1]).length : (attrIs('axes') ?? []).length)));
      const dims = x.dims.slice();
      for (const v of [...axes].sort((p, q) => p - q)) dims.splice(v, 0, 1);
      return [{ data: x.data, dims }];
    }
    case 'Squeeze': {
      const x = need(a, 'data');
      const axes = (ins[1] ? ints(ins[1]) : attrIs('axes')) ?? x.dims.map((d, i) => (d === 1 ? i : -99)).filter((i) => i >= 0);
      const drop = new Set(axes.map((v) => ax(v, x.dims.length)));
      return [{ data: x.data, dims: x.dims.filter((_, i) => !drop.has(i)) }];
    }
    case 'Reshape': {
      const x = need(a, 'data');
      const shape = ints(need(b, 'shape')).map((v, i) => (v === 0 ? x.dims[i] : v));
      const known = shape.filter((v) => v !== -1).reduce((p, q) => p * q, 1);
      return [{ data: x.data, dims: shape.map((v) => (v === -1 ? size(x.dims) / known : v)) }];
    }
    case 'Transpose': {
      const x = need(a, 'data');
      const perm = attrIs('perm') ?? x.dims.map((_, i) => x.dims.length - 1 - i);
      const dims = perm.map((p) => x.dims[p]);
      return [remap(x, dims, (o) => { const s = new Array<number>(o.length); perm.forEach((p, i) => { s[p] = o[i]; }); return s; })];
    }
    case 'Concat': {
      const xs = ins.map((v, i) => need(v, `input ${i}`));
      const axis = ax(attrI('axis') ?? 0, xs[0].dims.length);
      const dims = xs[0].dims.slice(); dims[axis] = xs.reduce((s, v) => s + v.dims[axis], 0);
      const offs: number[] = []; xs.reduce((s, v) => { offs.push(s); return s + v.dims[axis]; }, 0);
      const so = strides(dims);
      const out = new Float64Array(size(dims));
      xs.forEach((v, j) => {
        const sv = strides(v.dims);
        for (let k = 0; k < v.data.length; k++) {
          let rem = k, o = 0;
          for (let i = 0; i < v.dims.length; i++) { const c = Math.floor(rem / sv[i]); rem -= c * sv[i]; o += (i === axis ? c + offs[j] : c) * so[i]; }
          out[o] = v.data[k];
        }
      });
      return [{ data: out, dims }];
    }
    default: throw new Error(`op ${n.opType} is not supported after the FLARE network`);
  }
}

/** Evaluates the tail; `values` holds the network output and the graph inputs it reads. */
export function evalTail(tail: GraphTail, values: Map<string, NdArray>): Map<string, NdArray> {
  const env = new Map(values);
  const get = (name: string) => env.get(name) ?? tail.consts.get(name);
  for (const n of tail.nodes) {
    if (n.opType === 'Constant') continue; // in consts
    const outs = evalNode(n, get);
    (n.output ?? []).forEach((o, i) => { if (outs[i]) env.set(o, outs[i]); });
  }
  return env;
}
