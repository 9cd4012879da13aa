// Node-only (not exported from index.ts, so webview bundles stay free of node:fs): the readInclude
// callback the host and the CLI give readMesh for *INCLUDE files and .pvtu pieces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MeshReadError } from './readError';

/**
 * Reads included files from disk. With `maxBytes`, a larger file is refused by its size before it is
 * read, as the including file was (error code `file-too-large`, the host's flare.limits.maxFileSizeMB).
 * A missing or unreadable file gives undefined: the reader reports it at the *INCLUDE line.
 */
export function includeFileReader(maxBytes?: number): (file: string) => Uint8Array | undefined {
  return (file) => {
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      return undefined;
    }
    if (maxBytes !== undefined && size > maxBytes) {
      const mb = (n: number): string => (n / 1024 / 1024).toFixed(1);
      throw new MeshReadError('file-too-large', `included file '${path.basename(file)}' is ${mb(size)} MB, above flare.limits.maxFileSizeMB (${+(maxBytes / 1024 / 1024).toFixed(3)} MB); raise the setting to read it`, file, 1);
    }
    try {
      return new Uint8Array(fs.readFileSync(file));
    } catch {
      return undefined;
    }
  };
}
