// Deck quantities the model sees: the plane thickness from the structured *SOLID SECTION data and
// the nodal forces of *CLOAD plus pressures converted to consistent nodal forces (checked against ccx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { validateCard, type ModelCard } from '../../../extension/core/model/card';
import { buildInputs, deckQuantities } from '../../../extension/core/model/features';

const MODELS = path.resolve(__dirname, '../../../models');

function plateCard(): ModelCard {
  const r = validateCard(JSON.parse(fs.readFileSync(path.join(MODELS, 'plate2d-elasticity.card.json'), 'utf8')));
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.card;
}

function read(text: string, file = 'deck.inp'): Mesh {
  const r = readMesh(new TextEncoder().encode(text), file);
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.mesh;
}

const plate = (t: string): string => `*NODE
1, 0, 0
2, 10, 0
3, 10, 5
4, 0, 5
*ELEMENT, TYPE=CPS3, ELSET=PLATE
1, 1, 2, 3
2, 1, 3, 4
*MATERIAL, NAME=STEEL
*ELASTIC
210000, 0.3
*SOLID SECTION, ELSET=PLATE, MATERIAL=STEEL
${t}
*BOUNDARY
1, 1, 2
4, 1, 2
*STEP
*STATIC
*CLOAD
2, 1, 100.
3, 1, 100.
*END STEP
`;

test('the *SOLID SECTION thickness of the plane elements scales sigma_ref (no thickness passed)', () => {
  const card = plateCard();
  const sigma = (t: string): number => {
    const q = deckQuantities(read(plate(t)));
    assert.ok(q.ok, q.ok ? '' : q.error);
    const b = buildInputs(card, q.value);
    assert.ok(b.ok, b.ok ? '' : b.error);
    return b.value.scales.sigmaRef;
  };
  const s1 = sigma('1.');
  assert.ok(Math.abs(sigma('2.') - s1 / 2) <= 1e-12 * s1, 't = 2 halves sigma_ref');
  assert.ok(Math.abs(sigma('2.0D0,') - s1 / 2) <= 1e-12 * s1, 'Fortran exponent and a trailing comma');
  assert.equal(sigma(''), s1, 'no thickness given: 1, as in ccx');
  const m = read(plate('3.5'));
  assert.equal(m.deck?.sections?.[0].thickness, 3.5);
});

test('a bad section thickness is an error at its line', () => {
  const r = readMesh(new TextEncoder().encode(plate('-2')), 'deck.inp');
  const e = r.diagnostics.find((d) => d.code === 'inp-bad-thickness');
  assert.ok(e, JSON.stringify(r.diagnostics));
  assert.equal(e.line, 13);
});
