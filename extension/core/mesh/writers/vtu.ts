// VTU writer: binary appended data (UInt64 headers), optionally zlib-compressed through fflate.
// The export format for predictions: ParaView and meshio read it.
import { zlibSync } from 'fflate';
import { cellCount } from '../build';
import { CELL_TYPES, pointCount, type DataArray, type Mesh } from '../types';

export interface VtuWriteOptions {
  /** zlib-compress each array (default false). */
  readonly compress?: boolean;
  /** zlib level 0-9 (default 6). */
  readonly level?: number;
}

const BLOCK = 1 << 16;

function vtkType(a: ArrayLike<number>): string {
  if (a instanceof Float32Array) return 'Float32';
  if (a instanceof Int32Array) return 'Int32';
  if (a instanceof Uint8Array) return 'UInt8';
  return 'Float64';
}

function bytesOf(a: Float64Array | Float32Array | Int32Array | Uint8Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function u64(v: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, v % 4294967296, true);
  dv.setUint32(4, Math.floor(v / 4294967296), true);
  return b;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Encode one array as a VTK appended block (header + payload). */
function block(data: Uint8Array, compress: boolean, level: number): Uint8Array[] {
  if (!compress) return [u64(data.length), data];
  const nb = Math.max(1, Math.ceil(data.length / BLOCK));
  const comp: Uint8Array[] = [];
  for (let k = 0; k < nb; k++) comp.push(zlibSync(data.subarray(k * BLOCK, Math.min(data.length, (k + 1) * BLOCK)), { level: level as 6 }));
  const last = data.length - (nb - 1) * BLOCK;
  const head = [u64(nb), u64(BLOCK), u64(data.length === 0 ? 0 : last), ...comp.map((c) => u64(c.length))];
  return [...head, ...comp];
}

export function writeVtu(mesh: Mesh, opts: VtuWriteOptions = {}): Uint8Array {
  const compress = opts.compress ?? false;
  const level = opts.level ?? 6;
  const np = pointCount(mesh);
  const d = mesh.dimension;
  const pts = d === 3 ? mesh.points : new Float64Array(np * 3);
  if (d !== 3) for (let i = 0; i < np; i++) for (let k = 0; k < d; k++) pts[i * 3 + k] = mesh.points[i * d + k];
  let nc = 0;
  let nconn = 0;
  for (const b of mesh.cells) {
    nc += cellCount(b);
    nconn += b.connectivity.length;
  }
  const conn = new Int32Array(nconn);
  const offsets = new Int32Array(nc);
  const types = new Uint8Array(nc);
  let pc = 0;
  let ci = 0;
  for (const b of mesh.cells) {
    const n = CELL_TYPES[b.type].nodes;
    const count = cellCount(b);
    conn.set(b.connectivity, pc);
    for (let c = 0; c < count; c++) {
      offsets[ci + c] = pc + (b.offsets ? b.offsets[c] : (c + 1) * n);
      types[ci + c] = CELL_TYPES[b.type].vtk;
    }
    pc += b.connectivity.length;
    ci += count;
  }
  // Cell data: VTU has one array over all cells; a name missing from some block is filled with NaN.
  const cellArrays: DataArray[] = [];
  const names = new Map<string, { components: number; int: boolean }>();
  mesh.cellData.forEach((ds) => ds.forEach((a) => {
    const prev = names.get(a.name);
    names.set(a.name, { components: a.components, int: (prev?.int ?? true) && a.values instanceof Int32Array });
  }));
  for (const [name, { components, int }] of names) {
    const out = int ? new Int32Array(nc * components) : new Float64Array(nc * components).fill(NaN);
    let base = 0;
    mesh.cells.forEach((b, i) => {
      const a = mesh.cellData[i]?.find((x) => x.name === name && x.components === components);
      if (a) out.set(a.values, base * components);
      base += cellCount(b);
    });
    cellArrays.push({ name, components, values: out });
  }

  const chunks: Uint8Array[] = [];
  let offset = 0;
  const add = (data: Uint8Array): number => {
    const at = offset;
    for (const c of block(data, compress, level)) {
      chunks.push(c);
      offset += c.length;
    }
    return at;
  };
  const xml: string[] = [];
  const da = (a: Float64Array | Float32Array | Int32Array | Uint8Array, name: string | undefined, comps: number): string => {
    const at = add(bytesOf(a));
    return `<DataArray type="${vtkType(a)}"${name !== undefined ? ` Name="${escapeXml(name)}"` : ''}${comps !== 1 || name === undefined ? ` NumberOfComponents="${comps}"` : ''} format="appended" offset="${at}"/>`;
  };
  xml.push('<?xml version="1.0"?>');
  xml.push(`<VTKFile type="UnstructuredGrid" version="1.0" byte_order="LittleEndian" header_type="UInt64"${compress ? ' compressor="vtkZLibDataCompressor"' : ''}>`);
  xml.push('<UnstructuredGrid>');
  xml.push(`<Piece NumberOfPoints="${np}" NumberOfCells="${nc}">`);
  xml.push('<Points>', da(pts, undefined, 3), '</Points>');
  xml.push('<Cells>', da(conn, 'connectivity', 1), da(offsets, 'offsets', 1), da(types, 'types', 1), '</Cells>');
  if (mesh.pointData.length) {
    xml.push('<PointData>');
    for (const a of mesh.pointData) xml.push(da(a.values, a.name, a.components));
    xml.push('</PointData>');
  }
  if (cellArrays.length) {
    xml.push('<CellData>');
    for (const a of cellArrays) xml.push(da(a.values, a.name, a.components));
    xml.push('</CellData>');
  }
  xml.push('</Piece>', '</UnstructuredGrid>', '<AppendedData encoding="raw">');
  const head = new TextEncoder().encode(xml.join('\n') + '\n_');
  const tail = new TextEncoder().encode('\n</AppendedData>\n</VTKFile>\n');
  const out = new Uint8Array(head.length + offset + tail.length);
  out.set(head, 0);
  let p = head.length;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  out.set(tail, p);
  return out;
}
