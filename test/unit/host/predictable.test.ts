// Predict Fields needs a deck with supports and loads: what a plain mesh or a half deck lacks is said.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { isDeckFileName, missingForPrediction } from '../../../extension/core/model/predictable';

const DECK = path.resolve(__dirname, '../../fixtures/trust/block-c3d8.inp');

test('a deck with *BOUNDARY and *CLOAD can be predicted', () => {
  const r = readMesh(fs.readFileSync(DECK), DECK);
  assert.ok(r.mesh);
  assert.equal(missingForPrediction(r.mesh, DECK), undefined);
  assert.ok(isDeckFileName(DECK));
  assert.ok(!isDeckFileName('/w/part.vtu'));
});

test('a plain mesh, or a deck without loads or supports, is told what to add', () => {
  const text = fs.readFileSync(DECK, 'latin1');
  const r = readMesh(fs.readFileSync(DECK), DECK);
  assert.ok(r.mesh);
  const plain = missingForPrediction({ ...r.mesh, deck: undefined }, '/w/part.msh');
  assert.match(plain ?? '', /^part\.msh is a plain mesh without supports or loads: .*\*BOUNDARY.*\*CLOAD.*\*DLOAD/);
  const noLoad = text.replace(/\*CLOAD\nTOP, 3, -1000\.\n/, '');
  const r2 = readMesh(new TextEncoder().encode(noLoad), '/w/noload.inp');
  assert.ok(r2.mesh);
  assert.match(missingForPrediction(r2.mesh, '/w/noload.inp') ?? '', /^noload\.inp has no loads \(\*CLOAD or \*DLOAD\)/);
  const neither = noLoad.replace(/\*BOUNDARY\nFIX, 1, 3, 0\n/, '');
  const r3 = readMesh(new TextEncoder().encode(neither), '/w/bare.inp');
  assert.ok(r3.mesh);
  assert.match(missingForPrediction(r3.mesh, '/w/bare.inp') ?? '', /has no supports \(\*BOUNDARY\) and no loads/);
});
