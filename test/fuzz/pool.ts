// Parent side of the fuzzer: one reader child process with a JS heap cap, a resident-memory watch and
// a per-case time limit proportional to the input size. Death, timeout or memory overrun of the child
// become findings; the child is then replaced so the run goes on.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FuzzCase } from './mutate';
import type { Verdict } from './verdict';
import type { WorkReply, WorkRequest } from './worker';

const here = __dirname;
const root = path.resolve(here, '..', '..');

export interface Limits {
  /** JS heap of the reader process (--max-old-space-size), MB. */
  readonly heapMb: number;
  /** Resident set size past which the reader process is killed, MB. */
  readonly rssMb: number;
  /** Typed arrays one read may allocate, MB (counted in the reader process: allocWatch.ts). */
  readonly allocMb: number;
  /** Time limit = baseMs + msPerKb x (input size in KB). */
  readonly baseMs: number;
  readonly msPerKb: number;
  /** Passed to readMesh, like the flare.limits.maxPoints setting. */
  readonly maxPoints: number;
}

export const DEFAULT_LIMITS: Limits = { heapMb: 512, rssMb: 1024, allocMb: 256, baseMs: 2000, msPerKb: 20, maxPoints: 5_000_000 };

export interface Outcome {
  readonly verdict?: Verdict;
  readonly stack?: string;
  readonly ms: number;
  readonly errors: number;
  readonly codes?: string[];
  readonly gotMesh: boolean;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

export function inputSize(c: FuzzCase): number {
  let n = c.bytes.length;
  for (const [p, b] of c.files) if (p !== c.fileName) n += b.length;
  return n;
}

export class ReaderPool {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private stderr = '';
  private nextId = 1;
  /** Reader processes started (1 + one per crash, hang or memory kill). */
  restarts = 0;

  constructor(readonly limits: Limits = DEFAULT_LIMITS) {}

  private start(): Promise<void> {
    this.stderr = '';
    const child = fork(path.join(here, 'worker.ts'), [], {
      cwd: root,
      execArgv: ['--import', 'tsx', `--max-old-space-size=${this.limits.heapMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    this.restarts++;
    this.ready = new Promise((resolve, reject) => {
      const onMsg = (m: unknown): void => {
        if (m && typeof m === 'object' && 'ready' in m) {
          child.off('message', onMsg);
          resolve();
        }
      };
      child.on('message', onMsg);
      child.once('exit', (code) => reject(new Error(`fuzz worker exited (${code}) before it was ready: ${this.stderr.slice(-500)}`)));
    });
    return this.ready;
  }

  private kill(): void {
    const c = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }

  close(): void {
    this.kill();
  }

  timeLimit(c: FuzzCase): number {
    return this.limits.baseMs + (this.limits.msPerKb * inputSize(c)) / 1024;
  }

  /** Run one case; a timeout is retried once on a fresh process with 4x the limit before it counts as a hang (unless `confirmHang` is false). */
  async run(c: FuzzCase, confirmHang = true): Promise<Outcome> {
    const limit = this.timeLimit(c);
    const first = await this.once(c, limit);
    if (first.verdict?.kind !== 'hang' || !confirmHang) return first;
    const second = await this.once(c, 4 * limit);
    return second;
  }

  private async once(c: FuzzCase, limitMs: number): Promise<Outcome> {
    if (!this.child) await this.start();
    else await this.ready;
    const child = this.child!;
    const id = this.nextId++;
    const req: WorkRequest = { id, fileName: c.fileName, bytes: c.bytes, files: [...c.files], maxPoints: this.limits.maxPoints, allocLimit: this.limits.allocMb * 2 ** 20 };
    const t0 = performance.now();
    return new Promise<Outcome>((resolve) => {
      let done = false;
      const finish = (o: Outcome, killChild: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearInterval(watch);
        child.off('message', onMsg);
        child.off('exit', onExit);
        if (killChild) this.kill();
        resolve(o);
      };
      const elapsed = (): number => performance.now() - t0;
      const onMsg = (m: WorkReply): void => {
        if (m.id !== id) return;
        const verdict = m.verdict;
        finish({ ...(verdict ? { verdict } : {}), ...(m.stack ? { stack: m.stack } : {}), ms: m.ms, errors: m.errors, ...(m.codes ? { codes: m.codes } : {}), gotMesh: m.gotMesh }, false);
      };
      const onExit = (code: number | null, signal: string | null): void => {
        // give stderr a moment to drain so the fatal message is seen
        setTimeout(() => {
          const err = this.stderr;
          const oom = /heap out of memory|Allocation failed|invalid (?:array|table) size/i.test(err);
          const last = err.trim().split('\n').filter((l) => l.trim()).slice(-6).join(' | ').slice(-600);
          this.child = undefined;
          this.ready = undefined;
          finish({ verdict: { kind: oom ? 'oom' : 'crash', detail: `reader process died (code ${code}, signal ${signal}) after ${elapsed().toFixed(0)} ms: ${last}` }, ms: elapsed(), errors: 0, gotMesh: false }, false);
        }, 50);
      };
      const timer = setTimeout(() => {
        finish({ verdict: { kind: 'hang', detail: `no answer within ${limitMs.toFixed(0)} ms` }, ms: elapsed(), errors: 0, gotMesh: false }, true);
      }, limitMs);
      const watch = setInterval(() => {
        const r = rssMb(child.pid!);
        if (r > this.limits.rssMb) finish({ verdict: { kind: 'memory', detail: `resident memory reached ${r.toFixed(0)} MB (limit ${this.limits.rssMb} MB)` }, ms: elapsed(), errors: 0, gotMesh: false }, true);
      }, 20);
      child.on('message', onMsg);
      child.once('exit', onExit);
      child.send(req);
    });
  }
}
