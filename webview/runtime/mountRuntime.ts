// The model runtime as the mesh preview's webview mounts it: the
// runtime bridge on a browser FlareRuntime whose onnxruntime-web files come from the extension's
// media/ort (the page's data-media URI). The runtime is created on the first request, so a preview
// that never predicts loads no ORT code.
import type { HostToWebview, WebviewToHost } from '../../extension/core/protocol/messages';
import { createBrowserRuntime } from '../../extension/core/runtime/browser';
import { RuntimeBridge, type Post } from '../../extension/core/runtime/bridge';
import { previewFieldsFromOutputs, type PreviewField, type RawOutputs } from '../../extension/core/runtime/predictedFields';

export interface MountedRuntime {
  /** Takes the runtime messages (predictRun / predictCancel); reports whether it did. */
  handle(msg: HostToWebview): boolean;
  /** The outputs of a run of this page, while it keeps them (see `showRun`). */
  kept(requestId: number): RawOutputs | undefined;
}

export function mountRuntime(post: Post): MountedRuntime {
  let bridge: RuntimeBridge | undefined;
  return {
    handle: (msg) => {
      if (msg.type !== 'predictRun' && msg.type !== 'predictCancel') return false;
      if (!bridge) {
        const media = document.body.dataset.media ?? '';
        bridge = new RuntimeBridge(createBrowserRuntime({ ortBase: `${media}/ort/` }), post);
      }
      return bridge.handle(msg);
    },
    kept: (requestId) => bridge?.keptOutputs(requestId),
  };
}

/**
 * A `predictRun` that failed validation still gets an answer (a `predictError`), so the host does
 * not wait for a result that will never come. Returns whether `raw` was such a request.
 */
export function refuseMalformedRun(raw: unknown, post: Post): boolean {
  if (typeof raw !== 'object' || raw === null) return false;
  const m = raw as { type?: unknown; requestId?: unknown };
  if (m.type !== 'predictRun' || typeof m.requestId !== 'number') return false;
  post({ type: 'predictError', requestId: m.requestId, code: 'bad-input', message: 'the webview refused a malformed predictRun message (a field of the wrong type)', notes: [] });
  return true;
}

/**
 * A `showRun`: the arrays from the outputs the page kept, built as the host built its own; or the
 * `runMissing` answer (and why, when the kept outputs do not fit) so the host sends the arrays.
 */
export function showRunFields(msg: Extract<HostToWebview, { type: 'showRun' }>, kept: RawOutputs | undefined): { ok: true; fields: PreviewField[] } | { ok: false; answer: WebviewToHost; why?: string } {
  const built = kept ? previewFieldsFromOutputs(msg.recipes, kept, msg.points) : undefined;
  if (built?.ok) return { ok: true, fields: built.value };
  return { ok: false, answer: { type: 'runMissing', requestId: msg.requestId }, ...(built ? { why: `kept outputs of run ${msg.requestId} do not fit: ${built.error}` } : {}) };
}
