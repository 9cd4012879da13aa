import * as vscode from 'vscode';
import * as path from 'node:path';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { parseWebviewToHost, type HostToWebview, type WebviewToHost } from '../core/protocol/messages';
import { readSettings } from './settings';
import { previewPayload, type FieldsMessage, type PreviewPayload } from './previewPayload';
import { WebviewRuntimeClient } from './webviewRuntimeClient';
import { offerRaiseLimit } from './limitActions';
import type { TrustBanner } from './trust';
import type { ParsedFiles } from './parsedFileStore';
import { trustMessage, type MeshDocument, type PreviewRegistry } from './previewRegistry';

type Captured = Extract<WebviewToHost, { type: 'previewCaptured' }>;

/** What a newly opened preview starts with besides the file's own fields (the file's last prediction). */
export type PreviewStart = (uri: vscode.Uri) => { readonly fields: readonly Omit<FieldsMessage, 'type'>[]; readonly trust: TrustBanner | undefined };

/**
 * The `flare.meshPreview` custom editor: one webview per opened mesh or deck. The mesh comes from the
 * shared parsed-file store (the extension host is its own process, so the editor UI never waits on
 * the parse); the host sends the boundary surface first and the data arrays after it, as typed arrays.
 * A newer parse of the file in the store (the watcher saw it change) redraws the preview.
 */
