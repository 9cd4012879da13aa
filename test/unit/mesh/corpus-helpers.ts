// Shared by the corpus tests: make (or reuse) the gmsh/meshio/ccx corpus under .cache/mesh-corpus.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const CORPUS = join(ROOT, '.cache/mesh-corpus');
export const PY = '/usr/bin/python3';

export interface CorpusCase {
  file: string;
  note: string;
  expect: {
    points: number;
    pointDim?: number;
    coords: number[];
    counts?: Record<string, number>;
    cells?: Record<string, number[]>;
    pointData?: { name: string; components: number; values: number[] }[];
    cellData?: { name: string; type: string; components: number; values: number[] }[];
    frdDisp?: { ids: number[]; values: number[] };
    etype?: string;
  };
}

/** The corpus manifest; generated on first use. Throws (fails the test) when gmsh/meshio are missing. */
export function loadCorpus(): { cases: CorpusCase[]; meshio: string; gmsh: string } {
  const manifest = join(CORPUS, 'manifest.json');
  if (!existsSync(manifest)) {
    try {
      execFileSync(PY, ['-c', 'import gmsh, meshio, numpy'], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(`${PY} needs gmsh, meshio and numpy for the mesh corpus (apt install python3-gmsh python3-meshio): ${(e as Error).message}`);
    }
    execFileSync(PY, [join(ROOT, 'scripts/mesh-corpus/make_corpus.py'), CORPUS], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as { cases: CorpusCase[]; meshio: string; gmsh: string };
}

export function readFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
