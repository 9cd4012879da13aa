// Kernel: exact merge of the encode partials of all chunks, z = acc / sum. `lanes` invocations per
// (head, latent): each merges a strided subset of the chunks with an online log-sum-exp rescale,
// then a tree reduction in workgroup memory merges the lanes' results (the chunk loop is the long
// one at large N: ~1000 chunks at 1M points). lanes = 1: no barriers (SwiftShader runs barrier
// kernels slowly), one invocation loops over all chunks.
// Z rows are padded to D4 = D rounded up to 4 (zeros), for the decode's vec4 loads.
import { ceil4 } from '../weightPack';
import { storageDecl, WGSL_PARAMS, type KernelSource } from './shared';

/** wg: invocations per workgroup; lanes: invocations per (head, latent), a power of two dividing wg. */
export interface MergeShape { H: number; M: number; D: number; wg: number; lanes: number }

/** Lanes per (head, latent) when barriers are allowed: the whole workgroup if its partials fit workgroup memory. */
export const mergeLanes = (D: number, wg: number, workgroupFloats: number): number => (wg * (D + 2) <= workgroupFloats ? wg : 1);

/** Workgroups of a merge dispatch. */
export const mergeWorkgroups = (s: MergeShape): number => Math.ceil((s.H * s.M * s.lanes) / s.wg);

export function encodeMergeKernel(s: MergeShape): KernelSource {
  const { H, M, D, wg, lanes: T } = s;
  if (T & (T - 1) || wg % T) throw new Error(`merge lanes ${T} must be a power of two dividing ${wg}`);
  const D4 = ceil4(D), HM = H * M;
  const code = `${WGSL_PARAMS}
${storageDecl([{ name: 'U', access: 'uniform', type: 'Params' }, { name: 'Part', access: 'read', type: 'array<f32>' }, { name: 'Z', access: 'read_write', type: 'array<f32>' }])}
${T > 1 ? `var<workgroup> sm: array<f32, ${wg}>;
var<workgroup> sl: array<f32, ${wg}>;
var<workgroup> sa: array<f32, ${wg * D}>;` : ''}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) nwg: vec3u) {
  let g = (wid.x + wid.y * nwg.x) * ${wg / T}u + li / ${T}u; // head * M + latent
  let lane = li % ${T}u;
  let gv = min(g, ${HM - 1}u);
  var m = -3.0e38; var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var c = lane; c < U.chunks; c += ${T}u) {
    let o = (c * ${HM}u + gv) * ${D + 2}u;
    let pm = Part[o];
    let nm = max(m, pm);
    let a = exp(m - nm);
    let b = exp(pm - nm);
    l = fma(l, a, Part[o + 1u] * b);
    for (var d = 0u; d < ${D}u; d++) { acc[d] = fma(acc[d], a, Part[o + 2u + d] * b); }
    m = nm;
  }
  ${T === 1 ? `if (g < ${HM}u) {
    for (var d = 0u; d < ${D4}u; d++) { Z[g * ${D4}u + d] = select(0.0, acc[min(d, ${D - 1}u)] / l, d < ${D}u); }
  }` : `sm[li] = m; sl[li] = l;
  for (var d = 0u; d < ${D}u; d++) { sa[li * ${D}u + d] = acc[d]; }
  for (var s = ${T / 2}u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lane < s) {
      let m2 = sm[li + s];
      let nm = max(sm[li], m2);
      let a = exp(sm[li] - nm);
      let b = exp(m2 - nm);
      sl[li] = fma(sl[li], a, sl[li + s] * b);
      for (var d = 0u; d < ${D}u; d++) { sa[li * ${D}u + d] = fma(sa[li * ${D}u + d], a, sa[(li + s) * ${D}u + d] * b); }
      sm[li] = nm;
    }
  }
  workgroupBarrier();
  let r = li - lane; // lane 0 of this latent
  if (g < ${HM}u) {
    for (var d = lane; d < ${D4}u; d += ${T}u) { Z[g * ${D4}u + d] = select(0.0, sa[r * ${D}u + min(d, ${D - 1}u)] / sl[r], d < ${D}u); }
  }`}
}`;
  return { code, bindings: ['U', 'Part', 'Z'], workgroupSize: wg, workgroupBytes: T > 1 ? wg * (D + 2) * 4 : 0 };
}
