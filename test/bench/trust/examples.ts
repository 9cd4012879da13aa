// `npm run bench:examples [-- deck.inp ...]`: the shipped models on the example decks (or the decks
// given), as a user gets them: `flare predict` (the real CLI entry), then the Compare command's
// statistics against the CalculiX result (.frd) beside each deck. Default: examples/*/*.inp.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../extension/cli/main';
import { compareJsonWithResult } from './solverCompare';

const EXAMPLES = path.resolve(__dirname, '../../../examples');
const pct = (v: number | undefined): string => (v === undefined ? '?' : `${(100 * v).toFixed(1)} %`);

async function one(deck: string): Promise<string> {
  const frd = deck.replace(/\.inp$/i, '.frd');
  if (!fs.existsSync(frd)) return `| ${path.basename(deck)} | no .frd beside the deck | | | | |`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-examples-'));
  try {
    const out = path.join(dir, 'p.json');
    const code = await main(['predict', deck, '--out', out], { out: () => undefined, err: () => undefined });
    if (code !== 0) return `| ${path.basename(deck)} | flare predict exit ${code} | | | | |`;
    const { prediction: pred, compared: r } = compareJsonWithResult(deck, out, frd);
    if (!r.ok) return `| ${path.basename(deck)} | ${r.error} | | | | |`;
    const vm = r.comparisons.find((c) => c.field === 'von_mises')?.stats;
    const u = r.comparisons.find((c) => c.field === 'displacement')?.magnitudeStats;
    const warn = pred.findings.filter((f) => f.severity !== 'info').map((f) => f.code).join(', ') || 'none';
    return `| ${path.relative(EXAMPLES, deck)} | ${pred.model} | ${pct(vm?.relativeL2)} | ${pct(vm?.p99ValueRelError)} | ${vm ? `${vm.predMax.toFixed(0)} / ${vm.refMax.toFixed(0)}` : '?'} | ${pct(u?.relativeL2)} | ${warn} |`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function run(): Promise<void> {
  const decks = process.argv.length > 2 ? process.argv.slice(2)
    : fs.readdirSync(EXAMPLES, { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => fs.readdirSync(path.join(EXAMPLES, e.name)).filter((f) => f.endsWith('.inp')).sort().map((f) => path.join(EXAMPLES, e.name, f)));
  console.log('| deck | model | von Mises rel. L2 | P99 von Mises error | max von Mises pred / ccx (MPa) | \\|u\\| rel. L2 | warnings |\n|---|---|---|---|---|---|---|');
  for (const d of decks) console.log(await one(d));
}

run().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
