// Byte-level scanning over a Uint8Array: numbers are parsed in place, without building
// strings per token (split()/parseFloat per token is what makes text readers slow).
import type { MeshDiagnostic, Severity } from './types';

/** Thrown inside readers only; `readMesh` turns it into a diagnostic. Never escapes the module. */
export class MeshReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < 23; i++) POW10[i] = POW10[i - 1] * 10;

const td = new TextDecoder('latin1');
export function latin1(buf: Uint8Array, start = 0, end = buf.length): string {
  return td.decode(buf.subarray(start, end));
}

const enum C {
  TAB = 9, LF = 10, CR = 13, SP = 32, PLUS = 43, COMMA = 44, MINUS = 45, DOT = 46,
  D0 = 48, D9 = 57, E = 69, e = 101, D = 68, d = 100,
}

export class Scanner {
  pos: number;
  line = 1;
  /** Start offset of the current line (for columns). */
  lineStart: number;
  constructor(
    readonly buf: Uint8Array,
    readonly file: string,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.lineStart = start;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  error(code: string, message: string, line = this.line): MeshReadError {
    return new MeshReadError(code, message, this.file, line, this.pos - this.lineStart + 1);
  }

  /** Skip spaces, tabs, CR and (if `commas`) commas; stops at newline. */
  skipInline(commas = false): void {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = b[p];
      if (c === C.SP || c === C.TAB || c === C.CR || (commas && c === C.COMMA)) p++;
      else break;
    }
    this.pos = p;
  }

