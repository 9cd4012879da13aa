// Runs a browser-side test entry in real headless Chromium (Debian's, WebGPU on SwiftShader):
// esbuild bundles the entry, a loopback server serves it with media/ and models/, and the page
// hands back its result through window.__flareDone(json).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { launchChromium, root } from '../../scripts/lib/code-server.mjs';

export interface BrowserRunOptions {
  timeoutMs?: number;
  /** Serve with COOP/COEP so the page is cross-origin isolated (threaded WebAssembly). */
  crossOriginIsolated?: boolean;
  /** Extra files served at /files/<name>. */
  files?: Record<string, string>;
}

const MIME: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.onnx': 'application/octet-stream', '.npy': 'application/octet-stream', '.css': 'text/css', '.html': 'text/html' };

export async function runInBrowser<T>(entry: string, opts: BrowserRunOptions = {}): Promise<T> {
  const built = await esbuild.build({ entryPoints: [path.resolve(root, entry)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, sourcemap: 'inline', absWorkingDir: root, logLevel: 'silent' });
  const code = built.outputFiles[0].contents;
  const statics: Record<string, string> = { '/media/': path.join(root, 'media'), '/models/': path.join(root, 'models'), '/shared/': path.join(root, '..', 'shared') };
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const headers: Record<string, string> = opts.crossOriginIsolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {};
    if (url === '/') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
      res.end('<!doctype html><html><head><meta charset="utf-8"></head><body><script type="module" src="/bundle.js"></script></body></html>');
      return;
    }
    if (url === '/bundle.js') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
      res.end(code);
      return;
    }
    let file: string | undefined;
    if (url.startsWith('/files/') && opts.files) file = opts.files[url.slice(7)];
    for (const [prefix, dir] of Object.entries(statics)) {
      if (url.startsWith(prefix)) {
        const p = path.resolve(dir, url.slice(prefix.length));
        if (p.startsWith(dir)) file = p;
      }
    }
    if (!file || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const browser = await launchChromium();
  try {
    const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); if (process.env.FLARE_TEST_VERBOSE) console.log('[page]', m.text()); });
    let done: (json: string) => void = () => undefined;
    const result = new Promise<T>((resolve, reject) => {
      done = (json) => {
        const r = JSON.parse(json) as T & { error?: string };
        if (r && typeof r === 'object' && 'error' in r && r.error) reject(new Error(`browser: ${r.error}`));
        else resolve(r);
      };
      setTimeout(() => reject(new Error(`browser test timed out; page errors: ${errors.join(' | ') || 'none'}`)), opts.timeoutMs ?? 120_000).unref();
    });
    // Exposed before the page loads: a fast page called __flareDone before it existed (a CI run
    // failed with "window.__flareDone is not a function").
    await page.exposeFunction('__flareDone', (json: string) => done(json));
    await page.goto(`http://127.0.0.1:${port}/`);
    return await result;
  } finally {
    await browser.close();
    server.close();
  }
}
