// Mesh + model -> physical fields: features per the card, one runtime call, outputs mapped to the
// card's names and units, and the out-of-distribution findings. Shared by the CLI and the webview.
import type { Mesh } from '../mesh/types';
import type { ModelCard } from '../model/card';
import { applicability } from '../model/applicability';
import { buildInputs, deckQuantities, type FeatureScales } from '../model/features';
import type { Finding } from '../model/findings';
import type { AdapterInfo, BackendName, ProgressListener } from './backend';
import type { OpenedModel } from './model';
import type { BackendChoice, FlareRuntime } from './runtime';

export interface PredictedField {
  readonly name: string;
  readonly unit: string;
  readonly components: number;
  /** Component names from the card (e.g. SXX SYY SZZ SXY SYZ SZX), when it lists them. */
  readonly componentNames?: readonly string[];
  /** N × components, in mesh point order. */
  readonly values: Float32Array;
}

export interface Prediction {
  readonly fields: readonly PredictedField[];
  readonly backend: BackendName;
  readonly adapter?: AdapterInfo;
  readonly ms: number;
  readonly sessionMs: number;
  readonly featureMs: number;
  readonly scales: FeatureScales;
  /** What the applicability check says (host/CLI escalate warnings and errors). */
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
}

/** On failure `findings` holds the applicability errors (and warnings) that stopped it, when that was the cause. */
export type PredictResult = { ok: true; prediction: Prediction } | { ok: false; error: string; code: string; findings?: readonly Finding[] };

export interface PredictOptions {
  readonly backend?: BackendChoice;
  readonly thickness?: number;
  readonly channel?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
}

export async function predict(runtime: FlareRuntime, model: OpenedModel, mesh: Mesh, opts: PredictOptions = {}): Promise<PredictResult> {
  const card: ModelCard | undefined = model.card;
  if (!card) return { ok: false, code: 'bad-model', error: model.cardProblem ?? 'the model has no model card (flare.card metadata or a .card.json beside it): its features are unknown' };
  const t0 = performance.now();
  const q = deckQuantities(mesh, opts.thickness);
  if (!q.ok) return { ok: false, code: 'bad-input', error: q.error };
  // Without supports or loads the model cannot run: say why at the deck's lines, not as a feature error.
  const pre = applicability(mesh, card, q.value);
  const errors = pre.filter((f) => f.severity === 'error');
  if (errors.length) return { ok: false, code: 'not-applicable', error: errors.map((f) => (f.line ? `${f.file}:${f.line}: ` : '') + f.message).join('; '), findings: pre };
  const built = buildInputs(card, q.value);
  if (!built.ok) return { ok: false, code: 'bad-input', error: built.error };
  const findings = applicability(mesh, card, q.value, built.value);
  const featureMs = performance.now() - t0;
  const r = await runtime.run({
    model: model.handle, inputs: built.value.tensors, backend: opts.backend ?? 'auto',
    ...(opts.channel !== undefined ? { channel: opts.channel } : {}), ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  if (!r.ok) return { ok: false, code: r.error.code, error: r.error.message + (r.notes.length ? ` (${r.notes.join('; ')})` : '') };
  const n = q.value.n;
  const fields: PredictedField[] = [];
  for (const out of card.outputs) {
    const t = r.outputs[out.name];
    if (!t) return { ok: false, code: 'bad-model', error: `the model has no output '${out.name}' listed in its card (outputs: ${Object.keys(r.outputs).join(', ')})` };
    const components = t.data.length / n;
    if (!Number.isInteger(components) || components < 1) return { ok: false, code: 'bad-model', error: `output '${out.name}' has ${t.data.length} values for ${n} points` };
    fields.push({ name: out.name, unit: out.unit, components, values: t.data, ...(out.components && out.components.length === components ? { componentNames: out.components } : {}) });
    // A symmetric stress tensor (Voigt order XX YY ZZ XY YZ ZX, as ParaView reads 6-component tensors) also gives its largest principal stress.
    if (components === 6 && out.name === 'stress') fields.push({ name: 'max_principal', unit: out.unit, components: 1, values: maxPrincipal(t.data, n) });
  }
  return {
    ok: true,
    prediction: { fields, backend: r.backend, ...(r.adapter ? { adapter: r.adapter } : {}), ms: r.ms, sessionMs: r.sessionMs, featureMs, scales: built.value.scales, findings, notes: r.notes },
  };
}

/** Largest eigenvalue per node of symmetric tensors s[n, 6] (XX YY ZZ XY YZ ZX), float64 inside. */
export function maxPrincipal(s: Float32Array, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const xx = s[i * 6], yy = s[i * 6 + 1], zz = s[i * 6 + 2], xy = s[i * 6 + 3], yz = s[i * 6 + 4], zx = s[i * 6 + 5];
    const m = (xx + yy + zz) / 3;
    const a = xx - m, b = yy - m, c = zz - m;
    const p2 = (a * a + b * b + c * c + 2 * (xy * xy + yz * yz + zx * zx)) / 6;
    if (!(p2 > 0)) { out[i] = m; continue; }
    const p = Math.sqrt(p2);
    // det((S - m I) / p) / 2 = cos(3 phi)
    const det = a * (b * c - yz * yz) - xy * (xy * c - yz * zx) + zx * (xy * yz - b * zx);
    const r = Math.min(1, Math.max(-1, det / (2 * p * p * p)));
    out[i] = m + 2 * p * Math.cos(Math.acos(r) / 3);
  }
  return out;
}
