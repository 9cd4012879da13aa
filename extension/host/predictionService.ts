import * as vscode from 'vscode';
import * as path from 'node:path';
import type { Mesh } from '../mesh/index';
import { createNodeRuntime } from '../runtime/node';
import type { FlareRuntime } from '../runtime/runtime';
import { openModel, type OpenedModel } from '../runtime/model';
import { predict, type Prediction } from '../runtime/predict';
import { magnitude } from '../analysis/fieldStats';
import { isPlanar } from '../analysis/compareFields';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import type { FlareStatusBar } from './statusBar';
import { attachNode } from './codeActions';
import { readSettings } from './settings';
import { MeshPreviewProvider } from './meshPreviewProvider';

export const BUILTIN_MODELS = ['bracket3d-elasticity', 'plate2d-elasticity'] as const;

export interface ResolvedModel {
  readonly name: string;
  readonly uri: vscode.Uri;
  readonly builtin: boolean;
  readonly opened: OpenedModel;
}

export interface PredictionRecord {
  readonly uri: vscode.Uri;
  readonly mesh: Mesh;
  readonly model: ResolvedModel;
  readonly prediction: Prediction;
  readonly at: number;
}

/** Built-in model for a mesh when the setting says `auto`: plane decks get the 2D model. */
export function autoModelFor(mesh: Mesh): string {
  return isPlanar(mesh) ? 'plate2d-elasticity' : 'bracket3d-elasticity';
}

/**
 * Runs predictions headless in the extension host (onnxruntime-web's WebAssembly build in Node, the
 * same files the webview ships), turns card-envelope and limit findings into diagnostics at the
 * deck's lines, and hands the fields to any open preview.
 */
export class PredictionService implements vscode.Disposable {
  private runtime: Promise<FlareRuntime> | undefined;
  private readonly models = new Map<string, ResolvedModel>();
  private readonly records = new Map<string, PredictionRecord>();
  private readonly onDidPredictEmitter = new vscode.EventEmitter<PredictionRecord>();
  readonly onDidPredict = this.onDidPredictEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly diagnostics: MeshDiagnosticsService,
    private readonly status: FlareStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  last(uri: vscode.Uri): PredictionRecord | undefined {
    return this.records.get(uri.toString());
  }

  /** The host's one runtime (onnxruntime-web initializes once per process, so it is shared). */
  getRuntime(): Promise<FlareRuntime> {
    // The extension host has no GPU binding: WebAssembly, multi-threaded (Node is cross-origin isolated enough).
    this.runtime ??= createNodeRuntime({ backends: ['wasm'] });
    return this.runtime;
  }

