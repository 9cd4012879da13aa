// Recognizes the FLARE structure in an ONNX graph (plain torch.onnx.export output: unnamed
// `onnx::MatMul_*` weights, decomposed tanh-GELU, LayerNormalization or its decomposition,
// attention as MatMul + Softmax) and turns it into a typed FlarePlan — or a refusal that names
// the node where matching stopped. The walk follows data flow from the graph input; at the end
// every node on the data path to the output must have been explained by the match.
// One file on purpose (~500 lines): the matcher is one walk whose cursor and consumed-node set
// every pattern shares; split up, each piece would need that state passed in and out.
import { decodeOnnxModel, tensorFloats, tensorInts, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor } from './onnxProto';
import { geluTanh } from './cpuReference';
import { checkPlan, type BlockPlan, type EngineRefusal, type FlarePlan, type LayerNormParams, type Linear, type MlpLayer, type TailPlan } from './plan';
import { TAIL_OPS, type NdArray } from './graphTail';

class Mismatch extends Error {
  constructor(message: string, readonly at?: string) { super(message); }
}

const nodeLabel = (n: OnnxNode): string => `${n.opType ?? '?'} ${n.name || n.output?.[0] || ''}`.trim();

/** The parts of the graph the matchers need: producers, consumers, constants. */
class GraphIndex {
  readonly producer = new Map<string, OnnxNode>();
  readonly consumers = new Map<string, OnnxNode[]>();
  readonly consts = new Map<string, OnnxTensor>();
  readonly used = new Set<OnnxNode>();

  constructor(readonly g: OnnxGraph) {
    for (const t of g.initializer ?? []) if (t.name) this.consts.set(t.name, t);
    for (const n of g.node ?? []) {
      for (const o of n.output ?? []) this.producer.set(o, n);
      for (const i of n.input ?? []) if (i) (this.consumers.get(i) ?? this.consumers.set(i, []).get(i)!).push(n);
      if (n.opType === 'Constant' && n.output?.[0]) {
        const a = n.attribute ?? [];
        const t = a.find((x) => x.name === 'value')?.t;
        const vf = a.find((x) => x.name === 'value_float'), vfs = a.find((x) => x.name === 'value_floats');
        const vi = a.find((x) => x.name === 'value_int'), vis = a.find((x) => x.name === 'value_ints');
        if (t) this.consts.set(n.output[0], t);
        else if (vf) this.consts.set(n.output[0], { dims: [], dataType: 1, floatData: [vf.f ?? 0] });
        else if (vfs) this.consts.set(n.output[0], { dims: [vfs.floats?.length ?? 0], dataType: 1, floatData: vfs.floats ?? [] });
        else if (vi) this.consts.set(n.output[0], { dims: [], dataType: 7, int64Data: [vi.i ?? 0] });
        else if (vis) this.consts.set(n.output[0], { dims: [vis.ints?.length ?? 0], dataType: 7, int64Data: vis.ints ?? [] });
      }
    }
    // Identity of a constant is that constant (the exporter dedups shared LayerNorm params this way).
    for (let changed = true; changed;) {
      changed = false;
      for (const n of g.node ?? []) {
        if (n.opType === 'Identity' && n.input?.[0] && n.output?.[0] && this.consts.has(n.input[0]) && !this.consts.has(n.output[0])) {
          this.consts.set(n.output[0], this.consts.get(n.input[0])!); changed = true;
        }
      }
    }
  }

