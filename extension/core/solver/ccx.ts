// Runs CalculiX (ccx) on a deck in a private scratch folder, so the user's folder is never written to,
// with cancellation (the process tree is killed) and a time limit. Node only; no `vscode`.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface CcxRunOptions {
  /** ccx executable; default: `ccx` on PATH. */
  readonly ccx?: string;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly onOutput?: (line: string) => void;
  /** Threads for ccx (OMP_NUM_THREADS). */
  readonly threads?: number;
}

export interface CcxResult {
  readonly ok: boolean;
  /** The .frd result bytes when ccx produced them. */
  readonly frd?: Uint8Array;
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** `*ERROR` lines ccx printed, or why it could not run. */
  readonly errors: string[];
  readonly log: string;
}

/** Finds `ccx` (or the configured path); undefined when it is not installed. */
export function findCcx(configured?: string): string | undefined {
  if (configured) return fs.existsSync(configured) ? configured : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['ccx', 'ccx_2.21', 'ccx_2.20']) {
      const p = path.join(dir, name);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return p;
      } catch { /* next */ }
    }
  }
  return undefined;
}

/** Copies the deck and the `.inp` files beside it (for *INCLUDE) into a scratch folder and solves it there. */
export async function runCcx(deckPath: string, opts: CcxRunOptions = {}): Promise<CcxResult> {
  const t0 = performance.now();
  const ccx = opts.ccx ?? findCcx();
  if (!ccx) return { ok: false, wallMs: 0, exitCode: null, signal: null, errors: ['CalculiX (ccx) was not found: install it (Debian: calculix-ccx) or set flare.solver.ccxPath'], log: '' };
  if (opts.signal?.aborted) return { ok: false, wallMs: 0, exitCode: null, signal: null, errors: ['cancelled'], log: '' };
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ccx-'));
  try {
    const srcDir = path.dirname(deckPath);
    for (const f of fs.readdirSync(srcDir)) {
      if (/\.(inp|nam|sur|bou|msh|dfl)$/i.test(f) && fs.statSync(path.join(srcDir, f)).isFile()) fs.copyFileSync(path.join(srcDir, f), path.join(scratch, f));
    }
    const job = 'flarejob';
    fs.copyFileSync(deckPath, path.join(scratch, `${job}.inp`));
    let log = '';
    const errors: string[] = [];
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      const child = spawn(ccx, ['-i', job], {
        cwd: scratch,
        env: { ...process.env, OMP_NUM_THREADS: String(opts.threads ?? Math.max(1, Math.min(4, os.cpus().length))) },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32', // own group: kill the whole tree on cancel
      });
      const kill = () => {
        try {
          if (child.pid !== undefined) process.kill(process.platform !== 'win32' ? -child.pid : child.pid, 'SIGKILL');
        } catch { /* already gone */ }
      };
      const onAbort = () => { errors.push('cancelled'); kill(); };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const timer = opts.timeoutMs ? setTimeout(() => { errors.push(`ccx did not finish within ${Math.round(opts.timeoutMs! / 1000)} s and was stopped`); kill(); }, opts.timeoutMs) : undefined;
      const onData = (d: Buffer) => {
        const text = d.toString();
        log += text;
        if (log.length > 1_000_000) log = log.slice(-500_000);
        for (const line of text.split('\n')) {
          if (/\*ERROR/i.test(line)) errors.push(line.trim());
          if (line.trim()) opts.onOutput?.(line);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.on('error', (e) => { errors.push(`could not start ${ccx}: ${e.message}`); });
      child.on('close', (c, s) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        resolve({ code: c, signal: s });
      });
    });
    const frdPath = path.join(scratch, `${job}.frd`);
    const frd = fs.existsSync(frdPath) && fs.statSync(frdPath).size > 0 ? new Uint8Array(fs.readFileSync(frdPath)) : undefined;
    if (code !== 0 && errors.length === 0) errors.push(signal ? `ccx was killed (${signal})` : `ccx exited with code ${code}`);
    if (!frd && errors.length === 0) errors.push('ccx wrote no .frd result (does the deck have *NODE FILE / *EL FILE in its step?)');
    return { ok: code === 0 && errors.length === 0 && !!frd, ...(frd ? { frd } : {}), wallMs: performance.now() - t0, exitCode: code, signal, errors, log };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
