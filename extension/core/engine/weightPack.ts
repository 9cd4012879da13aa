// Packs a plan's parameters into one f32 array for a single storage binding; the kernels get
// the offsets as WGSL constants. Linear weights are stored transposed ([out][in]) so a tile of
// output rows is one contiguous range, copied as-is into workgroup memory.
import type { FlarePlan, LayerNormParams, Linear, MlpLayer } from './plan';

export interface PackedLinear { inDim: number; outDim: number; w: number; b: number; hasBias: boolean }
export interface PackedLayer { lin: PackedLinear; gelu: boolean; residual: boolean }
export interface PackedLn { gamma: number; beta: number; eps: number; dim: number }
export interface PackedBlock { ln1: PackedLn; k: PackedLayer[]; v: PackedLayer[]; q: number; o: PackedLinear; ln2: PackedLn; mlp: PackedLayer[]; encScale: number; decScale: number }
/** blocks[b]'s offsets are blocks[0]'s plus b·blockStride (checked), so one kernel serves every block. */
export interface PackedPlan { data: Float32Array<ArrayBuffer>; inp: PackedLayer[]; blocks: PackedBlock[]; blockStride: number; lnOut: PackedLn; out: PackedLayer[] }

export function packPlan(plan: FlarePlan): PackedPlan {
  const chunks: Float32Array[] = [];
  let size = 0;
  const push = (a: Float32Array): number => { const off = size; chunks.push(a); size += a.length; return off; };
  const lin = (l: Linear): PackedLinear => {
    const t = new Float32Array(l.inDim * l.outDim);
    for (let i = 0; i < l.inDim; i++) for (let j = 0; j < l.outDim; j++) t[j * l.inDim + i] = l.w[i * l.outDim + j];
    const w = push(t);
    const b = push(l.b ?? new Float32Array(l.outDim));
    return { inDim: l.inDim, outDim: l.outDim, w, b, hasBias: l.b !== null };
  };
  const mlp = (ls: MlpLayer[]): PackedLayer[] => ls.map((l) => ({ lin: lin(l.linear), gelu: l.gelu, residual: l.residual }));
  const ln = (p: LayerNormParams): PackedLn => ({ gamma: push(p.gamma), beta: push(p.beta), eps: p.eps, dim: p.dim });
  const inp = mlp(plan.inp);
  const blocks = plan.blocks.map((b): PackedBlock => ({
    ln1: ln(b.ln1), k: mlp(b.mixer.k), v: mlp(b.mixer.v), q: push(b.mixer.q), o: lin(b.mixer.o), ln2: ln(b.ln2), mlp: mlp(b.mlp),
    encScale: b.mixer.encScale, decScale: b.mixer.decScale,
  }));
  const blockStride = blocks.length > 1 ? blocks[1].ln1.gamma - blocks[0].ln1.gamma : 0;
  const sig = (b: PackedBlock, d: number): string => {
    const l = (x: PackedLinear) => [x.inDim, x.outDim, x.w - d, x.b - d, x.hasBias];
    const m = (ls: PackedLayer[]) => ls.map((x) => [...l(x.lin), x.gelu, x.residual]);
    const n = (x: PackedLn) => [x.gamma - d, x.beta - d, x.dim];
    return JSON.stringify([n(b.ln1), m(b.k), m(b.v), b.q - d, l(b.o), n(b.ln2), m(b.mlp)]);
  };
  blocks.forEach((b, i) => {
    if (sig(b, i * blockStride) !== sig(blocks[0], 0)) throw new Error(`block ${i} is laid out unlike block 0 (blocks must share one structure)`);
  });
  const lnOut = ln(plan.lnOut);
  const out = mlp(plan.out);
  const data = new Float32Array(size);
  let off = 0;
  for (const c of chunks) { data.set(c, off); off += c.length; }
  return { data, inp, blocks, blockStride, lnOut, out };
}
