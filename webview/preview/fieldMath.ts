// Scalar views of multi-component arrays (magnitude, one component, von Mises) and the numbers the
// preview shows about them. Pure typed-array code: runs in the webview, in Node tests and in benches.
import { pairedErrorStats, type ErrorStats } from '../../extension/core/analysis/fieldStats';

export type { ErrorStats };

/** What a user can colour by: the magnitude, one component, or the von Mises stress of a 6-component tensor. */
export type ComponentMode = 'magnitude' | 'vonMises' | number;

/** The component choices that make sense for an array with `components` components. */
export function componentModes(components: number): ComponentMode[] {
  if (components === 1) return [0];
  const modes: ComponentMode[] = ['magnitude'];
  if (components === 6) modes.push('vonMises');
  for (let c = 0; c < components; c++) modes.push(c);
  return modes;
}

/** Labels as ParaView shows them: X/Y/Z for vectors, XX..XZ for symmetric tensors (Voigt order XX YY ZZ XY YZ XZ). */
export function componentLabel(mode: ComponentMode, components: number): string {
  if (mode === 'magnitude') return 'Magnitude';
  if (mode === 'vonMises') return 'von Mises';
  if (components === 1) return '';
  if (components === 3) return 'XYZ'[mode] ?? String(mode);
  if (components === 6) return ['XX', 'YY', 'ZZ', 'XY', 'YZ', 'XZ'][mode] ?? String(mode);
  return String(mode);
}

/**
 * One scalar per tuple. `map`, when given, picks tuples: out[i] = f(values tuple map[i]) (surface
 * point i of volume node map[i]); otherwise every tuple in order.
 */
export function scalarize(values: ArrayLike<number>, components: number, mode: ComponentMode, map?: ArrayLike<number>): Float32Array {
  const n = map ? map.length : Math.floor(values.length / components);
  const out = new Float32Array(n);
  const c = components;
  for (let i = 0; i < n; i++) {
    const o = (map ? map[i] : i) * c;
    if (typeof mode === 'number') out[i] = values[o + mode];
    else if (mode === 'vonMises' && c === 6) {
      const sxx = values[o], syy = values[o + 1], szz = values[o + 2], sxy = values[o + 3], syz = values[o + 4], sxz = values[o + 5];
      out[i] = Math.sqrt(0.5 * ((sxx - syy) ** 2 + (syy - szz) ** 2 + (szz - sxx) ** 2) + 3 * (sxy * sxy + syz * syz + sxz * sxz));
    } else {
      let s = 0;
      for (let k = 0; k < c; k++) s += values[o + k] * values[o + k];
      out[i] = Math.sqrt(s);
    }
  }
  return out;
}

/** [min, max] over finite values; [0, 1] when there are none; widened when flat so a colour map still applies. */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === Infinity || v === -Infinity) continue; // NaN fails both comparisons below
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (lo === hi) {
    const d = Math.abs(lo) * 1e-6 || 1e-6;
    return [lo - d, hi + d];
  }
  return [lo, hi];
}

/** Differences a − b (prediction minus reference), NaN where either has no value. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Float32Array {
  const n = Math.min(a.length, b.length);
  const diff = new Float32Array(n);
  for (let i = 0; i < n; i++) diff[i] = a[i] - b[i];
  return diff;
}

/** Short numbers for labels: 3 significant digits, exponent outside [1e-3, 1e5). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/**
 * Statistics of the compare view: the prediction `a` against the reference `b`, both scalarized by
 * `mode`, through the same function as the Compare command (nodes without a value on either side
 * are left out). For a vector's magnitude these are the command's headline |u| numbers.
 */
export function compareStats(a: ArrayLike<number>, b: ArrayLike<number>, components: number, mode: ComponentMode): ErrorStats {
  return pairedErrorStats(scalarize(a, components, mode), scalarize(b, components, mode), 1);
}

const ID_ARRAY = /^(vtk)?(original)?(global)?(node|point|cell|element|elem|part|block|region|material|physical|geometrical)?[ _:-]?(ids?|numbers?|tags?|index)$|^gmsh:|^(material|part|region|block)$/i;

/** Node/element numbers, part and material tags: arrays nobody wants to see first as a colour map. */
export function isIdArray(name: string): boolean {
  return ID_ARRAY.test(name.trim());
}

/**
 * The `n` surface nodes with the largest values (largest |value| when the values change sign): the
 * hot spots an engineer looks at first. `nodeMap` is the volume node of each surface point; each node
 * counts once. Returns volume node indices, highest first.
 */
export function topSurfaceNodes(perNode: ArrayLike<number>, nodeMap: ArrayLike<number>, n: number): { node: number; value: number }[] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < nodeMap.length; i++) {
    const v = perNode[nodeMap[i]];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const key = lo < 0 && hi > 0 ? (v: number) => Math.abs(v) : (v: number) => v;
  const best: { node: number; value: number }[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < nodeMap.length; i++) {
    const node = nodeMap[i], v = perNode[node];
    if (!Number.isFinite(v) || seen.has(node)) continue;
    seen.add(node);
    if (best.length === n && key(v) <= key(best[n - 1].value)) continue;
    let j = best.length < n ? best.length : n - 1;
    best[j] = { node, value: v };
    while (j > 0 && key(best[j].value) > key(best[j - 1].value)) {
      [best[j], best[j - 1]] = [best[j - 1], best[j]];
      j--;
    }
  }
  return best;
}

/** Length, finite min/max and float64 sum of an array: what tests compare with the host's values. */
export function fieldChecksum(values: ArrayLike<number>): { length: number; min: number; max: number; sum: number } {
  let min = Infinity, max = -Infinity, sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { length: values.length, min, max, sum };
}
