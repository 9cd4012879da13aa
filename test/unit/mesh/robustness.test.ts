// Truncated and corrupted versions of real files (every format in the corpus): readMesh never throws,
// never hangs, and a missing mesh always comes with an error diagnostic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMesh, pointCount, CELL_TYPES } from '../../../extension/core/mesh/index';
import { CORPUS, loadCorpus } from './corpus-helpers';

const corpus = loadCorpus();

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

// one small file per extension/variant
const picks = new Map<string, string>();
for (const c of corpus.cases) {
  if (!/^(tet1|plate1|hex2|wedge2|ccx_hex8|ccx_hex20)_?/.test(c.file)) continue;
  const key = c.file.split('_')[0] === 'ccx' ? c.file : c.file.replace(/^[a-z0-9]+_/, '') + (/^(hex2|wedge2)/.test(c.file) ? '2' : '');
  if (!picks.has(key)) picks.set(key, c.file);
}

for (const file of picks.values()) {
  test(`corrupted ${file}`, () => {
    const bytes = new Uint8Array(readFileSync(join(CORPUS, file)));
    const rnd = lcg(bytes.length);
    for (let trial = 0; trial < 25; trial++) {
      const b = bytes.slice(0, trial < 10 ? Math.floor(rnd() * bytes.length) : bytes.length);
      if (trial >= 10) for (let k = 0; k < 4; k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      let r;
      try {
        r = readMesh(b, file);
      } catch (e) {
        assert.fail(`threw on trial ${trial}: ${(e as Error).stack}`);
      }
      if (!r.mesh) assert.ok(r.diagnostics.some((d) => d.severity === 'error'), `trial ${trial}: no mesh and no error`);
      else {
        // whatever was returned is safe to use: every index is in range
        const np = pointCount(r.mesh);
        for (const blk of r.mesh.cells) {
          for (const v of blk.connectivity) if (!(v >= 0 && v < np)) assert.fail(`trial ${trial}: index ${v} out of ${np}`);
          if (!blk.offsets) assert.equal(blk.connectivity.length % CELL_TYPES[blk.type].nodes, 0);
        }
      }
    }
  });
}
