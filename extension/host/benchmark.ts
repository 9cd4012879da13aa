import * as vscode from 'vscode';
import { buildInputs, deckQuantities } from '../model/features';
import type { Tensors } from '../runtime/backend';
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

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `flare.runBenchmark`: times the active model on the active mesh on the back ends of the extension
 * host's runtime (WebAssembly, multi-threaded), after one warm-up run, and logs a table.
 */
export async function runBenchmark(uri: vscode.Uri, diagnostics: MeshDiagnosticsService, predictions: PredictionService, log: vscode.LogOutputChannel, token: vscode.CancellationToken, repeats = 3): Promise<BenchmarkRow[]> {
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
    const ms: number[] = [];
    let error: string | undefined;
    for (let i = 0; i <= repeats && !token.isCancellationRequested; i++) {
      const r = await rt.run({ model: model.opened.handle, inputs, backend });
      if (!r.ok) { error = r.error.message; break; }
      if (i > 0) ms.push(r.ms);
    }
    rows.push({ where: 'extension host', backend, runs: ms.length, ...(ms.length ? { medianMs: median(ms), minMs: Math.min(...ms) } : {}), ...(error ? { error } : {}) });
  }
  const table = ['| where | back end | median | min | runs |', '|---|---|---|---|---|', ...rows.map((r) => `| ${r.where} | ${r.backend} | ${r.medianMs?.toFixed(1) ?? '—'} ms | ${r.minMs?.toFixed(1) ?? '—'} ms | ${r.runs}${r.error ? ` (${r.error})` : ''} |`)];
  log.info(`benchmark ${model.name} on ${vscode.workspace.asRelativePath(uri)} (${q.value.n} points):\n${table.join('\n')}`);
  log.show(true);
  return rows;
}
