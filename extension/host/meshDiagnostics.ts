import * as vscode from 'vscode';
import { readMesh, type Mesh, type MeshDiagnostic } from '../core/mesh/index';
import { includeFileReader } from '../core/mesh/includeFiles';
import { readSettings } from './settings';

export interface ParsedFile {
  readonly uri: vscode.Uri;
  readonly mesh?: Mesh;
  readonly diagnostics: readonly MeshDiagnostic[];
  readonly bytes: number;
  readonly parseMs: number;
  readonly version: number;
}

const SEVERITY: Record<MeshDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A diagnostic at the exact line (1-based in the mesh module, 0-based here), whole line when no column. */
export function toVsDiagnostic(d: MeshDiagnostic, lineLength = 1000): vscode.Diagnostic {
  const line = Math.max(0, d.line - 1);
  const col = Math.max(0, (d.column ?? 1) - 1);
  const range = new vscode.Range(line, d.column !== undefined ? col : 0, line, Math.max(col + 1, lineLength));
  const diag = new vscode.Diagnostic(range, d.message, SEVERITY[d.severity]);
  diag.source = 'FLARE';
  diag.code = d.code;
  return diag;
}

/** Parses mesh and deck files and owns the `flare` diagnostics of parsing (the Problems panel). */
export class MeshDiagnosticsService implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('flare');
  private readonly cache = new Map<string, ParsedFile>();
  private readonly extra = new Map<string, vscode.Diagnostic[]>();
  private versionCounter = 0;
  private readonly onDidParseEmitter = new vscode.EventEmitter<ParsedFile>();
  readonly onDidParse = this.onDidParseEmitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  dispose(): void {
    this.collection.dispose();
    this.onDidParseEmitter.dispose();
    this.cache.clear();
  }

  cached(uri: vscode.Uri): ParsedFile | undefined {
    return this.cache.get(uri.toString());
  }

  /** Reads and parses `uri`, publishes its diagnostics, and caches the mesh for prediction. */
  async parse(uri: vscode.Uri, signal?: AbortSignal, unsaved?: Uint8Array): Promise<ParsedFile> {
    const settings = readSettings(uri);
    const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
    const stat = unsaved ? { size: unsaved.byteLength } : await vscode.workspace.fs.stat(uri);
    let result: ParsedFile;
    if (stat.size > settings.maxFileSizeMB * 1024 * 1024) {
      const mb = (stat.size / 1024 / 1024).toFixed(1);
      result = { uri, bytes: stat.size, parseMs: 0, version: ++this.versionCounter, diagnostics: [{ severity: 'error', code: 'file-too-large', message: `file is ${mb} MB, above flare.limits.maxFileSizeMB (${settings.maxFileSizeMB} MB); raise the setting to read it`, file, line: 1 }] };
    } else {
      const bytes = unsaved ?? (await vscode.workspace.fs.readFile(uri));
      signal?.throwIfAborted();
      const t = performance.now();
      const r = readMesh(bytes, file, {
        signal,
        maxPoints: settings.maxPoints,
        // *INCLUDE and .pvtu pieces obey the same size limit, checked before they are read.
        readInclude: includeFileReader(settings.maxFileSizeMB * 1024 * 1024),
      });
      result = { uri, mesh: r.mesh, diagnostics: r.diagnostics, bytes: bytes.byteLength, parseMs: performance.now() - t, version: ++this.versionCounter };
    }
    signal?.throwIfAborted();
    this.cache.set(uri.toString(), result);
    this.publish(uri);
    this.log.info(`parsed ${vscode.workspace.asRelativePath(uri)}: ${result.mesh ? `${result.mesh.points.length / result.mesh.dimension} points` : 'no mesh'}, ${result.diagnostics.length} findings, ${result.parseMs.toFixed(0)} ms`);
    this.onDidParseEmitter.fire(result);
    return result;
  }

  /** Findings from other stages (model applicability, prediction limits) shown beside the parse findings. */
  setExtra(uri: vscode.Uri, diagnostics: vscode.Diagnostic[]): void {
    if (diagnostics.length) this.extra.set(uri.toString(), diagnostics);
    else this.extra.delete(uri.toString());
    this.publish(uri);
  }

  forget(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
    this.extra.delete(uri.toString());
    this.collection.delete(uri);
  }

  clear(): void {
    this.extra.clear();
    this.collection.clear();
  }

  private publish(uri: vscode.Uri): void {
    const parsed = this.cache.get(uri.toString());
    const own = (parsed?.diagnostics ?? []).map((d) => toVsDiagnostic(d));
    this.collection.set(uri, [...own, ...(this.extra.get(uri.toString()) ?? [])]);
  }
}
