import { report } from '../page';
import { createBrowserRuntime } from '../../../extension/core/runtime/browser';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import type { EngineBackend } from '../../../extension/core/runtime/engineBackend';
import type { ModelHandle, Tensors } from '../../../extension/core/runtime/backend';
import type { RunResult } from '../../../extension/core/runtime/runtime';

// The runtime's `engine` back end in Chromium (SwiftShader in CI), through createBrowserRuntime as
// the webview builds it: the reference model and a shipped model against PyTorch and wasm, a
// non-FLARE graph, auto on a software adapter, and a lost GPU device.
async function fetchBytes(url: string): Promise<Uint8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

async function npy(url: string): Promise<{ data: Float32Array; dims: number[] }> {
  const r = readNpy(await fetchBytes(url), url);
  if (!r.ok) throw new Error(r.error);
  return { data: toFloat32(r.array), dims: [...r.array.shape] };
}

async function model(url: string): Promise<ModelHandle> {
  const o = openModel(await fetchBytes(url), url);
  if (!o.ok) throw new Error(o.error);
  return o.model.handle;
}

/** Per output (side by side on the last axis in `order`): max |out - ref| / max |ref|. */
function rel(out: Tensors, ref: Float32Array, order: string[]): Record<string, number> {
  const widths = order.map((n) => (out[n].dims.length >= 3 ? (out[n].dims.at(-1) as number) : 1));
  const width = widths.reduce((a, b) => a + b, 0);
  const res: Record<string, number> = {};
  let col = 0;
  order.forEach((name, k) => {
    const t = out[name], w = widths[k];
    const rows = t.data.length / w;
    if (rows * width !== ref.length) throw new Error(`${name}: ${rows} rows, reference ${ref.length / width}`);
    let err = 0, scale = 0;
    for (let r = 0; r < rows; r++) for (let c = 0; c < w; c++) {
      const b = ref[r * width + col + c];
      const d = Math.abs(t.data[r * w + c] - b);
      err = Number.isNaN(d) ? Infinity : Math.max(err, d);
      scale = Math.max(scale, Math.abs(b));
    }
    res[name] = scale > 0 ? err / scale : Infinity;
    col += w;
  });
  return res;
}

/** `ref` outputs side by side, for rel(). */
function sideBySide(t: Tensors, order: string[]): Float32Array {
  const widths = order.map((n) => (t[n].dims.length >= 3 ? (t[n].dims.at(-1) as number) : 1));
  const width = widths.reduce((a, b) => a + b, 0);
  const rows = t[order[0]].data.length / widths[0];
  const out = new Float32Array(rows * width);
  let col = 0;
  order.forEach((n, k) => {
    for (let r = 0; r < rows; r++) for (let c = 0; c < widths[k]; c++) out[r * width + col + c] = t[n].data[r * widths[k] + c];
    col += widths[k];
  });
  return out;
}

const brief = (r: RunResult) => (r.ok ? { backend: r.backend, notes: [...r.notes], ms: r.ms, sessionMs: r.sessionMs, adapter: r.adapter?.architecture ?? null } : { code: r.error.code, message: r.error.message, notes: [...r.notes] });

report(async () => {
  const rt = createBrowserRuntime({ ortBase: '/media/ort/' });
  const out: Record<string, unknown> = { status: await rt.status() };
  const ref = await model('/shared/reference/flare_small.onnx');
  const x = await npy('/shared/reference/x.npy'), y = await npy('/shared/reference/y.npy');
  const e = await rt.run({ model: ref, inputs: { x }, backend: 'engine' });
  const w = await rt.run({ model: ref, inputs: { x }, backend: 'wasm' });
  out.reference = { ...brief(e), ...(e.ok ? { vsGolden: rel(e.outputs, y.data, ['y']) } : {}), ...(e.ok && w.ok ? { vsWasm: rel(e.outputs, sideBySide(w.outputs, ['y']), ['y']) } : {}) };

  const shipped = await model('/models/bracket3d-elasticity.onnx');
  const g = '/models/golden/bracket3d-elasticity';
  const inputs = { x: await npy(`${g}.x.npy`), scale: await npy(`${g}.scale.npy`), load_dir: await npy(`${g}.load_dir.npy`) };
  const gy = await npy(`${g}.y.npy`);
  const order = shipped.info.outputs.map((o) => o.name);
  const se = await rt.run({ model: shipped, inputs, backend: 'engine' });
  const sw = await rt.run({ model: shipped, inputs, backend: 'wasm' });
  out.shipped = { ...brief(se), ...(se.ok ? { vsGolden: rel(se.outputs, gy.data, order) } : {}), ...(se.ok && sw.ok ? { vsWasm: rel(se.outputs, sideBySide(sw.outputs, order), order) } : {}) };

  const mlp = await model('/models/baselines/bracket3d-mlp-baseline.onnx');
  out.notFlare = brief(await rt.run({ model: mlp, inputs, backend: 'engine' }));

  const small = { x: { data: x.data.subarray(0, 3 * 800), dims: [1, 800, 3] } };
  out.auto = brief(await rt.run({ model: ref, inputs: small }));

  const engine = rt.get('engine') as EngineBackend | undefined;
  engine?.loseDevice();
  await new Promise((r) => setTimeout(r, 50));
  const tiny = { x: { data: x.data.subarray(0, 3 * 100), dims: [1, 100, 3] } };
  out.afterLoss = brief(await rt.run({ model: ref, inputs: tiny, backend: 'engine' }));
  out.recovered = brief(await rt.run({ model: ref, inputs: tiny, backend: 'engine' }));
  await rt.dispose();
  return out;
});
