// Growable typed arrays for readers that learn sizes as they go, and how much to reserve up front.

/** Doubling growth, returned as a subarray view (no final copy). */
class TypedBuilder<A extends Float64Array | Int32Array> {
  a: A;
  n = 0;
  constructor(
    private readonly alloc: (n: number) => A,
    cap: number,
  ) {
    this.a = alloc(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    const b = this.alloc(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  reserve(extra: number): void {
    if (this.n + extra > this.a.length) this.grow(this.n + extra);
  }
  view(): A {
    return this.a.subarray(0, this.n) as A;
  }
  /** Exact-size copy; use when the slack would be large. */
  trimmed(): A {
    return this.n === this.a.length ? this.a : (this.a.slice(0, this.n) as A);
  }
}

export class F64Builder extends TypedBuilder<Float64Array> {
  constructor(cap = 1024) {
    super((n) => new Float64Array(n), cap);
  }
}

export class I32Builder extends TypedBuilder<Int32Array> {
  constructor(cap = 1024) {
    super((n) => new Int32Array(n), cap);
  }
}

/**
 * How many of `n` declared items to allocate: no more than the rest of the file can hold at `minBytes`
 * each. A damaged count of 2^31 then costs nothing up front, and reading runs into the end of the file
 * and reports it there, as for any truncated file.
 */
export function capacity(n: number, bytesLeft: number, minBytes: number): number {
  return Math.max(0, Math.min(n, Math.floor(bytesLeft / minBytes) + 1));
}
