import * as vscode from 'vscode';
import * as path from 'node:path';
import { buildInputs, deckQuantities } from '../model/features';
import { createNodeRuntime } from '../runtime/node';
import type { Tensors } from '../runtime/backend';
import { parseWebviewToHost, type WebviewToHost, type WireTensor } from '../protocol/messages';
import { webviewHtml, webviewRoots } from './webviewHtml';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import type { PredictionService } from './predictionService';
import { readSettings } from './settings';

export interface BenchmarkRow {
  readonly where: string;
  readonly backend: string;
  readonly medianMs?: number;
  readonly minMs?: number;
  readonly runs: number;
  readonly error?: string;
}

type ModelResult = Extract<WebviewToHost, { type: 'modelResult' }>;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `flare.runBenchmark`: times the active model on the active mesh where it can run — the extension
 * host (WebAssembly, multi-threaded) and the runtime panel's webview (WebGPU, single-threaded
 * WebAssembly) — and shows the table in that panel and in the FLARE log.
 */
export async function runBenchmark(context: vscode.ExtensionContext, uri: vscode.Uri, diagnostics: MeshDiagnosticsService, predictions: PredictionService, log: vscode.LogOutputChannel, token: vscode.CancellationToken, repeats = 3): Promise<BenchmarkRow[]> {
  const parsed = diagnostics.cached(uri) ?? (await diagnostics.parse(uri));
  if (!parsed.mesh) throw new Error('the file could not be read; see the Problems panel');
  const model = await predictions.resolveModel(readSettings(uri).model, parsed.mesh);
  if (!model.opened.card) throw new Error(`model ${model.name} has no card, so its input features are unknown`);
  const q = deckQuantities(parsed.mesh);
  if (!q.ok) throw new Error(q.error);
  const built = buildInputs(model.opened.card, q.value);
  if (!built.ok) throw new Error(built.error);
  const inputs: Tensors = built.value.tensors;
  const n = q.value.n;
  const rows: BenchmarkRow[] = [];

  const panel = vscode.window.createWebviewPanel('flare.benchmark', `FLARE Benchmark: ${path.basename(uri.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: webviewRoots(context.extensionUri) });
  panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'runtime', 'FLARE Benchmark');
  const pending = new Map<number, (r: ModelResult) => void>();
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const sub = panel.webview.onDidReceiveMessage((raw: unknown) => {
    const msg = parseWebviewToHost(raw);
    if (!msg) return log.warn('benchmark panel: dropped malformed message');
    if (msg.type === 'ready') ready();
    if (msg.type === 'modelResult') pending.get(msg.requestId)?.(msg);
    if (msg.type === 'log') log[msg.level === 'warn' ? 'warn' : msg.level](`benchmark panel: ${msg.message}`);
  });
  const closed = new Promise<never>((_, reject) => panel.onDidDispose(() => reject(new Error('the benchmark panel was closed'))));
  closed.catch(() => {});
  try {
    // The host: WebAssembly with threads (Node has SharedArrayBuffer).
    const rt = await createNodeRuntime({ backends: ['wasm'] });
    try {
      const ms: number[] = [];
      let error: string | undefined;
      for (let i = 0; i <= repeats && !token.isCancellationRequested; i++) {
        const r = await rt.run({ model: model.opened.handle, inputs, backend: 'wasm' });
        if (!r.ok) { error = r.error.message; break; }
        if (i > 0) ms.push(r.ms);
      }
      rows.push({ where: 'extension host', backend: 'wasm (threads)', runs: ms.length, ...(ms.length ? { medianMs: median(ms), minMs: Math.min(...ms) } : {}), ...(error ? { error } : {}) });
    } finally {
      await rt.dispose();
    }
    await Promise.race([isReady, closed]);
    void panel.webview.postMessage({ type: 'benchmarkRow', label: 'extension host', backend: 'wasm (threads)', ms: [], note: rows[0].error ?? `median ${rows[0].medianMs?.toFixed(1)} ms, min ${rows[0].minMs?.toFixed(1)} ms, ${n} points` });
    let id = 0;
    for (const backend of ['webgpu', 'wasm'] as const) {
      if (token.isCancellationRequested) break;
      const requestId = ++id;
      const result = new Promise<ModelResult>((r) => pending.set(requestId, r));
      const wire: WireTensor[] = Object.entries(inputs).map(([name, t]) => ({ name, data: t.data.slice(), dims: [...t.dims] }));
      void panel.webview.postMessage({ type: 'runModel', requestId, key: model.uri.toString(), model: model.opened.handle.bytes.slice(), inputs: wire, backend, repeats, label: 'webview' });
      const r = await Promise.race([result, closed]);
      rows.push({ where: 'webview', backend: r.adapter ? `${r.backend} (${r.adapter})` : r.backend, runs: r.ms.length, ...(r.ms.length ? { medianMs: median(r.ms), minMs: Math.min(...r.ms) } : {}), ...(r.error ? { error: r.error } : {}) });
    }
  } finally {
    sub.dispose();
  }
  const table = ['| where | back end | median | min | runs |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.medianMs?.toFixed(1) ?? '—'} ms | ${r.minMs?.toFixed(1) ?? '—'} ms | ${r.runs}${r.error ? ` (${r.error})` : ''} |`)];
  log.info(`benchmark ${model.name} on ${vscode.workspace.asRelativePath(uri)} (${n} points):\n${table.join('\n')}`);
  return rows;
}
