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
<link href="${p.cssUri}" rel="stylesheet">
<title>${escapeHtml(p.title)}</title>
</head>
<body data-media="${p.mediaUri}">
<div id="app"></div>
<script type="module" nonce="${p.nonce}" src="${p.scriptUri}"></script>
</body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
