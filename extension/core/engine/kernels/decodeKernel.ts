// Kernel: per point, the decode softmax over its head's M latents (online; latent tiles staged in
// workgroup memory when staging) fused with the output projection and residual, the block's
// LayerNorm + MLP + residual, and then either the next block's k/v MLPs (variant 'mid') or the
// final LayerNorm + output head (variant 'last'). Block weights are addressed relative to Bk.base.
import type { PackedPlan } from '../weightPack';
import { emitKeyValue, emitRegisters } from './mlpChainKernel';
import { emitLayerNorm, emitLinear, emitMlp, emitPointIndex, WGSL_GELU, type PointProgramLimits } from './pointProgram';
import { storageDecl, WGSL_BLOCK, WGSL_PARAMS, type KernelSource } from './shared';

export function decodeKernel(pp: PackedPlan, variant: 'mid' | 'last', dims: { C: number; H: number; M: number; cout: number; maxDim: number; latentTile: number }, lim: PointProgramLimits): KernelSource {
  const { C, H, M, cout, maxDim } = dims;
  const MT = lim.stage ? dims.latentTile : M;
  const D = C / H;
  const blk = pp.blocks[0];
  const last = variant === 'last';
  const bindings = [
    { name: 'W', access: 'read' as const, type: 'array<f32>' }, { name: 'U', access: 'uniform' as const, type: 'Params' }, { name: 'Bk', access: 'uniform' as const, type: 'Block' },
    { name: 'Z', access: 'read' as const, type: 'array<f32>' }, { name: 'X', access: 'read_write' as const, type: 'array<f32>' },
    { name: 'K', access: 'read_write' as const, type: 'array<f32>' },
    ...(last ? [{ name: 'Y', access: 'read_write' as const, type: 'array<f32>' }] : [{ name: 'V', access: 'read_write' as const, type: 'array<f32>' }]),
  ];
  const tail = last
    ? `${emitLayerNorm(pp.lnOut, 'xs', 'a')}
  ${emitMlp(pp.out, 'a', 'hs', 'hs', lim)}
  if (valid) { for (var j = 0u; j < ${cout}u; j++) { Y[p * ${cout}u + j] = hs[j]; } }`
    : `if (valid) { for (var j = 0u; j < ${C}u; j++) { X[p * ${C}u + j] = xs[j]; } }
  ${emitKeyValue(blk, C, lim, 'Bk.nextBase')}`;
  const qAt = lim.stage ? (i: string) => `qt[${i}]` : (i: string) => `W[qb + ${i}]`;
  const zAt = lim.stage ? (i: string) => `zt[${i}]` : (i: string) => `Z[zb + ${i}]`;
  const code = `${WGSL_PARAMS}
${WGSL_BLOCK}
${storageDecl(bindings)}
${lim.stage ? `var<workgroup> ws: array<f32, ${lim.wsFloats}>;
var<workgroup> qt: array<f32, ${MT * D}>;
var<workgroup> zt: array<f32, ${MT * D}>;` : ''}
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
    var ya: array<f32, ${D}>; var kh: array<f32, ${D}>;
    for (var d = 0u; d < ${D}u; d++) { kh[d] = kk[h * ${D}u + d]; }
    for (var m0 = 0u; m0 < ${M}u; m0 += ${MT}u) {
      let qb = Bk.base + ${blk.q}u + (h * ${M}u + m0) * ${D}u;
      let zb = (h * ${M}u + m0) * ${D}u;
      ${lim.stage ? `workgroupBarrier();
      for (var i = li; i < ${MT * D}u; i += ${lim.wg}u) {
        if (m0 * ${D}u + i < ${M * D}u) { qt[i] = W[qb + i]; zt[i] = Z[zb + i]; }
      }
      workgroupBarrier();` : ''}
      let cnt = min(${MT}u, ${M}u - m0);
      for (var m = 0u; m < cnt; m++) {
        var sc = 0.0;
        for (var d = 0u; d < ${D}u; d++) { sc = fma(kh[d], ${qAt(`m * ${D}u + d`)}, sc); }
        let nm = max(mx, sc);
        let c = exp(mx - nm);
        let e = exp(sc - nm);
        l = fma(l, c, e);
        for (var d = 0u; d < ${D}u; d++) { ya[d] = fma(ya[d], c, e * ${zAt(`m * ${D}u + d`)}); }
        mx = nm;
      }
    }
    for (var d = 0u; d < ${D}u; d++) { hs[h * ${D}u + d] = ya[d] / l; }
  }
  ${emitLinear(blk.o, 'hs', 'xs', { gelu: false, residual: 'xs', lim, base: 'Bk.base' })}
  ${emitLayerNorm(blk.ln2, 'xs', 'a', 'Bk.base')}
  ${emitMlp(blk.mlp, 'a', 'hs', 'hs', lim, 'Bk.base')}
  for (var j = 0u; j < ${C}u; j++) { xs[j] = xs[j] + hs[j]; }
  ${tail}
}`;
  return { code, bindings: bindings.map((x) => x.name), workgroupSize: lim.wg, workgroupBytes: lim.stage ? (lim.wsFloats + 2 * MT * D) * 4 : 0 };
}
