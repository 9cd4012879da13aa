import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Mesh } from '../core/mesh/index';
import { createNodeRuntime } from '../core/runtime/node';
import type { FlareRuntime } from '../core/runtime/runtime';
import { predictDeck, prepareDeck, type DeckPrepared, type Prediction } from '../core/runtime/pipeline';
import { resolveModel, type ModelFiles, type ResolvedModel as PipelineModel } from '../core/runtime/resolveModel';
import { InProcessRunner, type ModelRunner } from '../core/runtime/runner';
import { isBuiltinModel } from '../core/model/modelChoice';
import { magnitude } from '../core/analysis/fieldStats';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import { backendLabel, type FlareStatusBar, type RunLocation } from './statusBar';
import { attachNode } from './codeActions';
import { readSettings } from './settings';
import type { PreviewRegistry } from './previewRegistry';
import { previewFields as previewArrays, type PreviewField } from '../core/runtime/predictedFields';
import type { Finding } from '../core/model/findings';
import { trustBanner, trustVerdict, type TrustVerdict } from './trust';
import { hostModelFiles } from './hostModelFiles';

export type ResolvedModel = PipelineModel<vscode.Uri>;

export interface PredictionRecord {
  readonly uri: vscode.Uri;
  readonly mesh: Mesh;
  readonly model: ResolvedModel;
  readonly prediction: Prediction;
  /** The preview's webview (its WebGPU adapter or wasm) or the extension host's Node (wasm). */
  readonly where: RunLocation;
  /** The webview's GPU adapter when it ran on WebGPU there. */
  readonly adapter?: string;
  /** What the user was told on the way: Restricted Mode model refusals, a preview run that fell back. */
  readonly notes: readonly string[];
  /** What the applicability findings say: clean, or a warning the user must see (status, banner, Problems). */
  readonly verdict: TrustVerdict;
  readonly at: number;
}

/** The file is not a deck a model can run on (a plain mesh, or no supports/loads): says what to add. */
export class NotPredictable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotPredictable';
  }
}

const FINDING_SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/**
 * Problems entries for applicability findings, by file: each at the line of its cause (1-based in
 * the finding), deck-level ones at line 1 of the deck; code `flare.<code>`.
 */
export function findingDiagnostics(deck: vscode.Uri, modelName: string, findings: readonly Finding[]): Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }> {
  const out = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
  const deckPath = deck.scheme === 'file' ? deck.fsPath : deck.toString();
  for (const f of findings) {
    const uri = f.file && f.file !== deckPath && deck.scheme === 'file' && path.resolve(f.file) !== path.resolve(deckPath) ? vscode.Uri.file(f.file) : deck;
    const line = Math.max(0, (f.line ?? 1) - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 1000), `${modelName}: ${f.message}`, FINDING_SEVERITY[f.severity]);
    d.source = 'FLARE';
    d.code = `flare.${f.code}`;
    const key = uri.toString();
    const entry = out.get(key) ?? { uri, diagnostics: [] };
    entry.diagnostics.push(d);
    out.set(key, entry);
  }
  return out;
}

/** A prediction stopped before its result: cancelled by the user, or superseded by a newer one. */
export class PredictionCancelled extends Error {
  constructor(reason: string) {
    super(/^cancel/i.test(reason) ? reason : `cancelled: ${reason}`);
    this.name = 'PredictionCancelled';
  }
}

function cancelledBy(reason: unknown): PredictionCancelled {
  if (reason instanceof PredictionCancelled) return reason;
  return new PredictionCancelled(reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'cancelled');
}

/** The preview's arrays for a prediction ('von_mises (predicted)', …); von Mises is shown at once. */
export function previewFields(rec: PredictionRecord): PreviewField[] {
  return previewArrays(rec.prediction.fields);
}

/**
 * Runs predictions in the file's preview webview when one is visible (WebGPU or wasm there, through
 * the runtime bridge), otherwise headless in the extension host (onnxruntime-web's WebAssembly build
 * in Node, the same files the webview ships), and falls back to Node when the webview run fails.
 * Turns card-envelope and limit findings into diagnostics at the deck's lines, and hands the fields
 * to any open preview. One run per file: a newer request or a change of the file cancels the older.
 */
