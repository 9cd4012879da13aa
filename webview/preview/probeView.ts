// The line probe in the UI: the toolbar button arms it, two clicks on the part set the segment, and
// the plot of the coloured field along it opens in a panel at the bottom of the view.
import type { MeshView } from './meshView';
import { drawProfile } from './probe';
import { formatNumber } from './fieldMath';
import { el } from './toolbar';

export class LineProbe {
  /** Off, waiting for the first point, or for the second (the first is kept). */
  private state: 'off' | 'first' | { from: [number, number, number] } = 'off';
  private readonly panel: HTMLElement;
  /** The last plot's data, for the capture state and tests. */
  last?: { title: string; distance: number[]; value: number[] };

  /** `status('')` restores the file's status line. */
  constructor(private readonly view: MeshView, stage: HTMLElement, private readonly button: HTMLElement, private readonly status: (text: string, isError?: boolean) => void) {
    this.panel = el('div', { class: 'profile', hidden: '' });
    stage.append(this.panel);
    button.addEventListener('click', () => {
      this.state = this.state === 'off' ? 'first' : 'off';
      button.toggleAttribute('secondary', this.state === 'off');
      this.status(this.state === 'off' ? '' : 'Line probe: click the first point on the part');
    });
  }

  get active(): boolean {
    return this.state !== 'off';
  }

  /** A picked point while armed: the first sets the start, the second plots. */
  point(at: readonly number[]): void {
    if (this.state === 'first') {
      this.state = { from: [at[0], at[1], at[2]] };
      this.view.setMarker(at);
      this.status('Line probe: click the second point');
      return;
    }
    if (this.state === 'off') return;
    const from = this.state.from;
    this.state = 'off';
    this.button.toggleAttribute('secondary', true);
    this.plot(from, at);
  }

  /** Plots the coloured field from a to b (false when there is no point field to plot). */
  plot(a: readonly number[], b: readonly number[]): boolean {
    const r = this.view.probeLine(a, b);
    this.panel.hidden = !r;
    if (!r) {
      this.status('Line probe: colour by a point field first', true);
      return false;
    }
    const dpr = window.devicePixelRatio || 1;
    const canvas = el('canvas', { class: 'profile-plot', role: 'img', 'aria-label': `${r.title} along the probe line` });
    const close = el('vscode-button', { secondary: '', 'aria-label': 'Close line probe' }, '×');
    close.addEventListener('click', () => (this.panel.hidden = true));
    this.panel.replaceChildren(close, canvas);
    const stageWidth = this.panel.parentElement?.clientWidth ?? 600;
    const w = Math.max(200, stageWidth - 180), h = 160;
    canvas.width = w * dpr;
    canvas.height = h * dpr;
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const len = r.profile.distance[r.profile.distance.length - 1];
    const line = getComputedStyle(document.body).getPropertyValue('--vscode-charts-blue').trim() || '#3794ff';
    drawProfile(canvas, r.profile, r.title, `distance along the line (length ${formatNumber(len)})`, this.view.theme.foreground, this.view.theme.font, line, dpr);
    this.last = { title: r.title, distance: Array.from(r.profile.distance), value: Array.from(r.profile.value) };
    this.status(`Line probe from (${a.map(formatNumber).join(', ')}) to (${b.map(formatNumber).join(', ')})`);
    return true;
  }
}
