// Byte-level text helpers for readers: latin1 decoding, byte search and line counting.

const td = new TextDecoder('latin1');
export function latin1(buf: Uint8Array, start = 0, end = buf.length): string {
  return td.decode(buf.subarray(start, end));
}

export function findBytes(buf: Uint8Array, needle: string, from = 0, to = buf.length): number {
  const n = needle.length;
  const c0 = needle.charCodeAt(0);
  outer: for (let i = buf.indexOf(c0, from); i >= 0 && i + n <= to; i = buf.indexOf(c0, i + 1)) {
    for (let j = 1; j < n; j++) if (buf[i + j] !== needle.charCodeAt(j)) continue outer;
    return i;
  }
  return -1;
}

/** Count newlines in buf[from, to): turns a byte offset into a line number. */
export function countLines(buf: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, from); i >= 0 && i < to; i = buf.indexOf(10, i + 1)) n++;
  return n;
}
