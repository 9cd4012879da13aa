// Served as the nonce'd bundle of the REAL webview shell (webviewShell): tries what the CSP must block
// (inline script without the nonce, inline handlers, eval, remote fetch / image / script) and what it must
// allow (the nonce, our origin, WebAssembly compilation), and reports what happened.
export {};

declare global {
  interface Window { __flareCsp(json: string): void; __violations: { directive: string; blocked: string }[]; __inlineRan?: boolean; __nonceRan?: boolean; __handlerRan?: boolean }
}

const settle = () => new Promise((r) => setTimeout(r, 300));
const errorName = (f: () => unknown): string => {
  try {
    f();
    return 'ran';
  } catch (e) {
    return e instanceof Error ? e.name : String(e);
  }
};
const loads = (el: HTMLImageElement | HTMLScriptElement | HTMLLinkElement): Promise<'load' | 'error'> =>
  new Promise((r) => {
    el.onload = () => r('load');
    el.onerror = () => r('error');
    setTimeout(() => r('error'), 5000);
  });

async function probe(): Promise<Record<string, unknown>> {
  const origin = location.origin;
  const nonce = document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce ?? '';

  const inline = document.createElement('script');
  inline.textContent = 'window.__inlineRan = true';
  document.body.append(inline);

  const withNonce = document.createElement('script');
  withNonce.nonce = nonce;
  withNonce.textContent = 'window.__nonceRan = true';
  document.body.append(withNonce);

  const handler = document.createElement('div');
  handler.innerHTML = '<img src="data:," onerror="window.__handlerRan = true">';
  document.body.append(handler);

  const evalResult = errorName(() => eval('1 + 1'));
  const functionResult = errorName(() => new Function('return 1')());

  // The smallest valid module: allowed by 'wasm-unsafe-eval', which onnxruntime-web needs.
  let wasm = 'ran';
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    wasm = e instanceof Error ? e.name : String(e);
  }

  const fetchRemote = await fetch('http://example.com/').then((r) => `status ${r.status}`, (e: unknown) => (e instanceof Error ? e.name : String(e)));
  const fetchOwn = await fetch(`${origin}/media/webview.css`).then((r) => `status ${r.status}`, (e: unknown) => (e instanceof Error ? e.name : String(e)));

  const remoteImg = document.createElement('img');
  const remoteImgDone = loads(remoteImg);
  remoteImg.src = 'http://example.com/pixel.png';
  document.body.append(remoteImg);
  const ownImg = document.createElement('img');
  const ownImgDone = loads(ownImg);
  ownImg.src = `${origin}/files/pixel.png`;
  document.body.append(ownImg);

  const remoteScript = document.createElement('script');
  const remoteScriptDone = loads(remoteScript);
  remoteScript.src = 'http://example.com/evil.js';
  document.body.append(remoteScript);

  const results = { remoteImg: await remoteImgDone, ownImg: await ownImgDone, remoteScript: await remoteScriptDone };
  await settle();
  return {
    bundleRan: true,
    nonceLength: nonce.length,
    inlineRan: window.__inlineRan === true,
    nonceRan: window.__nonceRan === true,
    handlerRan: window.__handlerRan === true,
    evalResult,
    functionResult,
    wasm,
    fetchRemote,
    fetchOwn,
    ...results,
    violations: window.__violations,
  };
}

probe().then(
  (r) => window.__flareCsp(JSON.stringify(r)),
  (e: unknown) => window.__flareCsp(JSON.stringify({ error: String(e) })),
);
