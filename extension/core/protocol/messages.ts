// The one message union between the extension host and every webview, shared by both bundles and
// validated on both sides: a webview is a separate, less trusted context, so nothing is taken on faith.

export type HostToWebview =
  | { readonly type: 'init'; readonly fileName: string; readonly byteLength: number; readonly format: string }
  | { readonly type: 'probe' }
  // Runtime bridge (extension/core/runtime/bridge.ts): run a model in the webview; arrays are transferred.
  | {
      readonly type: 'predictRun'; readonly requestId: number; readonly key: string; readonly model: Uint8Array;
      readonly inputs: readonly RuntimeTensor[]; readonly backend: RuntimeBackendChoice; readonly channel?: string;
    }
  | { readonly type: 'predictCancel'; readonly requestId: number }
  // Preview: parse progress, the boundary surface (sent first), then each data array; `fields` also carries predictions.
  | { readonly type: 'previewProgress'; readonly stage: string; readonly fraction: number }
  | { readonly type: 'previewError'; readonly message: string; readonly line?: number }
  | {
      readonly type: 'surface'; readonly points: Float32Array; readonly triangles: Uint32Array; readonly nodeMap: Uint32Array;
      readonly triangleCell: Uint32Array; readonly nodeIds?: Int32Array; readonly volumePoints: number; readonly cells: number; readonly parseMs: number;
    }
  | {
      readonly type: 'fields'; readonly name: string; readonly components: number; readonly values: Float32Array; readonly unit?: string;
      /** 'point' (default): one tuple per volume node; 'cell': one tuple per cell (running index over blocks). */
      readonly association?: 'point' | 'cell';
      /** Where the array came from; the compare view pairs a prediction with a solver result. */
      readonly source?: 'file' | 'prediction' | 'reference';
      /** Colour by it once added (predictions: yes). */
      readonly show?: boolean;
    }
  /**
   * Preview: show the prediction of run `requestId`, which this page ran and whose outputs it kept:
   * the page builds the arrays from them (core/runtime/predictedFields.ts, as the host did) instead
   * of being sent them back. A page without them answers `runMissing` and gets `fields` messages.
   */
  | { readonly type: 'showRun'; readonly requestId: number; readonly points: number; readonly recipes: readonly FieldRecipe[] }
  | { readonly type: 'previewCapture'; readonly requestId: number }
  /** Preview: a partial view-settings object as JSON (the webview keeps only well-typed fields). */
  | { readonly type: 'previewSettings'; readonly settings: string }
  /**
   * Preview: focus one volume node (a diagnostic's quick fix): mark it, show its values, bring it into view.
   * `coords` come from the host's parse, so interior nodes (not on the drawn surface) can be shown too.
   */
  | { readonly type: 'previewFocus'; readonly node: number; readonly nodeId?: number; readonly coords?: readonly [number, number, number] }
  /**
   * Preview: the banner over the predicted field when the model cannot vouch for the prediction
   * (applicability findings); level 'none' takes it away (a clean prediction).
   */
  | { readonly type: 'previewTrust'; readonly level: 'warning' | 'error' | 'none'; readonly title: string; readonly details: readonly string[] };

import { FIELD_DERIVATIONS, type FieldRecipe } from '../runtime/predictedFields';

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'predictProgress'; readonly requestId: number; readonly stage: string; readonly fraction: number; readonly message: string }
  | {
      readonly type: 'predictResult'; readonly requestId: number; readonly backend: string; readonly adapter?: string; readonly isFallbackAdapter?: boolean;
      readonly ms: number; readonly sessionMs: number; readonly notes: readonly string[]; readonly outputs: readonly RuntimeTensor[];
    }
  | { readonly type: 'predictError'; readonly requestId: number; readonly code: string; readonly message: string; readonly notes: readonly string[] }
  | { readonly type: 'probeResult'; readonly webgpu: boolean; readonly adapter?: string; readonly isFallbackAdapter?: boolean; readonly userAgent: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string }
  // Preview: a PNG the user asked to save, and the answer to `previewCapture` (tests, `flare.preview.capture`).
  | { readonly type: 'saveImage'; readonly dataUrl: string; readonly suggestedName: string }
  | { readonly type: 'previewCaptured'; readonly requestId: number; readonly dataUrl: string; readonly state: string }
  // Preview: the page no longer has run `requestId`'s outputs (it reloaded): the host sends the arrays.
  | { readonly type: 'runMissing'; readonly requestId: number };

/** What a webview's runtime may be asked to use (the flare.runtime.backend setting's values). */
export const RUNTIME_BACKEND_CHOICES = ['auto', 'webgpu', 'wasm', 'engine'] as const;
export type RuntimeBackendChoice = (typeof RUNTIME_BACKEND_CHOICES)[number];

type Validator = (m: Record<string, unknown>) => boolean;

