// The one prediction pipeline, for the extension host, the CLI and the benchmarks:
//   resolveModel(deck, settings) -> applicability(deck, card) -> buildInputs(deck, card)
//   -> runner.run(inputs) -> fields (card names and units) + findings.
// Every deck fact (thickness, 2D/3D, loads, material) comes from the reader's structured deck data.
import type { Mesh } from '../mesh/types';
import type { ModelCard } from '../model/card';
import { applicability, deckFindings } from '../model/applicability';
import { buildInputs, deckQuantities, type FeatureScales } from '../model/features';
import type { Finding } from '../model/findings';
import { missingForPrediction } from '../model/predictable';
import type { BackendName, Tensors } from './backend';
import type { OpenedModel } from './model';
import { resolveModel, type ModelFiles, type ModelRequest, type ResolvedModel } from './resolveModel';
import type { ModelRunner, RunnerOptions } from './runner';
import type { PrepareResult } from './runtime';
import { fieldRecipes, predictedFields, type FieldRecipe, type PredictedField } from './predictedFields';

export { maxPrincipal, type PredictedField } from './predictedFields';

export interface Prediction {
  readonly fields: readonly PredictedField[];
  readonly backend: BackendName;
  /** The GPU adapter, in words, when it ran on WebGPU. */
  readonly adapter?: string;
  readonly ms: number;
  readonly sessionMs: number;
  readonly featureMs: number;
  readonly scales: FeatureScales;
  /** What the applicability check says (host/CLI escalate warnings and errors). */
  readonly findings: readonly Finding[];
  readonly notes: readonly string[];
  /** How `fields` came from the run's outputs over `points` nodes: a webview that kept them builds the same arrays. */
  readonly recipes: readonly FieldRecipe[];
  readonly points: number;
  /** The id under which the runner's webview keeps this run's raw outputs (webview runs only). */
  readonly keptAs?: number;
}

/** On failure `findings` holds the applicability errors (and warnings) that stopped it, when that was the cause. */
export type PredictFailure = { ok: false; error: string; code: string; findings?: readonly Finding[] };
export type PredictResult = { ok: true; prediction: Prediction } | PredictFailure;

/** A deck's model inputs, built once: every runner (and a fallback after a failed one) gets these. */
export interface PreparedInputs {
  readonly card: ModelCard;
  readonly n: number;
  readonly inputs: Tensors;
  readonly scales: FeatureScales;
  readonly findings: readonly Finding[];
  readonly featureMs: number;
}

/** Applicability and features: the card's inputs from the deck, or why the model cannot run on it. */
export function prepareInputs(mesh: Mesh, model: OpenedModel): { ok: true; prepared: PreparedInputs } | PredictFailure {
  const card = model.card;
  if (!card) return { ok: false, code: 'bad-model', error: model.cardProblem ?? 'the model has no model card (flare.card metadata or a .card.json beside it): its features are unknown' };
  const t0 = performance.now();
  const q = deckQuantities(mesh);
  // The deck-only findings (a *HEAT TRANSFER step, an unsupported element) still say why, at their lines.
  if (!q.ok) return { ok: false, code: 'bad-input', error: q.error, findings: deckFindings(mesh, card) };
  // Without supports or loads the model cannot run: say why at the deck's lines, not as a feature error.
  const pre = applicability(mesh, card, q.value);
  const errors = pre.filter((f) => f.severity === 'error');
  if (errors.length) return { ok: false, code: 'not-applicable', error: errors.map((f) => (f.line ? `${f.file}:${f.line}: ` : '') + f.message).join('; '), findings: pre };
  const built = buildInputs(card, q.value);
  if (!built.ok) return { ok: false, code: 'bad-input', error: built.error };
  const findings = applicability(mesh, card, q.value, built.value);
  return { ok: true, prepared: { card, n: q.value.n, inputs: built.value.tensors, scales: built.value.scales, findings, featureMs: performance.now() - t0 } };
}

/** One run of prepared inputs; the outputs mapped to the card's fields and units. */
export async function runPrepared(runner: ModelRunner, model: OpenedModel, p: PreparedInputs, opts: RunnerOptions = {}): Promise<PredictResult> {
  const r = await runner.run(model.handle, p.inputs, opts);
  if (!r.ok) return { ok: false, code: r.error.code, error: r.error.message + (r.notes.length ? ` (${r.notes.join('; ')})` : '') };
  const recipes = fieldRecipes(p.card.outputs, r.outputs, p.n);
  if (!recipes.ok) return { ok: false, code: 'bad-model', error: recipes.error };
  const fields = predictedFields(recipes.value, r.outputs, p.n);
  if (!fields.ok) return { ok: false, code: 'bad-model', error: fields.error };
  return {
    ok: true,
    prediction: {
      fields: fields.value, backend: r.backend, ...(r.adapter ? { adapter: r.adapter } : {}), ms: r.ms, sessionMs: r.sessionMs, featureMs: p.featureMs, scales: p.scales, findings: p.findings, notes: r.notes,
      recipes: recipes.value, points: p.n, ...(r.keptAs !== undefined ? { keptAs: r.keptAs } : {}),
    },
  };
}

/** A mesh and an opened model through one runner. */
export async function predict(runner: ModelRunner, model: OpenedModel, mesh: Mesh, opts: RunnerOptions = {}): Promise<PredictResult> {
  const prep = prepareInputs(mesh, model);
  return prep.ok ? runPrepared(runner, model, prep.prepared, opts) : prep;
}

