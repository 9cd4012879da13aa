import * as vscode from 'vscode';
import { MESH_EXTENSIONS } from './settings';
import type { MeshDiagnosticsService } from './meshDiagnostics';

// A file refused for flare.limits.maxFileSizeMB / maxPoints offers to raise the limit: a quick fix on
// the diagnostic, a button on the preview's and the prediction's error. Both run `flare.raiseLimit`,
// which updates the setting and re-checks the file.

export type LimitSetting = 'maxFileSizeMB' | 'maxPoints';

export interface RaiseLimitArgs {
  readonly uri: vscode.Uri;
  readonly setting: LimitSetting;
  readonly value: number;
}

const MIB = 1024 * 1024;

/** The diagnostic codes of refused files (meshDiagnostics.ts and the mesh readers' maxPoints check). */
export const LIMIT_CODES: Readonly<Record<string, LimitSetting>> = { 'file-too-large': 'maxFileSizeMB', 'too-many-points': 'maxPoints' };

/** Rounds up to a value a person would type: whole MB, two significant digits for point counts. */
export function niceCeil(x: number): number {
  if (x <= 10) return Math.max(1, Math.ceil(x));
  const step = 10 ** (Math.floor(Math.log10(x)) - 1);
  return Math.ceil(x / step) * step;
}

/** Which limit a refusal message names and the value that would let the file through; undefined for other errors. */
export async function limitNeeded(message: string, uri: vscode.Uri): Promise<RaiseLimitArgs | undefined> {
  const points = /mesh has (\d+) points, more than the limit of/.exec(message);
  if (points) return { uri, setting: 'maxPoints', value: niceCeil(Number(points[1])) };
  if (/flare\.limits\.maxFileSizeMB/.test(message)) {
    const { size } = await vscode.workspace.fs.stat(uri);
    // An included file or piece names its own size (to 0.1 MB): allow for that rounding.
    const named = /is (\d+(?:\.\d+)?) MB, above/.exec(message);
    return { uri, setting: 'maxFileSizeMB', value: niceCeil(Math.max(size / MIB, named ? Number(named[1]) + 0.05 : 0)) };
  }
  return undefined;
}

const unit = (s: LimitSetting) => (s === 'maxFileSizeMB' ? ' MB' : ' points');
export const raiseTitle = (a: RaiseLimitArgs) => `Raise flare.limits.${a.setting} to ${a.value.toLocaleString('en-US')}${unit(a.setting)}`;

/**
 * For an error of the preview or of a command on `uri`: when it is a limit refusal, shows it with a
 * button that raises the limit and returns true (the caller shows nothing else); otherwise false.
 */
export function offerRaiseLimit(e: unknown, uri: vscode.Uri, log: vscode.LogOutputChannel): boolean {
  const message = e instanceof Error ? e.message : String(e);
  if (!/flare\.limits\.maxFileSizeMB|more than the limit of \d+/.test(message)) return false;
  log.warn(`${vscode.workspace.asRelativePath(uri)}: ${message}`);
  void limitNeeded(message, uri).then(async (args) => {
    if (!args) return;
    const pick = await vscode.window.showErrorMessage(`FLARE: ${message}`, raiseTitle(args));
    if (pick) await vscode.commands.executeCommand('flare.raiseLimit', args.uri, args.setting, args.value);
  }, (err: unknown) => log.error(`limit check of ${uri.toString()}: ${String(err)}`));
  return true;
}

/** Quick fix on a limit diagnostic: raise the setting to what this file needs. */
export class RaiseLimitActions implements vscode.CodeActionProvider {
  static readonly selector: vscode.DocumentSelector = { pattern: `**/*.{${MESH_EXTENSIONS.join(',')}}` };
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  async provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const out: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== 'FLARE' || typeof d.code !== 'string' || !(d.code in LIMIT_CODES)) continue;
      const args = await limitNeeded(d.message, document.uri);
      if (!args) continue;
      const action = new vscode.CodeAction(raiseTitle(args), vscode.CodeActionKind.QuickFix);
      action.diagnostics = [d];
      action.isPreferred = true;
      action.command = { command: 'flare.raiseLimit', title: action.title, arguments: [args.uri, args.setting, args.value] };
      out.push(action);
    }
    return out;
  }
}

/**
 * Where to write a limit: the workspace settings when a folder is open (the limits are window-scoped,
 * so not per folder; a user-level value stays as is elsewhere), else the user settings.
 */
function targetFor(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** `flare.raiseLimit(uri, setting, value)`: internal (arguments required), hidden from the palette. */
export function registerLimitActions(context: vscode.ExtensionContext, diagnostics: MeshDiagnosticsService, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(RaiseLimitActions.selector, new RaiseLimitActions(), RaiseLimitActions.metadata),
    vscode.commands.registerCommand('flare.raiseLimit', async (uri?: unknown, setting?: unknown, value?: unknown) => {
      if (!(uri instanceof vscode.Uri) || (setting !== 'maxFileSizeMB' && setting !== 'maxPoints') || typeof value !== 'number' || !Number.isFinite(value) || value < 1) {
        log.warn(`flare.raiseLimit: ignored bad arguments ${JSON.stringify([String(uri), setting, value])}`);
        return undefined;
      }
      const target = targetFor();
      await vscode.workspace.getConfiguration('flare').update(`limits.${setting}`, value, target);
      log.info(`flare.limits.${setting} raised to ${value} (${vscode.ConfigurationTarget[target]} settings) for ${vscode.workspace.asRelativePath(uri)}`);
      const r = await diagnostics.parse(uri);
      return { setting, value, target: vscode.ConfigurationTarget[target], refused: r.diagnostics.some((d) => d.code in LIMIT_CODES) };
    }),
  );
}
