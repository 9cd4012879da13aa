// Deterministic memory accounting for the reader process: the typed-array constructors are replaced by
// subclasses that add up the bytes each new array allocates (by length or copy; views over an existing
// buffer cost nothing) and refuse an allocation that would take the read past its budget. Node commits
// huge typed arrays lazily, so resident memory alone misses a 40 GB `new Float64Array(n)` from a 400-byte
// file; a browser tab would not. The refusal throws at the allocation site, so the finding has its stack.
// Only the fuzz worker imports this (it changes globals).

export interface AllocState {
  /** Bytes allocated since the last reset. */
  bytes: number;
  /** Budget for one read, in bytes. */
  limit: number;
  /** Set when the budget was exceeded: the allocation asked for and where. */
  over: { bytes: number; stack: string } | undefined;
}

export const alloc: AllocState = { bytes: 0, limit: Infinity, over: undefined };

export function resetAlloc(limit: number): void {
  alloc.bytes = 0;
  alloc.limit = limit;
  alloc.over = undefined;
}

export class AllocationLimitError extends RangeError {}

type TypedCtor = new (...args: unknown[]) => object;
const KINDS: (TypedCtor & { BYTES_PER_ELEMENT: number; name: string })[] = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as unknown as (TypedCtor & { BYTES_PER_ELEMENT: number; name: string })[];

function elementsAsked(a0: unknown): number {
  if (typeof a0 === 'number') return a0;
  if (a0 instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && a0 instanceof SharedArrayBuffer)) return 0; // a view
  if (a0 && typeof a0 === 'object' && 'length' in a0) return Number((a0 as { length: unknown }).length) || 0;
  return 0;
}

let installed = false;
export function installAllocWatch(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const Base of KINDS) {
    const size = Base.BYTES_PER_ELEMENT;
    const Watched = class extends Base {
      constructor(...args: unknown[]) {
        const bytes = elementsAsked(args[0]) * size;
        if (bytes > 0 && Number.isFinite(bytes)) {
          alloc.bytes += bytes;
          if (alloc.bytes > alloc.limit) {
            const err = new AllocationLimitError(`${Base.name}(${bytes / size}) would take the read to ${(alloc.bytes / 2 ** 20).toFixed(0)} MB (budget ${(alloc.limit / 2 ** 20).toFixed(0)} MB)`);
            alloc.over ??= { bytes, stack: err.stack ?? '' };
            throw err;
          }
        }
        super(...args);
      }
    };
    Object.defineProperty(Watched, 'name', { value: Base.name });
    g[Base.name] = Watched;
  }
}

// Installed on import, before the readers and fflate load and capture the constructors.
installAllocWatch();
