// What the host posts to preview pages, in bytes as VS Code sends them: the JSON text with each
// typed array replaced by a reference, plus each distinct ArrayBuffer whole (a view of a larger
// buffer costs the whole buffer). No `vscode` here, so unit tests use it directly.

/** One open preview's received messages, by type. */
export interface PanelTraffic {
  readonly active: boolean;
  readonly visible: boolean;
  readonly viewColumn: number | undefined;
  readonly byType: Readonly<Record<string, { readonly count: number; readonly bytes: number }>>;
}

export function messageBytes(msg: unknown): number {
  const buffers = new Set<ArrayBufferLike>();
  const json = JSON.stringify(msg, (_k, v: unknown) => {
    if (v instanceof ArrayBuffer) {
      buffers.add(v);
      return { ref: buffers.size };
    }
    if (ArrayBuffer.isView(v)) {
      buffers.add(v.buffer);
      return { ref: buffers.size, byteOffset: v.byteOffset, byteLength: v.byteLength };
    }
    return v;
  });
  let bytes = json?.length ?? 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}
