// The open previews, by file: what predictions, commands and the preview provider share about them
// (the runtime of a visible preview, fields and banners to show, a node to focus). One object made in
// activate() and passed to whoever needs it, instead of statics on the provider.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { HostToWebview } from '../core/protocol/messages';
import type { FieldsMessage, PreviewPayload } from './previewPayload';
import type { ParsedFile } from './meshDiagnostics';
import type { WebviewRuntimeClient } from './webviewRuntimeClient';
import type { TrustBanner } from './trust';
import type { FieldRecipe, PreviewField } from '../core/runtime/predictedFields';
import type { ModelRunner } from '../core/runtime/runner';
import { messageBytes, type PanelTraffic } from './previewTraffic';

export type TrustMessage = Extract<HostToWebview, { type: 'previewTrust' }>;

/** The banner as a message; undefined takes the banner away. */
export function trustMessage(banner: TrustBanner | undefined): TrustMessage {
  return banner ? { type: 'previewTrust', level: banner.level, title: banner.title, details: [...banner.details] } : { type: 'previewTrust', level: 'none', title: '', details: [] };
}

/** A prediction that ran in a preview's page: that page keeps its outputs and builds the arrays itself. */
export interface RanInPage {
  readonly runner: ModelRunner;
  readonly requestId: number;
  readonly recipes: readonly FieldRecipe[];
  readonly points: number;
}

/** What the preview of one file shows: the parsed surface and fields, plus fields sent later (predictions). */
export class MeshDocument implements vscode.CustomDocument {
  /** Built once per parsed version and shared by the document's panels; re-sent when a hidden webview reloads. */
  payload?: Promise<PreviewPayload | { error: string; line?: number }>;
  /** The store's parse the payload was built from: a newer one redraws the preview. */
  shown?: ParsedFile;
  readonly extraFields = new Map<string, FieldsMessage>();
  /** The banner of the last prediction (applicability findings); re-sent when a hidden webview reloads. */
  trust?: TrustMessage;
  readonly panels = new Set<vscode.WebviewPanel>();
  constructor(readonly uri: vscode.Uri, private readonly onDispose: () => void) {}
  dispose(): void {
    this.onDispose();
    this.panels.clear();
  }
}

export class PreviewRegistry implements vscode.Disposable {
  private readonly documents = new Map<string, MeshDocument>();
  /** Resolves once a panel's webview said 'ready' and got its data: messages posted earlier are lost. */
  private readonly loaded = new WeakMap<vscode.WebviewPanel, { promise: Promise<void>; resolve: () => void }>();
  /** Each panel's runtime bridge client: predictions for its file run in that webview. */
  private readonly runners = new WeakMap<vscode.WebviewPanel, WebviewRuntimeClient>();
  /** Messages and bytes posted to each panel, by message type (tests: the prediction is not sent back to the page that ran it). */
  private readonly traffic = new WeakMap<vscode.WebviewPanel, Map<string, { count: number; bytes: number }>>();
  private readonly onDidResolvePanelEmitter = new vscode.EventEmitter<MeshDocument>();
  /** The active (or last active) panel: capture and view settings go to it. */
  lastActive: vscode.WebviewPanel | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Every message to a preview's page goes through here, so it is counted. */
  post(panel: vscode.WebviewPanel, msg: HostToWebview): Thenable<boolean> {
    let byType = this.traffic.get(panel);
    if (!byType) this.traffic.set(panel, (byType = new Map()));
    const t = byType.get(msg.type) ?? { count: 0, bytes: 0 };
    byType.set(msg.type, { count: t.count + 1, bytes: t.bytes + messageBytes(msg) });
    return panel.webview.postMessage(msg);
  }

  /** What was posted to each open preview of `uri` so far (test API). */
  trafficOf(uri: vscode.Uri): PanelTraffic[] {
    const doc = this.documents.get(uri.toString());
    return [...(doc?.panels ?? [])].map((p) => ({
      active: p.active, visible: p.visible, viewColumn: p.viewColumn,
      byType: Object.fromEntries([...(this.traffic.get(p) ?? new Map<string, { count: number; bytes: number }>())].map(([k, v]) => [k, { ...v }])),
    }));
  }

  /** A new preview document of `uri`; it leaves the registry when disposed. */
  open(uri: vscode.Uri): MeshDocument {
    const key = uri.toString();
    const doc: MeshDocument = new MeshDocument(uri, () => {
      if (this.documents.get(key) === doc) this.documents.delete(key);
    });
    this.documents.set(key, doc);
    return doc;
  }

  document(uri: vscode.Uri): MeshDocument | undefined {
    return this.documents.get(uri.toString());
  }

  all(): IterableIterator<MeshDocument> {
    return this.documents.values();
  }

  /** Adds a panel of `doc` with its runtime client; call `panelLoaded` once its page has its data. */
  addPanel(doc: MeshDocument, panel: vscode.WebviewPanel, runner: WebviewRuntimeClient): void {
    doc.panels.add(panel);
    this.lastActive = panel;
    let resolve!: () => void;
    this.loaded.set(panel, { promise: new Promise<void>((r) => (resolve = r)), resolve });
    this.runners.set(panel, runner);
  }

