// The line probe: a field sampled along the segment between two picked points, and its plot (value
// over distance) drawn with Canvas 2D in the pane, so an engineer reads a stress profile across a
// ligament. Samples take the value of the nearest drawn mesh point (exact at nodes, stepwise between).
import { formatNumber } from './fieldMath';
import { niceTicks, tickLabels } from './scalarBar';

export interface Profile {
  /** Distance from the first point, per sample. */
  readonly distance: Float64Array;
  readonly value: Float64Array;
  /** Mesh point each sample took its value from. */
  readonly point: Int32Array;
}

/**
 * `n` samples from a to b; each takes `perPoint` of the nearest of `points` (xyz) to it. Points far
 * from the segment (further than `maxGap`) give NaN: the line left the part.
 */
export function sampleLine(a: readonly number[], b: readonly number[], n: number, points: ArrayLike<number>, perPoint: ArrayLike<number>, maxGap = Infinity): Profile {
  const len = Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]);
  const distance = new Float64Array(n), value = new Float64Array(n), point = new Int32Array(n);
  const m = Math.floor(points.length / 3);
  for (let s = 0; s < n; s++) {
    const t = n > 1 ? s / (n - 1) : 0;
    const q = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]), a[2] + t * (b[2] - a[2])];
    let best = -1, bestD = Infinity;
    for (let i = 0; i < m; i++) {
      const d = (points[i * 3] - q[0]) ** 2 + (points[i * 3 + 1] - q[1]) ** 2 + (points[i * 3 + 2] - q[2]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    distance[s] = t * len;
    point[s] = best;
    value[s] = best >= 0 && Math.sqrt(bestD) <= maxGap ? perPoint[best] : Number.NaN;
  }
  return { distance, value, point };
}

/** Plots the profile into `canvas` (its pixel size), with axes, round ticks and the axis titles. */
export function drawProfile(canvas: HTMLCanvasElement, p: Profile, yTitle: string, xTitle: string, fg: string, font: string, lineColor: string, scale = 1): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const left = 56 * scale, right = 10 * scale, top = 18 * scale, bottom = 30 * scale;
  const pw = w - left - right, ph = h - top - bottom;
  let lo = Infinity, hi = -Infinity;
  for (const v of p.value) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (lo === hi) { lo -= Math.abs(lo) * 0.05 || 1; hi += Math.abs(hi) * 0.05 || 1; }
  const len = p.distance[p.distance.length - 1] || 1;
  const X = (d: number) => left + (d / len) * pw, Y = (v: number) => top + ph - ((v - lo) / (hi - lo)) * ph;
  ctx.save();
  ctx.font = `${11 * scale}px ${font}`;
  ctx.fillStyle = fg;
  ctx.strokeStyle = fg;
  ctx.globalAlpha = 0.6;
  ctx.lineWidth = scale;
  ctx.strokeRect(left, top, pw, ph);
  ctx.globalAlpha = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  const yt = niceTicks(lo, hi, 4), yl = tickLabels(yt);
  yt.forEach((v, i) => ctx.fillText(yl[i], left - 4 * scale, Y(v)));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xt = niceTicks(0, len, 5), xl = tickLabels(xt);
  xt.forEach((v, i) => ctx.fillText(xl[i], X(v), top + ph + 3 * scale));
  ctx.fillText(xTitle, left + pw / 2, top + ph + 15 * scale);
  ctx.textAlign = 'left';
  ctx.fillText(yTitle, left, 2 * scale);
  ctx.textAlign = 'right';
  ctx.fillText(`min ${formatNumber(lo)} · max ${formatNumber(hi)}`, left + pw, 2 * scale);
  ctx.strokeStyle = lineColor;
  ctx.lineWidth = 2 * scale;
  ctx.beginPath();
  let pen = false;
  for (let i = 0; i < p.value.length; i++) {
    const v = p.value[i];
    if (!Number.isFinite(v)) { pen = false; continue; }
    if (pen) ctx.lineTo(X(p.distance[i]), Y(v));
    else ctx.moveTo(X(p.distance[i]), Y(v));
    pen = true;
  }
  ctx.stroke();
  ctx.restore();
}
