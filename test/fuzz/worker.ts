// Child process that runs the readers on fuzz cases sent by the parent (pool.ts). A crash, a hang or a
// memory blowup here takes down only this process; the parent records it and starts a fresh one.
// First import: the allocation watch must replace the typed-array constructors before anything captures them.
import { alloc, resetAlloc } from './allocWatch';
import { extractSurface, formatForFile, readMesh, type ReadResult } from '../../extension/mesh/index';
import { Diagnostics } from '../../extension/mesh/scan';
import { judge, type Verdict } from './verdict';

export interface WorkRequest {
  readonly id: number;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly files: [string, Uint8Array][];
  readonly maxPoints: number;
  /** Typed-array bytes one read may allocate. */
  readonly allocLimit: number;
}

export interface WorkReply {
  readonly id: number;
  readonly verdict?: Verdict;
  /** Top frames of the exception behind a throw / internal error. */
  readonly stack?: string;
  /** Typed-array bytes the read allocated. */
  readonly allocated: number;
  readonly ms: number;
  readonly errors: number;
  readonly gotMesh: boolean;
}

function topFrames(stack: string): string {
  return stack.split('\n').filter((l) => !l.includes('allocWatch')).slice(0, 5).map((l) => l.trim()).join(' | ');
}

function stackTop(e: unknown): string {
  return e instanceof Error ? topFrames(e.stack ?? e.message) : String(e);
}

/** readMesh hides the stack of a reader bug behind its diagnostic: read again without the net to get it. */
function internalStack(req: WorkRequest, files: Map<string, Uint8Array>): string | undefined {
  const fmt = formatForFile(req.fileName);
  if (!fmt) return undefined;
  try {
    fmt.read(req.bytes, { file: req.fileName, opts: { readInclude: (p) => files.get(p), maxPoints: req.maxPoints }, diag: new Diagnostics(req.fileName) });
  } catch (e) {
    return stackTop(e);
  }
  return undefined;
}

/** Bytes that arrived over IPC are plain Uint8Arrays: re-view them through the watched constructor (no copy). */
const view = (b: Uint8Array): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function handle(raw: WorkRequest): WorkReply {
  const req: WorkRequest = { ...raw, bytes: view(raw.bytes), files: raw.files.map(([p, b]) => [p, view(b)]) };
  const files = new Map(req.files);
  resetAlloc(req.allocLimit);
  const t0 = performance.now();
  let result: ReadResult;
  try {
    result = readMesh(req.bytes, req.fileName, { readInclude: (p) => files.get(p), maxPoints: req.maxPoints });
  } catch (e) {
    return { id: req.id, verdict: { kind: 'throw', detail: e instanceof Error ? e.message.slice(0, 300) : String(e) }, stack: stackTop(e), allocated: alloc.bytes, ms: performance.now() - t0, errors: 0, gotMesh: false };
  }
  const ms = performance.now() - t0;
  const allocated = alloc.bytes;
  const over = alloc.over;
  resetAlloc(Infinity); // judging and surface extraction are not the reader's budget
  let verdict = over
    ? { kind: 'memory' as const, detail: `a ${(over.bytes / 2 ** 20).toFixed(0)} MB typed-array allocation took the read past its ${(req.allocLimit / 2 ** 20).toFixed(0)} MB budget` }
    : judge(result, req.fileName, req.bytes, files);
  let stack = over ? topFrames(over.stack) : verdict?.kind === 'internal-error' ? internalStack(req, files) : undefined;
  if (!verdict && result.mesh) {
    try {
      extractSurface(result.mesh);
    } catch (e) {
      verdict = { kind: 'surface-throw', detail: e instanceof Error ? e.message.slice(0, 300) : String(e) };
      stack = stackTop(e);
    }
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return { id: req.id, ...(verdict ? { verdict } : {}), ...(stack ? { stack } : {}), allocated, ms, errors, gotMesh: !!result.mesh };
}

process.on('message', (req: WorkRequest) => {
  process.send!(handle(req));
});
process.send!({ ready: true });
