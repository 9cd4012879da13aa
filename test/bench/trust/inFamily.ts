// `npm run bench:trust -- --decks DIR [--model NAME] [--out FILE.json]`: how many decks of a
// model's own family the applicability check warns about (target: at most 1 %; the card's threshold
// and envelope margin come from models/calibrate_applicability.py). Every deck goes through
// `flare predict --json`, in-process, as a user's deck would; the decks come from the generator's
// holdout split (seeds no model saw; the validation pool is disjoint from the calibration pool):
//   /usr/bin/python3 -m models.fem.make_dataset --family plate2d --split holdout --seed-offset 600 --n 300 --root /tmp/cal/plate2d-val
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';

interface Finding { severity: string; code: string; message: string }
interface Row { deck: string; exit: number; points?: number; findings: Finding[]; error?: string }

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function run(deck: string, model: string | undefined): Promise<Row> {
  let out = '';
  const exit = await main(['predict', deck, '--json', ...(model ? ['--model', model] : [])], { out: (t) => void (out += t), err: () => undefined });
  const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { points?: number; findings?: Finding[]; error?: { message: string } };
  return { deck: path.basename(deck), exit, points: r.points, findings: r.findings ?? [], error: r.error?.message };
}

async function bench(): Promise<void> {
  const dir = arg('--decks');
  if (!dir) throw new Error('--decks DIR is required (a folder of .inp decks)');
  const model = arg('--model');
  const decks = fs.readdirSync(dir).filter((f) => f.endsWith('.inp')).sort().map((f) => path.join(dir, f));
  const rows: Row[] = [];
  for (const d of decks) rows.push(await run(d, model));
  const warned = rows.filter((r) => r.findings.some((f) => f.severity !== 'info'));
  const byCode = new Map<string, number>();
  for (const r of warned) for (const c of new Set(r.findings.filter((f) => f.severity !== 'info').map((f) => f.code))) byCode.set(c, (byCode.get(c) ?? 0) + 1);
  const failed = rows.filter((r) => r.exit !== 0);
  const pct = (k: number): string => `${((100 * k) / Math.max(1, rows.length)).toFixed(1)} %`;
  console.log(`decks ${rows.length} in ${dir}${model ? ` (model ${model})` : ''}`);
  console.log(`| outcome | decks | share |\n|---|---|---|`);
  console.log(`| predicted, no warning | ${rows.length - warned.length - failed.length} | ${pct(rows.length - warned.length - failed.length)} |`);
  console.log(`| predicted with a warning | ${warned.length} | ${pct(warned.length)} |`);
  for (const [code, k] of [...byCode].sort()) console.log(`| … of which ${code} | ${k} | ${pct(k)} |`);
  console.log(`| could not predict | ${failed.length} | ${pct(failed.length)} |`);
  for (const r of [...warned, ...failed]) console.log(`  ${r.deck}: ${r.error ?? r.findings.map((f) => `[${f.code}] ${f.message}`).join('; ')}`);
  const outFile = arg('--out');
  if (outFile) fs.writeFileSync(outFile, JSON.stringify({ dir, model, decks: rows.length, warned: warned.length, failed: failed.length, byCode: Object.fromEntries(byCode), rows }, null, 1));
}

bench().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
