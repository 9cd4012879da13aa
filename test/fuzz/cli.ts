// `npm run fuzz -- [--cases N] [--seed S] [--format ext[,ext]] [--corpus] [--onnx-tiny] [--replay i[,i]] [--out DIR] [--promote DIR,...]`
// Long fuzz run of the mesh readers. Deterministic: the same seed, format and case index give the same
// input. Findings are written to out/fuzz/<format>-<index>/ (main file, companions, finding.json).
// Exit status 1 when anything was found.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SEED_DIR, runCampaign, saveFinding, type Finding } from './campaign';
import { saveCrasher } from './crashers';
import { DEFAULT_LIMITS } from './pool';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    format: { type: 'string' },
    corpus: { type: 'boolean', default: false },
    replay: { type: 'string' },
    out: { type: 'string', default: 'out/fuzz' },
    'rss-mb': { type: 'string' },
    'bomb-mb': { type: 'string', default: '1024' },
    promote: { type: 'string' },
    // ONNX seeds without the 1.3 MB reference export (what the bounded run in npm test uses)
    'onnx-tiny': { type: 'boolean', default: false },
  },
});

const root = path.resolve(__dirname, '..', '..');
const seedDirs = [SEED_DIR, path.join(root, 'test', 'fixtures', 'mesh')];
// --corpus: also the generated comparison corpus (scripts/mesh-corpus/make_corpus.py), when present
if (values.corpus) seedDirs.push(path.join(root, '.cache', 'mesh-corpus'));

const formats = values.format?.split(',').map((s) => s.trim().replace(/^\./, '').toLowerCase());
const only = values.replay?.split(',').map(Number);
const outDir = path.resolve(root, values.out!);
const limits = { ...DEFAULT_LIMITS, ...(values['rss-mb'] ? { rssMb: Number(values['rss-mb']) } : {}) };

function signature(f: Finding): string {
  const v = f.outcome.verdict!;
  const frame = /\(([^()]*extension\/[^():]+):(\d+)/.exec(f.outcome.stack ?? '');
  const where = frame ? `${path.relative(root, frame[1])}:${frame[2]}` : '';
  const code = /error '([\w-]+)'/.exec(v.detail)?.[1] ?? '';
  const what =
    v.kind === 'invalid-mesh'
      ? v.detail.replace(/-?\d+/g, 'N').slice(0, 60)
      : v.kind === 'internal-error' || v.kind === 'throw'
        ? v.detail.replace(/-?\d+/g, 'N').slice(0, 60)
        : '';
  return `${f.format} ${v.kind} ${code} ${where} ${what}`.replace(/\s+/g, ' ').trim();
}

/** --promote out/fuzz/vtu-6,...: keep saved findings as regression fixtures in test/fuzz/crashers/. */
function promote(dirs: string[]): void {
  for (const d of dirs) {
    const meta = JSON.parse(fs.readFileSync(path.join(d, 'finding.json'), 'utf8')) as { format: string; file: string };
    const files = new Map<string, Uint8Array>();
    for (const f of fs.readdirSync(d)) if (f !== 'finding.json') files.set(`/fuzz/${f}`, new Uint8Array(fs.readFileSync(path.join(d, f))));
    const fileName = `/fuzz/${meta.file}`;
    console.log(`${d} -> test/fuzz/crashers/${saveCrasher({ fileName, bytes: files.get(fileName)!, files, mutation: '' }, meta.format)}`);
  }
}

async function main(): Promise<void> {
  if (values.promote) return promote(values.promote.split(','));
  console.log(
    `fuzz: seed ${values.seed}, ${only ? `replay ${only.join(',')}` : `${values.cases} cases per format`}, formats ${formats?.join(',') ?? 'all'}; findings -> ${path.relative(root, outDir)}`,
  );
  const res = await runCampaign({
    seed: Number(values.seed),
    casesPerFormat: Number(values.cases),
    ...(formats ? { formats } : {}),
    ...(only ? { only } : {}),
    seedDirs,
    limits,
    mutate: { maxBombBytes: Number(values['bomb-mb']) << 20 },
    onnxReference: !values['onnx-tiny'],
    onFinding: (f) => {
      const d = saveFinding(f, outDir);
      console.log(
        `FINDING ${f.format}#${f.index} ${f.outcome.verdict!.kind}: ${f.outcome.verdict!.detail}\n  mutation: ${f.case.mutation}\n  ${f.outcome.stack ? `stack: ${f.outcome.stack}\n  ` : ''}saved: ${path.relative(root, d)}`,
      );
    },
    onProgress: (format, done) => process.stderr.write(`  ${format}: ${done}\r`),
  });

  console.log('\nformat   cases  findings  meshes  rejected  read-ms');
  for (const [f, s] of res.stats)
    console.log(
      `${f.padEnd(8)} ${String(s.cases).padStart(6)} ${String(s.findings).padStart(9)} ${String(s.meshes).padStart(7)} ${String(s.rejected).padStart(9)} ${s.ms.toFixed(0).padStart(8)}`,
    );
  const total = [...res.stats.values()].reduce((a, s) => a + s.cases, 0);
  const byKind = new Map<string, number>();
  for (const f of res.findings) byKind.set(f.outcome.verdict!.kind, (byKind.get(f.outcome.verdict!.kind) ?? 0) + 1);
  // Many cases hit the same bug: group by kind + where it happened (first frame in extension/, or the diagnostic code).
  const groups = new Map<string, { n: number; first: string }>();
  for (const f of res.findings) {
    const key = signature(f);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { n: 1, first: `${f.format}-${f.index}` });
  }
  console.log(`\n${groups.size} distinct findings:`);
  for (const [k, g] of [...groups].sort((a, b) => b[1].n - a[1].n)) console.log(`${String(g.n).padStart(5)}  ${k}   (e.g. ${g.first})`);
  console.log(
    `${total} cases in ${res.seconds.toFixed(1)} s, ${res.findings.length} findings ${JSON.stringify(Object.fromEntries(byKind))}, reader processes started: ${res.restarts}`,
  );
  process.exitCode = res.findings.length > 0 ? 1 : 0;
}

void main();
