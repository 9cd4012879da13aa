import * as vscode from 'vscode';
import * as path from 'node:path';
import { readMesh, writeVtu, type Mesh } from '../core/mesh/index';
import { compareWithReference, type CompareResult } from '../core/analysis/compareFields';
import { findCcx, runCcx } from '../core/solver/ccx';
import { BUILTIN_MODELS } from '../core/model/modelChoice';
import { NotPredictable, PredictionCancelled, type PredictionRecord, type PredictionService, type ResolvedModel } from './predictionService';
import { MeshPreviewProvider } from './meshPreviewProvider';
import type { PreviewRegistry } from './previewRegistry';
import type { ParsedFiles } from './parsedFileStore';
import { isMeshUri } from './fileWatcher';
import { readSettings } from './settings';
import { offerRaiseLimit } from './limitActions';
import { showModelCardPage, type CardPageContent, type CardPageLoader, type CardPageState } from './modelCardView';

/** The target of a command: its argument, else the active editor's file, else the active preview's. */
export function commandTarget(uri?: vscode.Uri): vscode.Uri | undefined {
  if (uri instanceof vscode.Uri) return uri;
  const editor = vscode.window.activeTextEditor?.document.uri;
  if (editor && isMeshUri(editor)) return editor;
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (tab instanceof vscode.TabInputCustom && tab.viewType === MeshPreviewProvider.viewType) return tab.uri;
  return undefined;
}

const fmtPct = (x: number) => `${(100 * x).toFixed(2)} %`;

export interface CompareSummary {
  readonly matched: number;
  readonly fields: { field: string; relativeL2: number; maxAbs: number; p99Abs: number; p99ValueRelError: number; unit: string }[];
}

function summarize(r: Extract<CompareResult, { ok: true }>): CompareSummary {
  return {
    matched: r.matched,
    fields: r.comparisons.map((c) => {
      const s = c.magnitudeStats ?? c.stats;
      return { field: c.field === 'displacement' ? '|displacement|' : c.field, relativeL2: s.relativeL2, maxAbs: c.stats.maxAbs, p99Abs: c.stats.p99Abs, p99ValueRelError: s.p99ValueRelError, unit: c.unit };
    }),
  };
}

/** What the card page of a resolved model shows, and the state that brings it back after a reload. */
function cardPage(model: ResolvedModel): { content: CardPageContent; state: CardPageState } {
  const source = model.builtin ? `${model.name} (built-in)` : vscode.workspace.asRelativePath(model.location);
  const ref = model.builtin ? path.basename(model.location.path, '.onnx') : model.location.fsPath;
  return {
    content: { ...(model.opened.card ? { card: model.opened.card } : {}), ...(model.opened.cardProblem !== undefined ? { problem: model.opened.cardProblem } : {}), source },
    state: { model: ref, builtin: model.builtin },
  };
}

/**
 * Resolves a restored card page's model again: a built-in model by name; a workspace model file only
 * in a trusted workspace, and only while it is still there (else the page says why).
 */
export function cardPageLoader(service: PredictionService): CardPageLoader {
  return async (state) => {
    if (!state.builtin && !vscode.workspace.isTrusted) {
      return { problem: `The workspace model ${state.model} is not opened in Restricted Mode. Trust the workspace, then run "FLARE: Show Model Card".`, source: state.model };
    }
    try {
      return cardPage(await service.resolveModel(state.model, undefined)).content;
    } catch (e) {
      return { problem: `${e instanceof Error ? e.message : String(e)}. Run "FLARE: Show Model Card" for the current model.`, source: state.model };
    }
  };
}

