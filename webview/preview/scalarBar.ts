// The scalar bar (colour legend): drawn with Canvas 2D so its text uses the theme's font and colour on
// screen, and the same drawing is composited into saved screenshots. Fixed width: the field name on
// the first line, component and unit on the second (never cut: the name shortens first), and "nice"
// tick values (1, 2, 5 × 10ⁿ) with one number format for all labels.
import { formatNumber } from './fieldMath';

export interface ScalarBarSpec {
  /** Full title (name, component, unit) for tests and tooltips. */
  readonly title: string;
  readonly name: string;
  /** Component and unit, e.g. "Z [mm]" or "von Mises [MPa]"; '' when neither. */
  readonly subtitle: string;
  readonly range: readonly [number, number];
  /** RGB bytes, low to high, sampled evenly over the range. */
  readonly colors: Uint8Array;
  /** 0 for a continuous map, else the number of discrete bands (tick at every band edge when few). */
  readonly bands: number;
  readonly foreground: string;
  readonly font: string;
}

/** Width in CSS pixels the legend takes at the right edge of the view (fixed, whatever the numbers). */
export const SCALAR_BAR_WIDTH = 132;

/** About `target` tick values at 1, 2, 5 × 10ⁿ steps inside [lo, hi], always including both ends' neighbourhood. */
export function niceTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / Math.max(1, target - 1);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * mag;
  const out: number[] = [];
  const eps = step * 1e-6;
  for (let v = Math.ceil((lo - eps) / step) * step; v <= hi + eps; v += step) out.push(Math.abs(v) < eps ? 0 : Number(v.toPrecision(12)));
  return out;
}

/** Labels for ticks in one format: fixed decimals enough to tell them apart, or exponents for huge/tiny values. */
export function tickLabels(ticks: readonly number[]): string[] {
  const big = Math.max(...ticks.map(Math.abs));
  if (big !== 0 && (big >= 1e5 || big < 1e-3)) return ticks.map((v) => (v === 0 ? '0' : v.toExponential(1)));
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : big || 1;
  const decimals = Math.min(6, Math.max(0, -Math.floor(Math.log10(step) + 1e-9)));
  return ticks.map((v) => (decimals === 0 ? String(Math.round(v)) : v.toFixed(decimals)).replace(/^-0(\.0+)?$/, '0'));
}

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
  ctx.font = `600 ${fontPx}px ${spec.font}`;
  const lines = wrapText(ctx, spec.name, w, 2);
  lines.forEach((line, i) => ctx.fillText(line, x, y + fontPx * 1.3 * i));
  ctx.font = `${fontPx}px ${spec.font}`;
  if (spec.subtitle) ctx.fillText(fitText(ctx, spec.subtitle, w), x, y + fontPx * 1.3 * lines.length);
  const barX = x;
  const barW = 18 * scale;
  const barY = y + fontPx * (1.3 * (lines.length + (spec.subtitle ? 1 : 0)) + 0.6);
  const barH = Math.max(10, h - (barY - y) - fontPx);
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
  const ticks = spec.bands > 0 && spec.bands <= 10
    ? Array.from({ length: spec.bands + 1 }, (_, k) => lo + ((hi - lo) * k) / spec.bands)
    : niceTicks(lo, hi, Math.max(2, Math.min(7, Math.floor(barH / (fontPx * 2.5)))));
  // Band edges are not round numbers; 0 computed as 1e-17 still reads 0.
  const span = Math.abs(hi - lo);
  const labels = spec.bands > 0 && spec.bands <= 10 ? ticks.map((v) => formatNumber(Math.abs(v) < 1e-9 * span ? 0 : v)) : tickLabels(ticks);
  ctx.fillStyle = spec.foreground;
  ctx.textBaseline = 'middle';
  ticks.forEach((v, k) => {
    const ty = barY + barH - (barH * (v - lo)) / (hi - lo || 1);
    ctx.fillRect(barX + barW, ty - scale / 2, 4 * scale, scale);
    ctx.fillText(fitText(ctx, labels[k], w - barW - 6 * scale), barX + barW + 6 * scale, ty);
  });
  ctx.restore();
}

/** Up to `max` lines of at most `width`, broken at spaces; the last line shortened with … if needed. */
function wrapText(ctx: CanvasRenderingContext2D, text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest && lines.length < max - 1 && ctx.measureText(rest).width > width) {
    const words = rest.split(' ');
    let k = words.length - 1;
    while (k > 0 && ctx.measureText(words.slice(0, k).join(' ')).width > width) k--;
    if (k === 0) break;
    lines.push(words.slice(0, k).join(' '));
    rest = words.slice(k).join(' ');
  }
  lines.push(fitText(ctx, rest, width));
  return lines;
}

function fitText(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}
