// Waiting on the extension host from integration tests: a condition polled until it holds, and a
// line of the host's FLARE log (FLARE.log in the extension's log folder).
import * as vscode from 'vscode';
import type { FlareApi } from '../../../extension/host/extension';

export const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` every `every` ms until it gives a value; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 30_000, every = 100): Promise<T> {
  const t = Date.now();
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() - t > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await tick(every);
  }
}

/** Waits until the host's FLARE log has a line matching `re`, and returns it. */
export async function logged(flare: FlareApi, re: RegExp, ms = 20_000): Promise<string> {
  const file = vscode.Uri.joinPath(flare.logUri, 'FLARE.log');
  return waitFor(`${re} in FLARE.log`, async () => {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(file)).split('\n').find((l) => re.test(l));
    } catch {
      return undefined;
    }
  }, ms, 200);
}