export interface PipelineHooks {
  progress?(message: string): void;
  /** When a runner takes the deck (before its inputs are built): the first one, then the fallback. */
  onRun?(runner: ModelRunner, modelName: string): void;
  /** The first runner failed and the fallback takes over (`why` is also in the notes). */
  onFallback?(why: string): void;
}

export interface DeckRequest<L> {
  readonly model: ModelRequest;
  readonly files: ModelFiles<L>;
  /** Opened models by key, kept across runs. */
  readonly cache?: Map<string, ResolvedModel<L>>;
  /** The runner to try, asked for once the model is open (a preview may still be loading). */
  readonly runner: () => Promise<ModelRunner>;
  /** Where to run when that runner fails for its own reasons (not when it is cancelled or refuses the input); not retried when it is the same runner. */
  readonly fallback?: () => Promise<ModelRunner>;
  readonly signal?: AbortSignal;
  readonly channel?: string;
  readonly hooks?: PipelineHooks;
}

export type DeckPrediction<L> =
  | { ok: true; model: ResolvedModel<L>; prediction: Prediction; runner: ModelRunner; notes: readonly string[] }
  | (PredictFailure & { model?: ResolvedModel<L> });

export type DeckPrepared<L> = { ok: true; model: ResolvedModel<L>; runner: ModelRunner; prepared: PrepareResult } | PredictFailure;

/**
 * Opens the model `predictDeck` would use for this deck and makes the session of the runner it would
 * take ready (a deck or its preview opened: the first Predict then waits for neither).
 */
export async function prepareDeck<L>(mesh: Mesh, req: Pick<DeckRequest<L>, 'model' | 'files' | 'cache' | 'runner'>): Promise<DeckPrepared<L>> {
  const missing = missingForPrediction(mesh, mesh.source.file);
  if (missing) return { ok: false, code: 'not-a-deck', error: missing };
  const resolved = await resolveModel(req.files, mesh, req.model, req.cache);
  if (!resolved.ok) return { ok: false, code: resolved.code, error: resolved.error };
  const runner = await req.runner();
  const points = mesh.points.length / mesh.dimension;
  const prepared: PrepareResult = runner.prepare
    ? await runner.prepare(resolved.model.opened.handle, points)
    : { ok: false, error: { code: 'unavailable', message: `${runner.description} prepares on its first run` }, notes: [] };
  return { ok: true, model: resolved.model, runner, prepared };
}

/** Failures any runner would repeat: no point in handing them to the fallback. */
const NOT_THE_RUNNERS_FAULT = new Set(['cancelled', 'bad-input', 'bad-model']);

/** The whole pipeline for a deck read by readMesh; codes: not-a-deck, no-model, bad-model, bad-input, not-applicable, cancelled, and the runtime's. */
export async function predictDeck<L>(mesh: Mesh, req: DeckRequest<L>): Promise<DeckPrediction<L>> {
  const cancelled = (): PredictFailure | undefined => (req.signal?.aborted ? { ok: false, code: 'cancelled', error: 'cancelled' } : undefined);
  // A plain mesh stops here; a deck without supports or loads goes on to the applicability check,
  // so that its findings (a *FREQUENCY step, an unsupported element) come out at their lines; its
  // error stays what is missing and how to add it.
  const missing = missingForPrediction(mesh, mesh.source.file);
  if (missing && !mesh.deck) return { ok: false, code: 'not-a-deck', error: missing };
  req.hooks?.progress?.('loading the model');
  const resolved = await resolveModel(req.files, mesh, req.model, req.cache);
  if (!resolved.ok) return { ok: false, code: resolved.code, error: resolved.error };
  const model = resolved.model;
  const first = await req.runner();
  const stopped = cancelled();
  if (stopped) return { ...stopped, model };
  // Announced before the features are built: for the user they are part of the run.
  req.hooks?.onRun?.(first, model.name);
  const prep = prepareInputs(mesh, model.opened);
  if (missing) return { ok: false, code: 'not-a-deck', error: missing, findings: prep.ok ? [] : (prep.findings ?? []), model };
  if (!prep.ok) return { ...prep, model };
  const notes: string[] = [];
  const opts: RunnerOptions = { ...(req.signal ? { signal: req.signal } : {}), ...(req.channel !== undefined ? { channel: req.channel } : {}) };
  const attempt = async (runner: ModelRunner): Promise<DeckPrediction<L>> => {
    const stop = cancelled();
    if (stop) return { ...stop, model };
    req.hooks?.progress?.(`running ${model.name}${runner.kind === 'webview' ? ' in the preview' : ''}`);
    const r = await runPrepared(runner, model.opened, prep.prepared, opts);
    return r.ok ? { ok: true, model, prediction: r.prediction, runner, notes } : { ...(cancelled() ?? r), model };
  };
  const r = await attempt(first);
  if (r.ok || !req.fallback || NOT_THE_RUNNERS_FAULT.has(r.code)) return r;
  const next = await req.fallback();
  if (next === first) return r;
  const why = `${first.description} could not run ${model.name} (${r.error}); running it in ${next.description} instead`;
  notes.push(why);
  req.hooks?.onFallback?.(why);
  req.hooks?.onRun?.(next, model.name);
  return attempt(next);
}