export class PredictionService implements vscode.Disposable {
  private runtime: Promise<FlareRuntime> | undefined;
  private hostRunner: Promise<ModelRunner> | undefined;
  private readonly models = new Map<string, ResolvedModel>();
  private readonly files: ModelFiles<vscode.Uri>;
  private readonly records = new Map<string, PredictionRecord>();
  private readonly inflight = new Map<string, AbortController>();
  private readonly toldRestricted = new Set<string>();
  /** Other files (includes) that hold a deck's findings, to clear them with the deck's. */
  private readonly findingFiles = new Map<string, vscode.Uri[]>();
  private readonly onDidPredictEmitter = new vscode.EventEmitter<PredictionRecord>();
  readonly onDidPredict = this.onDidPredictEmitter.event;
  /** Fires when the model starts running on a file (after reading it and loading the model). */
  private readonly onDidStartEmitter = new vscode.EventEmitter<{ uri: vscode.Uri; where: RunLocation }>();
  readonly onDidStart = this.onDidStartEmitter.event;

  constructor(
    context: vscode.ExtensionContext,
    private readonly diagnostics: MeshDiagnosticsService,
    private readonly status: FlareStatusBar,
    private readonly log: vscode.LogOutputChannel,
    private readonly previews: PreviewRegistry,
  ) {
    this.files = hostModelFiles(context.extensionUri);
  }

  last(uri: vscode.Uri): PredictionRecord | undefined {
    return this.records.get(uri.toString());
  }

  /** The host's one runtime (onnxruntime-web initializes once per process, so it is shared). */
  getRuntime(): Promise<FlareRuntime> {
    // The extension host has no GPU binding: WebAssembly, multi-threaded (Node is cross-origin isolated enough).
    this.runtime ??= createNodeRuntime({ backends: ['wasm'] });
    return this.runtime;
  }

  /** The extension host's runner: wasm in Node (the fallback when the preview cannot run a model). */
  inProcessRunner(): Promise<ModelRunner> {
    this.hostRunner ??= this.getRuntime().then((rt) => new InProcessRunner(rt, 'auto', 'the extension host (Node)'));
    return this.hostRunner;
  }

  /** Built-in name → shipped file; a path → workspace file (never in Restricted Mode). */
  async resolveModel(setting: string, mesh: Mesh | undefined): Promise<ResolvedModel> {
    const r = await resolveModel(this.files, mesh, { setting, allowFiles: vscode.workspace.isTrusted }, this.models);
    if (!r.ok) throw new Error(r.error);
    return r.model;
  }

  /** Cancels the run in flight for `uri`, if any (e.g. the file changed under it). Returns whether one was. */
  cancel(uri: vscode.Uri, reason: string): boolean {
    const c = this.inflight.get(uri.toString());
    if (!c) return false;
    c.abort(new PredictionCancelled(reason));
    return true;
  }

