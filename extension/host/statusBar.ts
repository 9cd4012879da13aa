import * as vscode from 'vscode';

/** Where a prediction ran: in the file's preview webview, or headless in the extension host's Node. */
export type RunLocation = 'preview' | 'Node';

export interface StatusDetail {
  readonly model?: string;
  /** Back end as people say it: 'WebGPU', 'wasm', 'CPU', 'FLARE engine'. */
  readonly backend?: string;
  readonly where?: RunLocation;
  readonly adapter?: string;
  readonly ms?: number;
  readonly message?: string;
}

const BACKEND_LABELS: Record<string, string> = { webgpu: 'WebGPU', wasm: 'wasm', 'node-cpu': 'CPU', engine: 'FLARE engine' };

/** 'webgpu' → 'WebGPU' and so on; unknown names pass through. */
export function backendLabel(name: string): string {
  return BACKEND_LABELS[name] ?? name;
}

/** One status bar entry: the active model, its back end and where it ran, and the last prediction's time. */
export class FlareStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('flare.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'FLARE';
    this.item.command = 'flare.showRuntimeInfo';
    this.show('idle');
  }

  /** The entry's text without its icon, e.g. "FLARE: bracket3d-elasticity · WebGPU (preview) · 212 ms". */
  get text(): string {
    return this.item.text.replace(/^\$\([^)]*\)\s*/, '');
  }

  show(state: 'idle' | 'busy' | 'done' | 'error', detail?: StatusDetail): void {
    const icon = { idle: '$(pulse)', busy: '$(sync~spin)', done: '$(check)', error: '$(error)' }[state];
    const ms = detail?.ms !== undefined ? (detail.ms < 1000 ? `${detail.ms.toFixed(0)} ms` : `${(detail.ms / 1000).toFixed(2)} s`) : undefined;
    const runsOn = detail?.backend ? `${detail.backend}${detail.where ? ` (${detail.where})` : ''}` : undefined;
    const parts = [detail?.model, runsOn, ms].filter(Boolean);
    this.item.text = `${icon} FLARE${parts.length ? `: ${parts.join(' · ')}` : ''}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**FLARE** ${state === 'busy' ? 'predicting…' : ''}\n\n`);
    if (detail?.model) tip.appendMarkdown(`- model: \`${detail.model}\`\n`);
    if (detail?.backend) tip.appendMarkdown(`- back end: ${detail.backend}${detail.adapter ? ` (${detail.adapter})` : ''}\n`);
    if (detail?.where) tip.appendMarkdown(`- runs in: ${detail.where === 'preview' ? 'the preview webview' : 'the extension host (Node, no preview open)'}\n`);
    if (ms) tip.appendMarkdown(`- last prediction: ${ms}\n`);
    if (detail?.message) tip.appendMarkdown(`\n${detail.message}\n`);
    tip.appendMarkdown('\nClick for runtime info.');
    this.item.tooltip = tip;
    this.item.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
