import * as vscode from 'vscode';
import { prepareInputs } from '../core/runtime/pipeline';
import { InProcessRunner, type RunnerResult } from '../core/runtime/runner';
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
  // The pipeline's own inputs, so the benchmark times what a prediction runs.
  const prep = prepareInputs(parsed.mesh, model.opened);
  if (!prep.ok) throw new Error(prep.error);
  const { inputs, n } = prep.prepared;
  const rt = await predictions.getRuntime();
  const rows: BenchmarkRow[] = [];
  for (const backend of rt.names()) {
    const runner = new InProcessRunner(rt, backend, 'the extension host');
    rows.push(await timeRuns('extension host', backend, repeats, token, () => runner.run(model.opened.handle, inputs)));
  }
  const client = await previews.runnerFor(uri);
  if (client) {
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      for (const choice of (Array.isArray(opts.webview) ? opts.webview : DEFAULT_WEBVIEW_BACKENDS).filter((c) => RUNTIME_BACKEND_CHOICES.includes(c))) {
        // Each row names the back end (and adapter) the webview really used.
        rows.push(await timeRuns('preview webview', choice, repeats, token, () => client.runAs(choice, model.opened.handle, inputs, { signal: abort.signal }), (r) => `${r.backend}${r.adapter ? ` (${r.adapter})` : ''}`));
      }
    } finally {
      sub.dispose();
    }
  }
  const table = ['| where | back end | median | min | runs |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.medianMs?.toFixed(1) ?? '—'} ms | ${r.minMs?.toFixed(1) ?? '—'} ms | ${r.runs}${r.error ? ` (${r.error})` : ''} |`)];
  log.info(`benchmark ${model.name} on ${vscode.workspace.asRelativePath(uri)} (${n} points):\n${table.join('\n')}`);
  log.show(true);
  return rows;
}

/** One warm-up run and `repeats` timed ones (stops at the first error or on cancel), as a table row. */
async function timeRuns(where: string, backend: string, repeats: number, token: vscode.CancellationToken, run: () => Promise<RunnerResult>, labelOf?: (r: Extract<RunnerResult, { ok: true }>) => string | undefined): Promise<BenchmarkRow> {
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
