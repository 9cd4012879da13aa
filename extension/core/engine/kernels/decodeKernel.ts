// Kernel: per point, the decode softmax over its head's M latents (online, 4 latents per step:
// one rescale per 4 scores; q and z read as vec4s; latent tiles staged in workgroup memory when
// staging) fused with the output projection and residual, the block's LayerNorm + MLP + residual,
// and then either the next block's k/v MLPs (variant 'mid') or the final LayerNorm + output head
// (variant 'last'). Block weights are addressed relative to Bk.base.
import { ceil4, type PackedPlan } from '../weightPack';
import { emitKeyValue, emitRegisters } from './mlpChainKernel';
import { emitLayerNorm, emitLinear, emitMlp, emitPointIndex, f, WGSL_GELU, type PointProgramLimits } from './pointProgram';
import { storageDecl, WGSL_BLOCK, WGSL_PARAMS, type KernelSource } from './shared';

export interface DecodeDims { C: number; H: number; M: number; cout: number; maxDim: number; latentTile: number }

export function decodeKernel(pp: PackedPlan, variant: 'mid' | 'last', dims: DecodeDims, lim: PointProgramLimits): KernelSource {
  const { C, H, M, cout, maxDim } = dims;
  const MT = lim.stage ? dims.latentTile : M;
  const D = C / H, DV = ceil4(D) / 4; // vec4s per latent row of q and z
  const blk = pp.blocks[0];
  const last = variant === 'last';
  const bindings = [
    { name: 'W', access: 'read' as const, type: 'array<f32>' }, { name: 'W4', access: 'read' as const, type: 'array<vec4f>' },
    { name: 'U', access: 'uniform' as const, type: 'Params' }, { name: 'Bk', access: 'uniform' as const, type: 'Block' },
    { name: 'Z', access: 'read' as const, type: 'array<vec4f>' }, { name: 'X', access: 'read_write' as const, type: 'array<f32>' },
    { name: 'K', access: 'read_write' as const, type: 'array<f32>' },
    ...(last ? [{ name: 'Y', access: 'read_write' as const, type: 'array<f32>' }] : [{ name: 'V', access: 'read_write' as const, type: 'array<f32>' }]),
  ];
  const tail = last
    ? `${emitLayerNorm(pp.lnOut, 'xs', 'a')}
  ${emitMlp(pp.out, 'a', 'hs', 'hs', lim)}
  if (valid) { for (var j = 0u; j < ${cout}u; j++) { Y[p * ${cout}u + j] = hs[j]; } }`
    : `if (valid) { for (var j = 0u; j < ${C}u; j++) { X[p * ${C}u + j] = xs[j]; } }
  ${emitKeyValue(blk, C, lim, 'Bk.nextBase')}`;
  const dv = Array.from({ length: DV }, (_, i) => i);
  // latent row m (a WGSL expression, relative to the tile) of q and z, vec4 d
  const qAt = (m: string, d: number) => (lim.stage ? `qt[(${m}) * ${DV}u + ${d}u]` : `W4[qb + (${m}) * ${DV}u + ${d}u]`);
  const zAt = (m: string, d: number) => (lim.stage ? `zt[(${m}) * ${DV}u + ${d}u]` : `Z[zb + (${m}) * ${DV}u + ${d}u]`);
  const score = (m: string) => dv.map((d) => `dot(kh[${d}], ${qAt(m, d)})`).join(' + ');
  const khInit = dv.map((d) => `kh[${d}] = vec4f(${[0, 1, 2, 3].map((c) => (4 * d + c < D ? `kk[h * ${D}u + ${4 * d + c}u]` : '0.0')).join(', ')});`).join(' ');
  const yaOut = dv.flatMap((d) => ['x', 'y', 'z', 'w'].slice(0, Math.min(4, D - 4 * d)).map((c, i) => `hs[h * ${D}u + ${4 * d + i}u] = ya[${d}].${c} * il;`)).join(' ');
  const code = `${WGSL_PARAMS}
${WGSL_BLOCK}
${storageDecl(bindings)}
${lim.stage ? `var<workgroup> ws: array<vec4f, ${lim.wsFloats / 4}>;
var<workgroup> qt: array<vec4f, ${MT * DV}>;
var<workgroup> zt: array<vec4f, ${MT * DV}>;` : ''}
${WGSL_GELU}
@compute @workgroup_size(${lim.wg})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) nwg: vec3u) {
  ${emitPointIndex(lim.wg)}
  let valid = p < U.n;
  ${emitRegisters(C, maxDim)}
  var kk: array<f32, ${C}>;
  if (valid) { for (var j = 0u; j < ${C}u; j++) { xs[j] = X[p * ${C}u + j]; kk[j] = K[p * ${C}u + j] * Bk.decScale; } }
  for (var h = 0u; h < ${H}u; h++) {
    var mx = -3.0e38; var l = 0.0;
    var ya: array<vec4f, ${DV}>; var kh: array<vec4f, ${DV}>;
    ${khInit}
    for (var m0 = 0u; m0 < ${M}u; m0 += ${MT}u) {
      let qb = (Bk.base >> 2u) + ${blk.q / 4}u + (h * ${M}u + m0) * ${DV}u;
      let zb = (h * ${M}u + m0) * ${DV}u;
      ${lim.stage ? `workgroupBarrier();
      for (var i = li; i < ${MT * DV}u; i += ${lim.wg}u) {
        if (m0 * ${DV}u + i < ${M * DV}u) { qt[i] = W4[qb + i]; zt[i] = Z[zb + i]; }
      }
      workgroupBarrier();` : ''}
      let cnt = min(${MT}u, ${M}u - m0);
      var m = 0u;
      for (; m + 4u <= cnt; m += 4u) {
        let sv = vec4f(${score('m')}, ${score('m + 1u')}, ${score('m + 2u')}, ${score('m + 3u')});
        let nm = max(mx, max(max(sv.x, sv.y), max(sv.z, sv.w)));
        let c = exp(mx - nm);
        let e = exp(sv - vec4f(nm));
        l = fma(l, c, dot(e, vec4f(1.0)));
        ${dv.map((d) => `ya[${d}] = fma(ya[${d}], vec4f(c), fma(vec4f(e.x), ${zAt('m', d)}, fma(vec4f(e.y), ${zAt('m + 1u', d)}, fma(vec4f(e.z), ${zAt('m + 2u', d)}, e.w * ${zAt('m + 3u', d)}))));`).join('\n        ')}
        mx = nm;
      }
      for (; m < cnt; m++) {
        let sc = ${score('m')};
        let nm = max(mx, sc);
        let c = exp(mx - nm);
        let e = exp(sc - nm);
        l = fma(l, c, e);
        ${dv.map((d) => `ya[${d}] = fma(ya[${d}], vec4f(c), e * ${zAt('m', d)});`).join(' ')}
        mx = nm;
      }
    }
    let il = ${f(1)} / l;
    ${yaOut}
  }
  ${emitLinear(blk.o, 'hs', 'xs', { gelu: false, residual: 'xs', lim, base: 'Bk.base' })}
  ${emitLayerNorm(blk.ln2, 'xs', 'a', 'Bk.base')}
  ${emitMlp(blk.mlp, 'a', 'hs', 'hs', lim, 'Bk.base')}
  for (var j = 0u; j < ${C}u; j++) { xs[j] = xs[j] + hs[j]; }
  ${tail}
}`;
  return { code, bindings: bindings.map((x) => x.name), workgroupSize: lim.wg, workgroupBytes: lim.stage ? (lim.wsFloats + 2 * MT * DV * 4) * 4 : 0 };
}
