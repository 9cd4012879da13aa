import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { runInBrowser } from './harness';

interface Run { backend?: string; code?: string; message?: string; notes: string[]; ms?: number; sessionMs?: number; adapter?: string | null; vsGolden?: Record<string, number>; vsWasm?: Record<string, number> }
interface Result { status: { name: string; ok: boolean; detail: string }[]; reference: Run; shipped: Run; notFlare: Run; auto: Run; afterLoss: Run; recovered: Run }

function within(what: string, rels: Record<string, number> | undefined, names: string[]): void {
  assert.deepEqual(Object.keys(rels ?? {}).sort(), [...names].sort(), `${what}: compared outputs`);
  for (const [name, v] of Object.entries(rels ?? {})) assert.ok(v < 1e-4, `${what} ${name}: relative error ${v}`);
}

test('runtime engine back end in Chromium (createBrowserRuntime): PyTorch and wasm parity, non-FLARE refusal, auto on software, device loss', async (t) => {
  const r = await runInBrowser<Result>('test/browser/pages/engine-runtime.page.ts', { timeoutMs: 900_000 });
  const engine = r.status.find((s) => s.name === 'engine');
  assert.ok(engine?.ok, `engine registered and available: ${JSON.stringify(r.status)}`);
  assert.match(engine.detail, /FLARE engine on .*swiftshader.*\(software\), unstaged kernels/i);
  t.diagnostic(`reference: ${JSON.stringify(r.reference.vsGolden)} run ${r.reference.ms?.toFixed(0)} ms, compile ${r.reference.sessionMs?.toFixed(0)} ms; shipped: ${JSON.stringify(r.shipped.vsGolden)} run ${r.shipped.ms?.toFixed(0)} ms`);
  assert.equal(r.reference.backend, 'engine', r.reference.message);
  assert.equal(r.reference.adapter, 'swiftshader');
  within('reference vs y.npy', r.reference.vsGolden, ['y']);
  within('reference vs wasm', r.reference.vsWasm, ['y']);
  assert.equal(r.shipped.backend, 'engine', r.shipped.message);
  within('bracket3d vs golden', r.shipped.vsGolden, ['von_mises', 'displacement', 'stress']);
  within('bracket3d vs wasm', r.shipped.vsWasm, ['von_mises', 'displacement', 'stress']);
  assert.equal(r.notFlare.code, 'unavailable');
  assert.match(r.notFlare.message ?? '', /does not recognize this graph/);
  assert.equal(r.auto.backend, 'wasm', 'auto on a software adapter keeps small jobs on wasm');
  assert.equal(r.afterLoss.backend, 'wasm', JSON.stringify(r.afterLoss));
  assert.match(r.afterLoss.notes.join(' '), /engine: GPU device lost.*falling back to wasm/);
  assert.equal(r.recovered.backend, 'engine', JSON.stringify(r.recovered));
});
