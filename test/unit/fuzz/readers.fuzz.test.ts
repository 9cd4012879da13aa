// Bounded fuzz run of the mesh readers (the long run is `npm run fuzz`, see test/fuzz/FINDINGS.md):
// a fixed seed over the formats with no open finding, then every regression fixture in test/fuzz/crashers.
// Cases run in a separate reader process with time and memory limits, exactly as in the long run.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { readMesh } from '../../../extension/core/mesh/index';
import { CRASHER_DIR, SEED_DIR, loadSeeds, runCampaign } from '../../fuzz/campaign';
import { listCrashers, loadCrasher } from '../../fuzz/crashers';
import { DEFAULT_LIMITS, ReaderPool, type Limits } from '../../fuzz/pool';

const SEED = 20261126;
/** Extensions whose readers have no open finding (FINDINGS.md); grow this as fixes land. */
const CLEAN_FORMATS = ['bdf', 'frd', 'inp', 'msh', 'obj', 'off', 'onnx', 'ply', 'pvtu', 'stl', 'su2', 'vtk', 'vtp', 'vtu'];
const CASES_PER_FORMAT = 1000;
// Generous time base: the machine running `npm test` is shared; a hang still has to time out twice.
const LIMITS: Limits = { ...DEFAULT_LIMITS, heapMb: 384, rssMb: 768, baseMs: 3000 };

test('every seed file is valid: it reads with no error diagnostic', () => {
  const seeds = loadSeeds([SEED_DIR]);
  assert.ok(seeds.size >= 13, `seeds for ${[...seeds.keys()].join(', ')}`);
  for (const list of seeds.values()) {
    for (const s of list) {
      const r = readMesh(s.bytes, s.fileName, { readInclude: (p) => s.files.get(p) });
      assert.ok(r.mesh, s.fileName);
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), [], s.fileName);
    }
  }
});

test(`fuzz: ${CASES_PER_FORMAT} mutated cases each of ${CLEAN_FORMATS.join(', ')} (seed ${SEED}) give no finding`, async () => {
  // ONNX: the tiny seed models only (the 1.3 MB reference export is for `npm run fuzz`)
  const res = await runCampaign({ seed: SEED, casesPerFormat: CASES_PER_FORMAT, formats: CLEAN_FORMATS, limits: LIMITS, mutate: { maxBombBytes: 1 << 26 }, onnxReference: false });
  const ran = [...res.stats].map(([f, s]) => `${f} ${s.cases} (${s.rejected} rejected)`).join(', ');
  assert.deepEqual([...res.stats.keys()].sort(), [...CLEAN_FORMATS].sort(), 'every format has seeds');
  for (const s of res.stats.values()) {
    assert.equal(s.cases, CASES_PER_FORMAT);
    // the mutations must actually hurt: most cases are rejected with an error, some still read
    assert.ok(s.rejected > CASES_PER_FORMAT / 10 && s.meshes > 0, `mutations too weak or too strong: ${ran}`);
  }
  const report = res.findings
    .map((f) => `${f.format}#${f.index} ${f.outcome.verdict!.kind}: ${f.outcome.verdict!.detail}\n   ${f.case.mutation}\n   replay: npm run fuzz -- --seed ${SEED} --format ${f.format} --onnx-tiny --replay ${f.index}`)
    .join('\n');
  assert.equal(res.findings.length, 0, `findings in ${ran}:\n${report}`);
});

const open = new Set<string>((JSON.parse(fs.readFileSync(path.join(CRASHER_DIR, 'open.json'), 'utf8')) as { open: string[] }).open);
/** Per fixed fixture, the error code its fix reports (a regression then shows as a changed diagnosis, not only a crash). */
const expected = JSON.parse(fs.readFileSync(path.join(CRASHER_DIR, 'expected.json'), 'utf8')) as Record<string, string>;
const pool = new ReaderPool(LIMITS);
after(() => pool.close());

for (const name of listCrashers()) {
  const isOpen = open.has(name);
  test(`crasher ${name} gives a located error, no throw, hang or blowup`, isOpen ? { todo: 'open finding, see test/fuzz/FINDINGS.md' } : {}, async () => {
    // open ones are only looked at, so a known hang costs one time limit, not two
    const r = await pool.run(loadCrasher(name), !isOpen);
    assert.equal(r.verdict, undefined, `${r.verdict?.kind}: ${r.verdict?.detail}${r.stack ? `\n${r.stack}` : ''}`);
    // a broken mesh must be reported; a broken model may still open (the engine then refuses it with a reason)
    if (!name.endsWith('.onnx')) assert.ok(r.errors > 0, 'a broken file must be reported with at least one error diagnostic');
    if (expected[name]) assert.ok(r.codes?.includes(expected[name]), `expected an error '${expected[name]}', got ${JSON.stringify(r.codes)}`);
  });
}

test('every fixture listed as open exists', () => {
  const all = new Set(listCrashers());
  for (const n of open) assert.ok(all.has(n), `open.json lists ${n}, which is not in test/fuzz/crashers`);
});
