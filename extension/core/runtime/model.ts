// Opening a model: ONNX header, the embedded card (if any), and the attention shape the size
// limits need (from the card's architecture, else from the latent-query initializer).
import { readOnnxInfo } from '../model/onnxInfo';
import { CARD_METADATA_KEY, formatCardErrors, parseCard, type ModelCard } from '../model/card';
import type { AttentionShape, ModelHandle } from './backend';
import { attentionFromGraph } from './limits';

export interface OpenedModel {
  readonly handle: ModelHandle;
  readonly card?: ModelCard;
  /** Why the embedded card was not usable (absent cards are fine: check-model runs without one). */
  readonly cardProblem?: string;
}

export type OpenResult = { ok: true; model: OpenedModel } | { ok: false; error: string };

export function openModel(bytes: Uint8Array, key: string, cardText?: string): OpenResult {
  const r = readOnnxInfo(bytes);
  if (!r.ok) return { ok: false, error: r.error };
  const info = r.info;
  if (info.inputs.length === 0) return { ok: false, error: 'the ONNX graph has no inputs' };
  let card: ModelCard | undefined;
  let cardProblem: string | undefined;
  const text = cardText ?? info.metadata[CARD_METADATA_KEY];
  if (text !== undefined) {
    const c = parseCard(text, cardText !== undefined ? 'card file' : `ONNX metadata '${CARD_METADATA_KEY}'`);
    if (c.ok) card = c.card;
    else cardProblem = `model card invalid: ${formatCardErrors(c.errors)}`;
  }
  const arch = card?.architecture;
  const attention: AttentionShape | undefined =
    arch?.heads && arch.latents ? { heads: arch.heads, latents: arch.latents, ...(arch.C ? { channels: arch.C } : {}) } : attentionFromGraph(info);
  const handle: ModelHandle = { key, bytes, info, ...(attention ? { attention } : {}) };
  return { ok: true, model: { handle, ...(card ? { card } : {}), ...(cardProblem ? { cardProblem } : {}) } };
}

/** The card file a model may have beside it: `<name>.card.json` for `<name>.onnx`. */
export function sidecarCardPath(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.card.json';
}

/**
 * The one card precedence: the card embedded in the ONNX metadata when it is valid (it travels with
 * the weights it describes), else the `.card.json` beside the model (read only then), else none.
 */
export async function openModelWithCard(bytes: Uint8Array, key: string, readSidecar: () => Promise<string | undefined>): Promise<OpenResult> {
  const embedded = openModel(bytes, key);
  if (!embedded.ok || embedded.model.card) return embedded;
  const text = await readSidecar();
  return text === undefined ? embedded : openModel(bytes, key, text);
}
