// The hand-rolled number scanner must agree exactly with JavaScript's Number() (correct rounding).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scanner, fixedFloat } from '../../../extension/core/mesh/scanner';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

test('floats in every common notation parse exactly like Number()', () => {
  const rnd = lcg(42);
  const strs: string[] = ['0', '-0', '1', '-1.5', '+2.25', '1e5', '1E-5', '1.0D+03', '.5', '5.', '-.125e-2', '123456789012345678901234', '0.000000000000000000000000001', '1.7976931348623157e308', '5e-324', '2.2250738585072014e-308'];
  for (let i = 0; i < 50000; i++) {
    const x = (rnd() - 0.5) * Math.pow(10, Math.floor(rnd() * 40 - 20));
    strs.push(String(x), x.toPrecision(16), x.toExponential(16), x.toPrecision(17), x.toFixed(6), x.toExponential(5).replace('e', 'E'), x.toPrecision(19));
  }
  const sc = new Scanner(new TextEncoder().encode(strs.join('\n') + '\n'), 'x');
  for (const s of strs) {
    const v = sc.float();
    const want = Number(s.replace(/[dD]/, 'e'));
    if (!Object.is(v, want) && !(v === 0 && want === 0)) assert.fail(`'${s}': got ${v}, want ${want}`);
  }
});

test('special values, separators and errors', () => {
  const sc = new Scanner(new TextEncoder().encode('nan, -inf\tInfinity 7,8\n1.5x'), 'f.txt');
  assert.ok(Number.isNaN(sc.float(true)));
  assert.equal(sc.float(true), -Infinity);
  assert.equal(sc.float(true), Infinity);
  assert.equal(sc.int(true), 7);
  assert.equal(sc.int(true), 8);
  assert.throws(() => sc.float(), (e: Error & { code?: string; line?: number }) => e.code === 'bad-number' && e.line === 2);
});

test('fixed-width fields that touch (FRD, Nastran)', () => {
  const b = new TextEncoder().encode('-1.00000E+00-2.50000E-01 3.00000E+02   1.5-3');
  assert.equal(fixedFloat(b, 0, 12), -1);
  assert.equal(fixedFloat(b, 12, 24), -0.25);
  assert.equal(fixedFloat(b, 24, 36), 300);
  assert.equal(fixedFloat(b, 36, 44), 1.5e-3);
  assert.ok(Number.isNaN(fixedFloat(b, 36, 38)));
});