  isConst(name: string): boolean { return this.consts.has(name); }
  floats(name: string): Float32Array | undefined { const t = this.consts.get(name); return t ? tensorFloats(t) : undefined; }
  dims(name: string): number[] | undefined { return this.consts.get(name)?.dims?.slice(); }
  scalar(name: string): number | undefined {
    const f = this.floats(name);
    return f && f.length === 1 ? f[0] : undefined;
  }
  ints(name: string): number[] | undefined { const t = this.consts.get(name); return t ? tensorInts(t) : undefined; }
  /** Consumers that use the value's data (Shape only reads its shape). */
  dataConsumers(t: string): OnnxNode[] { return (this.consumers.get(t) ?? []).filter((n) => n.opType !== 'Shape'); }
  attrInt(n: OnnxNode, name: string): number | undefined { return n.attribute?.find((a) => a.name === name)?.i; }
  attrInts(n: OnnxNode, name: string): number[] | undefined { return n.attribute?.find((a) => a.name === name)?.ints; }
  attrFloat(n: OnnxNode, name: string): number | undefined { return n.attribute?.find((a) => a.name === name)?.f; }
  attrString(n: OnnxNode, name: string): string | undefined {
    const s = n.attribute?.find((a) => a.name === name)?.s;
    return s ? new TextDecoder().decode(s) : undefined;
  }
  use(...ns: OnnxNode[]): void { for (const n of ns) this.used.add(n); }
}

const other = (n: OnnxNode, t: string): string | undefined => {
  const ins = n.input ?? [];
  if (ins.length !== 2) return undefined;
  return ins[0] === t ? ins[1] : ins[1] === t ? ins[0] : undefined;
};

// ---- linear layers, activations, residuals -------------------------------------------------

function linearConsumers(gi: GraphIndex, t: string): OnnxNode[] {
  return gi.dataConsumers(t).filter((n) => n.opType === 'MatMul' && n.input?.[0] === t && gi.isConst(n.input?.[1] ?? '') && gi.dims(n.input![1])?.length === 2);
}

function linearAt(gi: GraphIndex, mm: OnnxNode): { linear: Linear; out: string } {
  const wName = mm.input![1];
  const [inDim, outDim] = gi.dims(wName)!;
  const w = gi.floats(wName);
  if (!w) throw new Mismatch(`weight ${wName} is not float32/float64 data`, nodeLabel(mm));
  let out = mm.output![0];
  let b: Float32Array | null = null;
  const cons = gi.dataConsumers(out);
  if (cons.length === 1 && cons[0].opType === 'Add') {
    const bn = other(cons[0], out);
    const bv = bn !== undefined && gi.isConst(bn) ? gi.floats(bn) : undefined;
    if (bv && bv.length === outDim) { b = bv; gi.use(cons[0]); out = cons[0].output![0]; }
  }
  gi.use(mm);
  return { linear: { inDim, outDim, w, b }, out };
}

const ELEMENTWISE = new Set(['Mul', 'Add', 'Sub', 'Div', 'Pow', 'Tanh', 'Erf', 'Sqrt', 'Neg', 'Gelu']);

/** Finds the elementwise region hanging off `z` (ops on z and scalar constants only) and checks
 *  numerically that it computes tanh-GELU. Returns the region's output, or null if z has none. */
function matchGelu(gi: GraphIndex, z: string): string | null {
  const known = new Set([z]);
  const region: OnnxNode[] = [];
  for (let grew = true; grew && region.length < 32;) {
    grew = false;
    for (const t of [...known]) {
      for (const n of gi.dataConsumers(t)) {
        if (region.includes(n) || !ELEMENTWISE.has(n.opType ?? '')) continue;
        const ok = (n.input ?? []).every((i) => known.has(i) || gi.scalar(i) !== undefined);
        if (!ok) continue;
        region.push(n); grew = true;
        for (const o of n.output ?? []) known.add(o);
      }
    }
  }
  if (region.length === 0) return null;
  const outsideUse = (t: string) => gi.dataConsumers(t).some((n) => !region.includes(n)) || (gi.g.output ?? []).some((o) => o.name === t);
  if (gi.dataConsumers(z).some((n) => !region.includes(n))) throw new Mismatch(`${z} is used both by an activation and elsewhere`, z);
  const frontier = region.flatMap((n) => n.output ?? []).filter(outsideUse);
  if (frontier.length !== 1) throw new Mismatch(`elementwise region after ${z} has ${frontier.length} outputs, expected 1 (an activation)`, z);
  if (region.some((n) => n.opType === 'Erf')) throw new Mismatch('exact (erf) GELU is not supported; export with approximate="tanh"', nodeLabel(region[0]));
  const probe = [-4, -1.5, -0.4, 0, 0.3, 1, 2.5];
  for (const v of probe) {
    const got = evalRegion(gi, region, z, v, frontier[0]);
    const want = geluTanh(v);
    if (!(Math.abs(got - want) <= 1e-5 * (1 + Math.abs(want)))) {
      throw new Mismatch(`activation after ${z} is not tanh-GELU (f(${v}) = ${got}, expected ${want})`, nodeLabel(region[0]));
    }
  }
  gi.use(...region);
  return frontier[0];
}

