// Entry point of the mesh I/O module: `readMesh` never throws; problems come back as diagnostics.
import { Diagnostics } from './diagnostics';
import { MeshReadError } from './readError';
import { formatForFile, FORMATS } from './registry';
import { checkMesh } from './checks';
import type { ReadOptions, ReadResult } from './types';
import { pointCount } from './types';

export * from './types';
export { FORMATS, formatForFile, supportedExtensions } from './registry';
export { checkMesh, checkMeshGeometry } from './checks';
export { extractSurface, type Surface } from './surface';
export { writeVtu, type VtuWriteOptions } from './writers/vtu';
export { writeVtk, type VtkWriteOptions } from './writers/vtk';
export type { CheckOptions } from './checks';
export type { MeshFormat, ReadContext } from './build';

export function readMesh(bytes: Uint8Array, fileName: string, opts: ReadOptions = {}): ReadResult {
  // Node's Buffer overrides slice() to return a view; the readers rely on Uint8Array's copying slice.
  if (bytes.constructor !== Uint8Array) bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const diag = new Diagnostics(fileName);
  const format = formatForFile(fileName);
  if (!format) {
    const exts = FORMATS.flatMap((f) => f.extensions).join(' ');
    diag.add('error', 'unknown-format', `no reader for this file extension (supported: ${exts})`, 1);
    return { diagnostics: diag.list };
  }
  try {
    const mesh = format.read(bytes, { file: fileName, opts, diag });
    if (opts.maxPoints !== undefined && pointCount(mesh) > opts.maxPoints) {
      diag.add('error', 'too-many-points', `mesh has ${pointCount(mesh)} points, more than the limit of ${opts.maxPoints}`, 1);
      return { diagnostics: diag.list };
    }
    checkMesh(mesh, diag, { geometry: opts.checks !== false });
    return { mesh, diagnostics: diag.list };
  } catch (e) {
    if (e instanceof MeshReadError) {
      diag.list.push({ severity: 'error', code: e.code, message: e.message, file: e.file, line: e.line, ...(e.column !== undefined ? { column: e.column } : {}) });
    } else {
      // A reader bug or a RangeError from a hostile file: still a value, never a throw.
      const msg = e instanceof Error ? e.message : String(e);
      diag.list.push({ severity: 'error', code: 'read-failed', message: `could not read ${format.name} file: ${msg}`, file: fileName, line: 1 });
    }
    return { diagnostics: diag.list };
  }
}
