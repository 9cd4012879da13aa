import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readNpy, writeNpy, toFloat32 } from '../../../extension/core/runtime/npy';

const REF = path.resolve(__dirname, '../../../../shared/reference');

test('reads the reference x.npy written by NumPy', () => {
  const r = readNpy(fs.readFileSync(path.join(REF, 'x.npy')), 'x.npy');
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.array.dtype, 'float32');
  assert.deepEqual(r.array.shape, [1, 2000, 3]);
  assert.equal(r.array.data.length, 6000);
  for (const v of r.array.data) assert.ok(Number.isFinite(Number(v)));
});

test('write/read round trip for every dtype and shape rank', () => {
  const cases = [
    { data: new Float32Array([1.5, -2, 3e-7, 4]), shape: [2, 2] },
    { data: new Float64Array([Math.PI, -1e300, 0]), shape: [3] },
    { data: new Int32Array([7, -8, 9, 10, 11, 12]), shape: [1, 2, 3] },
    { data: new BigInt64Array([1n, -(2n ** 40n)]), shape: [2, 1] },
    { data: new Float32Array([42]), shape: [] },
  ];
  for (const c of cases) {
    const bytes = writeNpy(c.data, c.shape);
    const hl = bytes[8] | (bytes[9] << 8);
    assert.equal((10 + hl) % 64, 0, 'data 64-byte aligned');
    const r = readNpy(bytes);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(r.array.shape, c.shape);
    assert.deepEqual([...r.array.data], [...c.data]);
  }
});

function withHeader(dict: string, payload: Uint8Array, version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const hdr = new TextEncoder().encode(dict + '\n');
  const out = new Uint8Array(pre + hdr.length + payload.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const v = new DataView(out.buffer);
  if (version === 1) v.setUint16(8, hdr.length, true);
  else v.setUint32(8, hdr.length, true);
  out.set(hdr, pre);
  out.set(payload, pre + hdr.length);
  return out;
}

test('reads version 2 headers and unaligned data', () => {
  const payload = new Uint8Array(new Float64Array([1, 2, 3]).buffer);
  const r = readNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", payload, 2));
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.deepEqual([...r.array.data], [1, 2, 3]);
  assert.deepEqual(Array.from(toFloat32(r.array)), [1, 2, 3]);
});

test('clear errors for bad inputs', () => {
  const f4 = new Uint8Array(new Float32Array([1, 2]).buffer);
  const err = (b: Uint8Array): string => { const r = readNpy(b, 'f.npy'); assert.equal(r.ok, false); return r.ok ? '' : r.error; };
  assert.match(err(new Uint8Array([1, 2, 3])), /f\.npy: not a \.npy file/);
  assert.match(err(withHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", f4)), /unsupported dtype '>f4'/);
  assert.match(err(withHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", f4)), /Fortran-order/);
  assert.match(err(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", f4)), /truncated: shape \(3\) needs 12 bytes, file has 8/);
  assert.match(err(withHeader("{'descr': '<f4'}", f4)), /malformed header/);
  assert.throws(() => writeNpy(new Float32Array(3), [2, 2]), /holds 4 values, data has 3/);
});