  /**
   * Opens the model a prediction of `uri` would use and makes the extension host's session for it,
   * so that a Predict without a preview waits for neither onnxruntime nor the session. Called when a
   * deck opens as text; logs what it did; never rejects. Not the preview's page: its session starts
   * with its first run (a wasm run on the page's thread can hold a browser's renderer, and the
   * sooner it starts the sooner it does).
   */
  async prepare(uri: vscode.Uri): Promise<DeckPrepared<vscode.Uri> | undefined> {
    try {
      const parsed = this.diagnostics.cached(uri) ?? (await this.diagnostics.parse(uri));
      if (!parsed.mesh?.deck) return undefined;
      const setting = await this.allowedModel(readSettings(uri).model, [], false);
      const r = await prepareDeck(parsed.mesh, {
        model: { setting, allowFiles: vscode.workspace.isTrusted }, files: this.files, cache: this.models,
        runner: () => this.inProcessRunner(),
      });
      const file = vscode.workspace.asRelativePath(uri);
      if (!r.ok) this.log.info(`${file}: no model session prepared (${r.error})`);
      else if (r.prepared.ok) this.log.info(`${file}: ${r.model.name} ready on ${backendLabel(r.prepared.backend)} in ${r.runner.description} (session ${r.prepared.sessionMs.toFixed(0)} ms)`);
      else this.log.info(`${file}: ${r.model.name} not prepared in ${r.runner.description}: ${r.prepared.error.message}`);
      return r;
    } catch (e) {
      this.log.warn(`preparing the model for ${vscode.workspace.asRelativePath(uri)} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /** Predicts `uri`; rejects with PredictionCancelled when `signal` fires or a newer run supersedes it. */
  async predict(uri: vscode.Uri, signal: AbortSignal, progress?: (message: string) => void): Promise<PredictionRecord> {
    const key = uri.toString();
    this.cancel(uri, 'superseded by a newer prediction of the same file');
    const ctl = new AbortController();
    this.inflight.set(key, ctl);
    const forward = (): void => ctl.abort(cancelledBy(signal.reason));
    if (signal.aborted) forward();
    else signal.addEventListener('abort', forward, { once: true });
    try {
      const rec = await this.run(uri, ctl.signal, progress);
      if (ctl.signal.aborted) throw cancelledBy(ctl.signal.reason);
      return rec;
    } catch (e) {
      if (ctl.signal.aborted) {
        const c = cancelledBy(ctl.signal.reason);
        this.log.info(`prediction of ${vscode.workspace.asRelativePath(uri)} ${c.message}`);
        // A newer run of this file owns the status bar; otherwise it no longer says "predicting".
        if (this.inflight.get(key) === ctl) this.status.show('idle', { message: c.message });
        throw c;
      }
      throw e;
    } finally {
      signal.removeEventListener('abort', forward);
      if (this.inflight.get(key) === ctl) this.inflight.delete(key);
    }
  }

  private async run(uri: vscode.Uri, signal: AbortSignal, progress?: (message: string) => void): Promise<PredictionRecord> {
    const stop = (): void => { if (signal.aborted) throw cancelledBy(signal.reason); };
    progress?.('reading the deck');
    const parsed = this.diagnostics.cached(uri) ?? (await this.diagnostics.parse(uri, signal));
    stop();
    if (!parsed.mesh) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`the file could not be read${first ? `: line ${first.line}: ${first.message}` : ''}`);
    }
    const mesh = parsed.mesh;
    const settings = readSettings(uri);
    const notes: string[] = [];
    const setting = await this.allowedModel(settings.model, notes);
    stop();
    let started = false;
    const r = await predictDeck(mesh, {
      model: { setting, allowFiles: vscode.workspace.isTrusted }, files: this.files, cache: this.models, signal, channel: uri.toString(),
      // The file's preview runs it when one is open (its WebGPU or wasm), else the extension host.
      runner: async () => (await this.previews.runnerFor(uri)) ?? (await this.inProcessRunner()),
      fallback: () => this.inProcessRunner(),
      hooks: {
        ...(progress ? { progress } : {}),
        onRun: (runner, name) => {
          const where: RunLocation = runner.kind === 'webview' ? 'preview' : 'Node';
          if (!started) this.onDidStartEmitter.fire({ uri, where });
          started = true;
          this.status.show('busy', { model: name, backend: where === 'Node' ? 'wasm' : settings.backend === 'auto' ? 'auto' : backendLabel(settings.backend), where });
        },
        onFallback: (why) => this.log.warn(why),
      },
    });
    stop();
    if (!r.ok) {
      if (r.code === 'not-a-deck') {
        // A deck without supports or loads: its findings go to Problems at their lines too.
        // The run had started (the status bar spins): it ends red, saying what is missing.
        if (r.model) {
          this.refusedFindings(uri, r.model.name, r.findings);
          this.status.show('error', { model: r.model.name, message: r.error, uri });
        }
        throw new NotPredictable(r.error);
      }
      if (r.model) {
        this.refusedFindings(uri, r.model.name, r.findings);
        this.status.show('error', { model: r.model.name, message: r.error, uri });
      }
      throw new Error(r.error);
    }
    notes.push(...r.notes);
    const p: Prediction = r.prediction;
    const where: RunLocation = r.runner.kind === 'webview' ? 'preview' : 'Node';
    const adapter = where === 'preview' ? p.adapter : undefined;
    const model = r.model;
    const verdict = trustVerdict(p.findings);
    const rec: PredictionRecord = { uri, mesh, model: r.model, prediction: p, where, ...(adapter ? { adapter } : {}), notes, verdict, at: Date.now() };
    this.records.set(uri.toString(), rec);
    const backend = backendLabel(p.backend);
    const shown = { model: model.name, backend, where, ...(adapter ? { adapter } : {}), ms: p.ms + p.featureMs, ...(notes.length ? { message: notes.join('\n\n') } : {}) };
    // Never a check mark on a prediction the model cannot vouch for.
    if (verdict.level === 'ok') this.status.show('done', shown);
    else this.status.show('warning', { ...shown, warning: verdict.headline, reasons: verdict.reasons, uri });
    if (verdict.level !== 'ok') this.log.warn(`${vscode.workspace.asRelativePath(uri)}: ${model.name} cannot vouch for this prediction: ${verdict.reasons.join('; ')}`);
    const place = where === 'preview' ? `the preview webview${adapter ? ` (${adapter})` : ''}` : 'the extension host (Node)';
    this.log.info(`predicted ${vscode.workspace.asRelativePath(uri)} with ${model.name} on ${backend} in ${place}: features ${p.featureMs.toFixed(0)} ms, run ${p.ms.toFixed(0)} ms (session ${p.sessionMs.toFixed(0)} ms)${p.notes.length ? `; ${p.notes.join('; ')}` : ''}`);
    this.publishFindings(rec, settings.vonMisesLimitMPa, settings.displacementLimitMM);
    // The preview that ran it keeps the outputs: it is told which run to show, not sent them back.
    const ran = r.runner.kind === 'webview' && p.keptAs !== undefined ? { runner: r.runner, requestId: p.keptAs, recipes: p.recipes, points: p.points } : undefined;
    this.previews.showPrediction(uri, previewFields(rec), ran);
    this.previews.showTrust(uri, trustBanner(verdict));
    this.onDidPredictEmitter.fire(rec);
    return rec;
  }

  /**
   * Restricted Mode runs built-in models only. A model file named by the user's settings is not run:
   * the built-in model is. The workspace's `flare.model` is withheld by VS Code there (a restricted
   * setting), so model files in the workspace are named instead. The user is told once per model.
   */
  private async allowedModel(setting: string, notes: string[], tell = true): Promise<string> {
    if (vscode.workspace.isTrusted) return setting;
    let note: string | undefined;
    let use = setting;
    if (setting !== '' && setting !== 'auto' && !isBuiltinModel(setting)) {
      use = 'auto';
      note = `Restricted Mode: the model file '${setting}' is not run in an untrusted workspace; the built-in model for this mesh runs instead. Trust the workspace to use the file.`;
    } else {
      const files = await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 5);
      if (files.length > 0) note = `Restricted Mode: FLARE runs only its built-in models in an untrusted workspace; the model file(s) here (${files.map((f) => vscode.workspace.asRelativePath(f)).join(', ')}) are not used. Trust the workspace to use them.`;
    }
    if (!note || !tell) return use;
    notes.push(note);
    if (!this.toldRestricted.has(note)) {
      this.toldRestricted.add(note);
      this.log.warn(note);
      void vscode.window.showWarningMessage(`FLARE: ${note}`, 'Manage Workspace Trust').then((a) => { if (a) void vscode.commands.executeCommand('workbench.trust.manage'); });
    }
    return use;
  }

  /** The findings of a run the applicability check refused (no usable supports or loads), in Problems at their lines. */
  private refusedFindings(uri: vscode.Uri, modelName: string, findings: readonly Finding[] | undefined): void {
    if (!findings?.length) return;
    for (const { uri: file, diagnostics } of findingDiagnostics(uri, modelName, findings).values()) this.diagnostics.setExtra(file, diagnostics);
  }

  /** Applicability findings at their files and lines, limit findings with the deck's; clears the ones of the last run. */
  private publishFindings(rec: PredictionRecord, vmLimit: number | undefined, uLimit: number | undefined): void {
    const byFile = findingDiagnostics(rec.uri, rec.model.name, rec.prediction.findings);
    const key = rec.uri.toString();
    const deck = byFile.get(key)?.diagnostics ?? [];
    byFile.delete(key);
    for (const old of this.findingFiles.get(key) ?? []) if (!byFile.has(old.toString())) this.diagnostics.setExtra(old, []);
    for (const { uri, diagnostics } of byFile.values()) this.diagnostics.setExtra(uri, diagnostics);
    if (byFile.size) this.findingFiles.set(key, [...byFile.values()].map((e) => e.uri));
    else this.findingFiles.delete(key);
    this.diagnostics.setExtra(rec.uri, [...deck, ...this.limitFindings(rec, vmLimit, uLimit)]);
  }

  /** Limit violations at each node's line, worst first, and a summary at the first node's line. */
  private limitFindings(rec: PredictionRecord, vmLimit: number | undefined, uLimit: number | undefined): vscode.Diagnostic[] {
    const { mesh, prediction: p, uri } = rec;
    const out: vscode.Diagnostic[] = [];
    const firstLine = Math.max(0, (mesh.pointLines?.[0] ?? 1) - 1);
    const limitChecks: { field: string; limit: number | undefined; unit: string; label: string; setting: string }[] = [
      { field: 'von_mises', limit: vmLimit, unit: 'MPa', label: 'von Mises stress', setting: 'flare.limits.vonMisesMPa' },
      { field: 'displacement', limit: uLimit, unit: 'mm', label: 'displacement', setting: 'flare.limits.displacementMM' },
    ];
    for (const c of limitChecks) {
      if (c.limit === undefined) continue;
      const f = p.fields.find((x) => x.name === c.field);
      if (!f) continue;
      // The settings are in MPa and mm; a model whose card gives other units is not compared against them.
      if (f.unit !== c.unit) {
        this.log.warn(`${c.setting} is in ${c.unit} but ${rec.model.name} predicts ${c.field} in ${f.unit}: not checked`);
        continue;
      }
      const v = f.components === 1 ? f.values : magnitude(f.values, f.components);
      const over: number[] = [];
      for (let i = 0; i < v.length; i++) if (!(v[i] <= c.limit)) over.push(i);
      over.sort((a, b) => v[b] - v[a]);
      const MAX = 50;
      for (const i of over.slice(0, MAX)) {
        const line = Math.max(0, (mesh.pointLines?.[i] ?? 1) - 1);
        const id = mesh.pointIds?.[i] ?? i + 1;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 1000), `node ${id}: predicted ${c.label} ${v[i].toFixed(2)} ${c.unit} exceeds ${c.setting} = ${c.limit} ${c.unit}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'FLARE';
        d.code = 'limit-exceeded';
        out.push(attachNode(d, uri, i));
      }
      if (over.length > 0) {
        const d = new vscode.Diagnostic(new vscode.Range(firstLine, 0, firstLine, 1000), `${over.length} node(s) exceed ${c.setting} = ${c.limit} ${c.unit}; worst: node ${mesh.pointIds?.[over[0]] ?? over[0] + 1} at ${v[over[0]].toFixed(2)} ${c.unit}${over.length > MAX ? ` (the ${MAX} worst are listed)` : ''}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'FLARE';
        d.code = 'limit-summary';
        out.push(d);
      }
    }
    return out;
  }

  dispose(): void {
    for (const c of this.inflight.values()) c.abort(new PredictionCancelled('cancelled: FLARE was deactivated'));
    this.onDidPredictEmitter.dispose();
    this.onDidStartEmitter.dispose();
    void this.runtime?.then((r) => r.dispose());
  }
}
