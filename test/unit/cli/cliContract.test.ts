// The CLI contract of issue 15: errors in plain text on stderr (JSON only with --json), findings in
// --json / --out FILE.json, exit 0 / 1 / 2 / 3 (--strict), `flare check` failing on error diagnostics.
// Runs the real CLI entry (main) on real decks and models; one case runs it as a child process.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { readMesh, writeVtu } from '../../../extension/core/mesh/index';

const ROOT = path.resolve(__dirname, '../../..');
const IN_FAMILY = path.join(ROOT, 'models/golden/plate2d-elasticity.inp');
const OUT_OF_FAMILY = path.join(ROOT, 'test/fixtures/trust/block-c3d8.inp');
const CLEAN_MESH = path.join(ROOT, 'test/fixtures/mesh/deck.inp');
const ERROR_MESH = path.join(ROOT, 'test/fixtures/mesh/undefined_node.inp');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

interface JsonFinding { severity: string; code: string; message: string; line?: number }

function assertFindingShape(f: JsonFinding): void {
  assert.ok(['error', 'warning', 'info'].includes(f.severity), JSON.stringify(f));
  assert.equal(typeof f.code, 'string');
  assert.ok(f.message.length > 0);
  if (f.line !== undefined) assert.ok(Number.isInteger(f.line) && f.line >= 1, JSON.stringify(f));
}

test('predict, in-family deck: exit 0 even with --strict, no warning on stderr', async () => {
  const r = await cli(['predict', IN_FAMILY, '--backend', 'wasm', '--strict']);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /: (warning|error): /);
  assert.match(r.out, /von_mises/);
});