  panelLoaded(panel: vscode.WebviewPanel): void {
    this.loaded.get(panel)?.resolve();
  }

  /** Resolves once the panel's page is loaded (at once for a panel the registry does not know). */
  whenLoaded(panel: vscode.WebviewPanel): Promise<void> {
    return this.loaded.get(panel)?.promise ?? Promise.resolve();
  }

  removePanel(doc: MeshDocument, panel: vscode.WebviewPanel): void {
    doc.panels.delete(panel);
    if (this.lastActive === panel) this.lastActive = [...doc.panels][0];
  }

  /** Tells focusNode (waiting for a preview of the file) that a panel of `doc` exists now. */
  panelResolved(doc: MeshDocument): void {
    this.onDidResolvePanelEmitter.fire(doc);
  }

  /**
   * The runtime of a visible preview of `uri`, once its page is loaded (the active panel first), or
   * undefined when no preview of the file is visible: a hidden preview has no page to run in.
   */
  async runnerFor(uri: vscode.Uri, loadTimeoutMs = 30_000): Promise<WebviewRuntimeClient | undefined> {
    const doc = this.documents.get(uri.toString());
    if (!doc) return undefined;
    const visible = [...doc.panels].filter((p) => p.visible).sort((a, b) => Number(b.active) - Number(a.active));
    const panel = visible[0];
    if (!panel) return undefined;
    // A page that never loads (its script failed) must not hold the prediction: Node runs it instead.
    let timer: NodeJS.Timeout | undefined;
    const loaded = await Promise.race([
      this.whenLoaded(panel).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), loadTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!loaded) this.log.warn(`preview of ${path.basename(uri.path)} did not load within ${loadTimeoutMs / 1000} s; predicting without it`);
    return loaded && doc.panels.has(panel) && panel.visible ? this.runners.get(panel) : undefined;
  }

  /**
   * Focuses volume node `node` in the previews of `uri` (opening one is the caller's job): marks it,
   * shows its values, centres the view on it. Waits up to `timeoutMs` for a panel to appear.
   * Returns how many previews got the request.
   */
  async focusNode(uri: vscode.Uri, node: number, where: { nodeId?: number; coords?: [number, number, number] }, timeoutMs = 10_000): Promise<number> {
    const key = uri.toString();
    let doc = this.documents.get(key);
    if (!doc || doc.panels.size === 0) {
      doc = await new Promise<MeshDocument | undefined>((resolve) => {
        const timer = setTimeout(() => (sub.dispose(), resolve(undefined)), timeoutMs);
        const sub = this.onDidResolvePanelEmitter.event((d) => {
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
      await this.whenLoaded(p);
      await this.post(p, msg);
    }));
    if (panels[0]) this.lastActive = panels[0];
    return panels.length;
  }

  /**
   * Shows (or, with undefined, removes) the banner over the predicted field in every preview of
   * `uri`, now and after reloads. Returns how many open previews received it.
   */
  showTrust(uri: vscode.Uri, banner: TrustBanner | undefined): number {
    const doc = this.documents.get(uri.toString());
    if (!doc) return 0;
    const msg = trustMessage(banner);
    doc.trust = banner ? msg : undefined;
    for (const p of doc.panels) void this.post(p, msg);
    return doc.panels.size;
  }

  /**
   * Adds or replaces a field (e.g. a prediction) in every preview of `uri`, now and after reloads.
   * Returns how many open previews received it.
   */
  showFields(uri: vscode.Uri, field: PreviewField): number {
    return this.showPrediction(uri, [field]);
  }

  /**
   * Adds or replaces a prediction's fields in every preview of `uri`, now and after reloads. The
   * preview whose page ran it (`ran`) is only told which run to show: it has the outputs, and
   * builds the same arrays from them. Returns how many open previews received it.
   */
  showPrediction(uri: vscode.Uri, fields: readonly PreviewField[], ran?: RanInPage): number {
    const doc = this.documents.get(uri.toString());
    if (!doc) return 0;
    const msgs: FieldsMessage[] = fields.map((f) => ({ ...f, type: 'fields' }));
    for (const m of msgs) doc.extraFields.set(m.name, m);
    for (const p of doc.panels) {
      if (ran && this.runners.get(p) === ran.runner) void this.post(p, { type: 'showRun', requestId: ran.requestId, points: ran.points, recipes: ran.recipes });
      else for (const m of msgs) void this.post(p, m);
    }
    return doc.panels.size;
  }

  /** The page no longer has a run's outputs (`runMissing`): it gets the arrays the host keeps for reloads. */
  async resendFields(doc: MeshDocument, panel: vscode.WebviewPanel): Promise<void> {
    for (const m of doc.extraFields.values()) await this.post(panel, m);
  }

  dispose(): void {
    this.onDidResolvePanelEmitter.dispose();
    this.documents.clear();
    this.lastActive = undefined;
  }
}