function evalRegion(gi: GraphIndex, region: OnnxNode[], z: string, v: number, out: string): number {
  const val = new Map<string, number>([[z, v]]);
  const get = (t: string) => val.get(t) ?? gi.scalar(t)!;
  for (let pending = region.slice(); pending.length;) {
    const ready = pending.filter((n) => (n.input ?? []).every((i) => val.has(i) || gi.scalar(i) !== undefined));
    if (ready.length === 0) break;
    for (const n of ready) {
      const [a, b] = (n.input ?? []).map(get);
      let r: number;
      switch (n.opType) {
        case 'Mul': r = a * b; break;
        case 'Add': r = a + b; break;
        case 'Sub': r = a - b; break;
        case 'Div': r = a / b; break;
        case 'Pow': r = Math.pow(a, b); break;
        case 'Tanh': r = Math.tanh(a); break;
        case 'Sqrt': r = Math.sqrt(a); break;
        case 'Neg': r = -a; break;
        case 'Gelu': r = gi.attrString(n, 'approximate') === 'tanh' ? geluTanh(a) : NaN; break;
        default: r = NaN;
      }
      val.set(n.output![0], r);
    }
    pending = pending.filter((n) => !ready.includes(n));
  }
  return val.get(out) ?? NaN;
}

function matchResidual(gi: GraphIndex, src: string, h: string): string | null {
  const add = gi.dataConsumers(h).find((n) => n.opType === 'Add' && other(n, h) === src);
  if (!add) return null;
  gi.use(add);
  return add.output![0];
}

/** A chain of linear (+GELU) (+residual) layers starting at `start`. */
function matchMlp(gi: GraphIndex, start: string, first?: OnnxNode): { layers: MlpLayer[]; out: string } {
  const layers: MlpLayer[] = [];
  let cur = start;
  for (let mm = first; ; mm = undefined) {
    if (!mm) {
      const mms = linearConsumers(gi, cur);
      if (mms.length !== 1) break;
      mm = mms[0];
    }
    const { linear, out } = linearAt(gi, mm);
    const g = matchGelu(gi, out);
    const h = g ?? out;
    const r = linear.inDim === linear.outDim ? matchResidual(gi, cur, h) : null;
    layers.push({ linear, gelu: g !== null, residual: r !== null });
    cur = r ?? h;
  }
  if (layers.length === 0) throw new Mismatch(`expected a linear layer (MatMul with a constant 2-D weight) on ${start}`, start);
  return { layers, out: cur };
}

// ---- LayerNorm ------------------------------------------------------------------------------

