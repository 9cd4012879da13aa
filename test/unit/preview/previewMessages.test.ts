import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseHostToWebview, parseWebviewToHost } from '../../../extension/core/protocol/messages';

test('preview messages: surface and fields carry typed arrays of consistent sizes', () => {
  const surface = { type: 'surface', points: new Float32Array(9), triangles: new Uint32Array([0, 1, 2]), nodeMap: new Uint32Array([0, 1, 2]), triangleCell: new Uint32Array([0]), volumePoints: 3, cells: 1, parseMs: 1 };
  assert.equal(parseHostToWebview(surface)?.type, 'surface');
  assert.equal(parseHostToWebview({ ...surface, points: new Float32Array(6) }), undefined, 'points must match nodeMap');
  assert.equal(parseHostToWebview({ ...surface, triangles: [0, 1, 2] }), undefined, 'plain arrays are refused');
  assert.equal(parseHostToWebview({ ...surface, nodeIds: new Float32Array(3) }), undefined);
  const fields = { type: 'fields', name: 'U', components: 3, values: new Float32Array(9), unit: 'mm' };
  assert.equal(parseHostToWebview(fields)?.type, 'fields');
  assert.equal(parseHostToWebview({ ...fields, values: new Float32Array(8) }), undefined, 'values must be whole tuples');
  assert.equal(parseHostToWebview({ ...fields, association: 'face' }), undefined);
  assert.equal(parseHostToWebview({ ...fields, components: 0 }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewCapture', requestId: 1 })?.type, 'previewCapture');
});

test('preview messages from the webview: only PNG data URLs are saved', () => {
  assert.equal(parseWebviewToHost({ type: 'saveImage', dataUrl: 'data:image/png;base64,AAAA', suggestedName: 'a.png' })?.type, 'saveImage');
  assert.equal(parseWebviewToHost({ type: 'saveImage', dataUrl: 'data:text/html,<script>', suggestedName: 'a.png' }), undefined);
  assert.equal(parseWebviewToHost({ type: 'previewCaptured', requestId: 2, dataUrl: 'data:image/png;base64,', state: '{}' })?.type, 'previewCaptured');
});

test('preview focus: a whole non-negative node index, optional id and three finite coordinates', () => {
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: 4, nodeId: 17, coords: [0, 1.5, -2] })?.type, 'previewFocus');
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: 0 })?.type, 'previewFocus');
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: -1 }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: 1.5 }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: 1, coords: [0, 1] }), undefined);
  assert.equal(parseHostToWebview({ type: 'previewFocus', node: 1, coords: [0, 1, Number.NaN] }), undefined);
});
