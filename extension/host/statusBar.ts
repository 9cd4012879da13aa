import * as vscode from 'vscode';

/** One status bar entry: the active model, where it runs, and the last prediction's time. */
export class FlareStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('flare.status', vscode.StatusBarAlignment.Right, 100);

  constructor() {
    this.item.name = 'FLARE';
    this.item.command = 'flare.showRuntimeInfo';
    this.show('idle');
  }

  show(state: 'idle' | 'busy' | 'done' | 'error', detail?: { model?: string; backend?: string; ms?: number; message?: string }): void {
    const icon = { idle: '$(pulse)', busy: '$(sync~spin)', done: '$(check)', error: '$(error)' }[state];
    const parts = ['FLARE', detail?.model, detail?.backend, detail?.ms !== undefined ? `${detail.ms < 1000 ? detail.ms.toFixed(0) + ' ms' : (detail.ms / 1000).toFixed(2) + ' s'}` : undefined].filter(Boolean);
    this.item.text = `${icon} ${parts.join(' · ')}`;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**FLARE** ${state === 'busy' ? 'predicting…' : ''}\n\n`);
    if (detail?.model) tip.appendMarkdown(`- model: \`${detail.model}\`\n`);
    if (detail?.backend) tip.appendMarkdown(`- runs on: ${detail.backend}\n`);
    if (detail?.ms !== undefined) tip.appendMarkdown(`- last prediction: ${detail.ms.toFixed(0)} ms\n`);
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