function matchLayerNorm(gi: GraphIndex, t: string, C: number): { ln: LayerNormParams; out: string } | null {
  const cons = gi.dataConsumers(t);
  // A float -> float Cast (torch.autocast(enabled=False) around the output head, models v2) is a no-op.
  if (cons.length === 1 && cons[0].opType === 'Cast' && cons[0].input?.[0] === t && gi.attrInt(cons[0], 'to') === 1) {
    const r = matchLayerNorm(gi, cons[0].output![0], C);
    if (r) gi.use(cons[0]);
    return r;
  }
  const lnNode = cons.find((n) => n.opType === 'LayerNormalization' && n.input?.[0] === t);
  if (lnNode) {
    const axis = gi.attrInt(lnNode, 'axis') ?? -1;
    if (axis !== -1 && axis !== 2) throw new Mismatch(`LayerNormalization over axis ${axis}, expected the channel axis`, nodeLabel(lnNode));
    const gamma = gi.floats(lnNode.input?.[1] ?? ''), beta = lnNode.input?.[2] ? gi.floats(lnNode.input[2]) : new Float32Array(C);
    if (!gamma || !beta || gamma.length !== C || beta.length !== C) throw new Mismatch(`LayerNormalization parameters are not constants of size ${C}`, nodeLabel(lnNode));
    gi.use(lnNode);
    return { ln: { dim: C, gamma, beta, eps: gi.attrFloat(lnNode, 'epsilon') ?? 1e-5 }, out: lnNode.output![0] };
  }
  // decomposed: mu = mean(x); d = x - mu; var = mean(d^2); n = d / sqrt(var + eps); n * gamma + beta
  const rm = cons.find((n) => n.opType === 'ReduceMean' && n.input?.[0] === t);
  if (!rm) return null;
  const mu = rm.output![0];
  const sub = gi.dataConsumers(mu).find((n) => n.opType === 'Sub' && n.input?.[0] === t && n.input?.[1] === mu);
  if (!sub) throw new Mismatch('ReduceMean not followed by x - mean (decomposed LayerNorm)', nodeLabel(rm));
  const d = sub.output![0];
  const dc = gi.dataConsumers(d);
  const sq = dc.find((n) => (n.opType === 'Pow' && n.input?.[0] === d && gi.scalar(n.input?.[1] ?? '') === 2) || (n.opType === 'Mul' && n.input?.[0] === d && n.input?.[1] === d));
  const div = dc.find((n) => n.opType === 'Div' && n.input?.[0] === d);
  const rm2 = sq && gi.dataConsumers(sq.output![0]).find((n) => n.opType === 'ReduceMean');
  const addEps = rm2 && gi.dataConsumers(rm2.output![0]).find((n) => n.opType === 'Add' && gi.scalar(other(n, rm2.output![0]) ?? '') !== undefined);
  const sqrt = addEps && gi.dataConsumers(addEps.output![0]).find((n) => n.opType === 'Sqrt');
  if (!sq || !div || !rm2 || !addEps || !sqrt || div.input?.[1] !== sqrt.output![0]) throw new Mismatch('decomposed LayerNorm pattern not recognized', nodeLabel(rm));
  const eps = gi.scalar(other(addEps, rm2.output![0])!)!;
  const mul = gi.dataConsumers(div.output![0]).find((n) => n.opType === 'Mul');
  const gamma = mul ? gi.floats(other(mul, div.output![0]) ?? '') : undefined;
  const add = mul && gi.dataConsumers(mul.output![0]).find((n) => n.opType === 'Add');
  const beta = add ? gi.floats(other(add, mul!.output![0]) ?? '') : undefined;
  if (!gamma || !beta || gamma.length !== C || beta.length !== C) throw new Mismatch('decomposed LayerNorm without constant scale and bias', nodeLabel(rm));
  gi.use(rm, sub, sq, rm2, addEps, sqrt, div, mul!, add!);
  return { ln: { dim: C, gamma, beta, eps }, out: add!.output![0] };
}

// ---- attention ------------------------------------------------------------------------------

interface Tagged { labels: string[]; tag: 'k' | 'v' | 'S' | 'P' | 'Z' | 'Y'; scale: number; over?: string }

/** Resolves a Reshape target to numbers, 'dyn' for values computed from shapes at run time,
 *  or `dim i of tensor t` (Gather(Shape(t), i)) so that `x.shape[2]` can be checked to be C. */
type ShapeElem = number | 'dyn' | { of: string; index: number };
function reshapeTarget(gi: GraphIndex, name: string): ShapeElem[] | null {
  const direct = gi.ints(name);
  if (direct) return direct;
  const p = gi.producer.get(name);
  if (p?.opType !== 'Concat') return null;
  const parts: ShapeElem[] = [];
  for (const i of p.input ?? []) {
    const v = gi.ints(i);
    if (v) { parts.push(...v); continue; }
    const q = gi.producer.get(i);
    if (q?.opType !== 'Unsqueeze') return null;
    const gat = gi.producer.get(q.input?.[0] ?? '');
    const sh = gat?.opType === 'Gather' ? gi.producer.get(gat.input?.[0] ?? '') : undefined;
    const idx = gat ? gi.ints(gat.input?.[1] ?? '') : undefined;
    parts.push(sh?.opType === 'Shape' && idx?.length === 1 ? { of: sh.input![0], index: idx[0] } : 'dyn');
  }
  return parts;
}

