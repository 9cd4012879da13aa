// Child process that runs the readers on fuzz cases sent by the parent (pool.ts). A crash, a hang or a
// memory blowup here takes down only this process; the parent records it and starts a fresh one.
import { extractSurface, formatForFile, readMesh, type ReadResult } from '../../extension/mesh/index';
import { Diagnostics } from '../../extension/mesh/scan';
import { judge, type Verdict } from './verdict';

export interface WorkRequest {
  readonly id: number;
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly files: [string, Uint8Array][];
  readonly maxPoints: number;
}

export interface WorkReply {
  readonly id: number;
  readonly verdict?: Verdict;
  /** Top frames of the exception behind a throw / internal error. */
  readonly stack?: string;
  /** External + heap memory still held after the read, with the result alive (bytes). */
  readonly retained: number;
  readonly ms: number;
  readonly errors: number;
  readonly gotMesh: boolean;
}

function stackTop(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return (e.stack ?? e.message).split('\n').slice(0, 5).map((s) => s.trim()).join(' | ');
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

function handle(req: WorkRequest): WorkReply {
  const files = new Map(req.files);
  const mem0 = process.memoryUsage();
  const t0 = performance.now();
  let result: ReadResult;
  try {
    result = readMesh(req.bytes, req.fileName, { readInclude: (p) => files.get(p), maxPoints: req.maxPoints });
  } catch (e) {
    return { id: req.id, verdict: { kind: 'throw', detail: e instanceof Error ? e.message.slice(0, 300) : String(e) }, stack: stackTop(e), retained: 0, ms: performance.now() - t0, errors: 0, gotMesh: false };
  }
  const ms = performance.now() - t0;
  const mem1 = process.memoryUsage();
  const retained = Math.max(0, mem1.arrayBuffers - mem0.arrayBuffers) + Math.max(0, mem1.heapUsed - mem0.heapUsed);
  let verdict = judge(result, req.fileName, req.bytes, files);
  let stack = verdict?.kind === 'internal-error' ? internalStack(req, files) : undefined;
  if (!verdict && result.mesh) {
    try {
      extractSurface(result.mesh);
    } catch (e) {
      verdict = { kind: 'surface-throw', detail: e instanceof Error ? e.message.slice(0, 300) : String(e) };
      stack = stackTop(e);
    }
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  return { id: req.id, ...(verdict ? { verdict } : {}), ...(stack ? { stack } : {}), retained, ms, errors, gotMesh: !!result.mesh };
}

process.on('message', (req: WorkRequest) => {
  process.send!(handle(req));
});
process.send!({ ready: true });
