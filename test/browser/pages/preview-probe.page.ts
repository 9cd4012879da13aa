// Line probe and signed fields in the real preview UI, on a flat plate with T = 50 x.
import { report } from '../page';
import { PreviewApp } from '../../../webview/preview/previewApp';
import { plate, previewShell } from './preview-fixtures';

report(async () => {
  await previewShell();
  const root = document.getElementById('app')!;
  root.style.width = '900px';
  const app = new PreviewApp(root, { getState: () => undefined, setState: () => {}, saveImage: () => {}, log: () => {} });
  const s = plate(21, 11, 2, 1);
  app.init('plate.vtu', 1000, 'vtu');
  app.surface({ ...s, parseMs: 1 });
  const n = s.volumePoints;
  app.field({ name: 'T', components: 1, values: new Float32Array(n).map((_, i) => 50 * s.points[i * 3]), unit: 'K', association: 'point', source: 'file' }, false);
  app.progressUpdate('done', 1);
  const ok = app.probeLine([0.2, 0.5, 0], [1.8, 0.5, 0]);
  const panel = document.querySelector('.profile') as HTMLElement;
  const canvas = panel.querySelector('canvas') as HTMLCanvasElement;
  const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) drawn++;
  // A signed field: the map is centred on 0 with a symmetric range.
  app.field({ name: 'dz', components: 1, values: new Float32Array(n).map((_, i) => 13 * s.points[i * 3] / 2 - 3), unit: 'mm', association: 'point', source: 'prediction' }, true);
  return { ok, hidden: panel.hidden, profile: app.lastProfile, drawn: drawn / (d.length / 4), signedRange: app.view.getColoring()?.range, parallel: app.view.getSettings().parallel };
});