/** Follows k and v through reshapes, transposes, the two MatMul+Softmax steps, and back to [B,N,C]. */
function matchAttention(gi: GraphIndex, kOut: string, vOut: string, C: number, blockName: string, channelTensors: Set<string>):
  { q: Float32Array; H: number; M: number; encScale: number; decScale: number; out: string } {
  const vals = new Map<string, Tagged>([[kOut, { labels: ['B', 'N', 'C'], tag: 'k', scale: 1 }], [vOut, { labels: ['B', 'N', 'C'], tag: 'v', scale: 1 }]]);
  let H = 0, D = 0, M = 0, q: Float32Array | null = null, result: string | null = null;
  let encScale = NaN, decScale = NaN;
  const queue = [kOut, vOut];
  const compatible = (a: string, b: string) => a === b || a === '1' || b === '1';
  while (queue.length) {
    const t = queue.shift()!;
    const tv = vals.get(t)!;
    for (const n of gi.dataConsumers(t)) {
      if (gi.used.has(n)) continue;
      const op = n.opType ?? '';
      const out = n.output?.[0] ?? '';
      let nv: Tagged | null = null;
      if (tv.tag === 'Y' && tv.labels.join() === 'B,N,C') {
        result = t; continue; // back in [B,N,C]: the output projection follows
      } else if (op === 'Reshape' && n.input?.[0] === t) {
        const tgt = reshapeTarget(gi, n.input?.[1] ?? '');
        if (!tgt) throw new Mismatch('Reshape with a target shape that is not recognized', nodeLabel(n));
        const L = tv.labels;
        // a dim read from a [B, N, C] tensor's shape at run time: index 2 (or -1) is C
        const isC = (e: ShapeElem) => e === C || (typeof e === 'object' && channelTensors.has(e.of) && (e.index === 2 || e.index === -1));
        if (tgt.length === 4 && L.join() === 'B,N,C' && typeof tgt[2] === 'number' && typeof tgt[3] === 'number' && tgt[2] * tgt[3] === C) {
          if (H && (H !== tgt[2] || D !== tgt[3])) throw new Mismatch('k and v split into different heads', nodeLabel(n));
          H = tgt[2]; D = tgt[3];
          nv = { ...tv, labels: ['B', 'N', 'H', 'D'] };
        } else if (tgt.length === 3 && L.join() === 'B,N,H,D' && isC(tgt[2])) {
          nv = { ...tv, labels: ['B', 'N', 'C'] };
        } else throw new Mismatch(`Reshape of [${L}] to [${tgt.map((e) => (typeof e === 'object' ? `shape(${e.of})[${e.index}]` : e))}] is not a head split/merge`, nodeLabel(n));
      } else if (op === 'Transpose') {
        const perm = gi.attrInts(n, 'perm') ?? tv.labels.map((_, i) => tv.labels.length - 1 - i);
        nv = { ...tv, labels: perm.map((p) => tv.labels[p]) };
      } else if ((op === 'Mul' || op === 'Div') && tv.tag === 'S') {
        const s = gi.scalar(other(n, t) ?? '');
        if (s === undefined) throw new Mismatch('scores scaled by a non-constant', nodeLabel(n));
        nv = { ...tv, scale: op === 'Mul' ? tv.scale * s : tv.scale / s };
      } else if (op === 'Softmax' && tv.tag === 'S') {
        const ax = gi.attrInt(n, 'axis') ?? -1;
        const a = ax < 0 ? tv.labels.length + ax : ax;
        nv = { ...tv, tag: 'P', over: tv.labels[a] };
      } else if (op === 'MatMul') {
        const [a, b] = n.input ?? [];
        let la: string[] | undefined, lb: string[] | undefined, tag: Tagged['tag'] | undefined;
        if (b === t && tv.tag === 'k' && gi.isConst(a)) {
          // scores S = q kᵀ with q [.., H, M, D] a constant
          const qd = gi.dims(a) ?? [];
          if (qd.length < 3 || qd[qd.length - 3] !== H || qd[qd.length - 1] !== D || qd.slice(0, -3).some((x) => x !== 1)) {
            throw new Mismatch(`latent queries of shape [${qd}], expected [1, ${H}, M, ${D}]`, nodeLabel(n));
          }
          M = qd[qd.length - 2];
          q = gi.floats(a) ?? null;
          la = ['1', 'H', 'M', 'D']; lb = tv.labels; tag = 'S';
        } else {
          const va = vals.get(a), vb = vals.get(b);
          if (!va || !vb) continue; // the other operand arrives later
          la = va.labels; lb = vb.labels;
          if (va.tag === 'P' && va.over === 'N' && vb.tag === 'v') { tag = 'Z'; encScale = va.scale; }
          else if (va.tag === 'P' && va.over === 'M' && vb.tag === 'Z') { tag = 'Y'; decScale = va.scale; }
          else throw new Mismatch(`MatMul of ${va.tag}[${va.labels}] and ${vb.tag}[${vb.labels}] is not an attention step`, nodeLabel(n));
        }
        if (la.length !== 4 || lb.length !== 4 || la[3] !== lb[2] || !compatible(la[0], lb[0]) || !compatible(la[1], lb[1])) {
          throw new Mismatch(`MatMul contracts [${la}] with [${lb}]`, nodeLabel(n));
        }
        nv = { labels: [la[0] === '1' ? lb[0] : la[0], la[1] === '1' ? lb[1] : la[1], la[2], lb[3]], tag, scale: 1 };
        if (tag === 'S' && nv.labels.join() !== 'B,H,M,N') throw new Mismatch(`scores laid out [${nv.labels}]`, nodeLabel(n));
      } else throw new Mismatch(`unexpected ${op} in the attention of ${blockName}`, nodeLabel(n));
      gi.use(n);
      vals.set(out, nv);
      queue.push(out);
    }
  }
  if (!q || !result || !(M > 0)) throw new Mismatch(`attention of ${blockName} incomplete: expected encode (softmax over N) and decode (softmax over M) MatMuls back to [B,N,C]`, blockName);
  if (!(Number.isFinite(encScale) && Number.isFinite(decScale))) throw new Mismatch(`attention of ${blockName}: softmax steps not found`, blockName);
  return { q, H, M, encScale, decScale, out: result };
}

