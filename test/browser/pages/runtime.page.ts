import { report } from '../page';
import { createBrowserRuntime } from '../../../extension/core/runtime/browser';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import type { OrtBackend } from '../../../extension/core/runtime/ortBackend';

// The reference model through the runtime in Chromium: wasm and WebGPU (SwiftShader), then a
// destroyed GPU device to exercise the fallback to wasm.
async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

report(async () => {
  const [onnx, xb, yb] = await Promise.all(['/shared/reference/flare_small.onnx', '/shared/reference/x.npy', '/shared/reference/y.npy'].map(fetchBytes));
  const opened = openModel(onnx, 'flare_small');
  if (!opened.ok) throw new Error(opened.error);
  const x = readNpy(xb, 'x.npy');
  const y = readNpy(yb, 'y.npy');
  if (!x.ok || !y.ok) throw new Error('npy');
  const golden = toFloat32(y.array);
  const rt = createBrowserRuntime({ ortBase: '/media/ort/' });
  const inputs = { x: { data: toFloat32(x.array), dims: x.array.shape } };
  const out: Record<string, unknown> = { crossOriginIsolated: self.crossOriginIsolated, status: await rt.status() };
  for (const backend of ['wasm', 'webgpu'] as const) {
    const r = await rt.run({ model: opened.model.handle, inputs, backend });
    if (!r.ok) { out[backend] = { error: r.error.message }; continue; }
    let maxAbs = 0;
    for (let i = 0; i < golden.length; i++) maxAbs = Math.max(maxAbs, Math.abs(r.outputs.y.data[i] - golden[i]));
    out[backend] = { backend: r.backend, maxAbs, ms: r.ms, adapter: r.adapter?.architecture ?? null };
  }
  const gpu = rt.get('webgpu') as OrtBackend | undefined;
  if (gpu?.adapter) {
    gpu.loseDevice();
    await new Promise((r) => setTimeout(r, 50));
    const small = { x: { data: inputs.x.data.subarray(0, 300), dims: [1, 100, 3] } };
    const r = await rt.run({ model: opened.model.handle, inputs: small, backend: 'webgpu' });
    out.afterLoss = r.ok ? { backend: r.backend, notes: r.notes } : { error: r.error.message, notes: r.notes };
  }
  await rt.dispose();
  return out;
});
