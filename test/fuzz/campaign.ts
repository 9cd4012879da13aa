// A fuzz campaign: seeds per format, N deterministic mutated cases each, run through the reader pool.
// Shared by `npm run fuzz` (long runs) and the bounded run in test/unit/fuzz.
import fs from 'node:fs';
import path from 'node:path';
import { supportedExtensions } from '../../extension/core/mesh/index';
import { extOf, mutate, type FuzzCase, type FuzzInput, type MutateOptions } from './mutate';
import { mutateOnnx, onnxSeeds } from './onnxMutate';
import { ReaderPool, type Limits, type Outcome } from './pool';
import { Rng, hashSeed } from './rng';

const here = __dirname;
export const SEED_DIR = path.join(here, 'seeds');
export const CRASHER_DIR = path.join(here, 'crashers');
/** Where seeds live for readers: every case is read as if it were in this (virtual) folder. */
const VDIR = '/fuzz/';

/** Files another file pulls in by name: *INCLUDE targets and .pvtu pieces. */
function companionsOf(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/\*INCLUDE\s*,\s*INPUT\s*=\s*([^\s,]+)/gi)) names.add(m[1]);
  for (const m of text.matchAll(/<Piece\s+Source="([^"]+)"/g)) names.add(m[1]);
  return [...names];
}

/** Seeds of the formats asked for (by extension), sorted by name so case i is stable across machines. */
export function loadSeeds(dirs: string[], formats?: readonly string[]): Map<string, FuzzInput[]> {
  const exts = new Set(supportedExtensions().map((e) => e.slice(1)));
  const out = new Map<string, FuzzInput[]>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      const ext = extOf(name);
      if (!exts.has(ext) || (formats && !formats.includes(ext))) continue;
      const full = path.join(dir, name);
      if (!fs.statSync(full).isFile()) continue;
      const bytes = new Uint8Array(fs.readFileSync(full));
      if (bytes.length === 0 || bytes.length > 256 << 10) continue; // large seeds only slow the run down
      const fileName = VDIR + name;
      const files = new Map<string, Uint8Array>([[fileName, bytes]]);
      for (const c of companionsOf(new TextDecoder('latin1').decode(bytes))) {
        const p = path.join(dir, c);
        if (fs.existsSync(p) && fs.statSync(p).isFile()) files.set(VDIR + c, new Uint8Array(fs.readFileSync(p)));
      }
      const list = out.get(ext) ?? [];
      list.push({ fileName, bytes, files });
      out.set(ext, list);
    }
  }
  return out;
}

/** Case `index` of `format` for run seed `seed`: depends on nothing else. */
export function makeCase(seeds: readonly FuzzInput[], seed: number, format: string, index: number, mo: MutateOptions): FuzzCase {
  const rng = new Rng(hashSeed(seed, format, index));
  const input = seeds[rng.int(seeds.length)];
  return format === 'onnx' ? mutateOnnx(input, rng) : mutate(input, rng, mo);
}

export interface Finding {
  readonly format: string;
  readonly index: number;
  readonly seedFile: string;
  readonly case: FuzzCase;
  readonly outcome: Outcome;
}

export interface FormatStats {
  cases: number;
  findings: number;
  /** Cases where the reader returned a mesh / reported at least one error. */
  meshes: number;
  rejected: number;
  ms: number;
}

export interface CampaignOptions {
  readonly seed: number;
  readonly casesPerFormat: number;
  readonly formats?: readonly string[];
  readonly seedDirs?: string[];
  /** ONNX seeds: the reference FLARE export (1.3 MB, slow per case) besides the tiny models. */
  readonly onnxReference?: boolean;
  readonly limits?: Limits;
  readonly mutate?: MutateOptions;
  /** Only run these case indices (replay). */
  readonly only?: readonly number[];
  readonly onFinding?: (f: Finding) => void;
  readonly onProgress?: (format: string, done: number) => void;
}

export interface CampaignResult {
  readonly stats: Map<string, FormatStats>;
  readonly findings: Finding[];
  readonly restarts: number;
  readonly seconds: number;
}

export async function runCampaign(o: CampaignOptions): Promise<CampaignResult> {
  const t0 = performance.now();
  const seeds = loadSeeds(o.seedDirs ?? [SEED_DIR], o.formats);
  // models as untrusted input go through the same process, limits and verdicts (worker.ts: onnxVerdict)
  if (!o.formats || o.formats.includes('onnx')) seeds.set('onnx', onnxSeeds(SEED_DIR, o.onnxReference ?? true));
  const mo: MutateOptions = o.mutate ?? { maxBombBytes: 1 << 30 };
  const pool = new ReaderPool(o.limits);
  const stats = new Map<string, FormatStats>();
  const findings: Finding[] = [];
  try {
    for (const [format, list] of [...seeds].sort(([a], [b]) => a.localeCompare(b))) {
      const st: FormatStats = { cases: 0, findings: 0, meshes: 0, rejected: 0, ms: 0 };
      stats.set(format, st);
      const indices = o.only ?? Array.from({ length: o.casesPerFormat }, (_, i) => i);
      for (const i of indices) {
        const c = makeCase(list, o.seed, format, i, mo);
        const r = await pool.run(c);
        st.cases++;
        st.ms += r.ms;
        if (r.gotMesh) st.meshes++;
        if (r.errors > 0) st.rejected++;
        if (r.verdict) {
          st.findings++;
          const f: Finding = { format, index: i, seedFile: c.fileName, case: c, outcome: r };
          findings.push(f);
          o.onFinding?.(f);
        }
        if (st.cases % 100 === 0) o.onProgress?.(format, st.cases);
      }
    }
  } finally {
    pool.close();
  }
  return { stats, findings, restarts: pool.restarts, seconds: (performance.now() - t0) / 1000 };
}

/** Write a finding's files (main + companions) under `dir` so it can be replayed or promoted to a fixture. */
export function saveFinding(f: Finding, dir: string): string {
  const d = path.join(dir, `${f.format}-${f.index}`);
  fs.mkdirSync(d, { recursive: true });
  for (const [p, b] of f.case.files) fs.writeFileSync(path.join(d, path.basename(p)), b);
  fs.writeFileSync(path.join(d, path.basename(f.case.fileName)), f.case.bytes);
  fs.writeFileSync(path.join(d, 'finding.json'), JSON.stringify({ format: f.format, index: f.index, file: path.basename(f.case.fileName), mutation: f.case.mutation, ...f.outcome }, null, 2));
  return d;
}
