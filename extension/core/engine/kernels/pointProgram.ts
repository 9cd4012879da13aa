// WGSL emitters for per-point work (one invocation = one point): LayerNorm, linear layers whose
// weights are staged tile by tile in workgroup memory, tanh-GELU, residuals. The MLP-chain and
// decode kernels are assembled from these; shapes are compile-time constants.
import type { PackedLayer, PackedLinear, PackedLn } from '../weightPack';

/** f32 literal that WGSL accepts for any finite number. */
export const f = (v: number): string => {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v}`);
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
};

export const WGSL_GELU = `
fn gelu(v: f32) -> f32 {
  // tanh-GELU; the clamp keeps tanh away from exp overflow on drivers that compute it naively
  let u = clamp(0.7978845608 * (v + 0.044715 * v * v * v), -15.0, 15.0);
  return 0.5 * v * (1.0 + tanh(u));
}`;

/** wsFloats: weight staging array size; stage: stage weights in workgroup memory. */
export interface PointProgramLimits { wsFloats: number; wg: number; stage: boolean }

/** Largest number of weight rows per tile so that tile = rows * inDim fits the staging array. */
export function tileRows(lin: PackedLinear, wsFloats: number): number {
  const rows = Math.min(lin.outDim, Math.floor(wsFloats / lin.inDim));
  if (rows < 1) throw new Error(`linear layer ${lin.inDim}→${lin.outDim} does not fit workgroup memory (${wsFloats} floats)`);
  return rows;
}

/** dst[j] = act(b[j] + Σ_i src[i] W[j][i]) (+ res[j]); acc is scratch of at least outDim.
 *  Offsets are relative to `base` (a WGSL u32 expression: block layers share one kernel).
 *  Staged: weight tiles go through workgroup memory and every invocation runs the barriers
 *  (out-of-range points compute on zeros and store nothing). Unstaged: read straight from the
 *  storage buffer — no barriers, which SwiftShader compiles far faster. */
export function emitLinear(lin: PackedLinear, src: string, dst: string, opts: { gelu: boolean; residual: string | null; lim: PointProgramLimits; base?: string }): string {
  const K = lin.inDim;
  const base = opts.base ? `${opts.base} + ` : '';
  let s = '';
  if (!opts.lim.stage) {
    s += `
  for (var j = 0u; j < ${lin.outDim}u; j++) {
    var sum = W[${base}${lin.b}u + j];
    let row = ${base}${lin.w}u + j * ${K}u;
    for (var i = 0u; i < ${K}u; i++) { sum = fma(${src}[i], W[row + i], sum); }
    acc[j] = sum;
  }`;
  } else {
    const rows = tileRows(lin, opts.lim.wsFloats);
    for (let j0 = 0; j0 < lin.outDim; j0 += rows) {
      const r = Math.min(rows, lin.outDim - j0);
      s += `
  workgroupBarrier();
  for (var i = li; i < ${r * K}u; i += ${opts.lim.wg}u) { ws[i] = W[${base}${lin.w + j0 * K}u + i]; }
  workgroupBarrier();
  for (var j = 0u; j < ${r}u; j++) {
    var sum = W[${base}${lin.b + j0}u + j];
    let row = j * ${K}u;
    for (var i = 0u; i < ${K}u; i++) { sum = fma(${src}[i], ws[row + i], sum); }
    acc[${j0}u + j] = sum;
  }`;
    }
  }
  s += `
  for (var j = 0u; j < ${lin.outDim}u; j++) { ${dst}[j] = ${opts.gelu ? 'gelu(acc[j])' : 'acc[j]'}${opts.residual ? ` + ${opts.residual}[j]` : ''}; }`;
  return s;
}

/** A chain of layers from `src` ending in `dst`, using `tmp` for intermediate states. src may equal dst. */
export function emitMlp(layers: PackedLayer[], src: string, dst: string, tmp: string, lim: PointProgramLimits, base?: string): string {
  let s = '';
  let cur = src;
  layers.forEach((l, i) => {
    const last = i === layers.length - 1;
    const out = last ? dst : tmp;
    // in place is fine: each j reads acc[j] and cur[j] before writing out[j]
    s += emitLinear(l.lin, cur, out, { gelu: l.gelu, residual: l.residual ? cur : null, lim, base });
    cur = out;
  });
  return s;
}

/** dst = LayerNorm(src) over C channels (two passes over registers: exact mean and variance). */
export function emitLayerNorm(ln: PackedLn, src: string, dst: string, base?: string): string {
  const C = ln.dim;
  const b = base ? `${base} + ` : '';
  return `
  {
    var mean = 0.0;
    for (var j = 0u; j < ${C}u; j++) { mean += ${src}[j]; }
    mean = mean / ${f(C)};
    var vr = 0.0;
    for (var j = 0u; j < ${C}u; j++) { let d = ${src}[j] - mean; vr = fma(d, d, vr); }
    let inv = inverseSqrt(vr / ${f(C)} + ${f(ln.eps)});
    for (var j = 0u; j < ${C}u; j++) { ${dst}[j] = (${src}[j] - mean) * inv * W[${b}${ln.gamma}u + j] + W[${b}${ln.beta}u + j]; }
  }`;
}

/** Point index for 2-D dispatches (more than 65535 workgroups). */
export const emitPointIndex = (wg: number): string => `let p = gid.x + gid.y * nwg.x * ${wg}u;`;

/** Splits `groups` workgroups into a 2-D grid within the per-dimension limit. */
export function grid(groups: number, maxPerDim: number): [number, number] {
  if (groups <= maxPerDim) return [Math.max(groups, 1), 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new Error(`${groups} workgroups exceed the dispatch limit`);
  return [Math.ceil(groups / y), y];
}
