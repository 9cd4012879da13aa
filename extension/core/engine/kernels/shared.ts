// Things every kernel generator shares: the parameter block and the result shape.

/** Uniform block of every dispatch: points in this segment, global index of its first encode chunk, total chunks, points per chunk. */
export const WGSL_PARAMS = `struct Params { n: u32, chunkBase: u32, chunks: u32, chunkLen: u32 }`;

/** Per-block uniform: offset of this block's weights relative to block 0's, the next block's, softmax scales. */
export const WGSL_BLOCK = `struct Block { base: u32, nextBase: u32, encScale: f32, decScale: f32 }`;

/** A generated kernel: its WGSL, the storage/uniform buffers it binds (in binding order), its workgroup size. */
export interface KernelSource { code: string; bindings: string[]; workgroupSize: number; workgroupBytes: number }

export function storageDecl(bindings: { name: string; access: 'read' | 'read_write' | 'uniform'; type: string }[]): string {
  return bindings.map((b, i) => b.access === 'uniform'
    ? `@group(0) @binding(${i}) var<uniform> ${b.name}: ${b.type};`
    : `@group(0) @binding(${i}) var<storage, ${b.access}> ${b.name}: ${b.type};`).join('\n');
}
