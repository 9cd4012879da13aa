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
  const q = new KeyedWorkQueue(1, 4, { onError: (key, e) => errors.push(`${key}:${(e as Error).message}`) });
  q.push('x', async () => { throw new Error('boom'); });
  await q.idle();
  assert.deepEqual(errors, ['x:boom']);
});

test('a dropped key is reported to onDrop, and the peak of waiting keys never passes the limit', async () => {
  const dropped: string[] = [];
  const q = new KeyedWorkQueue(1, 4, { onDrop: (key) => dropped.push(key) });
  q.push('busy', async () => { await tick(20); });
  for (let i = 0; i < 10; i++) q.push(`k${i}`, async () => {});
  assert.deepEqual(dropped, ['k0', 'k1', 'k2', 'k3', 'k4', 'k5']);
  assert.equal(q.stats().peakWaiting, 4);
  await q.idle();
  assert.equal(q.stats().completed, 5);
});

test('dropped keys asked for again when the queue has room all run, without dropping more', async () => {
  const ran: string[] = [];
  const deferred = new Set<string>();
  const job = (k: string) => async () => { await tick(2); ran.push(k); };
  const q: KeyedWorkQueue = new KeyedWorkQueue(1, 2, {
    onDrop: (key) => deferred.add(key),
    onRoom: () => {
      for (const k of deferred) {
        if (q.stats().waiting >= q.limit) break;
        deferred.delete(k);
        q.push(k, job(k));
      }
    },
  });
  q.push('busy', async () => { await tick(20); });
  for (const k of ['a', 'b', 'c', 'd', 'e', 'f']) q.push(k, job(k));
  await q.idle();
  assert.deepEqual(ran.sort(), ['a', 'b', 'c', 'd', 'e', 'f']);
  // four dropped at the bound, none again when they came back
  assert.equal(q.stats().dropped, 4);
  assert.equal(q.stats().peakWaiting, 2);
});
