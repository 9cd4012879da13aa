// Kernel: exact merge of the encode partials of all chunks, z = acc / sum. One workgroup per
// (head, latent): each invocation merges a strided subset of the chunks with an online
// log-sum-exp rescale, then a tree reduction in workgroup memory merges the invocations' results
// (the chunk loop is the long one at large N: ~1000 chunks at 1M points).
// Z rows are padded to D4 = D rounded up to 4 (zeros), for the decode's vec4 loads.
import { ceil4 } from '../weightPack';
import { storageDecl, WGSL_PARAMS, type KernelSource } from './shared';

export interface MergeShape { H: number; M: number; D: number; wg: number }

/** Invocations per merge workgroup: a power of two ≤ 64 whose partials fit `workgroupFloats`. */
export function mergeWorkgroupSize(D: number, workgroupFloats: number): number {
  let wg = 64;
  while (wg > 1 && wg * (D + 2) > workgroupFloats) wg >>= 1;
  return wg;
}

export function encodeMergeKernel(s: MergeShape): KernelSource {
  const { H, M, D, wg } = s;
  if (wg & (wg - 1)) throw new Error(`merge workgroup size ${wg} is not a power of two`);
  const D4 = ceil4(D), HM = H * M;
  const code = `${WGSL_PARAMS}
${storageDecl([{ name: 'U', access: 'uniform', type: 'Params' }, { name: 'Part', access: 'read', type: 'array<f32>' }, { name: 'Z', access: 'read_write', type: 'array<f32>' }])}
var<workgroup> sm: array<f32, ${wg}>;
var<workgroup> sl: array<f32, ${wg}>;
var<workgroup> sa: array<f32, ${wg * D}>;
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) nwg: vec3u) {
  let g = wid.x + wid.y * nwg.x; // head * M + latent
  let gv = min(g, ${HM - 1}u);
  var m = -3.0e38; var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var c = li; c < U.chunks; c += ${wg}u) {
    let o = (c * ${HM}u + gv) * ${D + 2}u;
    let pm = Part[o];
    let nm = max(m, pm);
    let a = exp(m - nm);
    let b = exp(pm - nm);
    l = fma(l, a, Part[o + 1u] * b);
    for (var d = 0u; d < ${D}u; d++) { acc[d] = fma(acc[d], a, Part[o + 2u + d] * b); }
    m = nm;
  }
  sm[li] = m; sl[li] = l;
  for (var d = 0u; d < ${D}u; d++) { sa[li * ${D}u + d] = acc[d]; }
  for (var s = ${wg / 2}u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (li < s) {
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
  if (g < ${HM}u) {
    for (var d = li; d < ${D4}u; d += ${wg}u) { Z[g * ${D4}u + d] = select(0.0, sa[min(d, ${D - 1}u)] / sl[0], d < ${D}u); }
  }
}`;
  return { code, bindings: ['U', 'Part', 'Z'], workgroupSize: wg, workgroupBytes: wg * (D + 2) * 4 };
}
