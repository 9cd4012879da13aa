// From a model run's raw outputs to the prediction's fields (card names and units, derived
// quantities) and on to the preview's arrays. One implementation for both ends: the host builds the
// record from the outputs it was sent, and the preview webview that ran the model builds the arrays
// it shows from the outputs it kept, so the host does not send them back to it.
import type { CardOutput } from '../model/card';
import type { HostToWebview } from '../protocol/messages';

/** A run's outputs by name (only the data is read: the layout is N × components, point order). */
export type RawOutputs = Readonly<Record<string, { readonly data: Float32Array }>>;

/** How one predicted field comes from the outputs: an output as is, or a quantity derived from one. */
export interface FieldRecipe {
  readonly name: string;
  readonly unit: string;
  /** The model output it is read from. */
  readonly output: string;
  readonly components: number;
  readonly componentNames?: readonly string[];
  /** 'max_principal': the largest principal value of a 6-component symmetric tensor output. */
  readonly derive?: 'max_principal';
}

export const FIELD_DERIVATIONS = ['max_principal'] as const;

export interface PredictedField {
  readonly name: string;
  readonly unit: string;
  readonly components: number;
  /** Component names from the card (e.g. SXX SYY SZZ SXY SYZ SZX), when it lists them. */
  readonly componentNames?: readonly string[];
  /** N × components, in mesh point order. */
  readonly values: Float32Array;
}

/** A field as the preview takes it ('von_mises (predicted)', …). */
export type PreviewField = Omit<Extract<HostToWebview, { type: 'fields' }>, 'type'>;

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** The fields the card's outputs give for a run over `n` points, or why the outputs do not fit the card. */
export function fieldRecipes(card: readonly CardOutput[], outputs: RawOutputs, n: number): Result<FieldRecipe[]> {
  const recipes: FieldRecipe[] = [];
  for (const out of card) {
    const t = outputs[out.name];
    if (!t) return { ok: false, error: `the model has no output '${out.name}' listed in its card (outputs: ${Object.keys(outputs).join(', ')})` };
    const components = t.data.length / n;
    if (!Number.isInteger(components) || components < 1) return { ok: false, error: `output '${out.name}' has ${t.data.length} values for ${n} points` };
    recipes.push({ name: out.name, unit: out.unit, output: out.name, components, ...(out.components && out.components.length === components ? { componentNames: out.components } : {}) });
    // A symmetric stress tensor (Voigt order XX YY ZZ XY YZ ZX, as ParaView reads 6-component tensors) also gives its largest principal stress.
    if (components === 6 && out.name === 'stress') recipes.push({ name: 'max_principal', unit: out.unit, output: out.name, components: 1, derive: 'max_principal' });
  }
  return { ok: true, value: recipes };
}

/** The fields of `recipes` over `n` points; an output as is keeps its array (no copy). */
export function predictedFields(recipes: readonly FieldRecipe[], outputs: RawOutputs, n: number): Result<PredictedField[]> {
  const fields: PredictedField[] = [];
  for (const r of recipes) {
    const data = outputs[r.output]?.data;
    const inputComponents = r.derive === 'max_principal' ? 6 : r.components;
    if (!data || data.length !== n * inputComponents) return { ok: false, error: `output '${r.output}' ${data ? `has ${data.length} values, not ${n} × ${inputComponents}` : 'is missing'}` };
    const values = r.derive === 'max_principal' ? maxPrincipal(data, n) : data;
    fields.push({ name: r.name, unit: r.unit, components: r.components, values, ...(r.componentNames ? { componentNames: r.componentNames } : {}) });
  }
  return { ok: true, value: fields };
}

/** The preview's arrays for a prediction; von Mises is shown at once. */
export function previewFields(fields: readonly PredictedField[]): PreviewField[] {
  return fields.map((f) => ({ name: `${f.name} (predicted)`, components: f.components, values: f.values, unit: f.unit, source: 'prediction', show: f.name === 'von_mises' }));
}

/** What the webview that ran the model shows: the same two steps over the outputs it kept. */
export function previewFieldsFromOutputs(recipes: readonly FieldRecipe[], outputs: RawOutputs, n: number): Result<PreviewField[]> {
  const r = predictedFields(recipes, outputs, n);
  return r.ok ? { ok: true, value: previewFields(r.value) } : r;
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
