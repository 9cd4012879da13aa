// Keyed, bounded work queue: one job per key at a time, a newer request for the same key cancels the
// older one (its AbortSignal fires), and at most `limit` keys wait; the oldest waiting key is dropped
// past that and `onDrop` told, and `onRoom` says when a place is free again, so the owner can ask again
// then (not on a timer, which would only drop another key). Used for re-parse and re-predict.

export interface QueueStats {
  readonly running: number;
  readonly waiting: number;
  readonly superseded: number;
  readonly dropped: number;
  readonly completed: number;
  /** Most keys that ever waited at once (never above `limit`). */
  readonly peakWaiting: number;
}

type Job = (signal: AbortSignal) => Promise<void>;

export class KeyedWorkQueue {
  private readonly waiting = new Map<string, Job>();
  private readonly running = new Map<string, AbortController>();
  private superseded = 0;
  private dropped = 0;
  private completed = 0;
  private peakWaiting = 0;
  private idleWaiters: (() => void)[] = [];

  private readonly onError: (key: string, e: unknown) => void;
  private readonly onDrop: (key: string) => void;
  private readonly onRoom: () => void;

  constructor(
    private readonly concurrency = 1,
    readonly limit = 64,
    hooks: { onError?: (key: string, e: unknown) => void; onDrop?: (key: string) => void; onRoom?: () => void } = {},
  ) {
    this.onError = hooks.onError ?? (() => {});
    this.onDrop = hooks.onDrop ?? (() => {});
    this.onRoom = hooks.onRoom ?? (() => {});
  }

  /** Queues `job` for `key`, replacing a waiting job and aborting a running one for the same key. */
  push(key: string, job: Job): void {
    const active = this.running.get(key);
    if (active) {
      active.abort(new Error('superseded by a newer request'));
      this.superseded++;
    }
    let oldest: string | undefined;
    if (this.waiting.has(key)) {
      this.waiting.delete(key);
      this.superseded++;
    } else if (this.waiting.size >= this.limit) {
      // Bounded: drop the oldest waiting key rather than grow without end.
      oldest = this.waiting.keys().next().value as string;
      this.waiting.delete(oldest);
      this.dropped++;
    }
    this.waiting.set(key, job);
    this.peakWaiting = Math.max(this.peakWaiting, this.waiting.size);
    this.pump();
    if (oldest !== undefined) this.onDrop(oldest); // last: the callback may push again
  }

  cancel(key: string): void {
    this.waiting.delete(key);
    this.running.get(key)?.abort(new Error('cancelled'));
  }

  cancelAll(): void {
    this.waiting.clear();
    for (const c of this.running.values()) c.abort(new Error('cancelled'));
  }

  stats(): QueueStats {
    return { running: this.running.size, waiting: this.waiting.size, superseded: this.superseded, dropped: this.dropped, completed: this.completed, peakWaiting: this.peakWaiting };
  }

  /** Resolves when nothing runs or waits. */
  idle(): Promise<void> {
    if (this.running.size === 0 && this.waiting.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    for (const [key, job] of this.waiting) {
      if (this.running.size >= this.concurrency) break;
      if (this.running.has(key)) continue; // wait until the superseded run has unwound
      this.waiting.delete(key);
      const ctrl = new AbortController();
      this.running.set(key, ctrl);
      job(ctrl.signal)
        .catch((e: unknown) => { if (!ctrl.signal.aborted) this.onError(key, e); })
        .finally(() => {
          if (this.running.get(key) === ctrl) this.running.delete(key);
          this.completed++;
          this.pump();
          if (this.waiting.size < this.limit) this.onRoom();
          if (this.running.size === 0 && this.waiting.size === 0) {
            const w = this.idleWaiters;
            this.idleWaiters = [];
            for (const r of w) r();
          }
        });
    }
  }
}