// ---- the whole model ------------------------------------------------------------------------

function recognize(gi: GraphIndex): FlarePlan {
  const g = gi.g;
  // the matchers read node.output[0] and op types: malformed nodes are refused up front
  for (const [i, n] of (g.node ?? []).entries()) {
    if (!n.opType) throw new Mismatch(`node ${i} has no op type`, `node ${i}`);
    if (!n.output?.length || !n.output[0]) throw new Mismatch(`node ${i} (${n.opType}) has no output`, nodeLabel(n) || `node ${i}`);
  }
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  checkTopological(g);
  const inputs = (g.input ?? []).filter((i) => i.name && !inits.has(i.name));
  // the network input: float [B, N, cin] feeding a linear layer; other inputs may only feed the tail
  const netInputs = inputs.filter((i) => i.type?.tensorType?.elemType === 1 && (i.type.tensorType.shape?.dim ?? []).length === 3 && linearConsumers(gi, i.name!).length === 1);
  if (netInputs.length !== 1) throw new Mismatch(`expected one float input [B, N, cin] feeding a linear layer, found ${netInputs.length} among ${inputs.map((i) => i.name).join(', ')}`, 'graph.input');
  const input = netInputs[0].name!;
  const graphOutputs = (g.output ?? []).map((o) => o.name!);
  if (graphOutputs.length === 0) throw new Mismatch('graph has no outputs', 'graph.output');
  const inp = matchMlp(gi, input);
  const C = inp.layers[inp.layers.length - 1].linear.outDim;
  const cin = inp.layers[0].linear.inDim;
  let t = inp.out;
  const blocks: BlockPlan[] = [];
  const hm: [number, number][] = []; // heads, latents per block: the kernels need one config
  let lnOut: LayerNormParams | null = null;
  for (;;) {
    const ln = matchLayerNorm(gi, t, C);
    if (!ln) throw new Mismatch(`expected a LayerNorm on the residual stream ${t}`, t);
    const mms = linearConsumers(gi, ln.out);
    if (mms.length === 1) { lnOut = ln.ln; t = ln.out; break; }
    const name = `block ${blocks.length}`;
    if (mms.length !== 2) throw new Mismatch(`${name}: LayerNorm output feeds ${mms.length} linear layers, expected 2 (k and v MLPs) or 1 (output head)`, ln.out);
    const m1 = matchMlp(gi, ln.out, mms[0]), m2 = matchMlp(gi, ln.out, mms[1]);
    // Which chain is k: the one whose output reaches the MatMul with the latent queries.
    const reachesQuery = (s: string): boolean => {
      for (let cur = s, i = 0; i < 4; i++) {
        const c = gi.dataConsumers(cur);
        if (c.length !== 1) return false;
        if (c[0].opType === 'MatMul') return gi.isConst(c[0].input?.[0] ?? '');
        cur = c[0].output![0];
      }
      return false;
    };
    const [k, v] = reachesQuery(m1.out) ? [m1, m2] : [m2, m1];
    const att = matchAttention(gi, k.out, v.out, C, name, new Set([t, ln.out, k.out, v.out]));
    const oMm = linearConsumers(gi, att.out);
    if (oMm.length !== 1) throw new Mismatch(`${name}: expected the output projection after attention`, att.out);
    const o = linearAt(gi, oMm[0]);
    const t1 = matchResidual(gi, t, o.out);
    if (!t1) throw new Mismatch(`${name}: attention output is not added to the residual stream`, o.out);
    const ln2 = matchLayerNorm(gi, t1, C);
    if (!ln2) throw new Mismatch(`${name}: expected the second LayerNorm`, t1);
    const mlp = matchMlp(gi, ln2.out);
    const t2 = matchResidual(gi, t1, mlp.out);
    if (!t2) throw new Mismatch(`${name}: MLP output is not added to the residual stream`, mlp.out);
    if (att.H === 0 || C % att.H) throw new Mismatch(`${name}: heads`, name);
    blocks.push({ ln1: ln.ln, mixer: { q: att.q, k: k.layers, v: v.layers, o: o.linear, encScale: att.encScale, decScale: att.decScale }, ln2: ln2.ln, mlp: mlp.layers });
    hm.push([att.H, att.M]);
    t = t2;
  }
  const out = matchMlp(gi, t);
  const outputName = out.out;
  const tail = graphOutputs.length === 1 && graphOutputs[0] === outputName ? null : matchTail(gi, outputName, input, inputs.map((i) => i.name!), graphOutputs);
  if (hm.length === 0) throw new Mismatch('no FLARE blocks found', t);
  if (hm.some(([h, m]) => h !== hm[0][0] || m !== hm[0][1])) throw new Mismatch('blocks with different heads/latents', 'blocks');
  const [H, M] = hm[0];
  const cout = out.layers[out.layers.length - 1].linear.outDim;
  checkCovered(gi, outputName, input);
  const plan: FlarePlan = {
    config: {
      cin, cout, channels: C, heads: H, latents: M, blocks: blocks.length,
      mlpDepths: { inp: inp.layers.length, k: blocks[0].mixer.k.length, v: blocks[0].mixer.v.length, mlp: blocks[0].mlp.length, out: out.layers.length },
    },
    inp: inp.layers, blocks, lnOut: lnOut!, out: out.layers, inputName: input, outputName, tail,
  };
  const bad = checkPlan(plan);
  if (bad) throw new Mismatch(`inconsistent plan: ${bad}`, 'plan');
  return plan;
}

