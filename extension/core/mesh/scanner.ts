// Byte-level scanning over a Uint8Array: numbers are parsed in place, without building
// strings per token (split()/parseFloat per token is what makes text readers slow).
// The character codes are a const enum local to this file, which is why the fixed-width parsers
// live here too: imported from another module, an enum is an object lookup per byte under tsx
// (reads measured 5x slower).
import { POW10, composeLong } from './decimal';
import { MeshReadError } from './readError';
import { latin1 } from './text';

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

function isSep(c: number): boolean {
  return c === C.SP || c === C.TAB || c === C.CR || c === C.LF || c === C.COMMA;
}
