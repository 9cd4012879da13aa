import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { KeyedWorkQueue } from '../../../extension/host/workQueue';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a newer request for the same key aborts the running one', async () => {
  const q = new KeyedWorkQueue(1, 8);
  const seen: string[] = [];
  q.push('a', async (signal) => {
    await tick(30);
    seen.push(signal.aborted ? 'first-aborted' : 'first-done');
  });
  await tick(5);
  q.push('a', async () => { seen.push('second-done'); });
  await q.idle();
  assert.deepEqual(seen, ['first-aborted', 'second-done']);
  assert.equal(q.stats().superseded, 1);
});

test('waiting jobs for one key collapse to the newest; the queue stays bounded', async () => {
  const q = new KeyedWorkQueue(1, 3);
  const ran: string[] = [];
  q.push('busy', async () => { await tick(20); });
  for (let i = 0; i < 10; i++) q.push(`k${i}`, async () => { ran.push(`k${i}`); });
  for (let i = 0; i < 5; i++) q.push('k9', async () => { ran.push(`k9-v${i}`); });
  assert.ok(q.stats().waiting <= 3);
  await q.idle();
  assert.deepEqual(ran, ['k7', 'k8', 'k9-v4']);
  assert.equal(q.stats().dropped, 7);
});

test('errors go to the error handler, not unhandled rejections', async () => {
  const errors: string[] = [];
  const q = new KeyedWorkQueue(1, 4, (key, e) => errors.push(`${key}:${(e as Error).message}`));
  q.push('x', async () => { throw new Error('boom'); });
  await q.idle();
  assert.deepEqual(errors, ['x:boom']);
});
