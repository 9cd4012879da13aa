// The model card (format flare-card/1, written by models/export.py, embedded in the ONNX file under
// metadata_props 'flare.card'): a typed view plus validation that names the offending field.
// Only what the extension acts on is required; everything else is kept as-is for display.

export interface CardFeatureColumn {
  readonly index: number;
  readonly name: string;
  readonly formula: string;
}

export interface CardOutput {
  readonly name: string;
  readonly shape: readonly (string | number)[];
  readonly unit: string;
  readonly scaling: string;
  /** Component names of a vector/tensor output (v2 cards: displacement ux uy uz, stress SXX SYY SZZ SXY SYZ SZX). */
  readonly components?: readonly string[];
}

export interface CardInput {
  readonly name: string;
  readonly shape: readonly (string | number)[];
  readonly dtype: string;
  readonly description: string;
}

export interface CardArchitecture {
  readonly arch?: string;
  readonly cin?: number;
  readonly cout?: number;
  readonly C?: number;
  readonly blocks?: number;
  readonly heads?: number;
  readonly latents?: number;
  readonly parameters?: number;
}

export type Range = readonly [number, number];

export interface ModelCard {
  readonly format: string;
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly family: string;
  /** 2 for plane-stress/strain models (CPS, CPE elements), 3 for solids. */
  readonly dimension: 2 | 3;
  readonly elementTypes: readonly string[];
  readonly assumptions: readonly string[];
  readonly inputs: readonly CardInput[];
  readonly featureColumns: readonly CardFeatureColumn[];
  readonly featureDefinitions: Readonly<Record<string, string>>;
  readonly outputs: readonly CardOutput[];
  readonly architecture: CardArchitecture;
  /** Training ranges: scalar quantities (L, n_nodes, P, E, ...) and per-feature ranges. */
  readonly envelope: Readonly<Record<string, Range>>;
  readonly featureEnvelope: Readonly<Record<string, Range>>;
  readonly metrics: Readonly<Record<string, unknown>>;
  readonly provenance: Readonly<Record<string, unknown>>;
  /** The parsed JSON as written, for display. */
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface CardError {
  /** JSON path of the offending field, e.g. 'features.columns[3].name'. */
  readonly path: string;
  readonly message: string;
}

export type CardResult = { ok: true; card: ModelCard } | { ok: false; errors: CardError[] };

export const CARD_FORMAT = 'flare-card/1';
export const CARD_METADATA_KEY = 'flare.card';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

class Checker {
  readonly errors: CardError[] = [];
  err(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  obj(v: unknown, path: string): Obj {
    if (isObj(v)) return v;
    this.err(path, v === undefined ? 'missing (expected an object)' : `expected an object, got ${typeof v}`);
    return {};
  }
  str(v: unknown, path: string, required = true): string {
    if (typeof v === 'string' && (v.length > 0 || !required)) return v;
    if (v === undefined && !required) return '';
    this.err(path, v === undefined ? 'missing (expected a string)' : `expected a non-empty string, got ${JSON.stringify(v)}`);
    return '';
  }
  shape(v: unknown, path: string): (string | number)[] {
    if (Array.isArray(v) && v.every((d) => typeof d === 'string' || (isNum(d) && d >= 0))) return v as (string | number)[];
    this.err(path, 'expected an array of dimension sizes or names');
    return [];
  }
  ranges(v: unknown, path: string): Record<string, Range> {
    const out: Record<string, Range> = {};
    if (v === undefined) return out;
    const o = this.obj(v, path);
    for (const [k, r] of Object.entries(o)) {
      if (k === 'features') continue;
      if (Array.isArray(r) && r.length === 2 && isNum(r[0]) && isNum(r[1]) && r[0] <= r[1]) out[k] = [r[0], r[1]];
      else if (!isObj(r)) this.err(`${path}.${k}`, 'expected [min, max] with min <= max');
    }
    return out;
  }
}

/** Validates parsed card JSON. */
export function validateCard(json: unknown): CardResult {
  const c = new Checker();
  const root = c.obj(json, '$');
  const format = c.str(root.format, 'format');
  if (format && format !== CARD_FORMAT) c.err('format', `unsupported card format '${format}' (this extension reads '${CARD_FORMAT}')`);
  const name = c.str(root.name, 'name');
  const version = c.str(root.version, 'version');
  const physics = c.obj(root.physics, 'physics');
  const dimension = physics.dimension;
  if (dimension !== 2 && dimension !== 3) c.err('physics.dimension', `expected 2 or 3, got ${JSON.stringify(dimension)}`);
  const elementTypes = Array.isArray(physics.element_types) ? physics.element_types.filter((e): e is string => typeof e === 'string') : [];
  const assumptions = Array.isArray(physics.assumptions) ? physics.assumptions.filter((e): e is string => typeof e === 'string') : [];

  const inputs: CardInput[] = [];
  for (const [k, v] of Object.entries(c.obj(root.inputs, 'inputs'))) {
    const o = c.obj(v, `inputs.${k}`);
    inputs.push({ name: k, shape: c.shape(o.shape, `inputs.${k}.shape`), dtype: c.str(o.dtype, `inputs.${k}.dtype`), description: c.str(o.description, `inputs.${k}.description`, false) });
  }
  if (inputs.length === 0 && isObj(root.inputs)) c.err('inputs', 'no inputs listed');

  const features = c.obj(root.features, 'features');
  const featureColumns: CardFeatureColumn[] = [];
  if (!Array.isArray(features.columns)) c.err('features.columns', 'missing (expected an array of {index, name, formula})');
  else {
    features.columns.forEach((col: unknown, i: number) => {
      const o = c.obj(col, `features.columns[${i}]`);
      if (o.index !== i) c.err(`features.columns[${i}].index`, `expected ${i}, got ${JSON.stringify(o.index)}`);
      featureColumns.push({ index: i, name: c.str(o.name, `features.columns[${i}].name`), formula: c.str(o.formula, `features.columns[${i}].formula`, false) });
    });
  }
  const featureDefinitions: Record<string, string> = {};
  if (isObj(features.definitions)) for (const [k, v] of Object.entries(features.definitions)) if (typeof v === 'string') featureDefinitions[k] = v;

  const outputs: CardOutput[] = [];
  for (const [k, v] of Object.entries(c.obj(root.outputs, 'outputs'))) {
    const o = c.obj(v, `outputs.${k}`);
    let components: string[] | undefined;
    if (o.components !== undefined) {
      if (Array.isArray(o.components) && o.components.every((x) => typeof x === 'string')) components = o.components as string[];
      else c.err(`outputs.${k}.components`, 'expected an array of component names');
    }
    const shape = c.shape(o.shape, `outputs.${k}.shape`);
    const last = shape.length === 3 ? shape[2] : undefined;
    if (components && typeof last === 'number' && last !== components.length) c.err(`outputs.${k}.components`, `${components.length} names for a last dimension of ${last}`);
    outputs.push({ name: k, shape, unit: c.str(o.unit, `outputs.${k}.unit`), scaling: c.str(o.scaling, `outputs.${k}.scaling`, false), ...(components ? { components } : {}) });
  }
  if (outputs.length === 0 && isObj(root.outputs)) c.err('outputs', 'no outputs listed');

  // The feature input's last dimension must match the feature table.
  const x = inputs.find((i) => i.shape.length === 3);
  const nf = x?.shape[2];
  if (x && typeof nf === 'number' && featureColumns.length > 0 && nf !== featureColumns.length) {
    c.err(`inputs.${x.name}.shape`, `last dimension ${nf} does not match the ${featureColumns.length} feature columns`);
  }

  const archRaw = root.architecture === undefined ? {} : c.obj(root.architecture, 'architecture');
  const architecture: CardArchitecture = {};
  for (const k of ['cin', 'cout', 'C', 'blocks', 'heads', 'latents', 'parameters'] as const) {
    const v = archRaw[k];
    if (v === undefined) continue;
    if (isNum(v) && Number.isInteger(v) && v > 0) (architecture as Record<string, number>)[k] = v;
    else c.err(`architecture.${k}`, `expected a positive integer, got ${JSON.stringify(v)}`);
  }
  if (typeof archRaw.arch === 'string') (architecture as { arch?: string }).arch = archRaw.arch;

  const envRaw = root.training_envelope;
  const envelope = c.ranges(envRaw, 'training_envelope');
  const featureEnvelope = isObj(envRaw) && envRaw.features !== undefined ? c.ranges(envRaw.features, 'training_envelope.features') : {};

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    card: {
      format, name, version,
      description: typeof root.description === 'string' ? root.description : '',
      family: typeof root.family === 'string' ? root.family : '',
      dimension: dimension as 2 | 3,
      elementTypes, assumptions, inputs, featureColumns, featureDefinitions, outputs, architecture,
      envelope, featureEnvelope,
      metrics: isObj(root.metrics) ? root.metrics : {},
      provenance: isObj(root.provenance) ? root.provenance : {},
      raw: root,
    },
  };
}

/** Parses card JSON text (from a .card.json file or the ONNX metadata). */
export function parseCard(text: string, source = 'card'): CardResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ path: '$', message: `${source}: not valid JSON: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  return validateCard(json);
}

export function formatCardErrors(errors: readonly CardError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
}