/** What follows the network: every node between its output (or graph inputs) and the graph outputs
 *  must be a supported CPU op; reaching into the network's internals is refused. */
function matchTail(gi: GraphIndex, netOut: string, netIn: string, graphInputs: string[], outputs: string[]): TailPlan {
  const nodes = new Set<OnnxNode>();
  const consts = new Map<string, NdArray>();
  const extra = new Set<string>();
  const stack = [...outputs];
  const seen = new Set<string>();
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t) || !t) continue;
    seen.add(t);
    if (t === netOut || t === netIn) continue;
    if (graphInputs.includes(t)) { extra.add(t); continue; }
    if (gi.isConst(t)) {
      const c = gi.consts.get(t)!;
      const f = tensorFloats(c), iv = f ? undefined : tensorInts(c);
      if (!f && !iv) throw new Mismatch(`constant ${t} after the network has an unsupported type`, t);
      consts.set(t, { data: Float64Array.from(f ?? iv!), dims: c.dims?.slice() ?? [] });
      continue;
    }
    const p = gi.producer.get(t);
    if (!p) throw new Mismatch(`value ${t} has no producer`, t);
    if (gi.used.has(p)) throw new Mismatch(`graph output depends on ${t} inside the network, not only on its output`, nodeLabel(p));
    if (!TAIL_OPS.has(p.opType ?? '')) throw new Mismatch(`op ${p.opType} after the network is not supported`, nodeLabel(p));
    nodes.add(p);
    stack.push(...(p.input ?? []));
  }
  return { nodes: (gi.g.node ?? []).filter((n) => nodes.has(n)), consts, inputs: [...extra], outputs };
}

