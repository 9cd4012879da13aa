// Kernel: the input MLP chain of every point, then the first block's LayerNorm and k/v MLPs.
// One invocation per point; weights staged in workgroup memory tile by tile (pointProgram.ts).
import { ceil4, type PackedBlock, type PackedPlan } from '../weightPack';
import { emitLayerNorm, emitMlp, emitPointIndex, WGSL_GELU, type PointProgramLimits } from './pointProgram';
import { storageDecl, WGSL_PARAMS, type KernelSource } from './shared';

/** ln1 → k and v MLPs of `block` from the residual stream `xs`, stored to K and V (shared with the decode kernel). */
export function emitKeyValue(block: PackedBlock, C: number, lim: PointProgramLimits, base?: string): string {
  return `${emitLayerNorm(block.ln1, 'xs', 'a', base)}
  ${emitMlp(block.k, 'a', 'hs', 'hs', lim, base)}
  if (valid) { for (var j = 0u; j < ${C}u; j++) { K[p * ${C}u + j] = hs[j]; } }
  ${emitMlp(block.v, 'a', 'hs', 'hs', lim, base)}
  if (valid) { for (var j = 0u; j < ${C}u; j++) { V[p * ${C}u + j] = hs[j]; } }`;
}

/** Private per-point registers: residual stream, LayerNorm output, MLP state, accumulator. */
export const emitRegisters = (C: number, maxDim: number): string =>
  `var xs: array<f32, ${C}>; var a: array<f32, ${C}>; var hs: array<f32, ${maxDim}>; var acc: array<f32, ${ceil4(maxDim)}>;`;

export function mlpChainKernel(pp: PackedPlan, dims: { cin: number; C: number; maxDim: number }, lim: PointProgramLimits): KernelSource {
  const { cin, C, maxDim } = dims;
  const code = `${WGSL_PARAMS}
${storageDecl([
    { name: 'W', access: 'read', type: 'array<f32>' }, { name: 'W4', access: 'read', type: 'array<vec4f>' }, { name: 'U', access: 'uniform', type: 'Params' },
    { name: 'Xin', access: 'read', type: 'array<f32>' }, { name: 'X', access: 'read_write', type: 'array<f32>' },
    { name: 'K', access: 'read_write', type: 'array<f32>' }, { name: 'V', access: 'read_write', type: 'array<f32>' }])}
${lim.stage ? `var<workgroup> ws: array<vec4f, ${lim.wsFloats / 4}>;` : ''}
${WGSL_GELU}
@compute @workgroup_size(${lim.wg})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) li: u32, @builtin(num_workgroups) nwg: vec3u) {
  ${emitPointIndex(lim.wg)}
  let valid = p < U.n;
  ${emitRegisters(C, maxDim)}
  var xin: array<f32, ${cin}>;
  if (valid) { for (var j = 0u; j < ${cin}u; j++) { xin[j] = Xin[p * ${cin}u + j]; } }
  ${emitMlp(pp.inp, 'xin', 'xs', 'hs', lim)}
  if (valid) { for (var j = 0u; j < ${C}u; j++) { X[p * ${C}u + j] = xs[j]; } }
  ${emitKeyValue(pp.blocks[0], C, lim)}
}`;
  return { code, bindings: ['W', 'W4', 'U', 'Xin', 'X', 'K', 'V'], workgroupSize: lim.wg, workgroupBytes: lim.stage ? lim.wsFloats * 4 : 0 };
}
