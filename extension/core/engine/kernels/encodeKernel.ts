// Kernel: encode partials. Workgroup (chunk, head): its latents attend over the chunk's points
// with an online softmax (running max, sum, weighted sum of v), so no N×M scores are stored.
// Writes per (chunk, head, latent): [max, sum, acc[D]] — merged exactly by encodeMergeKernel.
// Staged: K/V tiles of the chunk go through workgroup memory (shared by the head's latents).
import { storageDecl, WGSL_BLOCK, WGSL_PARAMS, type KernelSource } from './shared';

export interface EncodeShape { C: number; H: number; M: number; wg: number; tilePoints: number; stage: boolean }

export function encodeKernel(s: EncodeShape, qOffset: number): KernelSource {
  const { C, H, M, wg, tilePoints: TP, stage } = s;
  const D = C / H, R = Math.ceil(M / wg);
  const kAt = stage ? (d: string) => `kt[t * ${D}u + ${d}]` : (d: string) => `K[(start + t) * ${C}u + h * ${D}u + ${d}]`;
  const vAt = stage ? (d: string) => `vt[t * ${D}u + ${d}]` : (d: string) => `V[(start + t) * ${C}u + h * ${D}u + ${d}]`;
  const code = `${WGSL_PARAMS}
${WGSL_BLOCK}
${storageDecl([
    { name: 'W', access: 'read', type: 'array<f32>' }, { name: 'U', access: 'uniform', type: 'Params' }, { name: 'Bk', access: 'uniform', type: 'Block' },
    { name: 'K', access: 'read', type: 'array<f32>' }, { name: 'V', access: 'read', type: 'array<f32>' },
    { name: 'Part', access: 'read_write', type: 'array<f32>' }])}
${stage ? `var<workgroup> kt: array<f32, ${TP * D}>;\nvar<workgroup> vt: array<f32, ${TP * D}>;` : ''}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let chunk = wid.x;
  let h = wid.y;
  let p0 = chunk * U.chunkLen; // U.chunkLen is a multiple of the tile
  var q: array<f32, ${R * D}>; var mx: array<f32, ${R}>; var l: array<f32, ${R}>; var acc: array<f32, ${R * D}>;
  for (var r = 0u; r < ${R}u; r++) {
    let m = min(li + r * ${wg}u, ${M - 1}u);
    for (var d = 0u; d < ${D}u; d++) { q[r * ${D}u + d] = W[Bk.base + ${qOffset}u + (h * ${M}u + m) * ${D}u + d] * Bk.encScale; }
    mx[r] = -3.0e38;
  }
  for (var t0 = 0u; t0 < U.chunkLen; t0 += ${TP}u) {
    let start = p0 + t0;
    ${stage ? `workgroupBarrier();
    for (var i = li; i < ${TP * D}u; i += ${wg}u) {
      let pt = start + i / ${D}u;
      if (pt < U.n) { let g = pt * ${C}u + h * ${D}u + i % ${D}u; kt[i] = K[g]; vt[i] = V[g]; }
    }
    workgroupBarrier();` : ''}
    let cnt = select(0u, min(${TP}u, U.n - start), start < U.n);
    for (var r = 0u; r < ${R}u; r++) {
      var m_ = mx[r]; var l_ = l[r];
      var av: array<f32, ${D}>; var qv: array<f32, ${D}>;
      for (var d = 0u; d < ${D}u; d++) { av[d] = acc[r * ${D}u + d]; qv[d] = q[r * ${D}u + d]; }
      for (var t = 0u; t < cnt; t++) {
        var sc = 0.0;
        for (var d = 0u; d < ${D}u; d++) { sc = fma(qv[d], ${kAt('d')}, sc); }
        let nm = max(m_, sc);
        let c = exp(m_ - nm);
        let e = exp(sc - nm);
        l_ = fma(l_, c, e);
        for (var d = 0u; d < ${D}u; d++) { av[d] = fma(av[d], c, e * ${vAt('d')}); }
        m_ = nm;
      }
      mx[r] = m_; l[r] = l_;
      for (var d = 0u; d < ${D}u; d++) { acc[r * ${D}u + d] = av[d]; }
    }
  }
  for (var r = 0u; r < ${R}u; r++) {
    let m = li + r * ${wg}u;
    if (m < ${M}u) {
      let o = (((U.chunkBase + chunk) * ${H}u + h) * ${M}u + m) * ${D + 2}u;
      Part[o] = mx[r]; Part[o + 1u] = l[r];
      for (var d = 0u; d < ${D}u; d++) { Part[o + 2u + d] = acc[r * ${D}u + d]; }
    }
  }
}`;
  return { code, bindings: ['W', 'U', 'Bk', 'K', 'V', 'Part'], workgroupSize: wg, workgroupBytes: stage ? 2 * TP * D * 4 : 0 };
}
