import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHostToWebview, parseWebviewToHost } from '../../../extension/core/protocol/messages';

test('well-formed messages pass validation typed', () => {
  assert.deepEqual(parseWebviewToHost({ type: 'ready' }), { type: 'ready' });
  const p = parseWebviewToHost({ type: 'probeResult', webgpu: true, adapter: 'x', userAgent: 'ua' });
  assert.equal(p?.type, 'probeResult');
  assert.equal(parseHostToWebview({ type: 'init', fileName: 'a.inp', byteLength: 3, format: 'inp' })?.type, 'init');
});

test('malformed and unknown messages are dropped', () => {
  for (const bad of [null, 1, 'ready', [], {}, { type: 'nope' }, { type: 'probeResult', webgpu: 'yes', userAgent: 'ua' }, { type: 'log', level: 'debug', message: 'm' }, { type: 'init', fileName: 'a', byteLength: Number.NaN, format: 'x' }, { type: '__proto__' }, { type: 'toString' }]) {
    assert.equal(parseWebviewToHost(bad), undefined, JSON.stringify(bad));
    assert.equal(parseHostToWebview(bad), undefined, JSON.stringify(bad));
  }
});
