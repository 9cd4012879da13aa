// What every mutator works on: one fuzz case (a file and its companions), latin1 text/bytes
// round trips, path helpers, and the mutator signature.
import type { Rng } from './rng';

/** One input to a reader: the file itself plus every file its includes may resolve to (virtual paths). */
export interface FuzzInput {
  /** Virtual absolute path, e.g. /fuzz/deck.inp; includes resolve relative to it. */
  readonly fileName: string;
  readonly bytes: Uint8Array;
  /** path → bytes for readInclude (companion files: *INCLUDE targets, .pvtu pieces). */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

export interface FuzzCase extends FuzzInput {
  /** What was done to the seed, e.g. "truncate@812; number@44:'NaN'". */
  readonly mutation: string;
}

export interface MutateOptions {
  /** Largest inflated size a zlib bomb may declare/produce (bytes). */
  readonly maxBombBytes: number;
}

export const enc = new TextEncoder();
const dec = new TextDecoder('latin1');
export const text = (b: Uint8Array): string => dec.decode(b);
/** latin1 round trip: every byte maps to one char, so binary regions survive text edits. */
export const bytesOf = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
};

export function extOf(fileName: string): string {
  const m = /\.([A-Za-z0-9]+)$/.exec(fileName);
  return m ? m[1].toLowerCase() : '';
}
export const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
export const dirName = (p: string): string => p.slice(0, p.lastIndexOf('/') + 1);

export type Mutator = (c: FuzzCase, rng: Rng, o: MutateOptions) => FuzzCase | undefined;

export function withBytes(c: FuzzCase, bytes: Uint8Array, what: string): FuzzCase {
  const files = new Map(c.files);
  files.set(c.fileName, bytes); // the file can include itself: keep the copy on "disk" in sync
  return { fileName: c.fileName, bytes, files, mutation: c.mutation ? `${c.mutation}; ${what}` : what };
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((a, p) => a + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
