// Packs a plan's parameters into one f32 array for a single storage binding; the kernels get
// the offsets as WGSL constants. Every array starts on a 16-byte boundary so kernels can read
// it as vec4s. Linear weights are stored as panels of 4 output columns: panel c holds
// W[i][4c..4c+3] for i = 0..in-1 (outputs padded with zeros to a multiple of 4), so one vec4 load
// feeds 4 outputs and a tile of consecutive panels is one contiguous range. The latent queries
// are stored [H][M][D4] with D4 = D rounded up to 4 (zero padding), for vec4 loads.
import type { FlarePlan, LayerNormParams, Linear, MlpLayer } from './plan';

/** w, b: float offsets (multiples of 4); outP = outDim rounded up to 4 (the panel count is outP / 4). */
export interface PackedLinear { inDim: number; outDim: number; outP: number; w: number; b: number; hasBias: boolean }
export interface PackedLayer { lin: PackedLinear; gelu: boolean; residual: boolean }
export interface PackedLn { gamma: number; beta: number; eps: number; dim: number }
export interface PackedBlock { ln1: PackedLn; k: PackedLayer[]; v: PackedLayer[]; q: number; o: PackedLinear; ln2: PackedLn; mlp: PackedLayer[]; encScale: number; decScale: number }
/** blocks[b]'s offsets are blocks[0]'s plus b·blockStride (checked), so one kernel serves every block. */
export interface PackedPlan { data: Float32Array<ArrayBuffer>; inp: PackedLayer[]; blocks: PackedBlock[]; blockStride: number; lnOut: PackedLn; out: PackedLayer[] }

export const ceil4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Panel layout of y = x·W (W row-major [in][out]): t[(c·in + i)·4 + r] = W[i][4c + r]. */
export function panelWeights(l: Linear): Float32Array {
  const outP = ceil4(l.outDim);
  const t = new Float32Array(l.inDim * outP);
  for (let i = 0; i < l.inDim; i++) for (let j = 0; j < l.outDim; j++) t[((j >> 2) * l.inDim + i) * 4 + (j & 3)] = l.w[i * l.outDim + j];
  return t;
}

export function packPlan(plan: FlarePlan): PackedPlan {
  const { heads: H, latents: M, channels: C } = plan.config;
  const D = C / H, D4 = ceil4(D);
  const chunks: Float32Array[] = [];
  let size = 0;
  const push = (a: Float32Array): number => {
    const off = size;
    const padded = new Float32Array(ceil4(a.length));
    padded.set(a);
    chunks.push(padded); size += padded.length;
    return off;
  };
  const lin = (l: Linear): PackedLinear => {
    const outP = ceil4(l.outDim);
    const w = push(panelWeights(l));
    const b = push(l.b ?? new Float32Array(outP));
    return { inDim: l.inDim, outDim: l.outDim, outP, w, b, hasBias: l.b !== null };
  };
  const mlp = (ls: MlpLayer[]): PackedLayer[] => ls.map((l) => ({ lin: lin(l.linear), gelu: l.gelu, residual: l.residual }));
  const ln = (p: LayerNormParams): PackedLn => ({ gamma: push(p.gamma), beta: push(p.beta), eps: p.eps, dim: p.dim });
  const queries = (q: Float32Array): Float32Array => {
    const t = new Float32Array(H * M * D4);
    for (let hm = 0; hm < H * M; hm++) t.set(q.subarray(hm * D, hm * D + D), hm * D4);
    return t;
  };
  const inp = mlp(plan.inp);
  const blocks = plan.blocks.map((b): PackedBlock => ({
    ln1: ln(b.ln1), k: mlp(b.mixer.k), v: mlp(b.mixer.v), q: push(queries(b.mixer.q)), o: lin(b.mixer.o), ln2: ln(b.ln2), mlp: mlp(b.mlp),
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
