// Kernel: encode partials. Workgroup (chunk, head): its latents attend over the chunk's points
// with an online softmax (running max, sum, weighted sum of v; 4 points per step, so one rescale
// per 4 scores), so no N×M scores are stored. Writes per (chunk, head, latent): [max, sum, acc[D]] —
// merged exactly by encodeMergeKernel. k and v rows are read as vec4s (straight from K and V when
// D is a multiple of 4, else assembled with zero padding). Staged: K/V tiles of the chunk go through
// workgroup memory (shared by the head's latents).
import { ceil4 } from '../weightPack';
import { storageDecl, WGSL_BLOCK, WGSL_PARAMS, type KernelSource } from './shared';

export interface EncodeShape { C: number; H: number; M: number; wg: number; tilePoints: number; stage: boolean }

export function encodeKernel(s: EncodeShape, qOffset: number): KernelSource {
  const { C, H, M, wg, tilePoints: TP, stage } = s;
  const D = C / H, DV = ceil4(D) / 4, R = Math.ceil(M / wg);
  const vec = D % 4 === 0; // K and V bound as vec4 arrays
  const dv = Array.from({ length: DV }, (_, i) => i);
  // the vec4 d of point pt's head row in buffer B (global memory)
  const rowAt = (B: string, pt: string, d: number | string): string => {
    if (vec) return `${B}[(${pt}) * ${C / 4}u + h * ${DV}u + ${typeof d === 'number' ? `${d}u` : `(${d})`}]`;
    const n = d as number;
    return `vec4f(${[0, 1, 2, 3].map((c) => (4 * n + c < D ? `${B}[(${pt}) * ${C}u + h * ${D}u + ${4 * n + c}u]` : '0.0')).join(', ')})`;
  };
  const kAt = (t: string, d: number) => (stage ? `kt[(${t}) * ${DV}u + ${d}u]` : rowAt('K', `start + ${t}`, d));
  const vAt = (t: string, d: number) => (stage ? `vt[(${t}) * ${DV}u + ${d}u]` : rowAt('V', `start + ${t}`, d));
  const score = (t: string) => dv.map((d) => `dot(qv[${d}], ${kAt(t, d)})`).join(' + ');
  // staged copy of a vec4 d (runtime) with zero padding when D is not a multiple of 4
  const stageRow = (B: string): string => vec ? rowAt(B, 'pt', `i % ${DV}u`)
    : `vec4f(${[0, 1, 2, 3].map((c) => `select(0.0, ${B}[pt * ${C}u + h * ${D}u + min((i % ${DV}u) * 4u + ${c}u, ${D - 1}u)], (i % ${DV}u) * 4u + ${c}u < ${D}u)`).join(', ')})`;
  const T = vec ? 'array<vec4f>' : 'array<f32>';
  const code = `${WGSL_PARAMS}
${WGSL_BLOCK}
${storageDecl([
    { name: 'W', access: 'read', type: 'array<f32>' }, { name: 'U', access: 'uniform', type: 'Params' }, { name: 'Bk', access: 'uniform', type: 'Block' },
    { name: 'K', access: 'read', type: T }, { name: 'V', access: 'read', type: T },
    { name: 'Part', access: 'read_write', type: 'array<f32>' }])}
${stage ? `var<workgroup> kt: array<vec4f, ${TP * DV}>;\nvar<workgroup> vt: array<vec4f, ${TP * DV}>;` : ''}
@compute @workgroup_size(${wg})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) li: u32) {
  let chunk = wid.x;
  let h = wid.y;
  let p0 = chunk * U.chunkLen; // U.chunkLen is a multiple of the tile
  var q: array<vec4f, ${R * DV}>; var mx: array<f32, ${R}>; var l: array<f32, ${R}>; var acc: array<vec4f, ${R * DV}>;
  for (var r = 0u; r < ${R}u; r++) {
    let m = min(li + r * ${wg}u, ${M - 1}u);
    let qb = Bk.base + ${qOffset}u + (h * ${M}u + m) * ${DV * 4}u; // rows padded to ${DV * 4} with zeros
    for (var d = 0u; d < ${DV}u; d++) {
      let o = qb + d * 4u;
      q[r * ${DV}u + d] = vec4f(W[o], W[o + 1u], W[o + 2u], W[o + 3u]) * Bk.encScale;
    }
    mx[r] = -3.0e38;
  }
  for (var t0 = 0u; t0 < U.chunkLen; t0 += ${TP}u) {
    let start = p0 + t0;
    ${stage ? `workgroupBarrier();
    for (var i = li; i < ${TP * DV}u; i += ${wg}u) {
      let pt = start + i / ${DV}u;
      if (pt < U.n) { kt[i] = ${stageRow('K')}; vt[i] = ${stageRow('V')}; }
    }
    workgroupBarrier();` : ''}
    let cnt = select(0u, min(${TP}u, U.n - start), start < U.n);
    for (var r = 0u; r < ${R}u; r++) {
      var m_ = mx[r]; var l_ = l[r];
      var av: array<vec4f, ${DV}>; var qv: array<vec4f, ${DV}>;
      ${dv.map((d) => `av[${d}] = acc[r * ${DV}u + ${d}u]; qv[${d}] = q[r * ${DV}u + ${d}u];`).join(' ')}
      var t = 0u;
      for (; t + 4u <= cnt; t += 4u) {
        let sv = vec4f(${score('t')}, ${score('t + 1u')}, ${score('t + 2u')}, ${score('t + 3u')});
        let nm = max(m_, max(max(sv.x, sv.y), max(sv.z, sv.w)));
        let c = exp(m_ - nm);
        let e = exp(sv - vec4f(nm));
        l_ = fma(l_, c, dot(e, vec4f(1.0)));
        ${dv.map((d) => `av[${d}] = fma(av[${d}], vec4f(c), fma(vec4f(e.x), ${vAt('t', d)}, fma(vec4f(e.y), ${vAt('t + 1u', d)}, fma(vec4f(e.z), ${vAt('t + 2u', d)}, e.w * ${vAt('t + 3u', d)}))));`).join('\n        ')}
        m_ = nm;
      }
      for (; t < cnt; t++) {
        let sc = ${score('t')};
        let nm = max(m_, sc);
        let c = exp(m_ - nm);
        let e = exp(sc - nm);
        l_ = fma(l_, c, e);
        ${dv.map((d) => `av[${d}] = fma(av[${d}], vec4f(c), e * ${vAt('t', d)});`).join(' ')}
        m_ = nm;
      }
      mx[r] = m_; l[r] = l_;
      ${dv.map((d) => `acc[r * ${DV}u + ${d}u] = av[${d}];`).join(' ')}
    }
  }
  for (var r = 0u; r < ${R}u; r++) {
    let m = li + r * ${wg}u;
    if (m < ${M}u) {
      let o = (((U.chunkBase + chunk) * ${H}u + h) * ${M}u + m) * ${D + 2}u;
      Part[o] = mx[r]; Part[o + 1u] = l[r];
      ${dv.flatMap((d) => ['x', 'y', 'z', 'w'].slice(0, Math.min(4, D - 4 * d)).map((c, i) => `Part[o + ${2 + 4 * d + i}u] = acc[r * ${DV}u + ${d}u].${c};`)).join(' ')}
    }
  }
}`;
  return { code, bindings: ['W', 'U', 'Bk', 'K', 'V', 'Part'], workgroupSize: wg, workgroupBytes: stage ? 2 * TP * DV * 16 : 0 };
}
