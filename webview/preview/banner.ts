// The banner over the predicted field when the model cannot vouch for a prediction (applicability
// findings: element type, analysis, material, envelope, distance…). It stays until the host says the
// prediction is clean (level 'none'); the prediction itself stays visible under it, clearly marked.
// Listens for 'previewTrust' itself, so the preview's message switch needs no change.
import { parseHostToWebview, type HostToWebview } from '../../extension/core/protocol/messages';

type TrustMessage = Extract<HostToWebview, { type: 'previewTrust' }>;

/** What the banner shows (undefined when hidden), for the capture summary the tests read. */
export interface BannerState {
  readonly level: 'warning' | 'error';
  readonly title: string;
  readonly details: readonly string[];
  readonly visible: boolean;
}

export interface TrustBannerView {
  show(msg: TrustMessage): void;
  state(): BannerState | undefined;
}

/** Adds the (hidden) banner to `stage` and shows each 'previewTrust' message the host sends. */
export function mountTrustBanner(stage: HTMLElement, win: Pick<Window, 'addEventListener'> = window): TrustBannerView {
  const box = document.createElement('div');
  box.className = 'trust-banner';
  box.setAttribute('role', 'alert');
  box.hidden = true;
  // CSSOM styles (allowed by the webview's CSP): the theme's warning/error colours.
  Object.assign(box.style, {
    position: 'absolute', top: '0', left: '0', right: '0', zIndex: '3', padding: '4px 10px',
    borderBottom: '2px solid var(--vscode-editorWarning-foreground, #cca700)',
    background: 'var(--vscode-inputValidation-warningBackground, #352a05)',
    color: 'var(--vscode-foreground, #ccc)', fontWeight: '600',
  } satisfies Partial<CSSStyleDeclaration>);
  const title = document.createElement('div');
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  const list = document.createElement('ul');
  summary.textContent = 'Why';
  details.style.fontWeight = 'normal';
  details.append(summary, list);
  box.append(title, details);
  stage.append(box);
  // The panels at the top of the view (picked node, statistics, hot spots) move below the banner
  // (webview.css: --banner-h), also when it wraps or its "Why" opens.
  const place = (): void => stage.style.setProperty('--banner-h', box.hidden ? '0px' : `${box.offsetHeight}px`);
  if (typeof ResizeObserver === 'function') new ResizeObserver(place).observe(box);
  let current: TrustMessage | undefined;

  const view: TrustBannerView = {
    show(msg) {
      current = msg.level === 'none' ? undefined : msg;
      box.hidden = !current;
      if (!current) {
        place();
        return;
      }
      const error = current.level === 'error';
      box.dataset.level = current.level;
      box.style.borderBottomColor = error ? 'var(--vscode-editorError-foreground, #f14c4c)' : 'var(--vscode-editorWarning-foreground, #cca700)';
      box.style.background = error ? 'var(--vscode-inputValidation-errorBackground, #5a1d1d)' : 'var(--vscode-inputValidation-warningBackground, #352a05)';
      title.textContent = `⚠ ${current.title} — prediction shown, not vouched for by the model.`;
      list.replaceChildren(...current.details.map((d) => Object.assign(document.createElement('li'), { textContent: d })));
      details.hidden = current.details.length < 2;
      place();
    },
    state() {
      return current ? { level: current.level === 'error' ? 'error' : 'warning', title: current.title, details: current.details, visible: !box.hidden } : undefined;
    },
  };
  win.addEventListener('message', (event: Event) => {
    const msg = parseHostToWebview((event as MessageEvent<unknown>).data);
    if (msg?.type === 'previewTrust') view.show(msg);
  });
  return view;
}
