// What a reader throws, and the guards that throw it before a damaged header can drive work.

/** Thrown inside readers only; `readMesh` turns it into a diagnostic. Never escapes the module. */
export class MeshReadError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/** A count read from a header must be a non-negative integer before anything is sized from it. */
export function checkCount(n: number, what: string, file: string, line: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new MeshReadError('bad-count', `${what}: '${n}' is not a count`, file, line);
  return n;
}

/** Throws if the caller cancelled; checked between blocks, not per number. */
export function checkAbort(signal: AbortSignal | undefined, file: string, line: number): void {
  if (signal?.aborted) throw new MeshReadError('cancelled', 'reading was cancelled', file, line);
}
