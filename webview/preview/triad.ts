// The orientation triad: the world X, Y and Z axes as the camera sees them, drawn in the 2D overlay
// (bottom-left) so it is on screen and in saved PNGs alike. Colours as ParaView's orientation axes.
export interface CameraPose {
  readonly position: readonly number[];
  readonly focalPoint: readonly number[];
  readonly viewUp: readonly number[];
}

export const TRIAD_COLORS = ['#e8413c', '#e5c63a', '#3fb950'] as const; // X red, Y yellow, Z green

/** Screen directions (x right, y up) and depth (towards the viewer > 0) of the world axes. */
export function triadAxes(cam: CameraPose): { x: number; y: number; depth: number }[] {
  const d = [0, 1, 2].map((k) => cam.focalPoint[k] - cam.position[k]);
  const dl = Math.hypot(d[0], d[1], d[2]) || 1;
  const dop = d.map((v) => v / dl);
  const up = cam.viewUp;
  let right = [dop[1] * up[2] - dop[2] * up[1], dop[2] * up[0] - dop[0] * up[2], dop[0] * up[1] - dop[1] * up[0]];
  const rl = Math.hypot(right[0], right[1], right[2]) || 1;
  right = right.map((v) => v / rl);
  const u = [right[1] * dop[2] - right[2] * dop[1], right[2] * dop[0] - right[0] * dop[2], right[0] * dop[1] - right[1] * dop[0]];
  return [0, 1, 2].map((k) => ({ x: right[k], y: u[k], depth: -dop[k] }));
}

/** Draws the triad centred at (cx, cy) with axes `len` long (context units). */
export function drawTriad(ctx: CanvasRenderingContext2D, cam: CameraPose, cx: number, cy: number, len: number, scale: number, font: string): void {
  const axes = triadAxes(cam).map((a, k) => ({ ...a, k }));
  ctx.save();
  ctx.lineCap = 'round';
  ctx.font = `600 ${12 * scale}px ${font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  // Far axes first, so the ones pointing at the viewer are drawn over them.
  for (const a of axes.sort((p, q) => p.depth - q.depth)) {
    const ex = cx + a.x * len, ey = cy - a.y * len;
    ctx.strokeStyle = TRIAD_COLORS[a.k];
    ctx.fillStyle = TRIAD_COLORS[a.k];
    ctx.lineWidth = 3 * scale;
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(ex, ey);
    ctx.stroke();
    const lx = cx + a.x * (len + 9 * scale), ly = cy - a.y * (len + 9 * scale);
    ctx.fillText('XYZ'[a.k], lx, ly);
  }
  ctx.restore();
}
