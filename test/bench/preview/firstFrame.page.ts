// Bench page: the preview UI (PreviewApp + MeshView) receives a parsed .vtu as the host sends it and
// draws the first coloured frame; then orbits synthetic surfaces of 10k/100k/1M points.
import { report } from '../../browser/page';
import { PreviewApp } from '../../../webview/preview/previewApp';
import { MeshView } from '../../../webview/preview/meshView';
import { previewShell, sphere } from '../../browser/pages/preview-fixtures';
import { readMesh } from '../../../extension/core/mesh/index';
import { previewPayload } from '../../../extension/host/previewPayload';

report(async () => {
  const out: Record<string, unknown> = { viewport: [innerWidth, innerHeight], dpr: devicePixelRatio };
  // 1. Time to the first coloured frame of a 100k-node .vtu: parse (same code the host runs), then the webview part.
  const t0 = performance.now();
  const bytes = new Uint8Array(await (await fetch('/files/block.vtu')).arrayBuffer());
  const t1 = performance.now();
  const r = readMesh(bytes, 'block.vtu', { checks: false });
  if (!r.mesh) throw new Error(JSON.stringify(r.diagnostics.slice(0, 3)));
  const payload = previewPayload(r.mesh, 0);
  const t2 = performance.now();
  // Messages cross from the host by structured clone; do the same copy here.
  const surface = structuredClone(payload.surface);
  const fields = payload.fields.map((f) => structuredClone(f));
  await previewShell();
  document.body.classList.add('preview-body');
  const t3 = performance.now();
  const app = new PreviewApp(document.getElementById('app')!, { getState: () => undefined, setState: () => {}, saveImage: () => {}, log: () => {} });
  app.init('block.vtu', bytes.byteLength, 'vtu');
  app.surface({ ...surface, parseMs: t2 - t1 });
  const tSurface = performance.now();
  for (const f of fields) app.field({ name: f.name, components: f.components, values: f.values, association: f.association ?? 'point', source: 'file' }, false);
  const t4 = performance.now();
  out.firstFrame = {
    nodes: surface.volumePoints, surfacePoints: surface.nodeMap.length, triangles: surface.triangles.length / 3, fileBytes: bytes.byteLength,
    fetchMs: t1 - t0, parseAndSurfaceMs: t2 - t1, uiSetupMs: tSurface - t3, firstSurfaceFrameMs: tSurface - t3, fieldsAndFirstColouredFrameMs: t4 - tSurface,
    parseToColouredFrameMs: t4 - t1 - (t3 - t2),
  };
  app.view.dispose();
  document.body.innerHTML = '';
  // 2. Orbit frame time at 10k / 100k / 1M surface points, coloured by a field, surface representation.
  const box = document.createElement('div');
  box.style.cssText = 'position:fixed;left:0;top:0;width:1000px;height:700px';
  document.body.append(box);
  const orbit: Record<string, unknown>[] = [];
  for (const n of [10_000, 100_000, 1_000_000]) {
    const s = sphere(n);
    const view = new MeshView(box, { background: [0.12, 0.12, 0.12], foreground: '#ccc', surface: [0.8, 0.8, 0.8], edges: [0, 0, 0], font: 'sans-serif' });
    const ta = performance.now();
    view.setSurface(s);
    view.setField({ name: 'z', components: 1, values: new Float32Array(s.volumePoints).map((_, i) => s.points[i * 3 + 2]), association: 'point', source: 'file' });
    view.set({ colorBy: 'z' });
    view.renderNow();
    view.timeOrbit(1); // the first frame uploads buffers and compiles shaders
    const firstMs = performance.now() - ta;
    const frames = n >= 1_000_000 ? 5 : 10;
    const frameMs = view.timeOrbit(frames);
    orbit.push({ surfacePoints: s.nodeMap.length, triangles: s.triangles.length / 3, firstFrameMs: firstMs, frameMs, frames });
    view.dispose();
    box.replaceChildren();
  }
  out.orbit = orbit;
  return out;
});
