// The reader follows CalculiX's input rules where a deck that ccx runs would otherwise fail or
// read differently: blank/missing *NODE coordinates are 0, keywords ignore case and blanks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readMesh } from '../../../extension/core/mesh/index';

function read(text: string) {
  return readMesh(new TextEncoder().encode(text), 'deck.inp', { checks: false });
}

test('*NODE: missing or blank coordinates are 0, as in ccx', () => {
  const r = read('*NODE\n1\n2, 2.\n3, 1., 2.\n4,,5.\n5, 1., , 3.\n6, 1.5D0, 2., 3.,\n7 ,\n');
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(r.mesh);
  assert.deepEqual(Array.from(r.mesh.pointIds!), [1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual(Array.from(r.mesh.points), [0, 0, 0, 2, 0, 0, 1, 2, 0, 0, 5, 0, 1, 0, 3, 1.5, 2, 3, 0, 0, 0]);
});

test('*NODE: a coordinate that is not a number is still an error at its line', () => {
  const r = read('*NODE\n1, 0, 0, 0\n2, abc, 0, 0\n');
  const e = r.diagnostics.find((d) => d.severity === 'error');
  assert.ok(e, JSON.stringify(r.diagnostics));
  assert.equal(e.line, 3);
});

test('keywords ignore case and blanks as in ccx (*solidsection = *SOLID SECTION)', () => {
  const r = read('*node\n1\n2,1\n3,0,1\n*element, type=cps3, elset=E\n1,1,2,3\n*material,name=M\n*elastic\n1000.,0.3\n*solidsection, elset=e, material=m\n2.\n*Static\n');
  assert.ok(r.mesh);
  assert.equal(r.mesh.deck?.sections?.[0].kind, 'SOLID');
  assert.equal(r.mesh.deck?.sections?.[0].thickness, 2);
  assert.equal(r.diagnostics.filter((d) => d.code === 'inp-unknown-keyword').length, 0, JSON.stringify(r.diagnostics));
});
