// Shared by the corpus tests: make (or reuse) the gmsh/meshio/ccx corpus under .cache/mesh-corpus.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
    // Test files run in parallel processes: one generates (into a temp dir, then renames), the others wait.
    const lock = CORPUS + '.lock';
    mkdirSync(dirname(CORPUS), { recursive: true });
    let mine = false;
    try {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      mkdirSync(lock);
      mine = true;
    } catch {
      /* someone else is generating */
    }
    if (mine) {
      try {
        const tmp = `${CORPUS}.tmp-${process.pid}`;
        execFileSync(PY, [join(ROOT, 'scripts/mesh-corpus/make_corpus.py'), tmp], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
        rmSync(CORPUS, { recursive: true, force: true });
        renameSync(tmp, CORPUS);
      } finally {
        rmSync(lock, { recursive: true, force: true });
      }
    } else {
      const until = Date.now() + 300_000;
      while (!existsSync(manifest) && Date.now() < until) execFileSync('sleep', ['1']);
      if (!existsSync(manifest)) throw new Error(`timed out waiting for another process to generate ${CORPUS}`);
    }
  }
  return JSON.parse(readFileSync(manifest, 'utf8')) as { cases: CorpusCase[]; meshio: string; gmsh: string };
}

export function readFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}
