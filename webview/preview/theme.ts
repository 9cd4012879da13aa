// The preview's look in VS Code: theme colours read from VS Code's CSS variables, and pixel counts
// of a captured frame (mesh, hot and cold ends of the map, the pick marker) for the capture state.
import { MARKER_COLOR, type ViewTheme } from './viewTypes';

/** Theme colours from VS Code's CSS variables (they change with the theme; see the body class observer). */
export function readTheme(): ViewTheme {
  const cs = getComputedStyle(document.body);
  const rgb = (css: string, fallback: [number, number, number]): [number, number, number] => {
    const probe = document.createElement('canvas').getContext('2d');
    if (!probe || !css.trim()) return fallback;
    probe.fillStyle = '#000';
    probe.fillStyle = css.trim();
    const m = /^#([0-9a-f]{6})$/i.exec(probe.fillStyle);
    if (!m) {
      const r = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(probe.fillStyle);
      return r ? [Number(r[1]) / 255, Number(r[2]) / 255, Number(r[3]) / 255] : fallback;
    }
    const n = parseInt(m[1], 16);
    return [(n >> 16) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
  };
  const background = rgb(cs.getPropertyValue('--vscode-editor-background'), [0.12, 0.12, 0.12]);
  const light = background[0] * 0.3 + background[1] * 0.59 + background[2] * 0.11 > 0.5;
  const hc = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  return {
    background,
    foreground: cs.getPropertyValue('--vscode-editor-foreground').trim() || (light ? '#333' : '#ccc'),
    surface: light ? [0.72, 0.74, 0.78] : [0.82, 0.83, 0.86],
    edges: hc ? (light ? [0, 0, 0] : [1, 1, 1]) : light ? [0.2, 0.2, 0.25] : [0.1, 0.1, 0.12],
    font: cs.getPropertyValue('--vscode-font-family').trim() || 'sans-serif',
  };
}

/** Share of pixels that differ from the background, of "hot" ones (red end of the map), "cold" ones, and the pick marker's. */
export function pixelStats(canvas: HTMLCanvasElement, bg: readonly number[]): { mesh: number; hot: number; cold: number; marker: number } {
  const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  const b = bg.map((v) => Math.round(v * 255));
  const [mr, , mb] = MARKER_COLOR.map((v) => v * 255);
  let mesh = 0, hot = 0, cold = 0, marker = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (Math.abs(d[i] - b[0]) + Math.abs(d[i + 1] - b[1]) + Math.abs(d[i + 2] - b[2]) > 24) mesh++;
    // By hue, not brightness: shading darkens faces seen at an angle.
    if (d[i] > 100 && d[i] > 2 * d[i + 1] && d[i] > 2 * d[i + 2]) hot++;
    if (d[i + 2] > 100 && d[i + 2] > 1.4 * d[i] && d[i + 2] > d[i + 1]) cold++;
    // The marker's hue at any shade: red and blue alike and well above green.
    if (d[i] > 0.5 * mr && d[i + 2] > 0.5 * mb && Math.abs(d[i] - d[i + 2]) < 40 && d[i + 1] < 0.35 * d[i]) marker++;
  }
  const n = d.length / 4;
  return { mesh: mesh / n, hot: hot / n, cold: cold / n, marker: marker / n };
}
