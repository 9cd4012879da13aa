// The one message union between the extension host and every webview, shared by both bundles and
// validated on both sides: a webview is a separate, less trusted context, so nothing is taken on faith.

export type HostToWebview =
  | { readonly type: 'init'; readonly fileName: string; readonly byteLength: number; readonly format: string }
  | { readonly type: 'probe' };

export type WebviewToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'probeResult'; readonly webgpu: boolean; readonly adapter?: string; readonly isFallbackAdapter?: boolean; readonly userAgent: string }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };

type Validator = (m: Record<string, unknown>) => boolean;

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const optional = <T>(guard: (v: unknown) => v is T) => (v: unknown): boolean => v === undefined || guard(v);

const TO_WEBVIEW: Record<HostToWebview['type'], Validator> = {
  init: (m) => isString(m.fileName) && isNumber(m.byteLength) && isString(m.format),
  probe: () => true,
};

const TO_HOST: Record<WebviewToHost['type'], Validator> = {
  ready: () => true,
  probeResult: (m) => isBool(m.webgpu) && optional(isString)(m.adapter) && optional(isBool)(m.isFallbackAdapter) && isString(m.userAgent),
  log: (m) => (m.level === 'info' || m.level === 'warn' || m.level === 'error') && isString(m.message),
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
