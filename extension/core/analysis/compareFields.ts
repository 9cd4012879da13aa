// Pairs a prediction with a solver result (CalculiX .frd, or a .vtu) node by node and computes the
// error statistics engineers ask for: relative L2, max and 99th percentile, per field.
import type { DataArray, Mesh } from '../mesh/types';
import { isPlaneDeck } from '../model/modelChoice';
import { headlineStats, pairedErrorStats, vonMises, type ErrorStats } from './fieldStats';

export interface ReferenceFields {
  readonly vonMises?: Float32Array;
  readonly displacement?: Float32Array; // 3 per node
}

export interface FieldComparison {
  readonly field: 'von_mises' | 'displacement';
  readonly unit: string;
  readonly stats: ErrorStats;
  /** Magnitude stats for vectors (|u|), so the headline number is the one the card reports. */
  readonly magnitudeStats?: ErrorStats;
  /** pred - ref per deck node (NaN where the result has no value), for the preview. */
  readonly difference: Float32Array;
  readonly components: number;
  /** Reference values in deck node order (NaN where missing). */
  readonly reference: Float32Array;
}

export type CompareResult = { ok: true; matched: number; comparisons: FieldComparison[] } | { ok: false; error: string };

function find(arrays: readonly DataArray[], test: (name: string, comps: number) => boolean): DataArray | undefined {
  // The last matching array is the last step's result (.frd names earlier steps NAME@step).
  return [...arrays].reverse().find((a) => test(a.name, a.components));
}

/** Displacement and von Mises from a result file's point data (CalculiX names or our export's). */
export function referenceFields(result: Mesh, planeStress = false): ReferenceFields {
  const disp = find(result.pointData, (n, c) => c >= 3 && /^(disp|displacement|u)$/i.test(n.replace(/@.*$/, '')));
  const vm = find(result.pointData, (n, c) => c === 1 && /^(von_?mises|mises|vm)$/i.test(n.replace(/@.*$/, '')));
  const stress = find(result.pointData, (n, c) => c === 6 && /^(stress|s)$/i.test(n.replace(/@.*$/, '')));
  const out: { vonMises?: Float32Array; displacement?: Float32Array } = {};
  if (vm) out.vonMises = Float32Array.from(vm.values);
  else if (stress) {
    // CalculiX solves plane stress as an expanded 3D model; its SZZ is not zero there, so von Mises
    // is recomputed with SZZ = 0 as the plane-stress model (and our training data) define it.
    const s6 = planeStress ? Float64Array.from(stress.values).map((v, k) => (k % 6 === 2 ? 0 : v)) : stress.values;
    out.vonMises = vonMises(s6);
  }
  if (disp) {
    const n = disp.values.length / disp.components;
    const u = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) u[3 * i + c] = disp.values[i * disp.components + c];
    out.displacement = u;
  }
  return out;
}

/** Maps each deck node to its row in the result: by node ids when both have them, else by order. */
export function matchNodes(deck: Mesh, result: Mesh): Int32Array | string {
  const n = deck.points.length / deck.dimension;
  const m = result.points.length / result.dimension;
  const map = new Int32Array(n).fill(-1);
  if (deck.pointIds && result.pointIds) {
    const byId = new Map<number, number>();
    for (let j = 0; j < m; j++) byId.set(result.pointIds[j], j);
    for (let i = 0; i < n; i++) map[i] = byId.get(deck.pointIds[i]) ?? -1;
    return map;
  }
  if (n !== m) return `the result has ${m} nodes and the deck ${n}, and no node numbers to match them by`;
  for (let i = 0; i < n; i++) map[i] = i;
  return map;
}

export function compareWithReference(deck: Mesh, predicted: { name: string; components: number; values: Float32Array; unit: string }[], result: Mesh): CompareResult {
  const map = matchNodes(deck, result);
  if (typeof map === 'string') return { ok: false, error: map };
  const ref = referenceFields(result, isPlaneDeck(deck));
  const comparisons: FieldComparison[] = [];
  let matched = 0;
  for (const f of predicted) {
    const comps = f.name === 'von_mises' ? 1 : f.name === 'displacement' ? 3 : 0;
    const src = f.name === 'von_mises' ? ref.vonMises : f.name === 'displacement' ? ref.displacement : undefined;
    if (!comps || !src || f.components !== comps) continue;
    const n = map.length;
    const reference = new Float32Array(n * comps).fill(Number.NaN);
    const difference = new Float32Array(n * comps).fill(Number.NaN);
    for (let i = 0; i < n; i++) {
      const j = map[i];
      if (j < 0 || j * comps >= src.length) continue;
      for (let c = 0; c < comps; c++) {
        reference[i * comps + c] = src[j * comps + c];
        difference[i * comps + c] = f.values[i * comps + c] - src[j * comps + c];
      }
    }
    // Nodes the result lacks (NaN reference) and nodes no element uses (no prediction) are left out.
    const stats = pairedErrorStats(f.values, reference, comps);
    if (stats.count === 0) continue;
    matched = Math.max(matched, stats.count);
    comparisons.push({
      field: f.name as 'von_mises' | 'displacement', unit: f.unit, stats, difference, reference, components: comps,
      ...(comps === 3 ? { magnitudeStats: headlineStats(f.values, reference, 3) } : {}),
    });
  }
  if (comparisons.length === 0) return { ok: false, error: 'the result has no displacement or stress that matches the prediction\'s nodes (expected DISP / STRESS blocks, or displacement / von_mises arrays)' };
  return { ok: true, matched, comparisons };
}
