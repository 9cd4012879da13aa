import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { includeFileReader } from '../../../extension/core/mesh/includeFiles';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-include-'));
const part = path.join(dir, 'part.inp');
fs.writeFileSync(part, `${'** padding\n'.repeat(200)}*NODE\n1, 0, 0, 0\n2, 1, 0, 0\n3, 0, 1, 0\n4, 0, 0, 1\n`);
const deck = path.join(dir, 'deck.inp');
const deckBytes = new TextEncoder().encode('*HEADING\nx\n*INCLUDE, INPUT=part.inp\n*ELEMENT, TYPE=C3D4, ELSET=E\n1, 1, 2, 3, 4\n');

test('an included file under the limit is read; a missing one is left to the reader to report', () => {
  const r = readMesh(deckBytes, deck, { readInclude: includeFileReader(1 << 20) });
  assert.ok(r.mesh);
  assert.equal(r.mesh.points.length / 3, 4);
  assert.equal(includeFileReader()(path.join(dir, 'nope.inp')), undefined);
});

test('an included file over the limit is refused by its size, at the file, with file-too-large', () => {
  const r = readMesh(deckBytes, deck, { readInclude: includeFileReader(1000) });
  assert.equal(r.mesh, undefined);
  const e = r.diagnostics.find((d) => d.severity === 'error');
  assert.equal(e?.code, 'file-too-large');
  assert.equal(e?.file, part);
  assert.match(e?.message ?? '', /included file 'part\.inp' is 0\.0 MB, above flare\.limits\.maxFileSizeMB/);
});
