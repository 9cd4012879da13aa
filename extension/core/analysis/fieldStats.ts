// Pure field arithmetic shared by the host, the CLI and tests: von Mises from stress tensors, vector
// magnitudes, and the error statistics of a prediction against a reference (solver) field.

/** von Mises from 6-component stress tuples (xx, yy, zz, xy, yz, zx), as CalculiX writes them. */
export function vonMises(stress: ArrayLike<number>): Float32Array {
  const n = Math.floor(stress.length / 6);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const xx = stress[6 * i], yy = stress[6 * i + 1], zz = stress[6 * i + 2];
    const xy = stress[6 * i + 3], yz = stress[6 * i + 4], zx = stress[6 * i + 5];
    out[i] = Math.sqrt(0.5 * ((xx - yy) ** 2 + (yy - zz) ** 2 + (zz - xx) ** 2) + 3 * (xy * xy + yz * yz + zx * zx));
  }
  return out;
}

/** Euclidean norm of each `components`-tuple. */
export function magnitude(values: ArrayLike<number>, components: number): Float32Array {
  const n = Math.floor(values.length / components);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < components; c++) s += values[i * components + c] ** 2;
    out[i] = Math.sqrt(s);
  }
  return out;
}

export interface ErrorStats {
  readonly count: number;
  /** ||pred - ref||_2 / ||ref||_2 over all tuples and components. */
  readonly relativeL2: number;
  readonly maxAbs: number;
  /** Index (tuple) of the largest absolute error. */
  readonly maxAbsAt: number;
  /** 99th percentile of the per-tuple absolute error. */
  readonly p99Abs: number;
  /** Relative error of the 99th-percentile value of the field (how well the hot spots are predicted). */
  readonly p99ValueRelError: number;
  readonly refMax: number;
  readonly predMax: number;
}

function percentile(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Error of `pred` against `ref` (same layout). Non-finite entries count as errors, never silently. */
export function errorStats(pred: ArrayLike<number>, ref: ArrayLike<number>, components = 1): ErrorStats {
  if (pred.length !== ref.length) throw new RangeError(`prediction has ${pred.length} values, reference ${ref.length}`);
  const n = Math.floor(ref.length / components);
  let num = 0, den = 0, maxAbs = 0, maxAbsAt = 0;
  const tupleErr = new Float32Array(n);
  const refMag = components === 1 ? Float32Array.from(ref) : magnitude(ref, components);
  const predMag = components === 1 ? Float32Array.from(pred) : magnitude(pred, components);
  for (let i = 0; i < n; i++) {
    let e2 = 0;
    for (let c = 0; c < components; c++) {
      const d = pred[i * components + c] - ref[i * components + c];
      e2 += d * d;
      den += ref[i * components + c] ** 2;
    }
    const e = Number.isFinite(e2) ? Math.sqrt(e2) : Number.POSITIVE_INFINITY;
    num += e * e;
    tupleErr[i] = e;
    if (!(e <= maxAbs)) { maxAbs = e; maxAbsAt = i; }
  }
  const sortedErr = tupleErr.slice().sort();
  const refSorted = refMag.slice().sort();
  const predSorted = predMag.slice().sort();
  const refP99 = percentile(refSorted, 0.99);
  return {
    count: n,
    relativeL2: den > 0 ? Math.sqrt(num / den) : (num > 0 ? Number.POSITIVE_INFINITY : 0),
    maxAbs,
    maxAbsAt,
    p99Abs: percentile(sortedErr, 0.99),
    p99ValueRelError: refP99 !== 0 ? Math.abs(percentile(predSorted, 0.99) - refP99) / Math.abs(refP99) : Number.NaN,
    refMax: refSorted[refSorted.length - 1] ?? Number.NaN,
    predMax: predSorted[predSorted.length - 1] ?? Number.NaN,
  };
}

/**
 * The one error statistic every report uses (Compare command, compare view, CLI, benchmark, card):
 * `errorStats` over the tuples both arrays define. A tuple with a non-finite reference value is a node
 * the result lacks; one with a non-finite prediction is a node no element uses (no prediction there).
 * Both are left out, and `count` says how many tuples were compared.
 */
export function pairedErrorStats(pred: ArrayLike<number>, ref: ArrayLike<number>, components = 1): ErrorStats {
  if (pred.length !== ref.length) throw new RangeError(`prediction has ${pred.length} values, reference ${ref.length}`);
  const n = Math.floor(ref.length / components);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    let ok = true;
    for (let c = 0; c < components && ok; c++) ok = Number.isFinite(pred[i * components + c]) && Number.isFinite(ref[i * components + c]);
    if (ok) keep.push(i);
  }
  if (keep.length === n) return errorStats(pred, ref, components);
  const p = new Float64Array(keep.length * components), r = new Float64Array(keep.length * components);
  keep.forEach((i, k) => {
    for (let c = 0; c < components; c++) {
      p[k * components + c] = pred[i * components + c];
      r[k * components + c] = ref[i * components + c];
    }
  });
  const s = errorStats(p, r, components);
  return { ...s, maxAbsAt: keep.length ? keep[s.maxAbsAt] : 0 };
}

/** The headline statistics of a field: of the magnitude for vectors (|u|), else of the values. */
export function headlineStats(pred: ArrayLike<number>, ref: ArrayLike<number>, components: number): ErrorStats {
  return components === 1 ? pairedErrorStats(pred, ref, 1) : pairedErrorStats(magnitude(pred, components), magnitude(ref, components), 1);
}
