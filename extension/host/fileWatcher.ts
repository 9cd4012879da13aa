import * as vscode from 'vscode';
import picomatch from 'picomatch';
import { KeyedWorkQueue } from './workQueue';
import { MESH_EXTENSIONS, readSettings } from './settings';
import type { MeshDiagnosticsService } from './meshDiagnostics';
import type { ParsedFiles } from './parsedFileStore';

const MESH_RE = new RegExp(`\\.(${MESH_EXTENSIONS.join('|')})$`, 'i');
export const isMeshUri = (uri: vscode.Uri): boolean => MESH_RE.test(uri.path);

/**
 * The host's one watcher of mesh and deck files: re-parses (debounced, superseding) files someone
 * looks at — open as text, open in the preview, or parsed before — when they change on disk or in the
 * editor, through the diagnostics into the shared store, whose change event redraws open previews;
 * ignores files nobody looks at. `onSaved` lets the host re-predict after a save.
 */
export class MeshFileWatcher implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private watchers: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The last request per file, to ask again for a file whose parse the full queue dropped. */
  private readonly requests = new Map<string, { uri: vscode.Uri; doc?: vscode.TextDocument }>();
  /** Files whose parse the full queue dropped, in order: queued again as places free up. */
  private readonly deferred = new Set<string>();
  private debounced = 0;
  private retried = 0;
  private settleWaiters: (() => void)[] = [];
  readonly queue: KeyedWorkQueue;
  private isExcluded: (path: string) => boolean = () => false;

  constructor(
    private readonly diagnostics: MeshDiagnosticsService,
    private readonly files: ParsedFiles<vscode.Uri>,
    private readonly log: vscode.LogOutputChannel,
    private readonly isPreviewOpen: (uri: vscode.Uri) => boolean,
    private readonly onSaved: (uri: vscode.Uri) => void,
    private readonly onDeleted: (uri: vscode.Uri) => void = () => {},
  ) {
    this.queue = new KeyedWorkQueue(1, 32, {
      onError: (key, e) => this.log.error(`parse ${key}: ${e instanceof Error ? e.message : String(e)}`),
      // A dropped parse would leave stale diagnostics: remember the file (a key, not its job) and queue
      // it again once there is room, so the queue stays bounded and nothing is lost.
      onDrop: (key) => { if (this.requests.has(key)) this.deferred.add(key); },
      onRoom: () => {
        for (const key of this.deferred) {
          if (this.queue.stats().waiting >= this.queue.limit) break;
          const r = this.requests.get(key);
          this.deferred.delete(key);
          if (!r) continue;
          this.retried++;
          this.enqueue(key, r.uri, r.doc);
        }
      },
    });
    this.configure();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('flare.watch')) this.configure(); }),
      vscode.workspace.onDidOpenTextDocument((d) => { if (this.wants(d.uri, true)) this.schedule(d.uri, 0); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length && this.wants(e.document.uri, true)) this.schedule(e.document.uri, undefined, e.document); }),
      vscode.workspace.onDidSaveTextDocument((d) => { if (this.wants(d.uri, true)) { this.schedule(d.uri, 0); this.onSaved(d.uri); } }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (isMeshUri(d.uri) && !this.isPreviewOpen(d.uri)) this.cancel(d.uri); }),
    );
    for (const d of vscode.workspace.textDocuments) if (this.wants(d.uri, true)) this.schedule(d.uri, 0);
  }

  private configure(): void {
    for (const d of this.watchers) d.dispose();
    this.watchers = [];
    const s = readSettings();
    const matchers = s.watchExclude.map((g) => picomatch(g, { dot: true }));
    this.isExcluded = (p) => matchers.some((m) => m(p));
    for (const glob of s.watchInclude) {
      const w = vscode.workspace.createFileSystemWatcher(glob);
      w.onDidChange((uri) => { if (this.wants(uri, false)) { this.schedule(uri); this.onSaved(uri); } });
      w.onDidCreate((uri) => { if (this.wants(uri, false)) this.schedule(uri); });
      w.onDidDelete((uri) => { this.cancel(uri); this.diagnostics.forget(uri); this.files.forget(uri); this.onDeleted(uri); });
      this.watchers.push(w);
    }
  }

  /** Does anybody look at this file? Text editors, the preview, or an earlier explicit parse. */
  private wants(uri: vscode.Uri, fromDocument: boolean): boolean {
    if (!isMeshUri(uri) || (uri.scheme !== 'file' && uri.scheme !== 'vscode-remote')) return false;
    if (this.isExcluded(vscode.workspace.asRelativePath(uri, false))) return false;
    if (fromDocument) return true;
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    return open || this.isPreviewOpen(uri) || this.diagnostics.cached(uri) !== undefined;
  }

  /** Debounced re-parse; a document's unsaved text is parsed instead of the file on disk. */
  schedule(uri: vscode.Uri, delay = readSettings(uri).debounceMs, doc?: vscode.TextDocument): void {
    const key = uri.toString();
    const pending = this.timers.get(key);
    if (pending !== undefined) {
      clearTimeout(pending);
      this.debounced++;
    }
    this.requests.set(key, doc ? { uri, doc } : { uri });
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key, uri, doc);
    }, delay));
  }

  private enqueue(key: string, uri: vscode.Uri, doc?: vscode.TextDocument): void {
    this.deferred.delete(key);
    const unsaved = doc && doc.isDirty ? { version: doc.version, bytes: new TextEncoder().encode(doc.getText()) } : undefined;
    this.queue.push(key, async (signal) => {
      await this.diagnostics.parse(uri, signal, unsaved);
      if (this.requests.get(key)?.uri === uri && !this.timers.has(key) && !this.deferred.has(key)) this.requests.delete(key);
    });
    void this.queue.idle().then(() => this.checkSettled());
  }

  cancel(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.requests.delete(key);
    this.deferred.delete(key);
    this.queue.cancel(key);
    this.checkSettled();
  }

  /** Queue figures plus the changes merged by the debounce, the dropped parses queued again, and what still waits outside the queue. */
  stats(): ReturnType<KeyedWorkQueue['stats']> & { debounced: number; retried: number; scheduled: number } {
    return { ...this.queue.stats(), debounced: this.debounced, retried: this.retried, scheduled: this.timers.size + this.deferred.size };
  }

  /** Resolves once no change waits in a debounce timer and the queue is idle. */
  settled(): Promise<void> {
    return new Promise((r) => {
      this.settleWaiters.push(r);
      this.checkSettled();
    });
  }

  private checkSettled(): void {
    const q = this.queue.stats();
    if (this.timers.size > 0 || this.deferred.size > 0 || q.running > 0 || q.waiting > 0) return;
    const w = this.settleWaiters;
    this.settleWaiters = [];
    for (const r of w) r();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.requests.clear();
    this.deferred.clear();
    this.queue.cancelAll();
    this.checkSettled();
    for (const d of [...this.disposables, ...this.watchers]) d.dispose();
  }
}