test('predict, out-of-family deck: warnings on stderr as plain lines, exit 0 without --strict, 3 with it', async () => {
  const plain = await cli(['predict', OUT_OF_FAMILY, '--backend', 'wasm']);
  assert.equal(plain.code, 0, plain.err);
  assert.match(plain.err, /block-c3d8\.inp(:\d+)?: warning: .+ \[[a-z-]+\]\n/);
  assert.doesNotMatch(plain.out + plain.err, /^\s*[{[]/m, 'no JSON without --json');
  assert.match(plain.out, /TRUST\s+\d+ applicability finding/);
  const strict = await cli(['predict', OUT_OF_FAMILY, '--backend', 'wasm', '--strict']);
  assert.equal(strict.code, 3, strict.err);
});

test('predict, an in-family mesh in a *FREQUENCY step: an analysis warning at the step line, exit 3 under --strict', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-cli-'));
  try {
    const text = fs.readFileSync(IN_FAMILY, 'latin1');
    assert.match(text, /^\*STATIC/m);
    const deck = path.join(dir, 'frequency.inp');
    fs.writeFileSync(deck, text.replace(/^\*STATIC[^\n]*/m, '*FREQUENCY\n5'));
    const line = text.split('\n').findIndex((l) => /^\*STATIC/.test(l)) + 1;
    const r = await cli(['predict', deck, '--backend', 'wasm', '--strict', '--json']);
    assert.equal(r.code, 3, r.err);
    const j = JSON.parse(r.out) as { findings: JsonFinding[] };
    assert.ok(j.findings.some((f) => f.severity === 'warning' && f.code === 'analysis' && f.line === line), r.out);
    assert.match(r.err, new RegExp(`frequency\\.inp:${line}: warning: .*FREQUENCY.* \\[analysis\\]`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('predict --json and --out FILE.json carry findings [{severity, code, message, line?}]', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-cli-'));
  try {
    const out = path.join(dir, 'p.json');
    const r = await cli(['predict', OUT_OF_FAMILY, '--backend', 'wasm', '--json', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { findings: JsonFinding[]; fields: { name: string }[] };
    assert.ok(j.findings.some((f) => f.severity === 'warning'), r.out);
    j.findings.forEach(assertFindingShape);
    assert.ok(j.fields.some((f) => f.name === 'von_mises'));
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as { findings: JsonFinding[] };
    assert.deepEqual(written.findings, j.findings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('predict errors: plain text on stderr and nothing on stdout; JSON only with --json; exit 1', async () => {
  const r = await cli(['predict', '/nonexistent/deck.inp']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /^flare predict: cannot read \/nonexistent\/deck\.inp/m);
  assert.doesNotMatch(r.err, /[{}]/);
  const j = await cli(['predict', '/nonexistent/deck.inp', '--json']);
  assert.equal(j.code, 1);
  const e = JSON.parse(j.out) as { error: { code: string; message: string } };
  assert.equal(e.error.code, 'cannot-read');
  const unreadable = await cli(['predict', ERROR_MESH]);
  assert.equal(unreadable.code, 1);
  assert.equal(unreadable.out, '');
  assert.match(unreadable.err, /undefined_node\.inp:8: error: element 2 refers to undefined node 99/);
});

test('predict on a plain mesh (.vtu) says what is missing and how to add it, exit 1', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-cli-'));
  try {
    const res = readMesh(fs.readFileSync(OUT_OF_FAMILY), OUT_OF_FAMILY);
    assert.ok(res.mesh);
    const vtu = path.join(dir, 'block.vtu');
    fs.writeFileSync(vtu, writeVtu({ ...res.mesh, deck: undefined }));
    const r = await cli(['predict', vtu]);
    assert.equal(r.code, 1);
    assert.match(r.err, /block\.vtu is a plain mesh without supports or loads/);
    assert.match(r.err, /\*BOUNDARY/);
    assert.match(r.err, /\*CLOAD/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('predict refused by the applicability check (gravity only): exit 1, its findings at their lines on stderr and in --json', async () => {
  const deck = path.join(ROOT, 'test/fixtures/trust/block-gravity.inp');
  const r = await cli(['predict', deck, '--backend', 'wasm']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  assert.match(r.err, /block-gravity\.inp:\d+: error: .+ \[boundary\]/);
  assert.match(r.err, /block-gravity\.inp:\d+: warning: .*GRAV.* \[analysis\]/);
  const j = await cli(['predict', deck, '--backend', 'wasm', '--json']);
  assert.equal(j.code, 1);
  const o = JSON.parse(j.out) as { error: { code: string }; findings: JsonFinding[] };
  assert.equal(o.error.code, 'not-applicable');
  o.findings.forEach(assertFindingShape);
  assert.ok(o.findings.some((f) => f.severity === 'error' && f.code === 'boundary' && f.line !== undefined));
});

test('predict usage errors exit 2 (unknown option, missing deck)', async () => {
  assert.equal((await cli(['predict', OUT_OF_FAMILY, '--stirct'])).code, 2);
  assert.equal((await cli(['predict', '--strict'])).code, 2);
});

test('check (alias of inspect): 0 on a clean file, 1 with error diagnostics, 2 on usage; inspect still works', async () => {
  const clean = await cli(['check', CLEAN_MESH]);
  assert.equal(clean.code, 0, clean.err);
  const bad = await cli(['check', ERROR_MESH]);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /error\s+line 8: element 2 refers to undefined node 99/);
  assert.match(bad.err, /flare check: .*1 error diagnostic/);
  assert.equal((await cli(['inspect', ERROR_MESH])).code, 1);
  assert.equal((await cli(['check'])).code, 2);
  const missing = await cli(['check', '/nonexistent/x.inp']);
  assert.equal(missing.code, 1);
  assert.equal(missing.out, '', 'no JSON on stdout without --json');
  assert.match(missing.err, /\/nonexistent\/x\.inp:0: error: cannot read file/);
});

test('the flare process itself exits 3 under --strict on an out-of-family deck, findings on stderr only', () => {
  const p = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'extension/cli/main.ts'), 'predict', OUT_OF_FAMILY, '--backend', 'wasm', '--strict'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(p.status, 3, p.stderr);
  assert.match(p.stderr, /: warning: /);
  assert.doesNotMatch(p.stdout, /: warning: /);
});