export class MeshPreviewProvider implements vscode.CustomReadonlyEditorProvider<MeshDocument> {
  static readonly viewType = 'flare.meshPreview';
  private nextRequest = 1;
  private readonly captures = new Map<number, (m: Captured) => void>();
  private readonly pendingCapturePanels = new Map<number, vscode.WebviewPanel>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
    private readonly previews: PreviewRegistry,
    private readonly files: ParsedFiles<vscode.Uri>,
    private readonly start: PreviewStart,
  ) {}

  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, previews: PreviewRegistry, files: ParsedFiles<vscode.Uri>, start: PreviewStart): vscode.Disposable {
    const provider = new MeshPreviewProvider(context, log, previews, files, start);
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(MeshPreviewProvider.viewType, provider, {
        // The view state (camera, colouring) is kept with setState and the parsed mesh on the host,
        // so a hidden preview can drop its WebGL context instead of holding GPU memory.
        supportsMultipleEditorsPerDocument: true,
        webviewOptions: { retainContextWhenHidden: false },
      }),
      // Internal (not in the palette): the PNG of the active preview and its view state, for tests.
      vscode.commands.registerCommand('flare.preview.capture', (timeoutMs?: number) => provider.capture(timeoutMs)),
      // Internal: view settings (partial ViewSettings) for the active preview, e.g. colour by a field.
      vscode.commands.registerCommand('flare.preview.setView', (settings: Record<string, unknown>) => provider.setView(settings)),
      // Internal: the command form of showFields, for the runtime and tests (arguments stay in-process).
      vscode.commands.registerCommand('flare.preview.showFields', (uri: vscode.Uri, field: Omit<FieldsMessage, 'type'>) => previews.showFields(uri, field)),
      // A preview refused by flare.limits (e.g. before "Raise limit") tries again when a limit changes.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flare.limits')) void provider.reloadRefused();
      }),
      // Saving the file (e.g. editing the deck as text beside the preview) re-parses it once, in the
      // store; the preview redraws from that parse, keeping the camera, view settings and predictions.
      files.onDidChange((uri) => {
        const doc = previews.document(uri);
        const parsed = files.latest(uri);
        // A preview still loading (no `shown` yet) takes the newest parse when its read returns.
        if (doc?.shown && parsed?.source === 'disk' && parsed.version > doc.shown.version) provider.reload(doc);
      }),
    );
  }

  /** Loads again every open preview whose last load was refused (the file now may fit the limits). */
  private async reloadRefused(): Promise<void> {
    for (const doc of this.previews.all()) {
      const loading = doc.payload;
      if (loading && 'error' in (await loading) && doc.payload === loading) this.reload(doc);
    }
  }

  /** Builds the payload again from the store and re-sends it to every preview of the file (views and predictions are kept). */
  private reload(doc: MeshDocument): void {
    doc.payload = undefined;
    for (const p of doc.panels) void this.send(doc, p, (m) => this.previews.post(p, m));
  }

  openCustomDocument(uri: vscode.Uri): MeshDocument {
    const doc = this.previews.open(uri);
    const start = this.start(uri);
    for (const f of start.fields) doc.extraFields.set(f.name, { ...f, type: 'fields' });
    if (start.trust) doc.trust = trustMessage(start.trust);
    return doc;
  }

  async resolveCustomEditor(document: MeshDocument, panel: vscode.WebviewPanel, token: vscode.CancellationToken): Promise<void> {
    const { extensionUri } = this.context;
    const name = path.basename(document.uri.path);
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', name);
    const post = (m: HostToWebview) => this.previews.post(panel, m);
    const runner = new WebviewRuntimeClient(post, () => readSettings(document.uri).backend);
    this.previews.addPanel(document, panel, runner);
    const subs: vscode.Disposable[] = [];
    subs.push(panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.previews.lastActive = e.webviewPanel;
      // Hidden previews drop their page (retainContextWhenHidden is off), and runs in it with it.
      if (!e.webviewPanel.visible) runner.reset('the preview was hidden');
    }));
    subs.push(panel.webview.onDidReceiveMessage(async (raw: unknown) => {
      const msg = parseWebviewToHost(raw);
      if (!msg) {
        this.log.warn(`preview: dropped malformed message from webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
        return;
      }
      if (token.isCancellationRequested) return;
      if (runner.handle(msg)) return;
      switch (msg.type) {
        case 'ready':
          // A new page (first load or a reload): whatever ran in the old one is gone.
          runner.reset('the preview reloaded');
          await this.send(document, panel, post);
          this.previews.panelLoaded(panel);
          // A capture asked while the webview reloaded was lost with the old page: ask again.
          for (const [id, p] of this.pendingCapturePanels) if (p === panel) void post({ type: 'previewCapture', requestId: id });
          break;
        case 'log':
          this.log[msg.level === 'warn' ? 'warn' : msg.level](`preview: ${msg.message}`);
          break;
        case 'saveImage':
          await this.saveImage(document.uri, msg.dataUrl, msg.suggestedName);
          break;
        case 'previewCaptured':
          this.captures.get(msg.requestId)?.(msg);
          this.captures.delete(msg.requestId);
          this.pendingCapturePanels.delete(msg.requestId);
          break;
        case 'runMissing':
          this.log.info(`preview of ${name} no longer has the outputs of run ${msg.requestId}: sending its arrays`);
          await this.previews.resendFields(document, panel);
          break;
        case 'probeResult':
        case 'predictProgress':
        case 'predictResult':
        case 'predictError':
          break;
      }
    }));
    panel.onDidDispose(() => {
      runner.reset('the preview closed');
      this.previews.removePanel(document, panel);
      for (const s of subs) s.dispose();
    });
    this.previews.panelResolved(document);
  }

  private async send(doc: MeshDocument, panel: vscode.WebviewPanel, post: (m: HostToWebview) => Thenable<boolean>): Promise<void> {
    const stat = await vscode.workspace.fs.stat(doc.uri);
    await post({ type: 'init', fileName: path.basename(doc.uri.path), byteLength: stat.size, format: path.extname(doc.uri.path).slice(1).toLowerCase() });
    if (!doc.payload) doc.payload = this.load(doc, (stage, fraction) => void post({ type: 'previewProgress', stage, fraction }));
    const payload = await doc.payload;
    if (!doc.panels.has(panel)) return;
    if ('error' in payload) {
      await post({ type: 'previewError', message: payload.error, ...(payload.line !== undefined ? { line: payload.line } : {}) });
      offerRaiseLimit(payload.error, doc.uri, this.log);
      return;
    }
    // Surface first: the webview draws it before the data arrays arrive.
    await post(payload.surface);
    for (const f of payload.fields) await post(f);
    for (const f of doc.extraFields.values()) await post(f);
    if (doc.trust) await post(doc.trust);
    await post({ type: 'previewProgress', stage: 'done', fraction: 1 });
  }

  private async load(doc: MeshDocument, progress: (stage: string, fraction: number) => void): Promise<PreviewPayload | { error: string; line?: number }> {
    const { uri } = doc;
    try {
      progress('reading', 0.05);
      // The store parses the file on disk only when no one has parsed this version of it yet.
      let parsed = await this.files.read(uri);
      const newest = this.files.latest(uri);
      if (newest?.source === 'disk' && newest.version > parsed.version) parsed = newest;
      doc.shown = parsed;
      if (!parsed.mesh) {
        const settings = readSettings(uri);
        const e = parsed.diagnostics.find((d) => d.severity === 'error') ?? parsed.diagnostics[0];
        if (e?.code === 'file-too-large' && e.file === (uri.scheme === 'file' ? uri.fsPath : uri.toString())) return { error: `The file is ${(parsed.bytes / 1048576).toFixed(1)} MB, above flare.limits.maxFileSizeMB (${settings.maxFileSizeMB} MB).` };
        return { error: e ? `${e.message} (${path.basename(e.file)}:${e.line})` : 'The file has no mesh.', ...(e ? { line: e.line } : {}) };
      }
      progress('surface', 0.7);
      const payload = previewPayload(parsed.mesh, parsed.parseMs);
      this.log.info(`preview: ${path.basename(uri.path)}: ${payload.surface.volumePoints} nodes, ${payload.surface.nodeMap.length} surface points, ${payload.surface.triangles.length / 3} triangles, ${payload.fields.length} arrays, parsed in ${payload.surface.parseMs.toFixed(0)} ms`);
      return payload;
    } catch (e) {
      return { error: `Could not read ${path.basename(uri.path)}: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  private async saveImage(source: vscode.Uri, dataUrl: string, suggestedName: string): Promise<void> {
    const safe = suggestedName.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'preview.png';
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(source, '..', safe.endsWith('.png') ? safe : `${safe}.png`),
      filters: { 'PNG image': ['png'] },
      saveLabel: 'Save Screenshot',
    });
    if (!target) return;
    const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`preview: saved ${target.fsPath} (${bytes.byteLength} bytes)`);
  }

  private setView(settings: Record<string, unknown>): boolean {
    const panel = this.previews.lastActive;
    if (!panel) return false;
    void this.previews.whenLoaded(panel).then(() => this.previews.post(panel, { type: 'previewSettings', settings: JSON.stringify(settings) }));
    return true;
  }

  /** Asks the active (or last) preview for a PNG of its view. */
  private capture(timeoutMs = 30_000): Promise<{ dataUrl: string; state: unknown }> {
    const panel = this.previews.lastActive;
    if (!panel) return Promise.reject(new Error('No FLARE preview is open.'));
    const requestId = this.nextRequest++;
    return new Promise((resolve, reject) => {
      this.pendingCapturePanels.set(requestId, panel);
      const timer = setTimeout(() => {
        this.captures.delete(requestId);
        this.pendingCapturePanels.delete(requestId);
        reject(new Error(`The preview did not answer a capture request within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.captures.set(requestId, (m) => {
        clearTimeout(timer);
        let state: unknown;
        try {
          state = JSON.parse(m.state);
        } catch {
          state = m.state;
        }
        resolve({ dataUrl: m.dataUrl, state });
      });
      void this.previews.whenLoaded(panel).then(() => this.previews.post(panel, { type: 'previewCapture', requestId }));
    });
  }
}
