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

test('a dropped key is reported to onDrop, and the peak of waiting keys never passes the limit', async () => {
  const dropped: string[] = [];
  const q = new KeyedWorkQueue(1, 4, undefined, (key) => dropped.push(key));
  q.push('busy', async () => { await tick(20); });
  for (let i = 0; i < 10; i++) q.push(`k${i}`, async () => {});
  assert.deepEqual(dropped, ['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  assert.equal(q.stats().peakWaiting, 4);
  await q.idle();
  assert.equal(q.stats().completed, 5);
});

test('a key dropped under load and asked for again later still runs with its newest job', async () => {
  const ran: string[] = [];
  const q = new KeyedWorkQueue(1, 2, undefined, (key) => setTimeout(() => q.push(key, async () => { ran.push(`${key} again`); }), 5));
  q.push('busy', async () => { await tick(20); });
  for (const k of ['a', 'b', 'c', 'd']) q.push(k, async () => { ran.push(k); });
  // Dropped keys come back on timers: wait (bounded) until all four ran.
  for (let t = 0; ran.length < 4 && t < 200; t++) await tick(10);
  await q.idle();
  // Every key ran once in the end, whether it got in at first or after being dropped.
  assert.deepEqual([...new Set(ran.map((r) => r[0]))].sort(), ['a', 'b', 'c', 'd']);
  assert.equal(ran.length, 4);
  assert.ok(q.stats().dropped >= 2);
  assert.equal(q.stats().peakWaiting, 2);
});
