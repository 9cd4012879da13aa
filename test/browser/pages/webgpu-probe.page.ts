import { report } from '../page';

// A real compute dispatch on the adapter Chromium gives us (SwiftShader in CI): y = 2x + 1.
report(async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { webgpu: false };
  const device = await adapter.requestDevice();
  const n = 1000;
  const x = new Float32Array(n).map((_, i) => i);
  const buf = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(buf, 0, x);
  const module = device.createShaderModule({ code: `@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { if (id.x < arrayLength(&v)) { v[id.x] = 2.0 * v[id.x] + 1.0; } }` });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
  const read = device.createBuffer({ size: x.byteLength, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bind);
  pass.dispatchWorkgroups(Math.ceil(n / 64));
  pass.end();
  enc.copyBufferToBuffer(buf, 0, read, 0, x.byteLength);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const y = new Float32Array(read.getMappedRange().slice(0));
  return { webgpu: true, architecture: adapter.info.architecture, y0: y[0], y999: y[999] };
});
