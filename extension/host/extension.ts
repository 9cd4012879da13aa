// Extension host entry: the only layer that imports `vscode`. Everything it registers goes on
// context.subscriptions so deactivation disposes it.
import * as vscode from 'vscode';
import { MeshPreviewProvider } from './meshPreviewProvider';
import { showRuntimeInfo } from './runtimeInfo';
import { MeshDiagnosticsService } from './meshDiagnostics';
import { MeshFileWatcher, isMeshUri } from './fileWatcher';
import { FlareStatusBar } from './statusBar';
import { ShowInPreviewActions } from './codeActions';
import { PredictionService, previewFields } from './predictionService';
import { cardPageLoader, commandTarget, registerPredictCommands } from './predictCommands';
import { ModelCardSerializer } from './modelCardView';
import { readSettings } from './settings';
import { runBenchmark, type BenchmarkOptions } from './benchmark';
import { registerLimitActions } from './limitActions';
import { checkSummary } from './checkReport';
import { DeckContext } from './deckContext';
import { trustBanner } from './trust';
import { ParsedFileStore, type ParsedFiles } from './parsedFileStore';
import { PreviewRegistry } from './previewRegistry';
import type { PanelTraffic } from './previewTraffic';
import { isDeckFileName } from '../core/model/predictable';

/** What activate() returns: handles the integration tests use to wait for background work. */
export interface FlareApi {
  readonly diagnostics: MeshDiagnosticsService;
  readonly watcher: MeshFileWatcher;
  readonly predictions: PredictionService;
  /** Folder of the FLARE log (FLARE.log): tests read what the host logged. */
  readonly logUri: vscode.Uri;
  readonly status: FlareStatusBar;
  /** The `flare.activeIsDeck` context key (Predict Fields is offered only on decks). */
  readonly deckContext: DeckContext;
  /** The parsed-file store: tests count its parses. */
  readonly files: ParsedFiles<vscode.Uri>;
  /** What the host posted to each open preview of a file, by message type: count and bytes. */
  readonly previewTraffic: (uri: vscode.Uri) => PanelTraffic[];
  /** Restores Model Card pages after a window reload: tests call it with a saved state. */
  readonly modelCardSerializer: vscode.WebviewPanelSerializer;
}

