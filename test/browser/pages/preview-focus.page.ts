// The real preview bundle focusing nodes as the host asks (previewFocus, from a diagnostic's quick fix):
// a node on the drawn surface, a node inside the mesh (coordinates from the host), a node that is not
// in the mesh, and a reload that drops the pick.
import { report } from '../page';
import { plate, previewShell } from './preview-fixtures';
import type { HostToWebview, WebviewToHost } from '../../../extension/core/protocol/messages';

const fromWebview: WebviewToHost[] = [];
(globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (m: WebviewToHost) => fromWebview.push(m),
  getState: () => undefined,
  setState: () => undefined,
});

const send = (m: HostToWebview) => window.postMessage(m, '*');
let nextId = 1;
async function capture(): Promise<Record<string, unknown> & { pick?: unknown }> {
  const requestId = nextId++;
  send({ type: 'previewCapture', requestId });
  for (let i = 0; i < 400; i++) {
    const m = fromWebview.find((x) => x.type === 'previewCaptured' && x.requestId === requestId);
    if (m && m.type === 'previewCaptured') return JSON.parse(m.state) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no capture');
}

report(async () => {
  await previewShell();
  await import('../../../webview/preview/main');
  const s = plate(21, 11, 2, 1);
  // One more volume node than the surface has: node 231 (id 232) lies inside, at z = −0.25.
  const volumePoints = s.volumePoints + 1;
  const nodeIds = Int32Array.from({ length: volumePoints }, (_, i) => i + 1);
  const T = Float32Array.from({ length: volumePoints }, (_, i) => 10 * i);
  const load = (fileName: string) => {
    send({ type: 'init', fileName, byteLength: 1, format: 'vtu' });
    send({ type: 'surface', ...s, nodeIds, volumePoints, parseMs: 1 });
    send({ type: 'fields', name: 'T', components: 1, values: T, unit: 'K', association: 'point', source: 'prediction', show: true });
    send({ type: 'previewProgress', stage: 'done', fraction: 1 });
  };
  load('plate.vtu');
  const pickText = () => (document.querySelector('.pick') as HTMLElement).innerText;
  send({ type: 'previewFocus', node: 47, nodeId: 48, coords: [1.3, 0.2, 0] });
  const surface = await capture();
  const surfaceText = pickText();
  send({ type: 'previewFocus', node: 231, nodeId: 232, coords: [1, 0.5, -0.25] });
  const inside = await capture();
  const insideText = pickText();
  send({ type: 'previewFocus', node: 500, nodeId: 501 });
  const missing = await capture();
  load('plate.vtu');
  const reloaded = await capture();
  return { surface, surfaceText, inside, insideText, missing, reloaded, logs: fromWebview.filter((m) => m.type === 'log') };
});
