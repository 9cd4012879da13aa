// WGSL emitters for per-point work (one invocation = one point): LayerNorm, register-blocked linear
// layers (vec4 weight panels, optionally staged tile by tile in workgroup memory), tanh-GELU, residuals. The MLP-chain and
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

/** wsFloats: weight staging array size (a multiple of 4: staged as vec4s); stage: stage weights in workgroup memory. */
export interface PointProgramLimits { wsFloats: number; wg: number; stage: boolean }

/** Output panels (4 outputs each, one vec4 accumulator) a thread computes per pass over the inputs:
 *  each input value read from the point's registers feeds 4·PANELS_PER_PASS FMAs, each vec4 weight load 4. */
export const PANELS_PER_PASS = 4;

/** Panels per staged weight tile: all that fit the staging array (whole passes where possible). */
export function tilePanels(lin: PackedLinear, wsFloats: number): number {
  const p = Math.min(lin.outP / 4, Math.floor(wsFloats / (4 * lin.inDim)));
  if (p < 1) throw new Error(`linear layer ${lin.inDim}→${lin.outDim} does not fit workgroup memory (${wsFloats} floats)`);
  return p >= PANELS_PER_PASS ? p - (p % PANELS_PER_PASS) : p;
}

/** Passes over `np` panels (panel index relative to the weight base `wb`, a vec4 index expression):
 *  a runtime loop of full passes of PANELS_PER_PASS, then one pass over the remainder. `first` is the
 *  first panel's index within the layer (for the bias and the acc slots). */
function emitPasses(np: number, K: number, src: string, w: (vecIndex: string) => string, wb: string, bias: string, first: number): string {
  const G = PANELS_PER_PASS;
  const pass = (g: number, pb: string): string => {
    const r = Array.from({ length: g }, (_, c) => c);
    return `
    let pb = ${pb};
    let pw = ${wb} + pb * ${K}u;
    ${r.map((c) => `var s${c} = W4[${bias} + ${first}u + pb + ${c}u];`).join(' ')}
    for (var i = 0u; i < ${K}u; i++) {
      let x = vec4f(${src}[i]);
      ${r.map((c) => `s${c} = fma(x, ${w(`pw + ${c * K}u + i`)}, s${c});`).join(' ')}
    }
    let j = (${first}u + pb) * 4u;
    ${r.map((c) => `acc[j + ${4 * c}u] = s${c}.x; acc[j + ${4 * c + 1}u] = s${c}.y; acc[j + ${4 * c + 2}u] = s${c}.z; acc[j + ${4 * c + 3}u] = s${c}.w;`).join('\n    ')}`;
  };
  const full = Math.floor(np / G), rest = np % G;
  let s = '';
  if (full > 0) s += `
  for (var jb = 0u; jb < ${full}u; jb++) {${pass(G, `jb * ${G}u`)}
  }`;
  if (rest > 0) s += `
  {${pass(rest, `${full * G}u`)}
  }`;
  return s;
}

/** dst[j] = act(b[j] + Σ_i src[i] W[i][j]) (+ res[j]); acc is scratch of at least outP floats.
 *  Register-blocked: a pass keeps PANELS_PER_PASS vec4 accumulators and streams the inputs once.
 *  Offsets are relative to `base` (a WGSL u32 expression, a multiple of 4: block layers share one kernel).
 *  Staged: tiles of whole panels go through workgroup memory `ws` (vec4s) and every invocation runs
 *  the barriers (out-of-range points compute on zeros and store nothing). Unstaged: vec4 reads straight
 *  from the storage buffer W4 — no barriers, which SwiftShader compiles far faster. */
export function emitLinear(lin: PackedLinear, src: string, dst: string, opts: { gelu: boolean; residual: string | null; lim: PointProgramLimits; base?: string }): string {
  const K = lin.inDim, panels = lin.outP / 4;
  const b4 = opts.base ? `(${opts.base} >> 2u) + ` : '';
  const wb = `${b4}${lin.w / 4}u`, bias = `${b4}${lin.b / 4}u`;
  let s = '';
  if (!opts.lim.stage) {
    s += emitPasses(panels, K, src, (i) => `W4[${i}]`, wb, bias, 0);
  } else {
    const tp = tilePanels(lin, opts.lim.wsFloats);
    for (let t0 = 0; t0 < panels; t0 += tp) {
      const n = Math.min(tp, panels - t0);
      s += `
  workgroupBarrier();
  for (var i = li; i < ${n * K}u; i += ${opts.lim.wg}u) { ws[i] = W4[${wb} + ${t0 * K}u + i]; }
  workgroupBarrier();${emitPasses(n, K, src, (i) => `ws[${i}]`, '0u', bias, t0)}`;
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
