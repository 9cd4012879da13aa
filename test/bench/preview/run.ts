// `npm run bench:preview`: time to the first coloured frame of a 100k-node .vtu and orbit frame times
// at 10k/100k/1M surface points, in headless Chromium (WebGL on SwiftShader here: no GPU).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runInBrowser } from '../../browser/harness';
import { readMesh, writeVtu, type Mesh } from '../../../extension/core/mesh/index';
import { previewPayload } from '../../../extension/host/previewPayload';

/** n³ hexahedra on the unit cube with T (1), U (3) and S (6 components) point data. */
function cube(n: number): Mesh {
  const p = n + 1, np = p * p * p;
  const points = new Float64Array(np * 3), T = new Float64Array(np), U = new Float64Array(np * 3), S = new Float64Array(np * 6);
  for (let k = 0, i = 0; k < p; k++) for (let j = 0; j < p; j++) for (let l = 0; l < p; l++, i++) {
    const x = l / n, y = j / n, z = k / n;
    points.set([x, y, z], i * 3);
    T[i] = x + y * z;
    U.set([0, 0, -0.01 * x * x], i * 3);
    S.set([100 * x, 10 * y, 0, 5 * z, 0, 0], i * 6);
  }
  const conn = new Int32Array(n * n * n * 8);
  const id = (l: number, j: number, k: number) => (k * p + j) * p + l;
  let c = 0;
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) {
    conn.set([id(l, j, k), id(l + 1, j, k), id(l + 1, j + 1, k), id(l, j + 1, k), id(l, j, k + 1), id(l + 1, j, k + 1), id(l + 1, j + 1, k + 1), id(l, j + 1, k + 1)], c);
    c += 8;
  }
  return {
    points, dimension: 3, cells: [{ type: 'hexahedron', connectivity: conn }],
    pointData: [{ name: 'T', components: 1, values: T }, { name: 'U', components: 3, values: U }, { name: 'S', components: 6, values: S }],
    cellData: [[]], nodeSets: {}, elementSets: {}, source: { file: 'block.vtu', format: 'vtu' },
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-bench-preview-'));
  try {
    const file = path.join(dir, 'block.vtu');
    fs.writeFileSync(file, writeVtu(cube(46))); // 47³ = 103,823 nodes
    // The host's share, in Node as in the extension host: read + parse + surface extraction.
    const bytes = fs.readFileSync(file);
    const th = performance.now();
    const r = readMesh(bytes, file, { checks: false });
    const p = previewPayload(r.mesh!, 0);
    const hostMs = performance.now() - th;
    const res = await runInBrowser<{ viewport: number[]; firstFrame: Record<string, number>; orbit: { surfacePoints: number; triangles: number; firstFrameMs: number; frameMs: number; frames: number }[] }>('test/bench/preview/firstFrame.page.ts', { files: { 'block.vtu': file }, timeoutMs: 600_000 });
    const f = res.firstFrame;
    const fmt = (v: number) => v.toFixed(0).padStart(6);
    console.log(`preview bench (headless Chromium, WebGL on SwiftShader, ${res.viewport.join('x')} px)`);
    console.log(`100k-node .vtu: ${p.surface.volumePoints} nodes, ${(bytes.byteLength / 1e6).toFixed(1)} MB, surface ${p.surface.nodeMap.length} points / ${p.surface.triangles.length / 3} triangles`);
    console.log(`  host read+parse+surface (Node)       ${fmt(hostMs)} ms`);
    console.log(`  same in the browser                  ${fmt(f.parseAndSurfaceMs)} ms`);
    console.log(`  webview: UI + first surface frame    ${fmt(f.firstSurfaceFrameMs)} ms`);
    console.log(`  webview: fields + first coloured     ${fmt(f.fieldsAndFirstColouredFrameMs)} ms`);
    console.log(`  open → first coloured frame          ${fmt(hostMs + f.firstSurfaceFrameMs + f.fieldsAndFirstColouredFrameMs)} ms (goal ≤ 1500; excludes VS Code's message transport)`);
    console.log('orbit (coloured surface, one GPU-synchronised frame per step):');
    for (const o of res.orbit) console.log(`  ${String(o.surfacePoints).padStart(8)} points ${String(o.triangles).padStart(8)} triangles: first frame ${fmt(o.firstFrameMs)} ms, ${o.frameMs.toFixed(1).padStart(7)} ms/frame (${o.frames} frames)`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
