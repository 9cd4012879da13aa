// Can this model vouch for its prediction on this deck? One function for the extension, the CLI and
// the benchmarks: element types, analysis and loads, material, supports, the training envelope and
// a calibrated distance to the training set, each finding at the deck line that causes it.
import { instanceLabel } from '../mesh/formats/inp';
import type { Mesh, SourceLocation } from '../mesh/types';
import type { ModelCard, Range } from './card';
import type { BuiltInputs, DeckQuantities } from './features';
import type { Finding, FindingCode, FindingSeverity } from './findings';

/** Cells the features can run on (solid and plane elements; not beams, springs, masses). */
const RUNNABLE_CELL = /^(triangle|quad|tetra|hexahedron|wedge|pyramid)/;

/** The procedures a static linear surrogate represents (ccx's *STATIC without NLGEOM). */
const LINEAR_STATIC = new Set(['STATIC']);

const at = (code: FindingCode, severity: FindingSeverity, message: string, loc?: SourceLocation): Finding =>
  ({ severity, code, message, ...(loc ? { file: loc.file } : {}), ...(loc && loc.line > 0 ? { line: loc.line } : {}) });

/**
 * Findings for running `card`'s model on `mesh` (its deck quantities `q`). Errors mean the model cannot
 * run at all (no support, no load); `built` (the model inputs) adds the training-envelope findings.
 */
export function applicability(mesh: Mesh, card: ModelCard, q: DeckQuantities, built?: BuiltInputs): Finding[] {
  const out = deckFindings(mesh, card);
  const deck = mesh.deck;
  const file = { file: mesh.source.file, line: 0 };
  const fileOnly = (f: Finding): Finding => ({ ...f, file: mesh.source.file });
  for (const i of q.loadIssues ?? []) out.push(at('analysis', 'warning', `${i.message}: the prediction ignores it`, i.source));

  // Material: one homogeneous isotropic material.
  const used = new Set((deck?.sections ?? []).map((s) => s.material.toUpperCase()));
  const mats = (deck?.materials ?? []).filter((m) => used.has(m.name.toUpperCase()) && m.youngsModulus !== undefined);
  const distinct = new Set(mats.map((m) => `${m.youngsModulus}/${m.poissonRatio}`));
  if (distinct.size > 1) out.push(at('material', 'warning', `${distinct.size} different elastic materials: the model assumes one homogeneous material (it uses E = ${q.E})`, mats[1].source));

  // Supports and loads: without them the model cannot run.
  const firstStep = deck?.steps?.[0]?.source;
  let nFixed = 0;
  let nLoaded = 0;
  const F = [0, 0, 0];
  for (let i = 0; i < q.n; i++) {
    nFixed += q.fixed[i];
    const fx = q.force[i * 3], fy = q.force[i * 3 + 1], fz = q.force[i * 3 + 2];
    if (fx !== 0 || fy !== 0 || fz !== 0) nLoaded++;
    F[0] += fx; F[1] += fy; F[2] += fz;
  }
  if (nFixed === 0) out.push(at('boundary', 'error', 'no node is fixed (*BOUNDARY with value 0): the model needs supports', deck?.boundaries[0]?.source ?? firstStep ?? file));
  if (nLoaded === 0) out.push(at('boundary', 'error', 'no load: add *CLOAD forces or *DLOAD/*DSLOAD pressures (the model scales its fields by the total load)', firstStep ?? file));
  else if (Math.hypot(F[0], F[1], F[2]) === 0) out.push(at('boundary', 'error', 'the loads add up to zero: the model scales its fields by the total load', deck?.loads[0]?.source ?? firstStep ?? file));
  // A plane model sees in-plane forces only: an out-of-plane (z) load, e.g. bending a shell, is dropped
  // silently (all of it: the prediction is zero).
  if (card.dimension === 2 && nLoaded > 0) {
    let fz = 0;
    let fAll = 0;
    for (let i = 0; i < q.n; i++) {
      fz += Math.abs(q.force[i * 3 + 2]);
      fAll += Math.hypot(q.force[i * 3], q.force[i * 3 + 1], q.force[i * 3 + 2]);
    }
    const src = deck?.loads.find((l) => l.dof === 3 && l.value !== 0)?.source ?? deck?.loads[0]?.source ?? deck?.faceLoads[0]?.source ?? firstStep ?? file;
    if (Math.hypot(F[0], F[1]) === 0 && F[2] !== 0) out.push(at('analysis', 'error', `the loads are all out of plane (z): model '${card.name}' is a plane model and sees in-plane forces only (its prediction would be zero)`, src));
    else if (fz > 1e-3 * fAll) out.push(at('analysis', 'warning', `${fmt((100 * fz) / fAll)} % of the load is out of plane (z): model '${card.name}' is a plane model and ignores it`, src));
  }
  const partial = partialSupport(mesh, q);
  if (partial) out.push(at('boundary', 'warning', `node ${partial.node} is constrained in some directions only; the model treats every supported node as fully fixed`, partial.source));

  if (built) for (const f of checkEnvelope(card, q, built)) out.push(fileOnly(envelopeFinding(f, deck)));
  const dist = distanceFinding(card, q, usedNodes(mesh));
  if (dist) out.push(fileOnly(dist));
  return out;
}

