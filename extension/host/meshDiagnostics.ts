import * as vscode from 'vscode';
import type { MeshDiagnostic } from '../core/mesh/index';
import type { ParsedFile as StoredFile, ParsedFiles, UnsavedText } from './parsedFileStore';

export type ParsedFile = StoredFile<vscode.Uri>;

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

/**
 * Owns the `flare` diagnostics of parsing (the Problems panel): publishes the parse findings of the
 * files it is asked about. The parsing itself is the shared store's, so a file the preview or a
 * prediction already parsed in this version is not parsed again.
 */
export class MeshDiagnosticsService implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('flare');
  /** The parse whose findings are published, per file. */
  private readonly published = new Map<string, ParsedFile>();
  private readonly extra = new Map<string, vscode.Diagnostic[]>();
  private readonly onDidParseEmitter = new vscode.EventEmitter<ParsedFile>();
  readonly onDidParse = this.onDidParseEmitter.event;

  constructor(private readonly files: ParsedFiles<vscode.Uri>, private readonly log: vscode.LogOutputChannel) {}

  dispose(): void {
    this.collection.dispose();
    this.onDidParseEmitter.dispose();
    this.published.clear();
  }

  cached(uri: vscode.Uri): ParsedFile | undefined {
    return this.published.get(uri.toString());
  }

  /** The parse of `uri`'s current content (or `unsaved` text) from the store, checks included; publishes its diagnostics. */
  async parse(uri: vscode.Uri, signal?: AbortSignal, unsaved?: UnsavedText): Promise<ParsedFile> {
    const result = await this.files.read(uri, { checks: true, ...(signal ? { signal } : {}), ...(unsaved ? { text: unsaved } : {}) });
    signal?.throwIfAborted();
    const before = this.published.get(uri.toString());
    this.published.set(uri.toString(), result);
    this.publish(uri);
    if (before !== result) this.log.info(`parsed ${vscode.workspace.asRelativePath(uri)}: ${result.mesh ? `${result.mesh.points.length / result.mesh.dimension} points` : 'no mesh'}, ${result.diagnostics.length} findings, ${result.parseMs.toFixed(0)} ms`);
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
    this.published.delete(uri.toString());
    this.extra.delete(uri.toString());
    this.collection.delete(uri);
  }

  clear(): void {
    this.extra.clear();
    this.collection.clear();
  }

  private publish(uri: vscode.Uri): void {
    const parsed = this.published.get(uri.toString());
    const own = (parsed?.diagnostics ?? []).map((d) => toVsDiagnostic(d));
    this.collection.set(uri, [...own, ...(this.extra.get(uri.toString()) ?? [])]);
  }
}
