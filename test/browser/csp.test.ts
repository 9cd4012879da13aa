// The REAL webview shell (webviewShell, what webviewHtml sends) in headless Chromium, served from a
// loopback origin that plays the webview's cspSource: its CSP must block inline script without the nonce,
// inline handlers, eval, and remote fetch / image / script, while the nonce'd bundles run — the probe
// page, and the shipped preview bundle (which carries the runtime bridge) with zero violations.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { launchChromium, root } from '../../scripts/lib/code-server.mjs';
import { webviewShell } from '../../extension/host/webviewShell';

interface Violation { directive: string; blocked: string }
interface Probe {
  error?: string; bundleRan: boolean; nonceLength: number; inlineRan: boolean; nonceRan: boolean; handlerRan: boolean;
  evalResult: string; functionResult: string; wasm: string; fetchRemote: string; fetchOwn: string;
  remoteImg: string; ownImg: string; remoteScript: string; violations: Violation[];
}

// A 1×1 PNG, served from the webview's own origin as the allowed image.
const PIXEL = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
const MIME: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.ttf': 'font/ttf' };

// Records violations and stands in for VS Code's acquireVsCodeApi; init scripts run outside the page's CSP.
const INIT = `
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI }));
window.__posted = [];
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => undefined, setState: () => {} });
`;

interface Served { origin: string; setPage: (bundle: string) => void; close: () => void; failNext: Map<string, number>; requests: Map<string, number> }

