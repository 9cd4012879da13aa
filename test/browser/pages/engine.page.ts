import { report } from '../page';
import { createFlareEngine, loadFlareEngine } from '../../../extension/core/engine/flareEngine';
import { runCpuReference } from '../../../extension/core/engine/cpuReference';
import { isRefusal } from '../../../extension/core/engine/plan';
import { randomInput, randomPlan } from '../../unit/engine/randomPlan';

function npyF32(buf: ArrayBuffer): Float32Array {
  const headerLen = new DataView(buf).getUint16(8, true);
  return new Float32Array(buf.slice(10 + headerLen));
}

// The engine in Chromium's WebGPU (SwiftShader in CI): the reference model against PyTorch's
// y.npy, and a random multi-segment config against the float64 CPU reference.
report(async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  if (!adapter) return { webgpu: false };
  const device = await adapter.requestDevice();
  const get = async (p: string) => (await fetch(p)).arrayBuffer();
  const [onnx, xb, yb] = await Promise.all([get('/shared/reference/flare_small.onnx'), get('/shared/reference/x.npy'), get('/shared/reference/y.npy')]);
  const engine = await loadFlareEngine(new Uint8Array(onnx), device, { stageInWorkgroupMemory: false });
  if (isRefusal(engine)) return { webgpu: true, refused: engine.reason };
  const x = npyF32(xb), y = npyF32(yb);
  const out = await engine.run(x, x.length / 3);
  let refMaxAbs = 0;
  for (let i = 0; i < y.length; i++) refMaxAbs = Math.max(refMaxAbs, Math.abs(out[i] - y[i]));
  engine.dispose();

  const plan = randomPlan({ cin: 4, cout: 2, channels: 16, heads: 4, latents: 6, blocks: 2, hidden: { inp: 1, kv: 1, mlp: 1, out: 1 }, seed: 5 });
  const e2 = await createFlareEngine(plan, device, { stageInWorkgroupMemory: false, maxSegmentPoints: 256 });
  if (isRefusal(e2)) return { webgpu: true, refused: e2.reason };
  const n = 601;
  const x2 = randomInput(n, 4, 9);
  const o2 = await e2.run(x2, n);
  const r2 = runCpuReference(plan, x2, n);
  let randMaxAbs = 0;
  for (let i = 0; i < r2.length; i++) randMaxAbs = Math.max(randMaxAbs, Math.abs(o2[i] - r2[i]));
  e2.dispose();
  return { webgpu: true, architecture: adapter.info.architecture, n: x.length / 3, refMaxAbs, randMaxAbs, outLen: out.length, segments: Math.ceil(n / 256) };
});
