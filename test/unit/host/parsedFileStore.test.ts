// The host's parsed-file store with a counting parser over the real readers: diagnostics, the preview
// and a prediction asking for the same file on save make one parse per content version.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readMesh } from '../../../extension/core/mesh/index';
import { ParsedFileStore, type FileUri, type MeshParser, type StoreLimits } from '../../../extension/host/parsedFileStore';

const DECK = (n: number) => `*NODE
1, 0, 0, 0
2, 1, 0, 0
3, 0, 1, 0
4, 0, 0, ${n}
*ELEMENT, TYPE=C3D4, ELSET=E
1, 1, 2, 3, 4
`;

const uriOf = (p: string): FileUri => ({ scheme: 'file', fsPath: p, path: p, toString: () => `file://${p}` });

/** An in-memory disk whose reads can be held, and a parser that counts its calls. */
function setup(limits: StoreLimits = { maxFileSizeMB: 512, maxPoints: 5_000_000 }) {
  const disk = new Map<string, { bytes: Uint8Array; mtime: number }>();
  let clock = 1000;
  const write = (p: string, text: string) => disk.set(p, { bytes: new TextEncoder().encode(text), mtime: clock++ });
  const parsed: string[] = [];
  const aborted: string[] = [];
  let hold: Promise<void> | undefined;
  const parse: MeshParser = (bytes, file, opts) => {
    parsed.push(file);
    if (opts.signal?.aborted) aborted.push(file);
    return readMesh(bytes, file, opts);
  };
  const current = { ...limits };
  const store = new ParsedFileStore<FileUri>({
    source: {
      stat: async (u) => {
        const f = disk.get(u.fsPath);
        if (!f) throw new Error(`ENOENT ${u.fsPath}`);
        return { mtime: f.mtime, size: f.bytes.byteLength };
      },
      read: async (u) => {
        const f = disk.get(u.fsPath)!.bytes;
        await hold;
        return f;
      },
    },
    limits: () => current,
    parse,
  });
  const changes: string[] = [];
  store.onDidChange((u) => changes.push(u.toString()));
  return { store, write, parsed, aborted, changes, limits: current, holdReads: (p: Promise<void> | undefined) => (hold = p) };
}

test('save with a preview open: diagnostics, preview and prediction share one parse per version', async () => {
  const { store, write, parsed, changes } = setup();
  const deck = uriOf('/w/plate.inp');
  write(deck.fsPath, DECK(1));
  // As on save: the watcher's parse (diagnostics), the preview's redraw and the re-prediction ask at once.
  const watcher = new AbortController();
  const predict = new AbortController();
  const [d, p, r] = await Promise.all([
    store.read(deck, { signal: watcher.signal, checks: true }),
    store.read(deck),
    store.read(deck, { signal: predict.signal }),
  ]);
  assert.equal(parsed.length, 1, 'one parse for three consumers');
  assert.ok(p === r && d.version === p.version && d.mesh === p.mesh, 'all three get the same parse');
  assert.ok(d.mesh);
  // And again later (the file watcher's debounced change event, the predict job): no new parse.
  assert.equal(await store.read(deck, { checks: true }), d, 'the checked parse is kept too');
  assert.equal(await store.read(deck, { signal: predict.signal }), p);
  assert.equal(parsed.length, 1);
  assert.deepEqual(changes, [deck.toString()], 'one change event for the new version');
  assert.deepEqual(store.stats(), { parses: 1, abandoned: 0, hits: 2, joined: 2 });

  write(deck.fsPath, DECK(2));
  const next = await Promise.all([store.read(deck), store.read(deck), store.read(deck)]);
  assert.equal(parsed.length, 2, 'the new version is parsed once');
  assert.ok(next.every((x) => x === next[0]) && next[0] !== p && next[0].version > p.version);
  assert.equal(store.latest(deck), next[0]);
  assert.equal(changes.length, 2);
});

test('a reader that gives up does not cancel the parse for the others; when all give up it is aborted', async () => {
  const { store, write, parsed, aborted, holdReads } = setup();
  const deck = uriOf('/w/a.inp');
  write(deck.fsPath, DECK(1));
  let release!: () => void;
  holdReads(new Promise<void>((r) => (release = r)));
  const quitter = new AbortController();
  const first = store.read(deck, { signal: quitter.signal });
  const preview = store.read(deck);
  await new Promise((r) => setImmediate(r));
  quitter.abort(new Error('superseded'));
  await assert.rejects(first, /superseded/);
  release();
  assert.ok((await preview).mesh, 'the preview still gets the mesh');
  assert.equal(parsed.length, 1);

  write(deck.fsPath, DECK(2));
  holdReads(new Promise<void>((r) => (release = r)));
  const a = new AbortController();
  const b = new AbortController();
  const ra = store.read(deck, { signal: a.signal });
  const rb = store.read(deck, { signal: b.signal });
  await new Promise((r) => setImmediate(r));
  a.abort(new Error('cancelled a'));
  b.abort(new Error('cancelled b'));
  await assert.rejects(ra, /cancelled a/);
  await assert.rejects(rb, /cancelled b/);
  // A new reader of the same version does not join the aborted parse.
  const again = store.read(deck);
  release();
  assert.ok((await again).mesh);
  assert.deepEqual(aborted, [], 'the abandoned parse stopped before parsing');
  assert.equal(parsed.length, 2);
  assert.equal(store.stats().abandoned, 1);
});

