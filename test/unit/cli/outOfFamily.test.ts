// Issue 15, per type: decks an engineer would write that lie outside the shipped models' family
// (test/fixtures/out-of-family/, made by make.py, each run through ccx, see README.md there).
// Each goes through the real CLI entry as `flare predict --json --strict`: the expected finding
// codes, each at the line of the keyword (or data line) that causes it, and the exit code: 3 when it
// predicted with warnings, 1 when it could not predict. No out-of-family deck may exit 0. The table
// (../../fixtures/out-of-family/cases.ts) is shared with the VS Code integration test.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { CASES, lineOf as deckLineOf } from '../../fixtures/out-of-family/cases';

const DIR = path.resolve(__dirname, '../../fixtures/out-of-family');

interface JsonFinding { severity: string; code: string; message: string; line?: number }
interface JsonRun { findings?: JsonFinding[]; error?: { code: string; message: string }; fields?: { name: string; max: number }[] }

async function predict(deck: string): Promise<{ code: number; run: JsonRun; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['predict', deck, '--json', '--strict', '--backend', 'wasm'], { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, run: JSON.parse(out) as JsonRun, err };
}

/** The 1-based number of the first line of `text` matching `re`. */
function lineOf(text: string, re: RegExp): number {
  const line = deckLineOf(text, re);
  assert.ok(line >= 1, `no line matches ${re}`);
  return line;
}

for (const c of CASES) {
  test(`out of family: ${c.deck} → ${c.expect.map((e) => e.code).join(', ') || c.error?.code}, exit ${c.exit}`, async () => {
    const deck = path.join(DIR, c.deck);
    const text = fs.readFileSync(deck, 'latin1');
    const nLines = text.split(/\r?\n/).length;
    const { code, run, err } = await predict(deck);
    assert.equal(code, c.exit, err);
    const findings = run.findings ?? [];
    for (const e of c.expect) {
      const line = e.at ? lineOf(text, e.at) : undefined;
      const hit = findings.find((f) => f.code === e.code && f.severity === e.severity && (!e.message || e.message.test(f.message)) && f.line === line);
      assert.ok(hit, `${e.severity} ${e.code}${line ? ` at line ${line}` : ''} ${e.message ?? ''} in ${JSON.stringify(findings, null, 1)}`);
      // The plain-text line on stderr names the same line.
      assert.ok(err.includes(`${c.deck}${line ? `:${line}` : ''}: ${e.severity}: ${hit.message} [${e.code}]\n`), err);
    }
    for (const a of c.absent ?? []) assert.ok(!findings.some((f) => f.code === a && f.severity !== 'info'), `no ${a} finding expected: ${JSON.stringify(findings)}`);
    for (const f of findings) if (f.line !== undefined) assert.ok(Number.isInteger(f.line) && f.line >= 1 && f.line <= nLines, JSON.stringify(f));
    if (c.exit === 3) {
      assert.equal(run.error, undefined);
      assert.ok(findings.some((f) => f.severity === 'warning'), 'exit 3 without a warning');
      assert.ok(run.fields?.some((f) => f.name === 'von_mises'), 'still predicted');
    } else {
      assert.ok(c.error);
      assert.equal(run.error?.code, c.error.code, JSON.stringify(run));
      assert.match(run.error.message, c.error.message);
      for (const re of c.error.lines ?? []) assert.ok(run.error.message.includes(`${c.deck}:${lineOf(text, re)}`), `${re} line in: ${run.error.message}`);
    }
  });
}

test('out-of-family fixtures: every deck has a case and a README row, and stays under 200 kB', () => {
  const decks = fs.readdirSync(DIR).filter((f) => f.endsWith('.inp')).sort();
  assert.deepEqual(decks, CASES.map((c) => c.deck).sort());
  const readme = fs.readFileSync(path.join(DIR, 'README.md'), 'utf8');
  for (const d of decks) {
    assert.match(readme, new RegExp(`\\| ${d.replace(/\./g, '\\.')} \\|`), `README row for ${d}`);
    assert.ok(fs.statSync(path.join(DIR, d)).size < 200_000, `${d} under 200 kB`);
  }
});

/** Runs `flare predict --json --strict` on `text` written to a scratch deck named `name`. */
async function predictText(name: string, text: string): Promise<{ code: number; run: JsonRun; err: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-oof-'));
  try {
    const deck = path.join(dir, name);
    fs.writeFileSync(deck, text);
    return await predict(deck);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('springs beside solid elements: the model runs, SPRING1 is an element-type warning (not an error) at its *ELEMENT line', async () => {
  const text = fs.readFileSync(path.join(DIR, 'flange-springs-noboundary.inp'), 'latin1')
    .replace(/^\*STEP\n\*STATIC\n/m, '*STEP\n*STATIC\n*BOUNDARY\nLOAD, 3, 3\n');
  const { code, run, err } = await predictText('springs.inp', text);
  assert.equal(code, 3, err);
  const line = lineOf(text, /^\*ELEMENT, TYPE=SPRING1/);
  assert.ok(run.findings?.some((f) => f.code === 'element-type' && f.severity === 'warning' && f.line === line && /SPRING1/.test(f.message)), JSON.stringify(run.findings));
  assert.ok(!run.findings?.some((f) => f.severity === 'error'), JSON.stringify(run.findings));
});

test('a plane deck with part of its load out of plane: an analysis warning at the first z *CLOAD line, still predicted', async () => {
  const text = fs.readFileSync(path.join(DIR, 'plate-pressure-cps6.inp'), 'latin1')
    .replace(/^\*NODE FILE/m, '*CLOAD\n5, 3, -500.\n*NODE FILE');
  const { code, run, err } = await predictText('plate-z.inp', text);
  assert.equal(code, 3, err);
  const line = lineOf(text, /^5, 3, -500\./);
  assert.ok(run.findings?.some((f) => f.code === 'analysis' && f.severity === 'warning' && f.line === line && /out of plane/.test(f.message)), JSON.stringify(run.findings));
  assert.ok(run.fields?.some((f) => f.name === 'von_mises'));
});

test('flare check reads every out-of-family deck without an error diagnostic (ccx reads them all)', async () => {
  for (const d of CASES) {
    let out = '';
    const code = await main(['check', path.join(DIR, d.deck)], { out: (t) => void (out += t), err: (t) => void (out += t) });
    assert.equal(code, 0, `${d.deck}: ${out}`);
  }
});

test('a plane deck that also holds the out-of-plane DOF 3 (harmless in ccx) is predicted as without it: no finding, the same field', async () => {
  const golden = path.resolve(__dirname, '../../../models/golden/plate2d-elasticity.inp');
  const text = fs.readFileSync(golden, 'latin1');
  assert.match(text, /^FIX, 1, 2$/m);
  const base = await predict(golden);
  const held = await predictText('plate-dof3.inp', text.replace(/^FIX, 1, 2$/m, 'FIX, 1, 2\nNALL, 3, 3'));
  assert.equal(base.code, 0, base.err);
  assert.equal(held.code, 0, held.err);
  assert.deepEqual(held.run.findings?.filter((f) => f.severity !== 'info'), []);
  assert.deepEqual(held.run.fields, base.run.fields);
});