/** Registers predict, export, compare, verify, model selection and model card commands. */
export function registerPredictCommands(context: vscode.ExtensionContext, service: PredictionService, previews: PreviewRegistry, files: ParsedFiles<vscode.Uri>, log: vscode.LogOutputChannel): void {
  const needPrediction = async (uri: vscode.Uri, token?: vscode.CancellationToken): Promise<PredictionRecord> => {
    const last = service.last(uri);
    if (last) return last;
    return runPredict(uri, token);
  };

  const runPredict = (uri: vscode.Uri, outerToken?: vscode.CancellationToken): Promise<PredictionRecord> =>
    Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `FLARE: predicting ${path.basename(uri.path)}`, cancellable: true }, async (progress, token) => {
      const ctrl = new AbortController();
      const subs = [token.onCancellationRequested(() => ctrl.abort(new Error('cancelled'))), outerToken?.onCancellationRequested(() => ctrl.abort(new Error('cancelled')))];
      try {
        return await service.predict(uri, ctrl.signal, (message) => progress.report({ message }));
      } finally {
        for (const s of subs) s?.dispose();
      }
    }));

  const report = (e: unknown, what: string) => {
    const msg = e instanceof Error ? e.message : String(e);
    log.error(`${what}: ${msg}`);
    if (/cancel/i.test(msg)) return;
    void vscode.window.showErrorMessage(`FLARE: ${what} failed: ${msg}`, 'Show Log').then((a) => { if (a) log.show(); });
  };

  const compare = async (deckUri: vscode.Uri, rec: PredictionRecord, result: Mesh, label: string): Promise<CompareSummary | undefined> => {
    const r = compareWithReference(rec.mesh, rec.prediction.fields.map((f) => ({ ...f, values: f.values })), result);
    if (!r.ok) throw new Error(r.error);
    for (const c of r.comparisons) {
      previews.showFields(deckUri, { name: `${c.field} (${label})`, components: c.components, values: c.reference, unit: c.unit, source: 'reference', show: false });
      previews.showFields(deckUri, { name: `${c.field} error (predicted − ${label})`, components: c.components, values: c.difference, unit: c.unit, source: 'reference', show: c.field === 'von_mises' });
    }
    const s = summarize(r);
    const lines = s.fields.map((f) => `${f.field}: relative L2 ${fmtPct(f.relativeL2)}, max |error| ${f.maxAbs.toPrecision(3)} ${f.unit}, 99th-percentile |error| ${f.p99Abs.toPrecision(3)} ${f.unit}, 99th-percentile value off by ${fmtPct(f.p99ValueRelError)}`);
    log.info(`compare ${vscode.workspace.asRelativePath(deckUri)} with ${label} over ${s.matched} nodes:\n  ${lines.join('\n  ')}`);
    void vscode.window.showInformationMessage(`FLARE vs ${label} (${s.matched} nodes) — ${lines.join(' · ')}`);
    return s;
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('flare.predict', async (uri?: vscode.Uri) => {
      const t = commandTarget(uri);
      if (!t) return void vscode.window.showWarningMessage('FLARE: open a deck or mesh (.inp, .msh, .vtu, …) to predict on.');
      try {
        const rec = await runPredict(t);
        const p = rec.prediction;
        const vm = p.fields.find((f) => f.name === 'von_mises');
        let max = 0;
        if (vm) for (const v of vm.values) if (v > max) max = v;
        const result = `max von Mises ${max.toFixed(1)} ${vm?.unit ?? ''} in ${(p.ms + p.featureMs).toFixed(0)} ms`;
        const open = (a: string | undefined) => {
          if (a === 'Open Preview') void vscode.commands.executeCommand('flare.openPreview', t);
          else if (a === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
        };
        // A prediction the model cannot vouch for is a warning naming the reason, never an info.
        if (rec.verdict.level === 'ok') void vscode.window.showInformationMessage(`FLARE ${rec.model.name}: ${result}`, 'Open Preview').then(open);
        else void vscode.window.showWarningMessage(`FLARE ${rec.model.name}: ${rec.verdict.headline} — the model cannot vouch for this prediction (${rec.verdict.reasons[0]}${rec.verdict.reasons.length > 1 ? `; ${rec.verdict.reasons.length - 1} more in Problems` : ''}). Shown anyway: ${result}.`, 'Open Preview', 'Show Problems').then(open);
        // Restricted Mode refusals were shown once by the service; a preview that fell back is shown here.
        for (const n of rec.notes.filter((x) => !x.startsWith('Restricted Mode'))) void vscode.window.showWarningMessage(`FLARE: ${n}`);
        return {
          model: rec.model.name, builtin: rec.model.builtin, backend: p.backend, where: rec.where, ...(rec.adapter ? { adapter: rec.adapter } : {}), ms: p.ms, findings: p.findings.length, notes: rec.notes,
          trust: { level: rec.verdict.level, headline: rec.verdict.headline, reasons: rec.verdict.reasons },
          fields: p.fields.map((f) => ({ name: f.name, components: f.components, unit: f.unit, max: f.values.reduce((a, v) => (v > a ? v : a), -Infinity) })),
        };
      } catch (e) {
        if (e instanceof PredictionCancelled) return { cancelled: e.message };
        if (e instanceof NotPredictable) {
          // Not a failure of the model: the file lacks what a prediction needs; say what and how to add it.
          log.warn(`predict ${vscode.workspace.asRelativePath(t)}: ${e.message}`);
          void vscode.window.showWarningMessage(`FLARE: cannot predict here. ${e.message}`);
          return { notPredictable: e.message };
        }
        if (!offerRaiseLimit(e, t, log)) report(e, 'prediction');
        return undefined;
      }
    }),

    vscode.commands.registerCommand('flare.exportVtu', async (uri?: vscode.Uri, out?: vscode.Uri) => {
      const t = commandTarget(uri);
      if (!t) return void vscode.window.showWarningMessage('FLARE: open a deck or mesh to export its prediction.');
      try {
        const rec = await needPrediction(t);
        const base = path.basename(t.path).replace(/\.[^.]+$/, '');
        const dest = out ?? vscode.Uri.joinPath(t, '..', `${base}.flare.vtu`);
        const n = rec.mesh.points.length / rec.mesh.dimension;
        const ids = new Int32Array(n);
        for (let i = 0; i < n; i++) ids[i] = rec.mesh.pointIds?.[i] ?? i + 1;
        const mesh: Mesh = { ...rec.mesh, pointData: [{ name: 'node_id', components: 1, values: ids }, ...rec.prediction.fields.map((f) => ({ name: f.name, components: f.components, values: f.values }))] };
        await vscode.workspace.fs.writeFile(dest, writeVtu(mesh, { compress: true }));
        log.info(`exported ${vscode.workspace.asRelativePath(dest)}`);
        void vscode.window.showInformationMessage(`FLARE: prediction written to ${vscode.workspace.asRelativePath(dest)} (open it in ParaView)`);
        return dest.toString();
      } catch (e) {
        report(e, 'export');
        return undefined;
      }
    }),

    vscode.commands.registerCommand('flare.compareWithResult', async (uri?: vscode.Uri, resultUri?: vscode.Uri) => {
      const t = commandTarget(uri);
      if (!t) return void vscode.window.showWarningMessage('FLARE: open a deck first, then pick its solver result.');
      try {
        const result = resultUri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, defaultUri: vscode.Uri.joinPath(t, '..'), openLabel: 'Compare', filters: { 'Solver results': ['frd', 'vtu'] } }))?.[0];
        if (!result) return undefined;
        const rec = await needPrediction(t);
        // Through the store: a result already open in a preview is not parsed again.
        const r = await files.read(result);
        if (!r.mesh) throw new Error(`cannot read ${path.basename(result.path)}: ${r.diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown error'}`);
        return await compare(t, rec, r.mesh, path.basename(result.path));
      } catch (e) {
        report(e, 'comparison');
        return undefined;
      }
    }),

    vscode.commands.registerCommand('flare.verifyWithSolver', async (uri?: vscode.Uri) => {
      const t = commandTarget(uri);
      if (!t) return void vscode.window.showWarningMessage('FLARE: open a CalculiX deck (.inp) to verify.');
      if (!vscode.workspace.isTrusted) {
        // Also disabled in menus and the palette (enablement: isWorkspaceTrusted); this covers direct calls.
        const refused = 'the solver does not run in Restricted Mode. Trust this workspace to verify with CalculiX.';
        log.warn(`verify ${vscode.workspace.asRelativePath(t)}: ${refused}`);
        void vscode.window.showWarningMessage(`FLARE: ${refused}`, 'Manage Workspace Trust').then((a) => { if (a) void vscode.commands.executeCommand('workbench.trust.manage'); });
        return { refused };
      }
      if (!/\.inp$/i.test(t.path) || t.scheme !== 'file') return void vscode.window.showWarningMessage('FLARE: Verify with Solver needs a local CalculiX deck (.inp).');
      const ccx = findCcx(readSettings(t).ccxPath || undefined);
      if (!ccx) return void vscode.window.showErrorMessage('FLARE: CalculiX (ccx) was not found. Install it (Debian/Ubuntu: calculix-ccx) or set flare.solver.ccxPath.', 'Open Settings').then((a) => { if (a) void vscode.commands.executeCommand('workbench.action.openSettings', 'flare.solver.ccxPath'); });
      try {
        const rec = await needPrediction(t);
        const solved = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `FLARE: solving ${path.basename(t.path)} with CalculiX`, cancellable: true }, async (progress, token) => {
          const ctrl = new AbortController();
          const sub = token.onCancellationRequested(() => ctrl.abort());
          try {
            return await runCcx(t.fsPath, { ccx, signal: ctrl.signal, onOutput: (line) => { if (/STEP|increment|solver/i.test(line)) progress.report({ message: line.trim().slice(0, 80) }); } });
          } finally {
            sub.dispose();
          }
        });
        if (!solved.ok || !solved.frd) {
          if (solved.errors[0] === 'cancelled') return undefined;
          throw new Error(`ccx failed: ${solved.errors.slice(0, 3).join('; ')}`);
        }
        const r = readMesh(solved.frd, `${t.fsPath.replace(/\.inp$/i, '')}.frd`, { checks: false });
        if (!r.mesh) throw new Error('the solver result could not be read');
        const s = await compare(t, rec, r.mesh, 'CalculiX');
        const predMs = rec.prediction.ms + rec.prediction.featureMs;
        log.info(`ccx ${solved.wallMs.toFixed(0)} ms vs FLARE ${predMs.toFixed(0)} ms: ${(solved.wallMs / predMs).toFixed(1)}x`);
        return s ? { ...s, ccxMs: solved.wallMs, flareMs: predMs } : undefined;
      } catch (e) {
        report(e, 'verification');
        return undefined;
      }
    }),

    vscode.commands.registerCommand('flare.selectModel', async () => {
      const items: (vscode.QuickPickItem & { value: string })[] = [
        { label: 'auto', description: 'bracket3d for solid meshes, plate2d for plane meshes', value: 'auto' },
        ...BUILTIN_MODELS.map((m) => ({ label: m, description: 'built-in', value: m })),
      ];
      if (vscode.workspace.isTrusted) {
        for (const f of await vscode.workspace.findFiles('**/*.onnx', '**/node_modules/**', 50)) items.push({ label: vscode.workspace.asRelativePath(f), description: 'workspace model', value: vscode.workspace.asRelativePath(f, false) });
      }
      const pick = await vscode.window.showQuickPick(items, { title: 'FLARE model', placeHolder: `current: ${readSettings().model}` });
      if (!pick) return undefined;
      await vscode.workspace.getConfiguration('flare').update('model', pick.value, vscode.ConfigurationTarget.Workspace);
      return pick.value;
    }),

    vscode.commands.registerCommand('flare.showModelCard', async (name?: string) => {
      try {
        const t = commandTarget();
        const mesh = t ? service.last(t)?.mesh : undefined;
        const model = await service.resolveModel(typeof name === 'string' ? name : readSettings().model, mesh);
        const page = cardPage(model);
        showModelCardPage(page.content, page.state);
        return page.content.card?.name;
      } catch (e) {
        report(e, 'model card');
        return undefined;
      }
    }),
  );
}