  /** Skip all whitespace (and commas if asked), counting lines. */
  skipWs(commas = false): void {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end) {
      const c = b[p];
      if (c === C.LF) {
        p++;
        this.line++;
        this.lineStart = p;
      } else if (c === C.SP || c === C.TAB || c === C.CR || (commas && c === C.COMMA)) p++;
      else break;
    }
    this.pos = p;
  }

  atEol(): boolean {
    return this.pos >= this.end || this.buf[this.pos] === C.LF;
  }

  /** Move past the end of the current line. */
  nextLine(): void {
    const b = this.buf;
    let p = this.pos;
    const end = this.end;
    while (p < end && b[p] !== C.LF) p++;
    if (p < end) {
      p++;
      this.line++;
    }
    this.pos = p;
    this.lineStart = p;
  }

  /** Rest of the current line (without CR/LF); moves to the next line. */
  readLine(): string {
    const b = this.buf;
    const s = this.pos;
    let p = s;
    const end = this.end;
    while (p < end && b[p] !== C.LF) p++;
    let e = p;
    if (e > s && b[e - 1] === C.CR) e--;
    if (p < end) {
      p++;
      this.line++;
    }
    this.pos = p;
    this.lineStart = p;
    return latin1(b, s, e);
  }

  /** Next whitespace-delimited token, across lines; '' at end of input. */
  token(): string {
    this.skipWs();
    const b = this.buf;
    const s = this.pos;
    let p = s;
    while (p < this.end) {
      const c = b[p];
      if (c === C.SP || c === C.TAB || c === C.CR || c === C.LF) break;
      p++;
    }
    this.pos = p;
    return latin1(b, s, p);
  }

  /** Parse a float at the cursor (after skipping whitespace across lines). */
  float(commas = false): number {
    this.skipWs(commas);
    return this.floatHere();
  }

  /** Parse a float at the cursor, skipping only inline whitespace; NaN if the line ended. */
  floatInline(commas = false): number {
    this.skipInline(commas);
    if (this.atEol()) return NaN;
    return this.floatHere();
  }

  floatHere(): number {
    const b = this.buf;
    const end = this.end;
    let p = this.pos;
    const start = p;
    let neg = false;
    let c = b[p];
    if (c === C.MINUS) {
      neg = true;
      p++;
    } else if (c === C.PLUS) p++;
    // First 15 significant digits in `mant` (exact in a double), up to 4 more in `tail`.
    let mant = 0;
    let tail = 0;
    let tn = 0;
    let sig = 0;
    let exp = 0;
    let any = false;
    while (p < end) {
      const d = b[p] - C.D0;
      if (d < 0 || d > 9) break;
      any = true;
      if (sig < 15) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
      } else if (sig < 19) {
        tail = tail * 10 + d;
        tn++;
        sig++;
      } else exp++;
      p++;
    }
    if (p < end && b[p] === C.DOT) {
      p++;
      while (p < end) {
        const d = b[p] - C.D0;
        if (d < 0 || d > 9) break;
        any = true;
        if (sig < 15) {
          mant = mant * 10 + d;
          if (mant !== 0) sig++;
          exp--;
        } else if (sig < 19) {
          tail = tail * 10 + d;
          tn++;
          sig++;
          exp--;
        }
        p++;
      }
    }
    if (!any) return this.slowFloat(start);
    if (p < end) {
      c = b[p];
      if (c === C.e || c === C.E || c === C.d || c === C.D) {
        let q = p + 1;
        let eneg = false;
        if (b[q] === C.MINUS) {
          eneg = true;
          q++;
        } else if (b[q] === C.PLUS) q++;
        let ev = 0;
        let edig = false;
        while (q < end) {
          const d = b[q] - C.D0;
          if (d < 0 || d > 9) break;
          ev = ev * 10 + d;
          edig = true;
          q++;
        }
        if (edig) {
          exp += eneg ? -ev : ev;
          p = q;
        }
      }
    }
    this.pos = p;
    if (p < end) {
      c = b[p];
      // A number must end at a separator; "1.5abc" is an error, not 1.5.
      if (!(c === C.SP || c === C.TAB || c === C.CR || c === C.LF || c === C.COMMA)) return this.slowFloat(start);
    }
    let v: number;
    if (tn === 0 && exp === 0) v = mant;
    else if (tn === 0 && exp > 0 && exp <= 22) v = mant * POW10[exp];
    else if (tn === 0 && exp < 0 && exp >= -22) v = mant / POW10[-exp];
    else if (exp >= -280 && exp <= 280) v = composeLong(mant, tail, tn, exp);
    else v = Math.abs(Number(latin1(b, start, p).replace(/[dD]/, 'e')));
    return neg ? -v : v;
  }

  private slowFloat(start: number): number {
    const b = this.buf;
    let p = start;
    while (p < this.end) {
      const c = b[p];
      if (c === C.SP || c === C.TAB || c === C.CR || c === C.LF || c === C.COMMA) break;
      p++;
    }
    const s = latin1(b, start, p);
    const t = s.toLowerCase();
    let v: number;
    if (t === 'nan' || t === '-nan' || t === '+nan') v = NaN;
    else if (t === 'inf' || t === 'infinity' || t === '+inf' || t === '+infinity') v = Infinity;
    else if (t === '-inf' || t === '-infinity') v = -Infinity;
    else {
      v = Number(s.replace(/[dD]/, 'e'));
      if (s === '' || Number.isNaN(v)) {
        this.pos = start;
        throw this.error('bad-number', s === '' ? 'expected a number, found end of line' : `expected a number, found '${s.slice(0, 40)}'`);
      }
    }
    this.pos = p;
    return v;
  }

  /** Parse an integer at the cursor (after skipping whitespace across lines). */
  int(commas = false): number {
    this.skipWs(commas);
    return this.intHere();
  }

  intInline(commas = false): number {
    this.skipInline(commas);
    if (this.atEol()) throw this.error('bad-number', 'expected an integer, found end of line');
    return this.intHere();
  }

  intHere(): number {
    const b = this.buf;
    const end = this.end;
    let p = this.pos;
    const start = p;
    let neg = false;
    if (b[p] === C.MINUS) {
      neg = true;
      p++;
    } else if (b[p] === C.PLUS) p++;
    let v = 0;
    const ds = p;
    while (p < end) {
      const d = b[p] - C.D0;
      if (d < 0 || d > 9) break;
      v = v * 10 + d;
      p++;
    }
    if (p === ds || (p < end && !isSep(b[p]))) {
      // Tolerate "12.0" style integers some writers emit.
      let q = p;
      while (q < end && !isSep(b[q])) q++;
      const s = latin1(b, start, q);
      const f = Number(s);
      if (s === '' || !Number.isInteger(f)) {
        throw this.error('bad-number', s === '' ? 'expected an integer, found end of input' : `expected an integer, found '${s.slice(0, 40)}'`);
      }
      this.pos = q;
      return f;
    }
    this.pos = p;
    return neg ? -v : v;
  }
}

