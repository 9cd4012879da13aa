// Turns a parsed Mesh into what the preview webview draws: the boundary surface (float32 xyz, uint32
// triangles, the volume node of each surface point) and every point/cell data array as float32.
// No `vscode` here, so unit tests run it on meshes read by the real readers.
import { extractSurface } from '../core/mesh/surface';
import { cellCount } from '../core/mesh/build';
import type { Mesh } from '../core/mesh/types';
import type { HostToWebview } from '../core/protocol/messages';

export type SurfaceMessage = Extract<HostToWebview, { type: 'surface' }>;
export type FieldsMessage = Extract<HostToWebview, { type: 'fields' }>;

export interface PreviewPayload {
  readonly surface: SurfaceMessage;
  readonly fields: FieldsMessage[];
}

/**
 * `a` over a buffer of its own: VS Code posts a typed array's whole ArrayBuffer, so a view of a
 * larger one (a reader's growable array: up to twice the size) would send the slack too.
 */
function exact<A extends Int32Array | Uint32Array | Float32Array>(a: A): A {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : (a.slice() as A);
}

/** The surface message for `mesh`; `parseMs` is reported back to the user with the frame time. */
export function surfaceMessage(mesh: Mesh, parseMs: number): SurfaceMessage {
  const s = extractSurface(mesh);
  const cells = mesh.cells.reduce((n, b) => n + cellCount(b), 0);
  return {
    type: 'surface',
    points: exact(s.points),
    triangles: exact(new Uint32Array(s.triangles.buffer, s.triangles.byteOffset, s.triangles.length)),
    nodeMap: exact(new Uint32Array(s.nodeMap.buffer, s.nodeMap.byteOffset, s.nodeMap.length)),
    triangleCell: exact(new Uint32Array(s.triangleCell.buffer, s.triangleCell.byteOffset, s.triangleCell.length)),
    ...(mesh.pointIds ? { nodeIds: exact(mesh.pointIds) } : {}),
    volumePoints: mesh.points.length / mesh.dimension,
    cells,
    parseMs,
  };
}

/**
 * Point data as is; cell data concatenated over the blocks in order (one tuple per cell, running
 * index as the surface's triangleCell uses), NaN for blocks that lack the array.
 */
export function fieldMessages(mesh: Mesh): FieldsMessage[] {
  const out: FieldsMessage[] = mesh.pointData.map((a) => ({ type: 'fields', name: a.name, components: a.components, values: Float32Array.from(a.values), association: 'point', source: 'file' }));
  const total = mesh.cells.reduce((n, b) => n + cellCount(b), 0);
  const names = new Map<string, number>();
  for (const block of mesh.cellData) for (const a of block) if (!names.has(a.name)) names.set(a.name, a.components);
  for (const [name, components] of names) {
    const values = new Float32Array(total * components).fill(Number.NaN);
    let base = 0;
    mesh.cells.forEach((b, bi) => {
      const a = mesh.cellData[bi]?.find((d) => d.name === name && d.components === components);
      if (a) values.set(a.values.subarray(0, cellCount(b) * components), base * components);
      base += cellCount(b);
    });
    // A cell array named like a point array would shadow it in the picker; keep both apart.
    const clash = mesh.pointData.some((p) => p.name === name);
    out.push({ type: 'fields', name: clash ? `${name} (cells)` : name, components, values, association: 'cell', source: 'file' });
  }
  return out;
}

export function previewPayload(mesh: Mesh, parseMs: number): PreviewPayload {
  return { surface: surfaceMessage(mesh, parseMs), fields: fieldMessages(mesh) };
}
