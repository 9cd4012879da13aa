// What the trust tests (trust, outOfFamily) share: the extension's API, Predict Fields with a retry
// when a newer run superseded it, the preview's banner as the capture command reports it, and the
// flare.* entries in Problems. Not a test file itself: index.ts loads only *.test.js.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

const EXT_ID = 'flare-sim.flare-vscode';

export interface Banner { level: string; title: string; details: string[]; visible: boolean }
export interface Capture { state: { banner?: Banner; fields: { name: string; source: string }[] } }
/** What `flare.predict` answers: a prediction, a file that is not a deck a model can run on, or a superseded run. */
export interface PredictAnswer {
  where: string;
  trust: { level: string; headline: string; reasons: string[] };
  fields: { name: string; components: number; unit: string; max: number }[];
  cancelled?: string;
  notPredictable?: string;
}

export async function api(): Promise<FlareApi> {
  const ext = vscode.extensions.getExtension<FlareApi>(EXT_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : await ext.activate();
}

/** The active preview's banner and fields, once it has drawn. */
export const capture = async (): Promise<Capture> => (await vscode.commands.executeCommand('flare.preview.capture', 120_000)) as Capture;

export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(f, 'a workspace folder');
  return f;
}

/** Runs Predict Fields, asking again when a run started by a file change superseded ours; undefined when it failed (an error shown). */
export async function predictOrFail(uri: vscode.Uri): Promise<PredictAnswer | undefined> {
  for (let i = 0; i < 5; i++) {
    const r = (await vscode.commands.executeCommand('flare.predict', uri)) as PredictAnswer | undefined;
    if (!r?.cancelled) return r;
  }
  throw new Error('every prediction was superseded');
}

/** Predicts, asking again when a run started by a file change superseded ours. */
export async function predict(uri: vscode.Uri): Promise<PredictAnswer> {
  const r = await predictOrFail(uri);
  assert.ok(r, 'a prediction');
  return r;
}

export async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The Problems entries of FLARE's applicability findings (code flare.<finding code>) for `uri`. */
export function flareProblems(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => typeof d.code === 'string' && d.code.startsWith('flare.'));
}

/** A flare.* entry's message without the model name in front ("bracket3d-elasticity: …"). */
export const findingMessage = (d: vscode.Diagnostic): string => d.message.slice(d.message.indexOf(': ') + 2);

export const SEVERITY: Record<'error' | 'warning' | 'info', vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Every finding of the last prediction of `uri` is in Problems, at its line (deck-level ones at
 * line 1) and with its severity. Returns the findings.
 */
export function assertFindingsInProblems(flare: FlareApi, uri: vscode.Uri): readonly { code: string; severity: 'error' | 'warning' | 'info'; message: string; line?: number }[] {
  const rec = flare.predictions.last(uri);
  assert.ok(rec, 'a prediction record');
  const problems = flareProblems(uri);
  for (const f of rec.prediction.findings) {
    const at = (f.line ?? 1) - 1;
    const d = problems.find((p) => p.code === `flare.${f.code}` && findingMessage(p) === f.message);
    assert.ok(d, `Problems entry for ${f.code}: ${f.message} (have ${problems.map((p) => `${String(p.code)}@${p.range.start.line}`).join(', ')})`);
    assert.equal(d.range.start.line, at, `${f.code} at line ${at + 1}`);
    assert.equal(d.severity, SEVERITY[f.severity]);
  }
  return rec.prediction.findings;
}
