import * as vscode from 'vscode';

/** Where a prediction ran: in the file's preview webview, or headless in the extension host's Node. */
export type RunLocation = 'preview' | 'Node';

export type StatusState = 'idle' | 'busy' | 'done' | 'warning' | 'error';

export interface StatusDetail {
  readonly model?: string;
  /** Back end as people say it: 'WebGPU', 'wasm', 'CPU', 'FLARE engine'. */
  readonly backend?: string;
  readonly where?: RunLocation;
  readonly adapter?: string;
  readonly ms?: number;
  readonly message?: string;
  /** warning: the reason in a few words, shown in the text (the full reasons go in `reasons`). */
  readonly warning?: string;
  readonly reasons?: readonly string[];
  /** The file a warning or error is about: it clears when that file changes or goes away. */
  readonly uri?: vscode.Uri;
}

const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', wasm: 'wasm', 'node-cpu': 'CPU', engine: 'FLARE engine' };

/** 'webgpu' → 'WebGPU' and so on; unknown names pass through. */
export function backendLabel(name: string): string {
  return BACKEND_LABELS[name] ?? name;
}

const ICONS: Record<StatusState, string> = { idle: '$(pulse)', busy: '$(sync~spin)', done: '$(check)', warning: '$(warning)', error: '$(error)' };
const BACKGROUNDS: Partial<Record<StatusState, string>> = { warning: 'statusBarItem.warningBackground', error: 'statusBarItem.errorBackground' };

/**
 * One status bar entry: the active model, its back end and where it ran, the last prediction's time,
 * and its state. A prediction the model cannot vouch for is a warning (icon, background, reason in
 * the text), never a check mark. A warning or error clears when its file changes or is deleted.
 */
export class FlareStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('flare.status', vscode.StatusBarAlignment.Right, 100);
  private current: StatusState = 'idle';
  private cause: vscode.Uri | undefined;

  constructor() {
    this.item.name = 'FLARE';
    this.item.command = 'flare.showRuntimeInfo';
    this.show('idle');
  }

  /** The entry's text without its icon, e.g. "FLARE: bracket3d-elasticity · WebGPU (preview) · 212 ms". */
  get text(): string {
    return this.item.text.replace(/^\$\([^)]*\)\s*/, '');
  }

  get state(): StatusState {
    return this.current;
  }

  /** The theme colour id of the background ('statusBarItem.warningBackground', …), undefined for the default. */
  get background(): string | undefined {
    return this.item.backgroundColor instanceof vscode.ThemeColor ? this.item.backgroundColor.id : undefined;
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return t instanceof vscode.MarkdownString ? t.value : t ?? '';
  }

  show(state: StatusState, detail?: StatusDetail): void {
    this.current = state;
    this.cause = state === 'warning' || state === 'error' ? detail?.uri : undefined;
    const ms = detail?.ms !== undefined ? (detail.ms < 1000 ? `${detail.ms.toFixed(0)} ms` : `${(detail.ms / 1000).toFixed(2)} s`) : undefined;
    const runsOn = detail?.backend ? `${detail.backend}${detail.where ? ` (${detail.where})` : ''}` : undefined;
    const warning = state === 'warning' && detail?.warning ? `warning: ${detail.warning}` : undefined;
    const parts = [detail?.model, runsOn, ms, warning].filter(Boolean);
    this.item.text = `${ICONS[state]} FLARE${parts.length ? `: ${parts.join(' · ')}` : ''}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**FLARE** ${state === 'busy' ? 'predicting…' : ''}\n\n`);
    if (state === 'warning') {
      tip.appendMarkdown(`$(warning) **The model cannot vouch for this prediction**${detail?.warning ? `: ${detail.warning}` : ''}. It is shown, marked, in the preview; the findings are in Problems.\n\n`);
      for (const r of detail?.reasons ?? []) tip.appendMarkdown(`- ${r}\n`);
      tip.appendMarkdown('\n');
    }
    if (detail?.model) tip.appendMarkdown(`- model: \`${detail.model}\`\n`);
    if (detail?.backend) tip.appendMarkdown(`- back end: ${detail.backend}${detail.adapter ? ` (${detail.adapter})` : ''}\n`);
    if (detail?.where) tip.appendMarkdown(`- runs in: ${detail.where === 'preview' ? 'the preview webview' : 'the extension host (Node, no preview open)'}\n`);
    if (ms) tip.appendMarkdown(`- last prediction: ${ms}\n`);
    if (detail?.message) tip.appendMarkdown(`\n${detail.message}\n`);
    tip.appendMarkdown('\nClick for runtime info.');
    this.item.tooltip = tip;
    const bg = BACKGROUNDS[state];
    this.item.backgroundColor = bg ? new vscode.ThemeColor(bg) : undefined;
    this.item.show();
  }

  /**
   * The cause of a warning or error changed (its file was edited, saved, deleted, or its findings
   * cleared): the entry no longer claims it. Other states and other files' causes are left alone.
   */
  causeGone(uri: vscode.Uri | undefined, why: string): void {
    if (this.current !== 'warning' && this.current !== 'error') return;
    if (uri && this.cause && this.cause.toString() !== uri.toString()) return;
    this.show('idle', { message: why });
  }

  dispose(): void {
    this.item.dispose();
  }
}