/** Parse a number in a fixed-width field buf[s, e) (blanks around it allowed); NaN when blank or bad. */
export function fixedFloat(buf: Uint8Array, s: number, e: number): number {
  while (s < e && (buf[s] === C.SP || buf[s] === C.TAB)) s++;
  while (e > s && (buf[e - 1] === C.SP || buf[e - 1] === C.CR || buf[e - 1] === C.TAB)) e--;
  if (s >= e) return NaN;
  let p = s;
  let neg = false;
  if (buf[p] === C.MINUS) {
    neg = true;
    p++;
  } else if (buf[p] === C.PLUS) p++;
  let mant = 0;
  let sig = 0;
  let exp = 0;
  let any = false;
  while (p < e) {
    const d = buf[p] - C.D0;
    if (d < 0 || d > 9) break;
    any = true;
    if (sig < 18) {
      mant = mant * 10 + d;
      if (mant !== 0) sig++;
    } else exp++;
    p++;
  }
  if (p < e && buf[p] === C.DOT) {
    p++;
    while (p < e) {
      const d = buf[p] - C.D0;
      if (d < 0 || d > 9) break;
      any = true;
      if (sig < 18) {
        mant = mant * 10 + d;
        if (mant !== 0) sig++;
        exp--;
      }
      p++;
    }
  }
  if (p < e) {
    const c = buf[p];
    // Fortran style: 1.0E+01, 1.0D+01, and Nastran's 1.0+1 / 1.0-1 (exponent sign without letter)
    if (c === C.e || c === C.E || c === C.d || c === C.D || c === C.PLUS || c === C.MINUS) {
      let q = c === C.PLUS || c === C.MINUS ? p : p + 1;
      let eneg = false;
      if (buf[q] === C.MINUS) {
        eneg = true;
        q++;
      } else if (buf[q] === C.PLUS) q++;
      let ev = 0;
      const q0 = q;
      while (q < e) {
        const d = buf[q] - C.D0;
        if (d < 0 || d > 9) break;
        ev = ev * 10 + d;
        q++;
      }
      if (q === q0) return NaN;
      exp += eneg ? -ev : ev;
      p = q;
    }
  }
  if (!any || p !== e) {
    const t = latin1(buf, s, e).toLowerCase();
    if (t === 'nan') return NaN;
    if (t === 'inf' || t === '+inf' || t === 'infinity') return Infinity;
    if (t === '-inf' || t === '-infinity') return -Infinity;
    return NaN;
  }
  let v: number;
  if (exp === 0) v = mant;
  else if (exp > 0 && exp <= 22) v = mant * POW10[exp];
  else if (exp < 0 && exp >= -22) v = mant / POW10[-exp];
  else v = mant * Math.pow(10, exp);
  return neg ? -v : v;
}

/** Integer in a fixed-width field; NaN when blank or not an integer. */
export function fixedInt(buf: Uint8Array, s: number, e: number): number {
  const v = fixedFloat(buf, s, e);
  return Number.isInteger(v) ? v : NaN;
}