/**
 * The findings that need only the deck as read (element types, procedures, unsupported keywords):
 * they are reported even when the deck's quantities cannot be built (e.g. a heat-transfer deck
 * without *ELASTIC), so the user sees why at the right lines.
 */
export function deckFindings(mesh: Mesh, card: ModelCard): Finding[] {
  const out: Finding[] = [];
  const deck = mesh.deck;
  const file = { file: mesh.source.file, line: 0 };
  // Element types as written in the deck, at their *ELEMENT line. Without any solid or plane element
  // (beams, springs, masses only) the features have no faces to work on: an error, not a feature failure.
  const runnable = mesh.cells.some((c) => RUNNABLE_CELL.test(c.type));
  const known = new Set(card.elementTypes.map((t) => t.toUpperCase()));
  const cannotRun = runnable ? '' : `; with no solid or plane element the model cannot run`;
  for (const e of deck?.elementTypes ?? []) {
    if (known.size > 0 && !known.has(e.name)) out.push(at('element-type', runnable ? 'warning' : 'error', `element type ${e.name} (${e.count} elements): model '${card.name}' was trained on ${card.elementTypes.join('/')} only${cannotRun}`, e.source));
  }
  if (!runnable && (known.size === 0 || !out.some((f) => f.severity === 'error'))) {
    out.push(at('element-type', 'error', `no solid or plane elements: model '${card.name}' cannot run${card.elementTypes.length ? ` (it was trained on ${card.elementTypes.join('/')})` : ''}`, deck?.elementTypes?.[0]?.source ?? file));
  }

  // Analysis: procedures, NLGEOM, several steps, and what the deck loads with beyond forces.
  const steps = deck?.steps ?? [];
  for (const s of steps) {
    if (s.procedure && !LINEAR_STATIC.has(s.procedure)) out.push(at('analysis', 'warning', `*${s.procedure} analysis in step '${s.name}': the model predicts static linear response only`, s.procedureSource ?? s.source));
    if (s.nlgeom) out.push(at('analysis', 'warning', `step '${s.name}' is geometrically non-linear (NLGEOM): the model is linear`, s.source));
  }
  if (steps.length > 1) out.push(at('analysis', 'warning', `${steps.length} steps: the model sees the loads of all steps added together as one static load case`, steps[1].source));
  for (const u of deck?.unsupported ?? []) {
    const what = `*${u.keyword}${u.detail ? ` ${u.detail}` : ''}`;
    if (u.kind === 'material') out.push(at('material', 'warning', `${what}: the model assumes one isotropic linear elastic material`, u.source));
    else if (u.kind === 'load') out.push(at('analysis', 'warning', `${what} is not represented by the model (it sees nodal forces and pressures only): the prediction ignores it`, u.source));
    else out.push(at('analysis', 'warning', `${what} changes the analysis in a way the model does not represent`, u.source));
  }
  return out;
}

/** The first node with a zero *BOUNDARY on some but not all of its translational DOFs. */
function partialSupport(mesh: Mesh, q: DeckQuantities): { node: string; source: SourceLocation } | undefined {
  const dofs = q.meshDim === 2 ? 2 : 3;
  const mask = new Map<number, { bits: number; source: SourceLocation }>();
  for (const b of mesh.deck?.boundaries ?? []) {
    // Only translational DOFs in the model's plane/space support (as deckQuantities' fixed flag).
    if (b.value !== 0 || Math.max(1, b.firstDof) > Math.min(dofs, b.lastDof)) continue;
    const e = mask.get(b.node) ?? { bits: 0, source: b.source };
    for (let d = Math.max(1, b.firstDof); d <= Math.min(dofs, b.lastDof); d++) e.bits |= 1 << d;
    mask.set(b.node, e);
  }
  const full = dofs === 2 ? 0b110 : 0b1110;
  for (const [node, e] of mask) if (e.bits !== full) return { node: instanceLabel(mesh.deck?.instances, mesh.pointIds?.[node] ?? node + 1, 'node'), source: e.source };
  return undefined;
}

export interface EnvelopeFinding {
  readonly quantity: string;
  readonly value: number | readonly [number, number];
  readonly range: Range;
  readonly severity: 'warning' | 'info';
  readonly message: string;
}

