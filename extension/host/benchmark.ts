import * as vscode from 'vscode';
import { buildInputs, deckQuantities } from '../core/model/features';
import type { Tensors } from '../core/runtime/backend';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import type { PredictionService } from './predictionService';
import { readSettings } from './settings';
import type { PreviewRegistry } from './previewRegistry';
import { RUNTIME_BACKEND_CHOICES, type RuntimeBackendChoice } from '../core/protocol/messages';

export interface BenchmarkRow {
  readonly where: string;
  readonly backend: string;
  readonly medianMs?: number;
  readonly minMs?: number;
  readonly runs: number;
  readonly error?: string;
}

const DEFAULT_WEBVIEW_BACKENDS: readonly RuntimeBackendChoice[] = ['wasm', 'webgpu', 'engine'];
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface BenchmarkOptions {
  /** Timed runs per back end, after one warm-up run (default 3). */
  readonly repeats?: number;
  /** Back ends to ask the open preview's webview for (default wasm, webgpu, engine). */
  readonly webview?: readonly RuntimeBackendChoice[];
}

/**
 * `flare.runBenchmark`: times the active model on the active mesh on the back ends of the extension
 * host's runtime (WebAssembly, multi-threaded) and, when a preview of the file is open, on those of its
 * webview (WebGPU, single-threaded WebAssembly, the engine), after one warm-up run each; logs a table.
 */
export async function runBenchmark(uri: vscode.Uri, diagnostics: MeshDiagnosticsService, predictions: PredictionService, previews: PreviewRegistry, log: vscode.LogOutputChannel, token: vscode.CancellationToken, opts: BenchmarkOptions = {}): Promise<BenchmarkRow[]> {
  const repeats = Number.isFinite(opts.repeats) ? Math.max(1, Math.floor(opts.repeats!)) : 3;
  const parsed = diagnostics.cached(uri) ?? (await diagnostics.parse(uri));
  if (!parsed.mesh) throw new Error('the file could not be read; see the Problems panel');
  const model = await predictions.resolveModel(readSettings(uri).model, parsed.mesh);
  if (!model.opened.card) throw new Error(`model ${model.name} has no card, so its input features are unknown`);
  const q = deckQuantities(parsed.mesh);
  if (!q.ok) throw new Error(q.error);
  const built = buildInputs(model.opened.card, q.value);
  if (!built.ok) throw new Error(built.error);
  const inputs: Tensors = built.value.tensors;
  const rt = await predictions.getRuntime();
  const rows: BenchmarkRow[] = [];
  for (const backend of rt.names()) {
    rows.push(await timeRuns('extension host', backend, repeats, token, () => rt.run({ model: model.opened.handle, inputs, backend })));
  }
  const client = await previews.runnerFor(uri);
  if (client) {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      for (const choice of (Array.isArray(opts.webview) ? opts.webview : DEFAULT_WEBVIEW_BACKENDS).filter((c) => RUNTIME_BACKEND_CHOICES.includes(c))) {
        rows.push(await timeRuns('preview webview', choice, repeats, token, () => client.runAs(choice, model.opened.handle, inputs, abort.signal), (r) => {
          // name the back end (and adapter) the webview really used
          const info = client.infoFor(Object.values(r.outputs)[0].data);
          return info ? `${info.backend}${info.adapter ? ` (${info.adapter})` : ''}` : undefined;
        }));
      }
    } finally {
      sub.dispose();
    }
  }
  const table = ['| where | back end | median | min | runs |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.medianMs?.toFixed(1) ?? '—'} ms | ${r.minMs?.toFixed(1) ?? '—'} ms | ${r.runs}${r.error ? ` (${r.error})` : ''} |`)];
  log.info(`benchmark ${model.name} on ${vscode.workspace.asRelativePath(uri)} (${q.value.n} points):\n${table.join('\n')}`);
  log.show(true);
  return rows;
}

type TimedRun = { readonly ok: true; readonly outputs: Tensors; readonly ms: number } | { readonly ok: false; readonly error: { readonly message: string } };

/** One warm-up run and `repeats` timed ones (stops at the first error or on cancel), as a table row. */
async function timeRuns(where: string, backend: string, repeats: number, token: vscode.CancellationToken, run: () => Promise<TimedRun>, labelOf?: (r: Extract<TimedRun, { ok: true }>) => string | undefined): Promise<BenchmarkRow> {
  const ms: number[] = [];
  let error: string | undefined;
  let label = backend;
  for (let i = 0; i <= repeats && !token.isCancellationRequested; i++) {
    const r = await run();
    if (!r.ok) { error = r.error.message; break; }
    label = labelOf?.(r) ?? label;
    if (i > 0) ms.push(r.ms);
  }
  return { where, backend: label, runs: ms.length, ...(ms.length ? { medianMs: median(ms), minMs: Math.min(...ms) } : {}), ...(error ? { error } : {}) };
}
