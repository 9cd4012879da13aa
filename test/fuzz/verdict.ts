// What counts as a reader failure on one input, judged from `readMesh`'s result alone.
// (Crashes, hangs and memory blowups are judged by the parent process: see pool.ts.)
import { CELL_TYPES, pointCount, type Mesh, type MeshDiagnostic, type ReadResult } from '../../extension/core/mesh/index';

export type FindingKind =
  | 'throw' // readMesh threw (it must never throw)
  | 'internal-error' // a reader threw something other than MeshReadError; readMesh's safety net caught it
  | 'unlocated' // an error diagnostic without a usable line
  | 'invalid-mesh' // a mesh came back that would index out of bounds downstream
  | 'surface-throw' // extractSurface (what the preview runs next) threw on the returned mesh
  | 'crash' // the reader process died (fatal error, stack overflow outside the net)
  | 'oom' // the reader process ran out of JS heap
  | 'memory' // resident memory went past the limit
  | 'hang'; // no answer within the time limit (twice, the second time with 4x the limit)

export interface Verdict {
  readonly kind: FindingKind;
  readonly detail: string;
}

function lineCount(b: Uint8Array): number {
  let n = 1;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}

/** An error diagnostic must point at a line that exists in the file it names. */
export function unlocated(d: MeshDiagnostic, fileName: string, bytes: Uint8Array, files: ReadonlyMap<string, Uint8Array>): string | undefined {
  if (d.severity !== 'error') return undefined;
  if (!Number.isInteger(d.line) || d.line < 1) return `error '${d.code}' has line ${d.line}: ${d.message.slice(0, 120)}`;
  const src = d.file === fileName ? bytes : files.get(d.file);
  if (src && d.line > lineCount(src) + 1) return `error '${d.code}' points at line ${d.line} of ${d.file}, which has ${lineCount(src)} lines`;
  return undefined;
}

/** Invariants every returned mesh must hold so the preview, surface extraction and export never index out of bounds. */
export function meshProblem(m: Mesh): string | undefined {
  if (m.dimension !== 2 && m.dimension !== 3) return `dimension ${String(m.dimension)}`;
  if (m.points.length % m.dimension !== 0) return `points.length ${m.points.length} is not a multiple of ${m.dimension}`;
  const np = pointCount(m);
  if (m.pointIds && m.pointIds.length !== np) return `pointIds has ${m.pointIds.length} entries for ${np} points`;
  if (m.pointLines && m.pointLines.length !== np) return `pointLines has ${m.pointLines.length} entries for ${np} points`;
  if (m.pointFiles) {
    if (m.pointFiles.length !== np) return `pointFiles has ${m.pointFiles.length} entries for ${np} points`;
    for (const f of m.pointFiles) if (!m.files || f >= m.files.length) return `pointFiles refers to file ${f} of ${m.files?.length ?? 0}`;
  }
  for (let b = 0; b < m.cells.length; b++) {
    const blk = m.cells[b];
    const info = CELL_TYPES[blk.type];
    if (!info) return `block ${b}: unknown cell type '${String(blk.type)}'`;
    const conn = blk.connectivity;
    let cells: number;
    if (blk.offsets) {
      let prev = 0;
      for (const o of blk.offsets) {
        if (o < prev || o > conn.length) return `block ${b} (${blk.type}): offsets not increasing within connectivity`;
        prev = o;
      }
      if (blk.offsets.length > 0 && prev !== conn.length) return `block ${b} (${blk.type}): last offset ${prev} != connectivity length ${conn.length}`;
      cells = blk.offsets.length;
    } else {
      if (info.nodes === 0) return `block ${b}: variable-size ${blk.type} without offsets`;
      if (conn.length % info.nodes !== 0) return `block ${b} (${blk.type}): connectivity length ${conn.length} is not a multiple of ${info.nodes}`;
      cells = conn.length / info.nodes;
    }
    for (let i = 0; i < conn.length; i++) if (!(conn[i] >= 0 && conn[i] < np)) return `block ${b} (${blk.type}): index ${conn[i]} out of [0, ${np})`;
    if (blk.ids && blk.ids.length !== cells) return `block ${b}: ids has ${blk.ids.length} entries for ${cells} cells`;
    if (blk.lines && blk.lines.length !== cells) return `block ${b}: lines has ${blk.lines.length} entries for ${cells} cells`;
    for (const d of m.cellData[b] ?? []) {
      if (!(d.components >= 1) || d.values.length !== cells * d.components) return `cell data '${d.name}' of block ${b}: ${d.values.length} values for ${cells} cells x ${d.components}`;
    }
  }
  if (m.cellData.length > m.cells.length) return `cellData has ${m.cellData.length} entries for ${m.cells.length} blocks`;
  for (const d of m.pointData) {
    if (!(d.components >= 1) || d.values.length !== np * d.components) return `point data '${d.name}': ${d.values.length} values for ${np} points x ${d.components}`;
  }
  for (const [name, set] of Object.entries(m.nodeSets)) {
    for (const i of set) if (!(i >= 0 && i < np)) return `node set '${name}' holds index ${i} out of [0, ${np})`;
  }
  for (const bc of m.deck?.boundaries ?? []) if (!(bc.node >= 0 && bc.node < np)) return `boundary condition on node index ${bc.node} out of [0, ${np})`;
  for (const l of m.deck?.loads ?? []) if (!(l.node >= 0 && l.node < np)) return `load on node index ${l.node} out of [0, ${np})`;
  return undefined;
}

/** The first problem with a result, or undefined when the reader behaved. */
export function judge(result: ReadResult, fileName: string, bytes: Uint8Array, files: ReadonlyMap<string, Uint8Array>): Verdict | undefined {
  const internal = result.diagnostics.find((d) => d.code === 'read-failed');
  if (internal) return { kind: 'internal-error', detail: internal.message.slice(0, 300) };
  for (const d of result.diagnostics) {
    const u = unlocated(d, fileName, bytes, files);
    if (u) return { kind: 'unlocated', detail: u };
  }
  if (result.mesh) {
    const p = meshProblem(result.mesh);
    if (p) return { kind: 'invalid-mesh', detail: p };
  }
  return undefined;
}
