// Kernel: exact merge of the encode partials of all chunks (log-sum-exp rescaling), z = acc / sum.
import { storageDecl, WGSL_PARAMS, type KernelSource } from './shared';

export function encodeMergeKernel(s: { H: number; M: number; D: number; wg: number }): KernelSource {
  const { H, M, D, wg } = s;
  const code = `${WGSL_PARAMS}
${storageDecl([{ name: 'U', access: 'uniform', type: 'Params' }, { name: 'Part', access: 'read', type: 'array<f32>' }, { name: 'Z', access: 'read_write', type: 'array<f32>' }])}
@compute @workgroup_size(${wg})
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let g = gid.x; // head * M + latent
  if (g >= ${H * M}u) { return; }
  var gm = -3.0e38;
  for (var c = 0u; c < U.chunks; c++) { gm = max(gm, Part[(c * ${H * M}u + g) * ${D + 2}u]); }
  var l = 0.0;
  var acc: array<f32, ${D}>;
  for (var c = 0u; c < U.chunks; c++) {
    let o = (c * ${H * M}u + g) * ${D + 2}u;
    let w = exp(Part[o] - gm);
    l = fma(Part[o + 1u], w, l);
    for (var d = 0u; d < ${D}u; d++) { acc[d] = fma(Part[o + 2u + d], w, acc[d]); }
  }
  for (var d = 0u; d < ${D}u; d++) { Z[g * ${D}u + d] = acc[d] / l; }
}`;
  return { code, bindings: ['U', 'Part', 'Z'], workgroupSize: wg, workgroupBytes: 0 };
}
