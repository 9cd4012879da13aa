// Runs the real preview webview bundle (main.ts + PreviewApp + vscode-elements) in the harness page.
// The page plays VS Code's part: acquireVsCodeApi() and the host's messages, as the provider sends them.
import { report } from '../page';
import { plate, previewShell } from './preview-fixtures';
import type { HostToWebview, WebviewToHost } from '../../../extension/core/protocol/messages';

const fromWebview: WebviewToHost[] = [];
let state: unknown;
(globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (m: WebviewToHost) => fromWebview.push(m),
  getState: () => state,
  setState: (s: unknown) => (state = s),
});

const send = (m: HostToWebview) => window.postMessage(m, '*');
const next = async <T extends WebviewToHost['type']>(type: T): Promise<Extract<WebviewToHost, { type: T }>> => {
  for (let i = 0; i < 400; i++) {
    const m = fromWebview.find((x) => x.type === type);
    if (m) {
      fromWebview.splice(fromWebview.indexOf(m), 1);
      return m as Extract<WebviewToHost, { type: T }>;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${type} message from the webview; got ${JSON.stringify(fromWebview.map((m) => m.type))}`);
};

report(async () => {
  const t0 = performance.now();
  const marks: Record<string, number> = {};
  const mark = (k: string) => (marks[k] = Math.round(performance.now() - t0));
  await previewShell();
  await import('../../../webview/preview/main');
  await next('ready');
  mark('ready');
  const s = plate(21, 11, 2, 1);
  const T = new Float32Array(s.volumePoints).map((_, i) => s.points[i * 3] * 50);
  const T2 = T.map((v) => v * 1.1);
  send({ type: 'init', fileName: 'plate.vtu', byteLength: 1234, format: 'vtu' });
  send({ type: 'previewProgress', stage: 'parsing', fraction: 0.3 });
  send({ type: 'surface', ...s, nodeIds: s.nodeIds!, parseMs: 5 });
  send({ type: 'fields', name: 'T', components: 1, values: T, unit: 'K', association: 'point', source: 'file' });
  send({ type: 'fields', name: 'T_ref', components: 1, values: T2, unit: 'K', association: 'point', source: 'reference' });
  send({ type: 'previewProgress', stage: 'done', fraction: 1 });
  send({ type: 'previewCapture', requestId: 7 });
  const cap = await next('previewCaptured');
  mark('firstCapture');
  const first = JSON.parse(cap.state) as Record<string, unknown>;
  // Keyboard: the stage is focusable; 'p' toggles parallel projection, Enter picks the centre node.
  const stage = document.querySelector('.stage') as HTMLElement;
  stage.focus();
  stage.dispatchEvent(new KeyboardEvent('keydown', { key: 'p', bubbles: true }));
  stage.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  send({ type: 'previewCapture', requestId: 10 });
  const beforeW = JSON.parse((await next('previewCaptured')).state) as { pixels: { mesh: number } };
  // vtk.js's own 'w' (wireframe) key must not change the view behind the settings' back.
  stage.dispatchEvent(new KeyboardEvent('keypress', { key: 'w', bubbles: true }));
  send({ type: 'previewCapture', requestId: 11 });
  const afterW = JSON.parse((await next('previewCaptured')).state) as { pixels: { mesh: number } };
  const pickText = (document.querySelector('.pick') as HTMLElement).innerText;
  // Compare: choose the reference and the difference mode through the real controls.
  const compareWith = document.getElementById('compare-with') as HTMLElement & { value: string };
  compareWith.value = 'T_ref';
  compareWith.dispatchEvent(new Event('change'));
  const mode = document.getElementById('compare') as HTMLElement & { value: string };
  mode.value = 'difference';
  mode.dispatchEvent(new Event('change'));
  send({ type: 'previewCapture', requestId: 8 });
  const diff = JSON.parse((await next('previewCaptured')).state) as Record<string, unknown>;
  mark('diffCapture');
  const statsText = (document.querySelector('.stats') as HTMLElement).innerText;
  mode.value = 'sideBySide';
  mode.dispatchEvent(new Event('change'));
  send({ type: 'previewCapture', requestId: 9 });
  const side = JSON.parse((await next('previewCaptured')).state) as Record<string, unknown>;
  mark('sideCapture');
  return { marks, meshBeforeW: beforeW.pixels.mesh, meshAfterW: afterW.pixels.mesh, first, focused: document.activeElement === stage, pickText, diff, statsText, side, persisted: state, logs: fromWebview.filter((m) => m.type === 'log') };
});
