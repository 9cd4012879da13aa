import * as vscode from 'vscode';
import * as path from 'node:path';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { parseWebviewToHost, type HostToWebview, type WebviewToHost } from '../core/protocol/messages';
import { readMesh } from '../core/mesh/index';
import { includeFileReader } from '../core/mesh/includeFiles';
import { readSettings } from './settings';
import { previewPayload, type FieldsMessage, type PreviewPayload } from './previewPayload';
import { WebviewRuntimeClient } from './webviewRuntimeClient';
import { offerRaiseLimit } from './limitActions';
import type { TrustBanner } from './trust';

type Captured = Extract<WebviewToHost, { type: 'previewCaptured' }>;
type TrustMessage = Extract<HostToWebview, { type: 'previewTrust' }>;

/** The banner as a message; undefined takes the banner away. */
function trustMessage(banner: TrustBanner | undefined): TrustMessage {
  return banner ? { type: 'previewTrust', level: banner.level, title: banner.title, details: [...banner.details] } : { type: 'previewTrust', level: 'none', title: '', details: [] };
}

/** What the preview of one file shows: the parsed surface and fields, plus fields sent later (predictions). */
class MeshDocument implements vscode.CustomDocument {
  /** Parsed once per document and shared by its panels; re-sent when a hidden webview reloads. */
  payload?: Promise<PreviewPayload | { error: string; line?: number }>;
  readonly extraFields = new Map<string, FieldsMessage>();
  /** The banner of the last prediction (applicability findings); re-sent when a hidden webview reloads. */
  trust?: TrustMessage;
  readonly panels = new Set<vscode.WebviewPanel>();
  watcher?: vscode.Disposable;
  constructor(readonly uri: vscode.Uri, private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
    this.watcher?.dispose();
    this.panels.clear();
  }
}

/**
 * The `flare.meshPreview` custom editor: one webview per opened mesh or deck. The host reads and
 * parses the file (the extension host is its own process, so the editor UI never waits on it), then
 * sends the boundary surface first and the data arrays after it, as typed arrays.
 */