// Dekker's exact product (no FMA in JS): a*b = p + e exactly.
const SPLIT = 134217729; // 2^27 + 1
function twoProdErr(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/**
 * (hi·10^n + tail)·10^exp for 16–19 significant digits, in double-double arithmetic so the result
 * is correctly rounded except in vanishingly rare near-halfway cases (plain doubles lose 1–2 ulp).
 */
function composeLong(hi: number, tail: number, n: number, exp: number): number {
  let x: number;
  let xl: number;
  if (n === 0) {
    x = hi;
    xl = 0;
  } else {
    const p = hi * POW10[n];
    const pe = twoProdErr(hi, POW10[n], p);
    const s = p + tail;
    const bb = s - p;
    const se = p - (s - bb) + (tail - bb);
    x = s + (pe + se);
    xl = pe + se - (x - s);
  }
  // Scale by 10^exp in steps of at most 10^22 (exact doubles), keeping a double-double.
  while (exp > 0) {
    const k = exp > 22 ? 22 : exp;
    const D = POW10[k];
    const r = x * D;
    const e = twoProdErr(x, D, r) + xl * D;
    x = r + e;
    xl = e - (x - r);
    exp -= k;
  }
  while (exp < 0) {
    const k = exp < -22 ? 22 : -exp;
    const D = POW10[k];
    const q1 = x / D;
    const r = q1 * D;
    const re = twoProdErr(q1, D, r);
    const q2 = (x - r - re + xl) / D;
    x = q1 + q2;
    xl = q2 - (x - q1);
    exp += k;
  }
  return x + xl;
}

function isSep(c: number): boolean {
  return c === C.SP || c === C.TAB || c === C.CR || c === C.LF || c === C.COMMA;
}

export function findBytes(buf: Uint8Array, needle: string, from = 0, to = buf.length): number {
  const n = needle.length;
  const c0 = needle.charCodeAt(0);
  outer: for (let i = buf.indexOf(c0, from); i >= 0 && i + n <= to; i = buf.indexOf(c0, i + 1)) {
    for (let j = 1; j < n; j++) if (buf[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Count newlines in buf[from, to): turns a byte offset into a line number. */
export function countLines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** Growable typed arrays: doubling, returned as a subarray view (no final copy). */
export class F64Builder {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    const b = new Float64Array(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  reserve(extra: number): void {
    if (this.n + extra > this.a.length) this.grow(this.n + extra);
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
  /** Exact-size copy; use when the slack would be large. */
  trimmed(): Float64Array {
    return this.n === this.a.length ? this.a : this.a.slice(0, this.n);
  }
}

export class I32Builder {
  a: Int32Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Int32Array(Math.max(16, cap));
  }
  push(v: number): void {
    if (this.n === this.a.length) this.grow(this.n + 1);
    this.a[this.n++] = v;
  }
  grow(min: number): void {
    const b = new Int32Array(Math.max(min, this.a.length * 2));
    b.set(this.a.subarray(0, this.n));
    this.a = b;
  }
  reserve(extra: number): void {
    if (this.n + extra > this.a.length) this.grow(this.n + extra);
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
  trimmed(): Int32Array {
    return this.n === this.a.length ? this.a : this.a.slice(0, this.n);
  }
}

/** Collects diagnostics, capping floods of one code so a broken 1M-node file stays usable. */
export class Diagnostics {
  readonly list: MeshDiagnostic[] = [];
  private counts = new Map<string, number>();
  constructor(
    readonly file: string,
    readonly cap = 50,
  ) {}
  add(severity: Severity, code: string, message: string, line: number, file = this.file, column?: number): void {
    const n = (this.counts.get(code) ?? 0) + 1;
    this.counts.set(code, n);
    if (n <= this.cap) this.list.push(column === undefined ? { severity, code, message, file, line } : { severity, code, message, file, line, column });
    else if (n === this.cap + 1) this.list.push({ severity, code, message: `more '${code}' findings not shown`, file, line });
  }
  count(code: string): number {
    return this.counts.get(code) ?? 0;
  }
}

/** A count read from a header must be a non-negative integer before anything is sized from it. */
export function checkCount(n: number, what: string, file: string, line: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new MeshReadError('bad-count', `${what}: '${n}' is not a count`, file, line);
  return n;
}

/**
 * How many of `n` declared items to allocate: no more than the rest of the file can hold at `minBytes`
 * each. A damaged count of 2^31 then costs nothing up front, and reading runs into the end of the file
 * and reports it there, as for any truncated file.
 */
export function capacity(n: number, bytesLeft: number, minBytes: number): number {
  return Math.max(0, Math.min(n, Math.floor(bytesLeft / minBytes) + 1));
}

/** Throws if the caller cancelled; checked between blocks, not per number. */
export function checkAbort(signal: AbortSignal | undefined, file: string, line: number): void {
  if (signal?.aborted) throw new MeshReadError('cancelled', 'reading was cancelled', file, line);
}
