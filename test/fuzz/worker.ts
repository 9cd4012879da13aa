// Child process that runs the readers on fuzz cases sent by the parent (pool.ts). A crash, a hang or a
// memory blowup here takes down only this process; the parent records it and starts a fresh one.
// First import: the allocation watch must replace the typed-array constructors before anything captures them.
import { alloc, resetAlloc } from './allocWatch';
import { extractSurface, formatForFile, readMesh, type ReadResult } from '../../extension/core/mesh/index';
import { Diagnostics } from '../../extension/core/mesh/diagnostics';
import { decodeOnnxModel } from '../../extension/core/engine/onnxProto';
import { recognizeFlare } from '../../extension/core/engine/recognizeFlare';
import { readOnnxInfo } from '../../extension/core/model/onnxInfo';
import { openModel } from '../../extension/core/runtime/model';
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
  /** Codes of the error diagnostics (mesh readers). */
  readonly codes?: string[];
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

/** A bug, as opposed to a clear refusal of bad bytes: what a reader must turn into a message instead. */
function isBug(e: unknown): boolean {
  return !(e instanceof Error) || e instanceof TypeError || e instanceof ReferenceError || /call stack|allocation|typed array length/i.test(e.message);
}

/**
 * Every ONNX reader on untrusted bytes: readOnnxInfo and openModel promise never to throw; decodeOnnxModel
 * throws, but a clear Error, not a TypeError; recognizeFlare refuses with a reason, never "internal error".
 */
function onnxVerdict(bytes: Uint8Array): { verdict?: Verdict; stack?: string; errors: number; ok: boolean } {
  let errors = 0;
  let ok = false;
  try {
    const info = readOnnxInfo(bytes);
    if (!info.ok && !info.error) return { verdict: { kind: 'unlocated', detail: 'readOnnxInfo refused with an empty message' }, errors: 1, ok };
    if (!info.ok) errors++;
    const opened = openModel(bytes, 'fuzz');
    if (!opened.ok && !opened.error) return { verdict: { kind: 'unlocated', detail: 'openModel refused with an empty message' }, errors: 1, ok };
    ok = opened.ok;
  } catch (e) {
    return { verdict: { kind: 'throw', detail: `readOnnxInfo/openModel threw: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}` }, stack: stackTop(e), errors, ok };
  }
  try {
    decodeOnnxModel(bytes);
  } catch (e) {
    if (isBug(e)) return { verdict: { kind: 'internal-error', detail: `decodeOnnxModel: ${e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e)}` }, stack: stackTop(e), errors, ok };
  }
  try {
    const r = recognizeFlare(bytes);
    if ('refused' in r && /^internal error/.test(r.reason)) return { verdict: { kind: 'internal-error', detail: `recognizeFlare: ${r.reason.slice(0, 200)}` }, errors, ok };
  } catch (e) {
    return { verdict: { kind: 'throw', detail: `recognizeFlare threw: ${e instanceof Error ? e.message.slice(0, 200) : String(e)}` }, stack: stackTop(e), errors, ok };
  }
  return { errors, ok };
}

function handle(raw: WorkRequest): WorkReply {
  const req: WorkRequest = { ...raw, bytes: view(raw.bytes), files: raw.files.map(([p, b]) => [p, view(b)]) };
  if (req.fileName.toLowerCase().endsWith('.onnx')) {
    resetAlloc(req.allocLimit);
    const t0 = performance.now();
    const r = onnxVerdict(req.bytes);
    const over = alloc.over;
    resetAlloc(Infinity);
    const verdict = over ? { kind: 'memory' as const, detail: `a ${(over.bytes / 2 ** 20).toFixed(0)} MB typed-array allocation took the ONNX read past its ${(req.allocLimit / 2 ** 20).toFixed(0)} MB budget` } : r.verdict;
    const stack = over ? topFrames(over.stack) : r.stack;
    return { id: req.id, ...(verdict ? { verdict } : {}), ...(stack ? { stack } : {}), allocated: alloc.bytes, ms: performance.now() - t0, errors: r.errors, gotMesh: r.ok };
  }
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
  const codes = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
  return { id: req.id, ...(verdict ? { verdict } : {}), ...(stack ? { stack } : {}), allocated, ms, errors: codes.length, codes, gotMesh: !!result.mesh };
}

process.on('message', (req: WorkRequest) => {
  process.send!(handle(req));
});
process.send!({ ready: true });