test('limits are part of the version: a refused file is parsed once the limit is raised', async () => {
  const { store, write, parsed, limits } = setup({ maxFileSizeMB: 1e-5, maxPoints: 5_000_000 });
  const deck = uriOf('/w/big.inp');
  write(deck.fsPath, DECK(1));
  const refused = await store.read(deck);
  assert.equal(refused.mesh, undefined);
  assert.equal(refused.diagnostics[0]?.code, 'file-too-large');
  assert.match(refused.diagnostics[0]!.message, /above flare\.limits\.maxFileSizeMB/);
  assert.equal(parsed.length, 0, 'refused by size before it is read');
  (limits as { maxFileSizeMB: number }).maxFileSizeMB = 512;
  (limits as { maxPoints: number }).maxPoints = 3;
  assert.equal((await store.read(deck)).diagnostics[0]?.code, 'too-many-points');
  (limits as { maxPoints: number }).maxPoints = 100;
  assert.ok((await store.read(deck)).mesh);
  assert.equal(parsed.length, 2);
});

test('unsaved text is its own version; the preview keeps the file on disk', async () => {
  const { store, write, parsed } = setup();
  const deck = uriOf('/w/t.inp');
  write(deck.fsPath, DECK(1));
  const onDisk = await store.read(deck);
  const text = { version: 2, bytes: new TextEncoder().encode(DECK(3)) };
  const typed = await store.read(deck, { text });
  assert.equal(typed.source, 'text');
  assert.equal(await store.read(deck, { text: { version: 2, bytes: text.bytes.slice() } }), typed, 'same version, same text: cached');
  assert.equal(store.latest(deck), typed);
  assert.equal(await store.read(deck), onDisk, 'the file on disk is still cached');
  // A reopened document counts from 1 again: same version number, other text, parsed again.
  const reopened = await store.read(deck, { text: { version: 2, bytes: new TextEncoder().encode(DECK(4)) } });
  assert.notEqual(reopened, typed);
  assert.equal(parsed.length, 3);
  // Saved: the newer file on disk replaces the text's parse, which is not kept beside it.
  write(deck.fsPath, DECK(4));
  const saved = await store.read(deck);
  assert.equal(store.latest(deck), saved);
  assert.notEqual(await store.read(deck, { text: { version: 2, bytes: new TextEncoder().encode(DECK(4)) } }), reopened);
  assert.equal(parsed.length, 5);
});

test('a changed *INCLUDE file makes the including deck stale', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-store-'));
  try {
    const inc = path.join(dir, 'nodes.inp');
    fs.writeFileSync(inc, '*NODE\n5, 1, 1, 1\n');
    const { store, write, parsed } = setup();
    const deck = uriOf(path.join(dir, 'deck.inp'));
    write(deck.fsPath, `${DECK(1)}*INCLUDE, INPUT=nodes.inp\n`);
    const first = await store.read(deck);
    assert.equal(first.mesh!.points.length / 3, 5);
    assert.equal(await store.read(deck), first);
    fs.writeFileSync(inc, '*NODE\n5, 1, 1, 1\n6, 2, 2, 2\n');
    fs.utimesSync(inc, new Date(), new Date(Date.now() + 5000));
    const second = await store.read(deck);
    assert.equal(second.mesh!.points.length / 3, 6);
    assert.equal(parsed.length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an older version finishing late does not replace a newer one; forget drops the file', async () => {
  const { store, write, holdReads } = setup();
  const deck = uriOf('/w/race.inp');
  write(deck.fsPath, DECK(1));
  let release!: () => void;
  holdReads(new Promise<void>((r) => (release = r)));
  const old = store.read(deck);
  await new Promise((r) => setImmediate(r));
  holdReads(undefined);
  write(deck.fsPath, DECK(2));
  const fresh = await store.read(deck);
  release();
  await old;
  assert.equal(store.latest(deck), fresh);
  assert.equal(await store.read(deck), fresh);
  store.forget(deck);
  assert.equal(store.latest(deck), undefined);
});

test('the geometric checks run for diagnostics on the same parse; the preview does not wait for them', async () => {
  const { store, write, parsed } = setup();
  const deck = uriOf('/w/inverted.inp');
  write(deck.fsPath, fs.readFileSync(path.join(__dirname, '../../fixtures/mesh/inverted.inp'), 'utf8'));
  const preview = await store.read(deck);
  const diagnostics = await store.read(deck, { checks: true });
  assert.equal(parsed.length, 1);
  assert.equal(diagnostics.mesh, preview.mesh);
  const codes = (f: typeof preview) => f.diagnostics.map((d) => d.code);
  const direct = readMesh(fs.readFileSync(path.join(__dirname, '../../fixtures/mesh/inverted.inp')), deck.fsPath).diagnostics;
  assert.deepEqual(diagnostics.diagnostics, direct, 'the findings of a read with the checks, in the same order');
  assert.ok(codes(diagnostics).some((c) => !codes(preview).includes(c)), `geometric findings only with checks: ${codes(diagnostics)}`);
});
