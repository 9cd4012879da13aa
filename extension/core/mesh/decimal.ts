// Decimal digits to a correctly rounded double: powers of ten that are exact in a double, and
// double-double arithmetic for mantissas longer than 15 digits.

export const POW10 = new Float64Array(23);
POW10[0] = 1;
for (let i = 1; i < 23; i++) POW10[i] = POW10[i - 1] * 10;

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
export function composeLong(hi: number, tail: number, n: number, exp: number): number {
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
