// The scalar bar (colour legend): drawn with Canvas 2D so its text uses the theme's font and colour on
// screen, and the same drawing is composited into saved screenshots.
import { formatNumber } from './fieldMath';

export interface ScalarBarSpec {
  readonly title: string;
  readonly range: readonly [number, number];
  /** RGB bytes, low to high, sampled evenly over the range. */
  readonly colors: Uint8Array;
  /** 0 for a continuous map, else the number of discrete bands (tick at every band edge when few). */
  readonly bands: number;
  readonly foreground: string;
  readonly font: string;
}

/** Width in CSS pixels the legend needs at the right edge of the view. */
export const SCALAR_BAR_WIDTH = 110;

/**
 * Draws the legend in the box (x, y, w, h) in the context's current units: a vertical bar, high
 * values on top, the title above it and tick labels to its right.
 */
export function drawScalarBar(ctx: CanvasRenderingContext2D, spec: ScalarBarSpec, x: number, y: number, w: number, h: number, scale = 1): void {
  const fontPx = 12 * scale;
  ctx.save();
  ctx.font = `${fontPx}px ${spec.font}`;
  ctx.fillStyle = spec.foreground;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  const title = fitText(ctx, spec.title, w);
  ctx.fillText(title, x, y);
  const barX = x;
  const barW = 18 * scale;
  const barY = y + fontPx * 1.8;
  const barH = Math.max(10, h - fontPx * 3);
  const n = spec.colors.length / 3;
  const rows = Math.max(1, Math.round(barH));
  for (let r = 0; r < rows; r++) {
    const t = 1 - (r + 0.5) / rows; // top row = high value
    const i = Math.min(n - 1, Math.floor(t * n));
    ctx.fillStyle = `rgb(${spec.colors[i * 3]},${spec.colors[i * 3 + 1]},${spec.colors[i * 3 + 2]})`;
    ctx.fillRect(barX, barY + (r * barH) / rows, barW, barH / rows + 0.5);
  }
  ctx.strokeStyle = spec.foreground;
  ctx.lineWidth = scale;
  ctx.strokeRect(barX, barY, barW, barH);
  const [lo, hi] = spec.range;
  const ticks = spec.bands > 0 && spec.bands <= 10 ? spec.bands : 4;
  ctx.fillStyle = spec.foreground;
  ctx.textBaseline = 'middle';
  for (let k = 0; k <= ticks; k++) {
    const v = lo + ((hi - lo) * k) / ticks;
    const ty = barY + barH - (barH * k) / ticks;
    ctx.fillRect(barX + barW, ty - scale / 2, 4 * scale, scale);
    ctx.fillText(formatNumber(v), barX + barW + 6 * scale, ty);
  }
  ctx.restore();
}

function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
