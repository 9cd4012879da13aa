// `flare inspect`: JSON shape, meshio cell type names and counts, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { inspectCommand } from '../../../extension/cli/commands/inspect';
import { COMMANDS } from '../../../extension/cli/commands/index';
import { CORPUS, loadCorpus } from './corpus-helpers';

const corpus = loadCorpus();
const FIX = join(__dirname, '../../fixtures/mesh');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await inspectCommand.run(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

test('registered in the CLI table', () => {
  assert.ok(COMMANDS.includes(inspectCommand));
});

for (const file of ['tet2_gmsh41b.msh', 'hex2_mio_zlib.vtu', 'ccx_hex20.inp', 'wedge2_gmsh22a.msh']) {
  test(`inspect --json ${file} matches meshio's counts`, async () => {
    const { code, out } = await run([join(CORPUS, file), '--json']);
    assert.equal(code, 0);
    const j = JSON.parse(out);
    assert.deepEqual(Object.keys(j), ['file', 'format', 'dimension', 'points', 'cells', 'pointData', 'cellData', 'sets', 'bounds', 'diagnostics']);
    const exp = corpus.cases.find((c) => c.file === file)!.expect;
    assert.equal(j.points, exp.points);
    assert.deepEqual(j.cells, exp.counts);
    const xs = exp.coords.filter((_, i) => i % 3 === 0);
    assert.equal(j.bounds[0][0], Math.min(...xs));
    assert.equal(j.bounds[1][0], Math.max(...xs));
    for (const d of j.diagnostics) assert.deepEqual(Object.keys(d), ['severity', 'code', 'line', 'message']);
  });
}

test('deck sets and data arrays are listed', async () => {
  const j = JSON.parse((await run([join(FIX, 'deck.inp'), '--json'])).out);
  assert.deepEqual(j.sets.nodes, { nall: 5, FIX: 2, RANGE: 3, BOTH: 5 });
  assert.deepEqual(j.sets.elements, { Solid: 2, SKIN: 1, ALLE: 3 });
  const r = JSON.parse((await run([join(FIX, 'results.frd'), '--json'])).out);
  assert.deepEqual(r.pointData, [{ name: 'DISP', components: 3 }, { name: 'NDTEMP', components: 1 }]);
});

test('unreadable file: exit 1 with {"error": {file, line, message}}', async () => {
  const f = join(FIX, 'truncated_nodes.msh');
  const r = await run([f, '--json']);
  assert.equal(r.code, 1);
  assert.deepEqual(JSON.parse(r.out), { error: { file: f, line: 8, message: '$Nodes declares 4 nodes but the file ends after 2' } });
  const missing = await run(['/nonexistent/x.inp', '--json']);
  assert.equal(missing.code, 1);
  assert.equal(JSON.parse(missing.out).error.file, '/nonexistent/x.inp');
});

test('error diagnostics exit 1; human output lists diagnostics with lines', async () => {
  const r = await run([join(FIX, 'undefined_node.inp')]);
  assert.equal(r.code, 1);
  assert.match(r.out, /error\s+line 8: element 2 refers to undefined node 99/);
  assert.match(r.out, /tetra: 1/);
});

test('usage errors exit 2', async () => {
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['a.inp', '--bogus'])).code, 2);
});
