// Small meshes for the preview's browser tests and benchmark, built directly as surfaces.
import type { SurfaceData } from '../../../webview/preview/meshView';

/** The preview's page shell as the webview has it: its stylesheet (loaded) and the #app root. */
export async function previewShell(): Promise<void> {
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = '/media/webview.css';
  document.head.append(css);
  await new Promise((r) => css.addEventListener('load', r));
  document.body.innerHTML = '<div id="app"></div>';
}

/** A flat nx × ny grid of points on [0, w] × [0, h] at z = 0, two triangles per square. */
export function plate(nx: number, ny: number, w = 2, h = 1): SurfaceData {
  const n = nx * ny;
  const points = new Float32Array(n * 3);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    const k = j * nx + i;
    points[k * 3] = (w * i) / (nx - 1);
    points[k * 3 + 1] = (h * j) / (ny - 1);
  }
  const tris = new Uint32Array((nx - 1) * (ny - 1) * 6);
  let t = 0;
  for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx - 1; i++) {
    const a = j * nx + i, b = a + 1, c = a + nx, d = c + 1;
    tris.set([a, b, d, a, d, c], t);
    t += 6;
  }
  const nt = tris.length / 3;
  return {
    points, triangles: tris, nodeMap: Uint32Array.from({ length: n }, (_, i) => i), triangleCell: Uint32Array.from({ length: nt }, (_, i) => Math.floor(i / 2)),
    nodeIds: Int32Array.from({ length: n }, (_, i) => i + 1), volumePoints: n, cells: nt / 2,
  };
}

/** A closed sphere-like surface (UV sphere) with about `target` points, for benchmarks. */
export function sphere(target: number): SurfaceData {
  const rings = Math.max(4, Math.round(Math.sqrt(target / 2)));
  const segs = rings * 2;
  const n = (rings + 1) * segs;
  const points = new Float32Array(n * 3);
  for (let r = 0; r <= rings; r++) for (let s = 0; s < segs; s++) {
    const th = (Math.PI * r) / rings, ph = (2 * Math.PI * s) / segs, k = (r * segs + s) * 3;
    points[k] = Math.sin(th) * Math.cos(ph);
    points[k + 1] = Math.sin(th) * Math.sin(ph);
    points[k + 2] = Math.cos(th);
  }
  const tris = new Uint32Array(rings * segs * 6);
  let t = 0;
  for (let r = 0; r < rings; r++) for (let s = 0; s < segs; s++) {
    const a = r * segs + s, b = r * segs + ((s + 1) % segs), c = a + segs, d = b + segs;
    tris.set([a, c, d, a, d, b], t);
    t += 6;
  }
  const nt = tris.length / 3;
  return { points, triangles: tris, nodeMap: Uint32Array.from({ length: n }, (_, i) => i), triangleCell: Uint32Array.from({ length: nt }, (_, i) => i), volumePoints: n, cells: nt };
}