async function serve(): Promise<Served> {
  const probe = (await esbuild.build({ entryPoints: [path.join(root, 'test/browser/pages/csp.page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, absWorkingDir: root, logLevel: 'silent' })).outputFiles[0].contents;
  let html = '';
  let origin = '';
  // Paths whose next N requests fail at the network level (status 0), as VS Code's webview service
  // worker answered right after a window reload.
  const failNext = new Map<string, number>();
  const requests = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.set(url, (requests.get(url) ?? 0) + 1);
    const fails = failNext.get(url) ?? 0;
    if (fails > 0) {
      failNext.set(url, fails - 1);
      req.socket.destroy();
      return;
    }
    let body: Uint8Array | undefined;
    if (url === '/') body = Buffer.from(html);
    else if (url === '/dist/webview/csp-probe.js') body = probe;
    else if (url === '/files/pixel.png') body = PIXEL;
    else if (url.startsWith('/dist/webview/') || url.startsWith('/media/')) {
      const p = path.resolve(root, url.slice(1));
      if (p.startsWith(root) && fs.existsSync(p) && fs.statSync(p).isFile()) body = fs.readFileSync(p);
    }
    if (!body) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': url === '/' ? 'text/html' : (MIME[path.extname(url)] ?? 'application/octet-stream') });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const setPage = (bundle: string) => {
    html = webviewShell({ cspSource: origin, scriptUri: `${origin}/dist/webview/${bundle}.js`, cssUri: `${origin}/media/webview.css`, mediaUri: `${origin}/media`, nonce: randomBytes(16).toString('base64'), title: `CSP ${bundle}` });
  };
  return { origin, setPage, close: () => server.close(), failNext, requests };
}

test('webview CSP: the nonce\'d bundle runs; inline script, eval and remote loads are blocked', { timeout: 180_000 }, async () => {
  assert.ok(fs.existsSync(path.join(root, 'dist/webview/preview.js')), 'built bundles (node scripts/build.mjs)');
  const srv = await serve();
  const browser = await launchChromium();
  try {
    await browser.ctx.addInitScript(INIT);

    // 1. The probe bundle under the real shell.
    srv.setPage('csp-probe');
    const page = await browser.ctx.newPage();
    const done = new Promise<Probe>((resolve) => void page.exposeFunction('__flareCsp', (json: string) => resolve(JSON.parse(json) as Probe)));
    await page.goto(`${srv.origin}/`);
    const r = await done;
    console.log(`FLARE CSP probe: ${JSON.stringify(r)}`);
    assert.equal(r.error, undefined);
    assert.equal(r.bundleRan, true, 'the nonce\'d module script runs');
    assert.ok(r.nonceLength >= 16, 'a real nonce');
    assert.equal(r.nonceRan, true, 'a script carrying the nonce runs');
    assert.equal(r.inlineRan, false, 'an inline script without the nonce is blocked');
    assert.equal(r.handlerRan, false, 'an inline event handler is blocked');
    assert.equal(r.evalResult, 'EvalError');
    assert.equal(r.functionResult, 'EvalError');
    assert.equal(r.wasm, 'ran', "WebAssembly compiles ('wasm-unsafe-eval')");
    assert.equal(r.fetchRemote, 'TypeError', 'a remote fetch is refused');
    assert.equal(r.fetchOwn, 'status 200', 'a fetch of the webview origin works');
    assert.equal(r.remoteImg, 'error');
    assert.equal(r.ownImg, 'load');
    assert.equal(r.remoteScript, 'error');
    const seen = (directive: string, blocked: string) => r.violations.some((v) => v.directive === directive && v.blocked.startsWith(blocked));
    assert.ok(seen('script-src-elem', 'inline'), JSON.stringify(r.violations));
    assert.ok(seen('script-src-attr', 'inline'), JSON.stringify(r.violations));
    assert.ok(seen('script-src', 'eval'), JSON.stringify(r.violations));
    assert.ok(seen('connect-src', 'http://example.com'), JSON.stringify(r.violations));
    assert.ok(seen('img-src', 'http://example.com'), JSON.stringify(r.violations));
    assert.ok(seen('script-src-elem', 'http://example.com'), JSON.stringify(r.violations));
    await page.close();

    // 2. The shipped preview bundle under the same shell: it starts, draws, and trips nothing.
    const bundle = 'preview';
    srv.setPage(bundle);
    const p = await browser.ctx.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    await p.goto(`${srv.origin}/`);
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 60_000 });
    // A small plate drawn by vtk.js, then a malformed message: dropped, and the host is told.
    await p.evaluate(() => {
      const nx = 5, ny = 4, n = nx * ny;
      const points = new Float32Array(n * 3);
      for (let k = 0; k < n; k++) { points[k * 3] = k % nx; points[k * 3 + 1] = Math.floor(k / nx); }
      const tri: number[] = [];
      for (let j = 0; j < ny - 1; j++) for (let i = 0; i < nx - 1; i++) { const a = j * nx + i; tri.push(a, a + 1, a + nx + 1, a, a + nx + 1, a + nx); }
      const nt = tri.length / 3;
      window.postMessage({ type: 'init', fileName: 'plate.inp', byteLength: 100, format: 'inp' }, '*');
      window.postMessage({ type: 'surface', points, triangles: Uint32Array.from(tri), nodeMap: Uint32Array.from({ length: n }, (_, i) => i), triangleCell: Uint32Array.from({ length: nt }, (_, i) => i >> 1), volumePoints: n, cells: nt / 2, parseMs: 1 }, '*');
      window.postMessage({ type: 'fields', name: 'T', components: 1, values: Float32Array.from({ length: n }, (_, i) => i) }, '*');
      window.postMessage({ type: 'previewProgress', stage: 'done', fraction: 1 }, '*');
      window.postMessage({ type: 'previewCapture', requestId: 1 }, '*');
      window.postMessage({ type: 'fields', name: 'bad', components: 1, values: [1, 2, 3] }, '*');
      window.postMessage({ type: 'no-such-message' }, '*');
    });
    await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'previewCaptured'), undefined, { timeout: 60_000 });
    const posted = await p.evaluate(() => (window as unknown as { __posted: { type: string; level?: string; message?: string; dataUrl?: string }[] }).__posted);
    const captured = posted.find((m) => m.type === 'previewCaptured');
    assert.ok(captured?.dataUrl?.startsWith('data:image/png;base64,'), 'the preview drew and captured under the CSP');
    const warns = posted.filter((m) => m.type === 'log' && m.level === 'warn' && /dropped malformed message/.test(m.message ?? ''));
    assert.equal(warns.length, 2, `both bad messages dropped and logged: ${JSON.stringify(posted.filter((m) => m.type === 'log'))}`);
    assert.ok(!posted.some((m) => m.type === 'log' && m.level === 'error'), JSON.stringify(posted.filter((m) => m.type === 'log')));
    const violations = await p.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations);
    console.log(`FLARE CSP ${bundle} bundle: ${violations.length} violations, ${errors.length} page errors`);
    assert.deepEqual(violations, [], `${bundle} bundle trips the CSP`);
    assert.deepEqual(errors, [], `${bundle} bundle page errors`);
    await p.close();

    // 3. The bundle and the stylesheet fail twice each (a window reload in code-server): the shell
    //    tries again and the preview starts, styled, instead of staying blank.
    srv.setPage(bundle);
    srv.failNext.set('/dist/webview/preview.js', 2);
    srv.failNext.set('/media/webview.css', 2);
    srv.requests.clear();
    const q = await browser.ctx.newPage();
    await q.goto(`${srv.origin}/`);
    await q.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 60_000 });
    const styled = await q.evaluate(() => [...document.styleSheets].some((sh) => (sh.href ?? '').endsWith('/media/webview.css') && sh.cssRules.length > 0));
    assert.equal(styled, true, 'the stylesheet loaded on a later try');
    assert.equal(srv.requests.get('/dist/webview/preview.js'), 3, 'the bundle was asked for three times');
    assert.equal(srv.requests.get('/media/webview.css'), 3);
    assert.deepEqual(await q.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations), [], 'the retries trip no CSP rule');
    await q.close();
  } finally {
    await browser.close();
    srv.close();
  }
});