/** A float32 tensor of the runtime bridge. */
export interface RuntimeTensor {
  readonly name: string;
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const optional = <T>(guard: (v: unknown) => v is T) => (v: unknown): boolean => v === undefined || guard(v);
const isRuntimeTensor = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Record<string, unknown>;
  return isString(t.name) && t.data instanceof Float32Array && Array.isArray(t.dims) && t.dims.every((d) => Number.isInteger(d) && (d as number) >= 0)
    && (t.dims as number[]).reduce((a, b) => a * b, 1) === t.data.length;
};
const isStringList = (v: unknown): boolean => Array.isArray(v) && v.every(isString);
const isCount = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0;
const isRecipe = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return isString(r.name) && isString(r.unit) && isString(r.output) && isCount(r.components) && r.components >= 1
    && (r.componentNames === undefined || (isStringList(r.componentNames) && (r.componentNames as string[]).length === r.components))
    && (r.derive === undefined || (FIELD_DERIVATIONS as readonly unknown[]).includes(r.derive));
};

const TO_WEBVIEW: Record<HostToWebview['type'], Validator> = {
  init: (m) => isString(m.fileName) && isNumber(m.byteLength) && isString(m.format),
  probe: () => true,
  predictRun: (m) => isNumber(m.requestId) && isString(m.key) && m.model instanceof Uint8Array && Array.isArray(m.inputs) && m.inputs.every(isRuntimeTensor)
    && (RUNTIME_BACKEND_CHOICES as readonly unknown[]).includes(m.backend) && optional(isString)(m.channel),
  predictCancel: (m) => isNumber(m.requestId),
  previewProgress: (m) => isString(m.stage) && isNumber(m.fraction),
  previewError: (m) => isString(m.message) && optional(isNumber)(m.line),
  surface: (m) => m.points instanceof Float32Array && m.triangles instanceof Uint32Array && m.nodeMap instanceof Uint32Array && m.triangleCell instanceof Uint32Array
    && optional((v): v is Int32Array => v instanceof Int32Array)(m.nodeIds) && isNumber(m.volumePoints) && isNumber(m.cells) && isNumber(m.parseMs)
    && m.points.length === m.nodeMap.length * 3 && m.triangles.length % 3 === 0 && m.triangleCell.length * 3 === m.triangles.length,
  fields: (m) => isString(m.name) && isNumber(m.components) && m.components >= 1 && m.values instanceof Float32Array && m.values.length % m.components === 0
    && optional(isString)(m.unit) && (m.association === undefined || m.association === 'point' || m.association === 'cell')
    && (m.source === undefined || m.source === 'file' || m.source === 'prediction' || m.source === 'reference') && optional(isBool)(m.show),
  showRun: (m) => isNumber(m.requestId) && isCount(m.points) && Array.isArray(m.recipes) && m.recipes.length <= 64 && m.recipes.every(isRecipe),
  previewCapture: (m) => isNumber(m.requestId),
  previewSettings: (m) => isString(m.settings) && m.settings.length < 10_000,
  previewFocus: (m) => isNumber(m.node) && Number.isInteger(m.node) && m.node >= 0 && optional(isNumber)(m.nodeId)
    && (m.coords === undefined || (Array.isArray(m.coords) && m.coords.length === 3 && m.coords.every(isNumber))),
  previewTrust: (m) => (m.level === 'warning' || m.level === 'error' || m.level === 'none') && isString(m.title) && m.title.length < 2_000
    && isStringList(m.details) && (m.details as string[]).length <= 50 && (m.details as string[]).every((d) => d.length < 2_000),
};

const TO_HOST: Record<WebviewToHost['type'], Validator> = {
  ready: () => true,
  predictProgress: (m) => isNumber(m.requestId) && isString(m.stage) && isNumber(m.fraction) && isString(m.message),
  predictResult: (m) => isNumber(m.requestId) && isString(m.backend) && optional(isString)(m.adapter) && optional(isBool)(m.isFallbackAdapter)
    && isNumber(m.ms) && isNumber(m.sessionMs) && isStringList(m.notes) && Array.isArray(m.outputs) && m.outputs.every(isRuntimeTensor),
  predictError: (m) => isNumber(m.requestId) && isString(m.code) && isString(m.message) && isStringList(m.notes),
  probeResult: (m) => isBool(m.webgpu) && optional(isString)(m.adapter) && optional(isBool)(m.isFallbackAdapter) && isString(m.userAgent),
  log: (m) => (m.level === 'info' || m.level === 'warn' || m.level === 'error') && isString(m.message),
  saveImage: (m) => isString(m.dataUrl) && m.dataUrl.startsWith('data:image/png;base64,') && isString(m.suggestedName),
  previewCaptured: (m) => isNumber(m.requestId) && isString(m.dataUrl) && isString(m.state),
  runMissing: (m) => isNumber(m.requestId),
};

function check<T extends { type: string }>(table: Record<string, Validator>, value: unknown): T | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const m = value as Record<string, unknown>;
  if (!isString(m.type) || !Object.prototype.hasOwnProperty.call(table, m.type)) return undefined;
  return table[m.type](m) ? (m as unknown as T) : undefined;
}

/** Returns the message typed when it is well-formed, otherwise undefined (the caller drops and logs it). */
export function parseWebviewToHost(value: unknown): WebviewToHost | undefined {
  return check<WebviewToHost>(TO_HOST, value);
}

export function parseHostToWebview(value: unknown): HostToWebview | undefined {
  return check<HostToWebview>(TO_WEBVIEW, value);
}