  /** Built-in name → shipped file; a path → workspace file (never in Restricted Mode). */
  async resolveModel(setting: string, mesh: Mesh | undefined): Promise<ResolvedModel> {
    const name = setting === 'auto' || setting === '' ? (mesh ? autoModelFor(mesh) : BUILTIN_MODELS[0]) : setting;
    const builtin = (BUILTIN_MODELS as readonly string[]).includes(name);
    let uri: vscode.Uri;
    if (builtin) {
      uri = vscode.Uri.joinPath(this.context.extensionUri, 'models', `${name}.onnx`);
    } else {
      if (!vscode.workspace.isTrusted) throw new Error(`model '${name}' is a workspace file; workspace models do not run in Restricted Mode (trust the workspace, or use a built-in model)`);
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      uri = path.isAbsolute(name) ? vscode.Uri.file(name) : folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name);
    }
    const key = uri.toString();
    const cached = this.models.get(key);
    if (cached) return cached;
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      throw new Error(`model file not found: ${uri.scheme === 'file' ? uri.fsPath : uri.toString()}`);
    }
    let cardText: string | undefined;
    try {
      cardText = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri.with({ path: uri.path.replace(/\.onnx$/i, '.card.json') })));
    } catch { /* the card embedded in the ONNX metadata is used */ }
    const r = openModel(bytes, key, cardText);
    if (!r.ok) throw new Error(`cannot open model ${path.basename(uri.path)}: ${r.error}`);
    const resolved: ResolvedModel = { name: r.model.card?.name ?? name, uri, builtin, opened: r.model };
    this.models.set(key, resolved);
    return resolved;
  }

  async predict(uri: vscode.Uri, signal: AbortSignal, progress?: (message: string) => void): Promise<PredictionRecord> {
    progress?.('reading the deck');
    const parsed = this.diagnostics.cached(uri) ?? (await this.diagnostics.parse(uri, signal));
    if (!parsed.mesh) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      throw new Error(`the file could not be read${first ? `: line ${first.line}: ${first.message}` : ''}`);
    }
    const mesh = parsed.mesh;
    const settings = readSettings(uri);
    progress?.('loading the model');
    const model = await this.resolveModel(settings.model, mesh);
    const runtime = await this.getRuntime();
    this.status.show('busy', { model: model.name, backend: 'WebAssembly' });
    progress?.(`running ${model.name}`);
    const r = await predict(runtime, model.opened, mesh, { backend: 'auto', channel: uri.toString(), signal });
    if (!r.ok) {
      this.status.show('error', { model: model.name, message: r.error });
      throw new Error(r.error);
    }
    const p = r.prediction;
    const rec: PredictionRecord = { uri, mesh, model, prediction: p, at: Date.now() };
    this.records.set(uri.toString(), rec);
    const backend = `${p.backend === 'wasm' ? 'WebAssembly' : p.backend} in the extension host`;
    this.status.show('done', { model: model.name, backend, ms: p.ms + p.featureMs });
    this.log.info(`predicted ${vscode.workspace.asRelativePath(uri)} with ${model.name} on ${backend}: features ${p.featureMs.toFixed(0)} ms, run ${p.ms.toFixed(0)} ms (session ${p.sessionMs.toFixed(0)} ms)${p.notes.length ? `; ${p.notes.join('; ')}` : ''}`);
    this.diagnostics.setExtra(uri, this.findings(rec, settings.vonMisesLimitMPa, settings.displacementLimitMM));
    for (const f of p.fields) {
      MeshPreviewProvider.showFields(uri, { name: `${f.name} (predicted)`, components: f.components, values: f.values, unit: f.unit, source: 'prediction', show: f.name === 'von_mises' });
    }
    this.onDidPredictEmitter.fire(rec);
    return rec;
  }

  /** Envelope warnings at the first *NODE line; limit violations at each node's line, worst first. */
  private findings(rec: PredictionRecord, vmLimit: number | undefined, uLimit: number | undefined): vscode.Diagnostic[] {
    const { mesh, prediction: p, uri } = rec;
    const out: vscode.Diagnostic[] = [];
    const firstLine = Math.max(0, (mesh.pointLines?.[0] ?? 1) - 1);
    for (const f of p.findings) {
      const d = new vscode.Diagnostic(new vscode.Range(firstLine, 0, firstLine, 1000), `${rec.model.name}: ${f.message}`, f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information);
      d.source = 'FLARE';
      d.code = 'out-of-envelope';
      out.push(d);
    }
    const limitChecks: { field: string; limit: number | undefined; unit: string; label: string; setting: string }[] = [
      { field: 'von_mises', limit: vmLimit, unit: 'MPa', label: 'von Mises stress', setting: 'flare.limits.vonMisesMPa' },
      { field: 'displacement', limit: uLimit, unit: 'mm', label: 'displacement', setting: 'flare.limits.displacementMM' },
    ];
    for (const c of limitChecks) {
      if (c.limit === undefined) continue;
      const f = p.fields.find((x) => x.name === c.field);
      if (!f) continue;
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
    this.onDidPredictEmitter.dispose();
    void this.runtime?.then((r) => r.dispose());
  }
}