/** E and nu are material findings (at the material's line); the rest is the envelope. */
function envelopeFinding(f: EnvelopeFinding, deck: Mesh['deck']): Finding {
  if (f.quantity === 'E' || f.quantity === 'nu') {
    const m = deck?.materials.find((x) => x.youngsModulus !== undefined);
    return at('material', f.severity, f.message, m?.source);
  }
  return at('envelope', f.severity, f.message);
}

/** Quantities the outputs are rescaled by exactly (linear elasticity): outside the range is only informative. */
const EXACTLY_SCALED = new Set(['P', 'sigma_ref', 'E', 'traction']);

/**
 * How far beyond a training range a deck may go before the envelope warns: the card's calibrated
 * `applicability.envelope_margin` (a fraction of the range's span) and `envelope_log` (quantities whose
 * span is measured in log10: counts and element sizes spanning decades). The range is the min/max of a
 * finite training sample, short of the family's true bounds; models/calibrate_applicability.py picks the
 * margin on in-family decks no model saw. A card without them gets DEFAULT_ENVELOPE.
 */
export interface EnvelopeRule { readonly margin: number; readonly log: ReadonlySet<string> }

export const DEFAULT_ENVELOPE: EnvelopeRule = { margin: 0.02, log: new Set(['n_nodes', 'n_fixed', 'n_loaded', 'h_n']) };

/** The card's envelope rule (DEFAULT_ENVELOPE for what it does not set or sets malformed). */
export function envelopeRule(card: ModelCard): EnvelopeRule {
  const a = card.raw.applicability;
  const o = typeof a === 'object' && a !== null ? (a as Record<string, unknown>) : {};
  const m = o.envelope_margin;
  const log = o.envelope_log;
  return {
    margin: typeof m === 'number' && Number.isFinite(m) && m >= 0 ? m : DEFAULT_ENVELOPE.margin,
    log: Array.isArray(log) && log.every((x) => typeof x === 'string') ? new Set(log as string[]) : DEFAULT_ENVELOPE.log,
  };
}

/**
 * The interval `rule` accepts for quantity `name` with training range `range`: [lo - m span, hi + m span],
 * on a log10 scale for the rule's log quantities (when the range is positive). A zero span accepts
 * rounding only (e.g. E and nu, constant in training).
 */
export function acceptedRange(name: string, range: Range, rule: EnvelopeRule): Range {
  const log = rule.log.has(name) && range[0] > 0;
  const [lo, hi] = log ? [Math.log10(range[0]), Math.log10(range[1])] : range;
  const w = Math.max(rule.margin * (hi - lo), 1e-6 * Math.max(Math.abs(lo), Math.abs(hi), 1));
  return log ? [10 ** (lo - w), 10 ** (hi + w)] : [lo - w, hi + w];
}

/** Compares a deck with the card's training envelope; returns findings (empty when accepted). */
export function checkEnvelope(card: ModelCard, q: DeckQuantities, built: BuiltInputs): EnvelopeFinding[] {
  const s = built.scales;
  const rule = envelopeRule(card);
  const out: EnvelopeFinding[] = [];
  const values: Record<string, number | undefined> = { L: s.L, n_nodes: q.n, P: s.P, sigma_ref: s.sigmaRef, E: q.E, nu: q.nu, n_fixed: s.nFixed, n_loaded: s.nLoaded };
  if (q.meshDim !== card.dimension) {
    out.push({ quantity: 'dimension', value: q.meshDim, range: [card.dimension, card.dimension], severity: 'warning', message: `the mesh is ${q.meshDim}D but model '${card.name}' was trained on ${card.dimension}D ${card.elementTypes.join('/') || 'elements'}` });
  }
  for (const [k, range] of Object.entries(card.envelope)) {
    const v = values[k];
    if (v === undefined) continue;
    const [lo, hi] = acceptedRange(k, range, rule);
    if (v >= lo && v <= hi) continue;
    const exact = EXACTLY_SCALED.has(k);
    out.push({
      quantity: k, value: v, range, severity: exact ? 'info' : 'warning',
      message: `${k} = ${fmt(v)} is outside the training range [${fmt(range[0])}, ${fmt(range[1])}]${exact ? ' (the outputs are rescaled exactly for it: linear in load, 1/E)' : ''}`,
    });
  }
  const f = built.featureNames.length;
  built.featureNames.forEach((nm, k) => {
    const range = card.featureEnvelope[nm];
    if (!range) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < q.n; i++) { const v = built.features[i * f + k]; if (v < lo) lo = v; if (v > hi) hi = v; }
    const ok = acceptedRange(nm, range, rule);
    if (lo >= ok[0] && hi <= ok[1]) return;
    out.push({ quantity: `feature ${nm}`, value: [lo, hi], range, severity: 'warning', message: `feature ${nm} spans [${fmt(lo)}, ${fmt(hi)}], outside the training range [${fmt(range[0])}, ${fmt(range[1])}]` });
  });
  return out;
}

