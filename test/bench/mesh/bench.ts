// `npm run bench:mesh`: our readers vs meshio on the same ~1M-node tet10 files, same run.
// Prints MB/s, the speed ratio, and peak extra memory against the size of the final arrays.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readMesh, writeVtu } from '../../../extension/mesh/index';

const ROOT = resolve(__dirname, '../../..');
const DIR = join(ROOT, '.cache/mesh-bench');
const PY = '/usr/bin/python3';
const RUNS = Number(process.env.BENCH_RUNS ?? 2);

function child(file: string): void {
  // Runs in a fresh process: the input is read first, so the peak counts only the reader's work.
  const bytes = new Uint8Array(readFileSync(file));
  global.gc?.();
  const base = process.memoryUsage().rss;
  let best = Infinity;
  let arrays = 0;
  let points = 0;
  let cells = 0;
  let peak = 0;
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    const res = readMesh(bytes, file, { checks: false });
    best = Math.min(best, (performance.now() - t) / 1000);
    const m = res.mesh;
    if (!m) throw new Error(JSON.stringify(res.diagnostics.slice(0, 3)));
    points = m.points.length / 3;
    cells = m.cells.reduce((s, b) => s + b.connectivity.length / (b.type === 'tetra10' ? 10 : 1), 0);
    arrays = m.points.byteLength + m.cells.reduce((s, b) => s + b.connectivity.byteLength + (b.ids?.byteLength ?? 0) + (b.lines?.byteLength ?? 0), 0) + (m.pointIds?.byteLength ?? 0) + (m.pointLines?.byteLength ?? 0) + m.cellData.flat().reduce((s, a) => s + a.values.byteLength, 0);
    // maxRSS (KiB) is the process peak so far; the first run sets it
    if (r === 0) peak = process.resourceUsage().maxRSS * 1024 - base;
  }
  process.stdout.write(JSON.stringify({ seconds: best, points, cells, arrays, peak }));
}

if (process.argv[2] === '--child') {
  child(process.argv[3]);
} else {
  main();
}

function main(): void {
  if (!existsSync(join(DIR, 'mesh.inp'))) {
    console.error('generating the benchmark mesh (once, cached in .cache/mesh-bench) ...');
    execFileSync(PY, [join(__dirname, 'make_bench.py'), DIR], { stdio: 'inherit' });
  }
  // VTU raw appended binary: meshio writes only base64, so ours writes it (both readers read it).
  const rawVtu = join(DIR, 'mesh_raw.vtu');
  if (!existsSync(rawVtu)) {
    const r = readMesh(new Uint8Array(readFileSync(join(DIR, 'mesh_binary.msh'))), 'mesh_binary.msh', { checks: false });
    writeFileSync(rawVtu, writeVtu(r.mesh!));
  }
  const files: [string, string][] = [
    ['VTU raw appended', 'mesh_raw.vtu'],
    ['VTU zlib (base64)', 'mesh_zlib.vtu'],
    ['MSH 4.1 binary', 'mesh_binary.msh'],
    ['MSH 4.1 ASCII', 'mesh_ascii.msh'],
    ['INP', 'mesh.inp'],
    ['VTK legacy binary', 'mesh_binary.vtk'],
    ['VTK legacy ASCII', 'mesh_ascii.vtk'],
  ];
  const rows: string[] = [];
  const head = `| format | MB | ours s | ours MB/s | meshio s | meshio MB/s | speed-up | peak extra / final arrays |`;
  rows.push(head, '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [label, f] of files) {
    const path = join(DIR, f);
    const mb = statSync(path).size / 1e6;
    const ours = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, BENCH_RUNS: String(RUNS) } }));
    const theirs = JSON.parse(execFileSync(PY, [join(__dirname, 'meshio_read.py'), path, String(RUNS)], { encoding: 'utf8' }));
    if (ours.points !== theirs.points) throw new Error(`${f}: ${ours.points} points vs meshio ${theirs.points}`);
    const row = `| ${label} | ${mb.toFixed(0)} | ${ours.seconds.toFixed(3)} | ${(mb / ours.seconds).toFixed(0)} | ${theirs.seconds.toFixed(3)} | ${(mb / theirs.seconds).toFixed(0)} | ${(theirs.seconds / ours.seconds).toFixed(1)}x | ${(ours.peak / 1e6).toFixed(0)} / ${(ours.arrays / 1e6).toFixed(0)} MB = ${(ours.peak / ours.arrays).toFixed(2)} |`;
    rows.push(row);
    console.error(row);
  }
  const pts = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', __filename, '--child', join(DIR, 'mesh_binary.msh')], { encoding: 'utf8' })).points;
  console.log(`\nmesh: ${pts} nodes, tetra10; best of ${RUNS} runs each; node ${process.version}, meshio via ${PY}\n`);
  console.log(rows.join('\n'));
}