export class MeshPreviewProvider implements vscode.CustomReadonlyEditorProvider<MeshDocument> {
  static readonly viewType = 'flare.meshPreview';
  private static instance: MeshPreviewProvider | undefined;
  /** Fields a newly opened preview starts with besides the file's own (the file's last prediction). */
  static fieldSource: ((uri: vscode.Uri) => readonly Omit<FieldsMessage, 'type'>[]) | undefined;
  /** The banner a newly opened preview starts with (the file's last prediction's findings). */
  static trustSource: ((uri: vscode.Uri) => TrustBanner | undefined) | undefined;
  private readonly documents = new Map<string, MeshDocument>();
  private lastActive: vscode.WebviewPanel | undefined;
  private nextRequest = 1;
  private readonly captures = new Map<number, (m: Captured) => void>();
  private readonly pendingCapturePanels = new Map<number, vscode.WebviewPanel>();
  /** Resolves once a panel's webview said 'ready' and got its data: messages posted earlier are lost. */
  private readonly loaded = new WeakMap<vscode.WebviewPanel, { promise: Promise<void>; resolve: () => void }>();
  /** Each panel's runtime bridge client: predictions for its file run in that webview. */
  private readonly runners = new WeakMap<vscode.WebviewPanel, WebviewRuntimeClient>();
  private readonly onDidResolvePanel = new vscode.EventEmitter<MeshDocument>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: vscode.LogOutputChannel) {}

  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): vscode.Disposable {
    const provider = new MeshPreviewProvider(context, log);
    MeshPreviewProvider.instance = provider;
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
      vscode.commands.registerCommand('flare.preview.showFields', (uri: vscode.Uri, field: Omit<FieldsMessage, 'type'>) => MeshPreviewProvider.showFields(uri, field)),
      provider.onDidResolvePanel,
      // A preview refused by flare.limits (e.g. before "Raise limit") tries again when a limit changes.
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('flare.limits')) void provider.reloadRefused();
      }),
      { dispose: () => { MeshPreviewProvider.instance = undefined; MeshPreviewProvider.fieldSource = undefined; MeshPreviewProvider.trustSource = undefined; } },
    );
  }

  /**
   * The runtime of a visible preview of `uri`, once its page is loaded (the active panel first), or
   * undefined when no preview of the file is visible: a hidden preview has no page to run in.
   */
  static async runnerFor(uri: vscode.Uri, loadTimeoutMs = 30_000): Promise<WebviewRuntimeClient | undefined> {
    const self = MeshPreviewProvider.instance;
    const doc = self?.documents.get(uri.toString());
    if (!self || !doc) return undefined;
    const visible = [...doc.panels].filter((p) => p.visible).sort((a, b) => Number(b.active) - Number(a.active));
    const panel = visible[0];
    if (!panel) return undefined;
    // A page that never loads (its script failed) must not hold the prediction: Node runs it instead.
    let timer: NodeJS.Timeout | undefined;
    const loaded = await Promise.race([
      self.loaded.get(panel)?.promise.then(() => true) ?? Promise.resolve(true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), loadTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!loaded) self.log.warn(`preview of ${path.basename(uri.path)} did not load within ${loadTimeoutMs / 1000} s; predicting without it`);
    return loaded && doc.panels.has(panel) && panel.visible ? self.runners.get(panel) : undefined;
  }

  /**
   * Focuses volume node `node` in the previews of `uri` (opening one is the caller's job): marks it,
   * shows its values, centres the view on it. Waits up to `timeoutMs` for a panel to appear.
   * Returns how many previews got the request.
   */
  static async focusNode(uri: vscode.Uri, node: number, where: { nodeId?: number; coords?: [number, number, number] }, timeoutMs = 10_000): Promise<number> {
    const self = MeshPreviewProvider.instance;
    if (!self) return 0;
    const key = uri.toString();
    let doc = self.documents.get(key);
    if (!doc || doc.panels.size === 0) {
      doc = await new Promise<MeshDocument | undefined>((resolve) => {
        const timer = setTimeout(() => (sub.dispose(), resolve(undefined)), timeoutMs);
        const sub = self.onDidResolvePanel.event((d) => {
          if (d.uri.toString() !== key) return;
          clearTimeout(timer);
          sub.dispose();
          resolve(d);
        });
      });
    }
    if (!doc) return 0;
    const msg: HostToWebview = { type: 'previewFocus', node, ...(where.nodeId !== undefined ? { nodeId: where.nodeId } : {}), ...(where.coords ? { coords: where.coords } : {}) };
    const panels = [...doc.panels];
    await Promise.all(panels.map(async (p) => {
      await self.loaded.get(p)?.promise;
      await p.webview.postMessage(msg);
    }));
    if (panels[0]) self.lastActive = panels[0];
    return panels.length;
  }

  /**
   * Shows (or, with undefined, removes) the banner over the predicted field in every preview of
   * `uri`, now and after reloads. Returns how many open previews received it.
   */
  static showTrust(uri: vscode.Uri, banner: TrustBanner | undefined): number {
    const doc = MeshPreviewProvider.instance?.documents.get(uri.toString());
    if (!doc) return 0;
    const msg = trustMessage(banner);
    doc.trust = banner ? msg : undefined;
    for (const p of doc.panels) void p.webview.postMessage(msg);
    return doc.panels.size;
  }

  /**
   * Adds or replaces a field (e.g. a prediction) in every preview of `uri`, now and after reloads.
   * Returns how many open previews received it.
   */
  static showFields(uri: vscode.Uri, field: Omit<FieldsMessage, 'type'>): number {
    const self = MeshPreviewProvider.instance;
    const doc = self?.documents.get(uri.toString());
    if (!self || !doc) return 0;
    const msg: FieldsMessage = { ...field, type: 'fields' };
    doc.extraFields.set(field.name, msg);
    for (const p of doc.panels) void p.webview.postMessage(msg);
    return doc.panels.size;
  }

  /** Loads again every open preview whose last load was refused (the file now may fit the limits). */
  private async reloadRefused(): Promise<void> {
    for (const doc of this.documents.values()) {
      const loading = doc.payload;
      if (loading && 'error' in (await loading) && doc.payload === loading) this.reload(doc);
    }
  }

  /** Parses the file again and re-sends it to every preview of it (views and predictions are kept). */
  private reload(doc: MeshDocument): void {
    doc.payload = undefined;
    for (const p of doc.panels) void this.send(doc, p, (m) => p.webview.postMessage(m));
  }

  openCustomDocument(uri: vscode.Uri): MeshDocument {
    const key = uri.toString();
    const doc: MeshDocument = new MeshDocument(uri, () => {
      if (this.documents.get(key) === doc) this.documents.delete(key);
    });
    this.documents.set(key, doc);
    for (const f of MeshPreviewProvider.fieldSource?.(uri) ?? []) doc.extraFields.set(f.name, { ...f, type: 'fields' });
    const banner = MeshPreviewProvider.trustSource?.(uri);
    if (banner) doc.trust = trustMessage(banner);
    // Saving the file (e.g. editing the deck as text beside the preview) re-parses and redraws it,
    // keeping the camera, the view settings and predictions that still fit.
    if (uri.scheme === 'file') {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), path.basename(uri.path)), true, false, true);
      let timer: NodeJS.Timeout | undefined;
      w.onDidChange(() => {
        clearTimeout(timer);
        timer = setTimeout(() => this.reload(doc), 300);
      });
      doc.watcher = { dispose: () => (clearTimeout(timer), w.dispose()) };
    }
    return doc;
  }

  async resolveCustomEditor(document: MeshDocument, panel: vscode.WebviewPanel, token: vscode.CancellationToken): Promise<void> {
    const { extensionUri } = this.context;
    const name = path.basename(document.uri.path);
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'preview', name);
    document.panels.add(panel);
    this.lastActive = panel;
    let resolve!: () => void;
    this.loaded.set(panel, { promise: new Promise<void>((r) => (resolve = r)), resolve });
    const post = (m: HostToWebview) => panel.webview.postMessage(m);
    const runner = new WebviewRuntimeClient(post, () => readSettings(document.uri).backend);
    this.runners.set(panel, runner);
    const subs: vscode.Disposable[] = [];
    subs.push(panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.lastActive = e.webviewPanel;
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
          this.loaded.get(panel)?.resolve();
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
        case 'probeResult':
        case 'predictProgress':
        case 'predictResult':
        case 'predictError':
          break;
      }
    }));
    panel.onDidDispose(() => {
      runner.reset('the preview closed');
      document.panels.delete(panel);
      if (this.lastActive === panel) this.lastActive = [...document.panels][0];
      for (const s of subs) s.dispose();
    });
    this.onDidResolvePanel.fire(document);
  }

  private async send(doc: MeshDocument, panel: vscode.WebviewPanel, post: (m: HostToWebview) => Thenable<boolean>): Promise<void> {
    const stat = await vscode.workspace.fs.stat(doc.uri);
    await post({ type: 'init', fileName: path.basename(doc.uri.path), byteLength: stat.size, format: path.extname(doc.uri.path).slice(1).toLowerCase() });
    if (!doc.payload) doc.payload = this.load(doc.uri, (stage, fraction) => void post({ type: 'previewProgress', stage, fraction }));
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

  private async load(uri: vscode.Uri, progress: (stage: string, fraction: number) => void): Promise<PreviewPayload | { error: string; line?: number }> {
    try {
      const settings = readSettings(uri);
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > settings.maxFileSizeMB * 1024 * 1024) return { error: `The file is ${(stat.size / 1048576).toFixed(1)} MB, above flare.limits.maxFileSizeMB (${settings.maxFileSizeMB} MB).` };
      progress('reading', 0.05);
      const bytes = await vscode.workspace.fs.readFile(uri);
      progress('parsing', 0.3);
      await new Promise((r) => setImmediate(r)); // let the progress message go out before the synchronous parse
      const t = performance.now();
      const file = uri.scheme === 'file' ? uri.fsPath : uri.toString();
      const r = readMesh(bytes, file, {
        maxPoints: settings.maxPoints,
        checks: false, // the preview only draws; geometric checks are the diagnostics service's job
        readInclude: includeFileReader(settings.maxFileSizeMB * 1024 * 1024),
      });
      if (!r.mesh) {
        const e = r.diagnostics.find((d) => d.severity === 'error') ?? r.diagnostics[0];
        return { error: e ? `${e.message} (${path.basename(e.file)}:${e.line})` : 'The file has no mesh.', ...(e ? { line: e.line } : {}) };
      }
      progress('surface', 0.7);
      const payload = previewPayload(r.mesh, performance.now() - t);
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
    const panel = this.lastActive;
    if (!panel) return false;
    void this.loaded.get(panel)?.promise.then(() => panel.webview.postMessage({ type: 'previewSettings', settings: JSON.stringify(settings) } satisfies HostToWebview));
    return true;
  }

  /** Asks the active (or last) preview for a PNG of its view. */
  private capture(timeoutMs = 30_000): Promise<{ dataUrl: string; state: unknown }> {
    const panel = this.lastActive;
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
      void this.loaded.get(panel)?.promise.then(() => panel.webview.postMessage({ type: 'previewCapture', requestId } satisfies HostToWebview));
    });
  }
}
