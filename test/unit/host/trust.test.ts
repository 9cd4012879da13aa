// The host's verdict on applicability findings (status bar, notification, banner) and the "Check
// Mesh or Deck" summary: warnings are never reported as a clean result.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { trustBanner, trustVerdict } from '../../../extension/host/trust';
import { checkSummary } from '../../../extension/host/checkReport';
import type { Finding } from '../../../extension/core/model/findings';
import type { MeshDiagnostic } from '../../../extension/core/mesh/index';

const envelope: Finding = { severity: 'warning', code: 'envelope', message: 'L = 500 is outside the training range [60.21, 120]', file: '/w/block.inp' };
const element: Finding = { severity: 'warning', code: 'element-type', message: 'C3D8 elements: model trained on C3D10', file: '/w/block.inp', line: 33 };
const note: Finding = { severity: 'info', code: 'envelope', message: 'sigma_ref outside, rescaled exactly' };

test('no findings, or info only: ok, no banner', () => {
  assert.equal(trustVerdict([]).level, 'ok');
  const v = trustVerdict([note]);
  assert.equal(v.level, 'ok');
  assert.equal(trustBanner(v), undefined);
});

test('a warning finding: warning verdict with the reason, and a banner naming it', () => {
  const v = trustVerdict([note, envelope]);
  assert.equal(v.level, 'warning');
  assert.equal(v.headline, "outside the model's training range");
  assert.deepEqual(v.reasons, [envelope.message]);
  const b = trustBanner(v);
  assert.ok(b);
  assert.equal(b.level, 'warning');
  assert.equal(b.title, `Outside the model's training range: ${envelope.message}`);
});

test('several codes: the first code leads, the count of the others is said; errors rank first', () => {
  const v = trustVerdict([envelope, element]);
  assert.equal(v.headline, "outside the model's training range (+1 more)");
  assert.match(trustBanner(v)!.title, /\(\+1 more\)$/);
  const e = trustVerdict([envelope, { ...element, severity: 'error' }]);
  assert.equal(e.level, 'error');
  assert.equal(e.reasons[0], element.message);
  assert.match(e.headline, /^element type the model was not trained on/);
});

const diag = (severity: MeshDiagnostic['severity'], line: number, message: string): MeshDiagnostic => ({ severity, code: 'x', message, file: '/w/deck.inp', line });

test('check summary: "no problems found" when clean, counts and the first finding otherwise', () => {
  const clean = checkSummary('/w/deck.inp', 1234, []);
  assert.equal(clean.level, 'info');
  assert.equal(clean.message, 'FLARE: deck.inp (1,234 nodes): no problems found.');
  const bad = checkSummary('/w/deck.inp', 10, [diag('warning', 3, 'w1'), diag('error', 8, 'element 2 refers to undefined node 99'), diag('info', 1, 'n')]);
  assert.equal(bad.level, 'error');
  assert.deepEqual([bad.errors, bad.warnings, bad.infos], [1, 1, 1]);
  assert.match(bad.message, /1 error, 1 warning, 1 note — line 8: element 2 refers to undefined node 99 \(all in Problems\)$/);
  const unread = checkSummary('/w/deck.inp', undefined, [diag('error', 2, 'bad')]);
  assert.match(unread.message, /could not be read/);
  assert.equal(checkSummary('/w/deck.inp', 5, [diag('warning', 2, 'w')]).level, 'warning');
});
