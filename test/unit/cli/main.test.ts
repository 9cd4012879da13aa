import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { main } from '../../../extension/cli/main';

function capture() {
  let out = '';
  let err = '';
  return { io: { out: (t: string) => void (out += t), err: (t: string) => void (err += t) }, get out() { return out; }, get err() { return err; } };
}

test('flare --help lists commands and exits 0', async () => {
  const c = capture();
  assert.equal(await main(['--help'], c.io), 0);
  assert.match(c.out, /Usage: flare <command>/);
});

test('unknown command exits 2 with a message', async () => {
  const c = capture();
  assert.equal(await main(['frobnicate'], c.io), 2);
  assert.match(c.err, /unknown command 'frobnicate'/);
});
