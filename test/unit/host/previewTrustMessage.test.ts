// The banner message is validated like every host → webview message (the webview trusts nothing).
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHostToWebview } from '../../../extension/core/protocol/messages';

test('previewTrust: well-formed banners pass, malformed ones are dropped', () => {
  assert.ok(parseHostToWebview({ type: 'previewTrust', level: 'warning', title: 'Outside the model\'s training range: L = 500', details: ['L = 500'] }));
  assert.ok(parseHostToWebview({ type: 'previewTrust', level: 'none', title: '', details: [] }));
  assert.equal(parseHostToWebview({ type: 'previewTrust', level: 'success', title: 'x', details: [] }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewTrust', level: 'warning', title: 'x', details: [1] }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewTrust', level: 'warning', title: 'x'.repeat(5000), details: [] }), undefined);
});
