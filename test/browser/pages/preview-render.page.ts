// Renders known surfaces with the real MeshView (vtk.js on WebGL/SwiftShader) and reads back pixels.
import { report } from '../page';
import { MeshView, type ViewTheme } from '../../../webview/preview/meshView';
import { plate } from './preview-fixtures';

const theme: ViewTheme = { background: [0.1, 0.1, 0.1], foreground: '#ffffff', surface: [0.8, 0.8, 0.8], edges: [0, 0, 0], font: 'sans-serif' };

function pixel(canvas: HTMLCanvasElement, x: number, y: number): number[] {
  const ctx = canvas.getContext('2d')!;
  const dpr = window.devicePixelRatio || 1;
  return Array.from(ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3));
}

report(async () => {
  // A CSP like the webview's (no 'unsafe-eval'): vtk.js must render under it.
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "script-src 'self' 'wasm-unsafe-eval'";
  document.head.append(meta);
  let evalBlocked = false;
  try {
    new Function('return 1')();
  } catch {
    evalBlocked = true;
  }
  document.body.style.margin = '0';
  const box = document.createElement('div');
  box.style.cssText = 'position:fixed;left:0;top:0;width:400px;height:300px';
  document.body.append(box);
  const view = new MeshView(box, theme);
  const surface = plate(21, 11, 2, 1);
  view.setSurface(surface);
  const temp = new Float32Array(surface.volumePoints);
  for (let i = 0; i < temp.length; i++) temp[i] = surface.points[i * 3] * 50; // 0 .. 100 along x
  const disp = new Float32Array(surface.volumePoints * 3);
  for (let i = 0; i < surface.volumePoints; i++) disp[i * 3 + 1] = 0.5; // rigid shift up by 0.5
  view.setField({ name: 'T', components: 1, values: temp, unit: 'K', association: 'point', source: 'file' });
  view.setField({ name: 'U', components: 3, values: disp, unit: 'mm', association: 'point', source: 'prediction' });
  view.set({ colorBy: 'T', parallel: true, preset: 'Cool to Warm' });
  view.view('-z'); // looking down -z: +x to the right, +y up
  const at = (x: number, y: number) => view.worldToCanvas([x, y, 0]);
  const sample = (x: number, y: number) => pixel(view.captureCanvas(), ...at(x, y));
  const out: Record<string, unknown> = { evalBlocked };
  out.hot = sample(1.95, 0.5);
  out.cold = sample(0.05, 0.5);
  out.mid40 = sample(0.8, 0.5);
  out.corner = pixel(view.captureCanvas(), 2, 2);
  out.coloring = view.getColoring();
  const [px, py] = at(2, 1);
  const pick = view.pick(px, py);
  out.pick = pick;
  view.set({ bands: 2 });
  out.banded40 = sample(0.8, 0.5);
  view.set({ bands: 0, preset: 'Grayscale' });
  out.grayHot = sample(1.95, 0.5);
  view.set({ preset: 'Cool to Warm', clip: { enabled: true, axis: 0, position: 0.5, invert: false } });
  out.clipKept = sample(0.5, 0.5);
  out.clipGone = sample(1.25, 0.5); // left of the legend, which covers the right edge of the 400 px box
  out.clipBackground = pixel(view.captureCanvas(), 2, 2);
  view.set({ clip: { enabled: false, axis: 0, position: 0.5, invert: false } });
  const below = at(1, -0.05); // just under the plate, before deformation the background
  out.beforeDeform = pixel(view.captureCanvas(), ...below);
  view.set({ colorBy: '', deformBy: 'U', deformScale: 1 });
  out.deformedAbove = pixel(view.captureCanvas(), ...at(1, 1.3));
  view.set({ deformBy: '', representation: 'wireframe' });
  out.wireCenterSolid = sample(1.07, 0.53); // inside a square, off its edges: background in wireframe
  view.set({ representation: 'surface', colorBy: 'T', compare: 'off', lockRange: true, range: [0, 50] });
  out.lockedMid = sample(1.0, 0.5); // T = 50 = top of the locked range: hot
  out.png = view.capture().slice(0, 22);
  view.dispose();
  return out;
});
