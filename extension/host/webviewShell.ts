// The HTML shell and Content Security Policy of every FLARE webview, as plain strings: no `vscode`,
// so the browser test can load exactly what the host sends (test/browser/csp.test.ts).

export interface WebviewShellParts {
  /** The webview's `cspSource` (the origin its resources are served from). */
  readonly cspSource: string;
  /** URLs as the webview sees them (asWebviewUri). */
  readonly scriptUri: string;
  readonly cssUri: string;
  readonly mediaUri: string;
  /** Fresh per load: the only inline or module script that runs is the one carrying it. */
  readonly nonce: string;
  readonly title: string;
}

/**
 * Strict CSP: nothing by default, our own origin for assets, the nonce'd bundle for scripts.
 * 'wasm-unsafe-eval' lets onnxruntime-web compile its WebAssembly; there is no 'unsafe-eval' and no
 * remote origin.
 */
export function webviewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'unsafe-inline'`,
    `font-src ${cspSource}`,
    `connect-src ${cspSource}`,
    `script-src 'nonce-${nonce}' ${cspSource} 'wasm-unsafe-eval'`,
    `worker-src ${cspSource} blob:`,
  ].join('; ');
}

export function webviewShell(p: WebviewShellParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${webviewCsp(p.cspSource, p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(p.title)}</title>
</head>
<body data-media="${p.mediaUri}">
<div id="app"></div>
<script nonce="${p.nonce}">${loader(p)}</script>
</body>
</html>`;
}

/**
 * Adds the stylesheet and the bundle, each tried again when its load fails. VS Code serves webview
 * files through a service worker, and right after a window reload its first requests can fail (seen
 * in code-server: status 0 for the bundle and the CSS, and a blank preview). A page that still has
 * no files after the retries says so instead of staying blank.
 */
function loader(p: WebviewShellParts): string {
  const js = (v: string) => JSON.stringify(v).replace(/</g, '\\u003c');
  return `(() => {
  const attempt = (make, tries) => {
    const el = make();
    el.addEventListener('error', () => {
      el.remove();
      if (tries < 6) setTimeout(() => attempt(make, tries + 1), 200 * 2 ** tries);
      else document.getElementById('app').textContent = 'This view could not load its files. Run "Developer: Reload Webviews".';
    });
    return el;
  };
  attempt(() => document.head.appendChild(Object.assign(document.createElement('link'), { rel: 'stylesheet', href: ${js(p.cssUri)} })), 0);
  attempt(() => document.body.appendChild(Object.assign(document.createElement('script'), { type: 'module', nonce: ${js(p.nonce)}, src: ${js(p.scriptUri)} })), 0);
})();`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
