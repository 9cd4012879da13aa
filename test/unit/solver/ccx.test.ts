import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findCcx, runCcx } from '../../../extension/core/solver/ccx';

// A unit cube of one C3D8 element, clamped at x=0, pulled at x=1: the real solver, no stand-in.
const CUBE = `*NODE
1,0,0,0
2,1,0,0
3,1,1,0
4,0,1,0
5,0,0,1
6,1,0,1
7,1,1,1
8,0,1,1
*ELEMENT,TYPE=C3D8,ELSET=EALL
1,1,2,3,4,5,6,7,8
*NSET,NSET=FIX
1,4,5,8
*BOUNDARY
FIX,1,3
*MATERIAL,NAME=STEEL
*ELASTIC
210000,0.3
*SOLID SECTION,ELSET=EALL,MATERIAL=STEEL
*STEP
*STATIC
*CLOAD
2,1,250.
3,1,250.
6,1,250.
7,1,250.
*NODE FILE
U
*EL FILE
S
*END STEP
`;

function deck(text: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ccx-test-'));
  const file = path.join(dir, 'cube.inp');
  fs.writeFileSync(file, text);
  return { dir, file };
}

test('ccx is installed (Debian calculix-ccx)', () => {
  assert.ok(findCcx(), 'ccx on PATH: apt-get install calculix-ccx');
});

test('solves a deck in a scratch folder and leaves the user folder untouched', async () => {
  const { dir, file } = deck(CUBE);
  const r = await runCcx(file, { timeoutMs: 60_000 });
  assert.equal(r.ok, true, r.errors.join('\n'));
  assert.ok(r.frd && r.frd.byteLength > 500);
  assert.match(new TextDecoder().decode(r.frd), /DISP/);
  assert.deepEqual(fs.readdirSync(dir), ['cube.inp']);
});

test('a broken deck reports ccx errors', async () => {
  const { file } = deck(CUBE.replace('*ELASTIC\n210000,0.3\n', ''));
  const r = await runCcx(file, { timeoutMs: 60_000 });
  assert.equal(r.ok, false);
  assert.ok(r.errors.length > 0);
});

/** A solver that hangs (and forks a child that would outlive a plain kill). */
function hangingSolver(dir: string): string {
  const exe = path.join(dir, 'hang.sh');
  fs.writeFileSync(exe, '#!/bin/sh\nsleep 300 &\nsleep 300\n', { mode: 0o755 });
  return exe;
}

test('cancelling a running solver kills its process group and reports it', async () => {
  const { dir, file } = deck(CUBE);
  const ctrl = new AbortController();
  const t = Date.now();
  setTimeout(() => ctrl.abort(), 300);
  const r = await runCcx(file, { ccx: hangingSolver(dir), signal: ctrl.signal });
  assert.equal(r.ok, false);
  assert.deepEqual(r.errors.slice(0, 1), ['cancelled']);
  assert.ok(Date.now() - t < 10_000, 'returned promptly');
});

test('a hanging solver is stopped at the time limit', async () => {
  const { dir, file } = deck(CUBE);
  const r = await runCcx(file, { ccx: hangingSolver(dir), timeoutMs: 500 });
  assert.equal(r.ok, false);
  assert.match(r.errors[0], /did not finish within/);
});

test('an already-cancelled request does not start the solver', async () => {
  const { file } = deck(CUBE);
  const ctrl = new AbortController();
  ctrl.abort();
  const r = await runCcx(file, { signal: ctrl.signal });
  assert.deepEqual(r.errors, ['cancelled']);
  assert.equal(r.wallMs, 0);
});

test('a missing executable is a clear error', async () => {
  const { file } = deck(CUBE);
  const r = await runCcx(file, { ccx: '/nonexistent/ccx' });
  assert.equal(r.ok, false);
  assert.match(r.errors.join(' '), /could not start/);
});