export function activate(context: vscode.ExtensionContext): FlareApi {
  const log = vscode.window.createOutputChannel('FLARE', { log: true });
  context.subscriptions.push(log);
  // One parse per version of a file, shared by diagnostics, predictions and previews.
  const files = new ParsedFileStore<vscode.Uri>({
    source: { stat: (uri) => vscode.workspace.fs.stat(uri), read: (uri) => vscode.workspace.fs.readFile(uri) },
    limits: (uri) => readSettings(uri),
  });
  const previews = new PreviewRegistry(log);
  const diagnostics = new MeshDiagnosticsService(files, log);
  const isPreviewOpen = (uri: vscode.Uri) => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputCustom && t.input.viewType === MeshPreviewProvider.viewType && t.input.uri.toString() === uri.toString()));
  const status = new FlareStatusBar();
  const predictions = new PredictionService(context, diagnostics, status, log, previews);
  // A preview opened after a prediction shows it (e.g. from a limit diagnostic's quick fix).
  context.subscriptions.push(previews, MeshPreviewProvider.register(context, log, previews, files, (uri) => {
    const rec = predictions.last(uri);
    return { fields: rec ? previewFields(rec) : [], trust: rec ? trustBanner(rec.verdict) : undefined };
  }));
  // After a save: re-predict where someone looks at the result (open preview) or when asked to.
  const deckContext = new DeckContext(diagnostics);
  const onSaved = (uri: vscode.Uri) => {
    // The warning or error the status bar shows for this file was about its old content.
    status.causeGone(uri, `${vscode.workspace.asRelativePath(uri)} changed since its last prediction`);
    if (!readSettings(uri).predictOnSave && !isPreviewOpen(uri)) return;
    if (!deckContext.isDeck(uri)) return;
    // A run on the old content is stale now: stop it at once rather than when the new run starts.
    predictions.cancel(uri, 'superseded: the file changed');
    // Its limit findings point at the old lines; the new run sets them again.
    diagnostics.setExtra(uri, []);
    watcher.queue.push(`predict:${uri.toString()}`, async (signal) => {
      await diagnostics.parse(uri, signal);
      await predictions.predict(uri, signal);
    });
  };
  const onDeleted = (uri: vscode.Uri) => status.causeGone(uri, `${vscode.workspace.asRelativePath(uri)} was deleted`);
  const watcher = new MeshFileWatcher(diagnostics, files, log, isPreviewOpen, onSaved, onDeleted);
  // The extension host's model session is made when a deck (a file, not a diff's or an output's)
  // opens as text: a Predict without a preview then waits for neither onnxruntime nor the session.
  const prepare = (uri: vscode.Uri) => { if (uri.scheme === 'file' && isDeckFileName(uri.path)) void predictions.prepare(uri); };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument((d) => prepare(d.uri)));
  for (const d of vscode.workspace.textDocuments) prepare(d.uri);
  context.subscriptions.push(diagnostics, watcher, status, predictions, deckContext);
  context.subscriptions.push(vscode.languages.registerCodeActionsProvider(ShowInPreviewActions.selector, new ShowInPreviewActions(), ShowInPreviewActions.metadata));
  registerPredictCommands(context, predictions, previews, files, log);
  const cards = ModelCardSerializer.register(cardPageLoader(predictions));
  context.subscriptions.push(cards.disposable);
  registerLimitActions(context, diagnostics, log);

  context.subscriptions.push(
    // `focus.focusPoint` (0-based node index, from a diagnostic's quick fix): the preview marks that node,
    // shows its values and centres on it. Returns how many previews were focused.
    vscode.commands.registerCommand('flare.openPreview', async (uri?: vscode.Uri, focus?: { focusPoint?: number }) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target || !isMeshUri(target)) {
        void vscode.window.showWarningMessage('FLARE: open a mesh or deck (.inp, .msh, .vtu, …) first.');
        return undefined;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, MeshPreviewProvider.viewType, vscode.ViewColumn.Beside);
      const node = focus?.focusPoint;
      if (typeof node !== 'number' || !Number.isInteger(node) || node < 0) return undefined;
      const mesh = predictions.last(target)?.mesh ?? diagnostics.cached(target)?.mesh;
      const d = mesh?.dimension ?? 3;
      const inMesh = mesh !== undefined && node < mesh.points.length / d;
      const coords: [number, number, number] | undefined = inMesh ? [mesh.points[node * d], mesh.points[node * d + 1], d > 2 ? mesh.points[node * d + 2] : 0] : undefined;
      const nodeId = inMesh ? mesh.pointIds?.[node] : undefined;
      return previews.focusNode(target, node, { ...(nodeId !== undefined ? { nodeId } : {}), ...(coords ? { coords } : {}) });
    }),
    vscode.commands.registerCommand('flare.showRuntimeInfo', () => showRuntimeInfo(context, log)),
    vscode.commands.registerCommand('flare.checkFile', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target || !isMeshUri(target)) return undefined;
      const r = await diagnostics.parse(target);
      // Reported every time, also when all is fine; the findings themselves are in Problems.
      const s = checkSummary(target.path, r.mesh ? r.mesh.points.length / r.mesh.dimension : undefined, r.diagnostics);
      const items = s.diagnostics ? ['Show Problems'] : [];
      const shown = s.level === 'error' ? vscode.window.showErrorMessage(s.message, ...items) : s.level === 'warning' ? vscode.window.showWarningMessage(s.message, ...items) : vscode.window.showInformationMessage(s.message, ...items);
      void shown.then((a) => { if (a) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
      log.info(s.message);
      return s;
    }),
    vscode.commands.registerCommand('flare.clearDiagnostics', () => {
      diagnostics.clear();
      status.causeGone(undefined, 'diagnostics cleared');
    }),
    vscode.commands.registerCommand('flare.runBenchmark', async (uri?: vscode.Uri, opts?: BenchmarkOptions) => {
      const target = commandTarget(uri);
      if (!target || !isMeshUri(target)) return void vscode.window.showWarningMessage('FLARE: open a deck or mesh to benchmark the model on.');
      try {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'FLARE: benchmarking', cancellable: true }, (_p, token) => runBenchmark(target, diagnostics, predictions, previews, log, token, opts ?? {}));
      } catch (e) {
        void vscode.window.showErrorMessage(`FLARE: benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
    }),
  );
  log.info(`FLARE ${String(context.extension.packageJSON.version)} activated`);
  return {
    diagnostics, watcher, predictions, status, deckContext, files, logUri: context.logUri,
    previewTraffic: (uri) => previews.trafficOf(uri), modelCardSerializer: cards.serializer,
  };
}

export function deactivate(): void {}