function fmt(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(3) : String(+v.toPrecision(4));
}

/** 1 for each node some element uses (descriptors are over these, as the training data's). */
export function usedNodes(mesh: Mesh): Uint8Array {
  const used = new Uint8Array(mesh.points.length / mesh.dimension);
  for (const c of mesh.cells) for (const i of c.connectivity) if (i >= 0 && i < used.length) used[i] = 1;
  return used;
}

export const DESCRIPTORS = ['log10_n_nodes', 'extent_mid', 'extent_min', 'fixed_fraction', 'loaded_fraction', 'load_fix_distance'] as const;

/**
 * The deck's global descriptors, in DESCRIPTORS order, over the nodes `used` by elements (all when
 * omitted). Undefined when there are no nodes, no size, no fixed or no loaded node.
 */
export function deckDescriptors(q: DeckQuantities, used?: Uint8Array): number[] | undefined {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const cf = [0, 0, 0];
  const cl = [0, 0, 0];
  let n = 0, nf = 0, nl = 0;
  for (let i = 0; i < q.n; i++) {
    if (used && !used[i]) continue;
    n++;
    const loaded = q.force[i * 3] !== 0 || q.force[i * 3 + 1] !== 0 || q.force[i * 3 + 2] !== 0;
    if (q.fixed[i]) nf++;
    if (loaded) nl++;
    for (let k = 0; k < 3; k++) {
      const v = q.xyz[i * 3 + k];
      if (v < lo[k]) lo[k] = v;
      if (v > hi[k]) hi[k] = v;
      if (q.fixed[i]) cf[k] += v;
      if (loaded) cl[k] += v;
    }
  }
  if (n === 0 || nf === 0 || nl === 0) return undefined;
  const ext = [hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]].sort((a, b) => b - a);
  const L = ext[0];
  if (!(L > 0)) return undefined;
  const dist = Math.hypot(cl[0] / nl - cf[0] / nf, cl[1] / nl - cf[1] / nf, cl[2] / nl - cf[2] / nf);
  return [Math.log10(n), ext[1] / L, ext[2] / L, nf / n, nl / n, dist / L];
}

interface DistanceModel { mean: number[]; covInv: number[][]; threshold: number }

/** card.raw.applicability, checked: undefined when absent, a string when malformed. */
function distanceModel(card: ModelCard): DistanceModel | string | undefined {
  const a = card.raw.applicability;
  if (a === undefined) return undefined;
  if (typeof a !== 'object' || a === null) return 'applicability must be an object';
  const o = a as Record<string, unknown>;
  const nums = (v: unknown, len: number): v is number[] => Array.isArray(v) && v.length === len && v.every((x) => typeof x === 'number' && Number.isFinite(x));
  const d = DESCRIPTORS.length;
  if (!Array.isArray(o.descriptors) || o.descriptors.join() !== DESCRIPTORS.join()) return `applicability.descriptors must be [${DESCRIPTORS.join(', ')}]`;
  if (!nums(o.mean, d)) return `applicability.mean must be ${d} numbers`;
  if (!Array.isArray(o.cov_inv) || o.cov_inv.length !== d || !o.cov_inv.every((r) => nums(r, d))) return `applicability.cov_inv must be a ${d}×${d} matrix`;
  if (typeof o.threshold !== 'number' || !(o.threshold > 0)) return 'applicability.threshold must be a positive number';
  return { mean: o.mean, covInv: o.cov_inv as number[][], threshold: o.threshold };
}

/** sqrt((d - mean)ᵀ cov_inv (d - mean)). */
export function mahalanobis(d: readonly number[], mean: readonly number[], covInv: readonly (readonly number[])[]): number {
  const x = d.map((v, i) => v - mean[i]);
  let s = 0;
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x.length; j++) s += x[i] * covInv[i][j] * x[j];
  return Math.sqrt(Math.max(0, s));
}

function distanceFinding(card: ModelCard, q: DeckQuantities, used: Uint8Array): Finding | undefined {
  const model = distanceModel(card);
  if (model === undefined) return undefined;
  if (typeof model === 'string') return at('distance', 'info', `model card '${card.name}': ${model}; the distance to the training set is not checked`);
  const d = deckDescriptors(q, used);
  if (!d) return undefined; // no support or no load: already an error finding
  const m = mahalanobis(d, model.mean, model.covInv);
  if (!(m > model.threshold)) return undefined;
  const shown = DESCRIPTORS.map((k, i) => `${k} ${fmt(d[i])}`).join(', ');
  return at('distance', 'warning', `the deck is far from the training set of '${card.name}' (distance ${m.toFixed(2)} > ${model.threshold}; ${shown})`);
}
