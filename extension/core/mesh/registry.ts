// The one table of mesh formats, keyed by file extension (meshio's layout).
import type { MeshFormat } from './build';
import { frdFormat } from './formats/frd';
import { inpFormat } from './formats/inp';
import { mshFormat } from './formats/msh';
import { nastranFormat } from './formats/nastran';
import { su2Format } from './formats/su2';
import { objFormat, offFormat, plyFormat, stlFormat } from './formats/surfaces';
import { vtkFormat } from './formats/vtk';
import { vtuFormat } from './formats/vtu';

export const FORMATS: readonly MeshFormat[] = [
  inpFormat,
  frdFormat,
  mshFormat,
  vtuFormat,
  vtkFormat,
  stlFormat,
  objFormat,
  offFormat,
  plyFormat,
  su2Format,
  nastranFormat,
];

const BY_EXT = new Map<string, MeshFormat>();
for (const f of FORMATS) for (const e of f.extensions) BY_EXT.set(e, f);

/** The format for a file name, by its (case-insensitive) extension. */
export function formatForFile(fileName: string): MeshFormat | undefined {
  const lower = fileName.toLowerCase();
  let best: MeshFormat | undefined;
  let bestLen = 0;
  for (const [ext, f] of BY_EXT) if (lower.endsWith(ext) && ext.length > bestLen) [best, bestLen] = [f, ext.length];
  return best;
}

export function supportedExtensions(): string[] {
  return [...BY_EXT.keys()];
}