/**
 * ONNX requires single assignment and nodes in topological order. Checking that up front means no matcher
 * below can walk into a cycle (a value that is its own input) or pick the wrong one of two producers.
 */
function checkTopological(g: OnnxGraph): void {
  const defined = new Set<string>();
  for (const t of g.initializer ?? []) if (t.name) defined.add(t.name);
  for (const i of g.input ?? []) if (i.name) defined.add(i.name);
  for (const [k, n] of (g.node ?? []).entries()) {
    for (const i of n.input ?? []) {
      if (i && !defined.has(i)) throw new Mismatch(`node ${k} (${n.opType}) reads ${i} before any node produces it: the graph is not in topological order or has a cycle`, nodeLabel(n) || `node ${k}`);
    }
    for (const o of n.output ?? []) {
      if (!o) continue;
      if (defined.has(o)) throw new Mismatch(`node ${k} (${n.opType}) assigns ${o} a second time`, nodeLabel(n) || `node ${k}`);
      defined.add(o);
    }
  }
}

/** Every node that the output depends on through data must have been explained by the match. */
function checkCovered(gi: GraphIndex, output: string, input: string): void {
  const seen = new Set<string>();
  const stack = [output];
  while (stack.length) {
    const t = stack.pop()!;
    if (seen.has(t) || t === input || gi.isConst(t)) continue;
    seen.add(t);
    const p = gi.producer.get(t);
    if (!p) throw new Mismatch(`value ${t} has no producer`, t);
    if (!gi.used.has(p)) throw new Mismatch(`node not part of the recognized FLARE structure: ${nodeLabel(p)}`, nodeLabel(p));
    const ins = p.opType === 'Reshape' ? [p.input![0]] : (p.input ?? []);
    stack.push(...ins.filter(Boolean));
  }
}

/** Parses ONNX bytes and recognizes a FLARE model, or explains why not. */
export function recognizeFlare(onnxBytes: Uint8Array): FlarePlan | EngineRefusal {
  let model;
  try { model = decodeOnnxModel(onnxBytes); } catch (e) {
    return { refused: true, reason: `not a readable ONNX file: ${e instanceof Error ? e.message : String(e)}` };
  }
  return recognizeFlareModel(model);
}

/** Recognizes a FLARE model in a decoded ONNX model. */
export function recognizeFlareModel(model: OnnxModel): FlarePlan | EngineRefusal {
  if (!model.graph) return { refused: true, reason: 'ONNX model has no graph' };
  try {
    return recognize(new GraphIndex(model.graph));
  } catch (e) {
    if (e instanceof Mismatch) return { refused: true, reason: e.message, at: e.at };
    return { refused: true, reason: `internal error while reading the graph: ${e instanceof Error ? e.message : String(e)}` };
  }
}
