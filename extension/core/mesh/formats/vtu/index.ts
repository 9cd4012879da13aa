// VTK XML: .vtu (UnstructuredGrid), .vtp (PolyData), .pvtu (pieces). This file turns pieces into a
// Mesh; xml.ts finds the elements, dataArrays.ts decodes the arrays straight from the buffer.
import { resolveRelative, type MeshFormat, type ReadContext } from '../../build';
import { toInt32 } from '../../binary';
import { Diagnostics } from '../../diagnostics';
import { MeshReadError } from '../../readError';
import type { CellBlock, DataArray, Mesh } from '../../types';
import { cellsFromVtk, polyVtkType } from '../vtkcommon';
import { VtkXmlReader } from './dataArrays';
import { child, parseXml, type XmlNode } from './xml';

interface PieceResult {
  points: Float64Array;
  /** Line of the Points DataArray (XML data has no line per point). */
  pointsLine?: number;
  cells: CellBlock[];
  pointData: DataArray[];
  cellData: DataArray[][];
}

function pointsLineOf(r: VtkXmlReader, piece: XmlNode): number {
  const da = child(child(piece, 'Points'), 'DataArray');
  return r.lineOf(da ?? piece);
}

function readPiece(r: VtkXmlReader, piece: XmlNode, kind: 'UnstructuredGrid' | 'PolyData'): PieceResult {
  const n = Number(piece.attrs.NumberOfPoints ?? 0);
  if (!Number.isInteger(n) || n < 0) throw r.err('vtu-bad-count', `NumberOfPoints="${piece.attrs.NumberOfPoints}" is not a count`, piece);
  const points = r.points(piece, n);
  const pointData = r.dataArrays(child(piece, 'PointData'), n);
  if (kind === 'UnstructuredGrid') {
    const nc = Number(piece.attrs.NumberOfCells ?? 0);
    const cellsNode = child(piece, 'Cells');
    const connNode = r.named(cellsNode, 'connectivity');
    const offNode = r.named(cellsNode, 'offsets');
    const typNode = r.named(cellsNode, 'types');
    if (nc > 0 && (!connNode || !offNode || !typNode)) throw r.err('vtu-no-cells', 'Cells needs connectivity, offsets and types arrays', cellsNode ?? piece);
    // offsets first: the last offset is the connectivity length, which bounds what its (compressed) array may declare
    const offsets = offNode ? toInt32(r.array(offNode, nc)) : new Int32Array(0);
    const connLength = offsets.length > 0 && offsets[offsets.length - 1] >= 0 ? offsets[offsets.length - 1] : undefined;
    const conn = connNode ? toInt32(r.array(connNode, connLength)) : new Int32Array(0);
    const types = typNode ? r.array(typNode, nc) : new Uint8Array(0);
    if (types.length !== nc) r.ctx.diag.add('error', 'count-mismatch', `NumberOfCells=${nc} but ${types.length} cell types`, r.lineOf(typNode ?? piece));
    const raw = r.dataArrays(child(piece, 'CellData'), types.length);
    const cellsLine = r.lineOf(connNode ?? cellsNode ?? piece);
    const { cells, cellData } = cellsFromVtk(conn, offsets, types, raw, r.ctx.diag, r.lineOf(cellsNode ?? piece));
    return { points, pointsLine: pointsLineOf(r, piece), cells: cells.map((b) => ({ ...b, line: cellsLine })), pointData, cellData };
  }
  // PolyData: Verts, Lines, Polys, Strips each with connectivity + offsets; cell data runs over them in that order.
  const conns: Int32Array[] = [];
  const offs: number[] = [];
  const types: number[] = [];
  let base = 0;
  for (const [tag, kindName] of [['Verts', 'verts'], ['Lines', 'lines'], ['Polys', 'polys'], ['Strips', 'strips']] as const) {
    const sec = child(piece, tag);
    const cn = r.named(sec, 'connectivity');
    const on = r.named(sec, 'offsets');
    if (!cn || !on) continue;
    const c = toInt32(r.array(cn));
    const o = toInt32(r.array(on));
    let s = 0;
    for (let i = 0; i < o.length; i++) {
      offs.push(base + o[i]);
      types.push(polyVtkType(kindName, o[i] - s));
      s = o[i];
    }
    conns.push(c);
    base += c.length;
  }
  const conn = new Int32Array(base);
  let p = 0;
  for (const c of conns) {
    conn.set(c, p);
    p += c.length;
  }
  const raw = r.dataArrays(child(piece, 'CellData'), types.length);
  const { cells, cellData } = cellsFromVtk(conn, Int32Array.from(offs), types, raw, r.ctx.diag, r.lineOf(piece));
  return { points, pointsLine: pointsLineOf(r, piece), cells: cells.map((b) => ({ ...b, line: r.lineOf(piece) })), pointData, cellData };
}

function mergePieces(parts: PieceResult[]): PieceResult {
  if (parts.length === 1) return parts[0];
  let np = 0;
  for (const p of parts) np += p.points.length / 3;
  const points = new Float64Array(np * 3);
  const blocks = new Map<string, { conn: Int32Array[]; data: DataArray[][] }>();
  let base = 0;
  const pdNames = parts[0].pointData.filter((d) => parts.every((p) => p.pointData.some((q) => q.name === d.name && q.components === d.components)));
  for (const p of parts) {
    points.set(p.points, base * 3);
    p.cells.forEach((b, i) => {
      const c = b.connectivity.map((v) => v + base);
      let g = blocks.get(b.type);
      if (!g) blocks.set(b.type, (g = { conn: [], data: [] }));
      g.conn.push(c);
      g.data.push(p.cellData[i] ?? []);
    });
    base += p.points.length / 3;
  }
  const concat = <T extends Float64Array | Float32Array | Int32Array>(arrs: T[]): T => {
    const n = arrs.reduce((s, a) => s + a.length, 0);
    const out = new (arrs[0].constructor as { new (n: number): T })(n);
    let o = 0;
    for (const a of arrs) {
      out.set(a, o);
      o += a.length;
    }
    return out;
  };
  const pointData = pdNames.map((d) => ({ name: d.name, components: d.components, values: concat(parts.map((p) => p.pointData.find((q) => q.name === d.name)!.values as Float64Array)) }));
  const cells: CellBlock[] = [];
  const cellData: DataArray[][] = [];
  for (const [type, g] of blocks) {
    cells.push({ type: type as CellBlock['type'], connectivity: concat(g.conn) });
    const names = g.data[0].filter((d) => g.data.every((ds) => ds.some((q) => q.name === d.name)));
    cellData.push(names.map((d) => ({ name: d.name, components: d.components, values: concat(g.data.map((ds) => ds.find((q) => q.name === d.name)!.values as Float64Array)) })));
  }
  return { points, cells, pointData, cellData };
}

export function readVtkXml(bytes: Uint8Array, ctx: ReadContext): Mesh {
  return readVtkXmlFile(bytes, ctx, false);
}

function readVtkXmlFile(bytes: Uint8Array, ctx: ReadContext, isPiece: boolean): Mesh {
  const doc = parseXml(bytes, ctx.file);
  const vtk = child(doc.root, 'VTKFile');
  if (!vtk) throw new MeshReadError('vtu-not-vtk', 'not a VTK XML file (no <VTKFile>)', ctx.file, 1);
  const type = vtk.attrs.type;
  const r = new VtkXmlReader(bytes, doc, vtk, ctx);
  let res: PieceResult;
  if (type === 'UnstructuredGrid' || type === 'PolyData') {
    const grid = child(vtk, type);
    const pieces = grid?.children.filter((c) => c.name === 'Piece') ?? [];
    if (pieces.length === 0) throw r.err('vtu-no-piece', `<${type}> has no <Piece>`, grid ?? vtk);
    res = mergePieces(pieces.map((p) => readPiece(r, p, type)));
  } else if (type === 'PUnstructuredGrid' || type === 'PPolyData') {
    // A piece that is itself parallel (the .pvtu listing itself, two listing each other) would recurse forever.
    if (isPiece) throw r.err('pvtu-nested', `a .pvtu piece is itself a parallel ${type} file (a cycle?)`, vtk);
    const grid = child(vtk, type);
    const pieceNodes = grid?.children.filter((c) => c.name === 'Piece') ?? [];
    const parts: PieceResult[] = [];
    for (const pn of pieceNodes) {
      const s = pn.attrs.Source;
      const path = resolveRelative(ctx.file, s ?? '');
      const got = ctx.opts.readInclude?.(path);
      const b = got && got.constructor !== Uint8Array ? new Uint8Array(got.buffer, got.byteOffset, got.byteLength) : got;
      if (!b) throw r.err('pvtu-piece-missing', `piece '${s}' could not be read`, pn);
      // the piece's findings name the piece, whose lines they count
      const diag = new Diagnostics(path, ctx.diag.cap);
      let sub: Mesh;
      try {
        sub = readVtkXmlFile(b, { ...ctx, file: path, diag }, true);
      } finally {
        ctx.diag.list.push(...diag.list);
      }
      // the pieces' section lines count lines of the piece files, not of this file: drop them
      parts.push({ points: sub.points, cells: sub.cells.map(({ line: _line, ...b }) => b), pointData: sub.pointData, cellData: sub.cellData });
    }
    if (parts.length === 0) throw r.err('vtu-no-piece', `<${type}> lists no pieces`, grid ?? vtk);
    res = mergePieces(parts);
  } else throw r.err('vtu-type', `VTK XML type '${type}' is not supported (UnstructuredGrid, PolyData, PUnstructuredGrid)`, vtk);
  const format = ctx.file.toLowerCase().endsWith('.vtp') ? 'vtp' : ctx.file.toLowerCase().endsWith('.pvtu') ? 'pvtu' : 'vtu';
  return { points: res.points, ...(res.pointsLine ? { pointsLine: res.pointsLine } : {}), dimension: 3, cells: res.cells, pointData: res.pointData, cellData: res.cellData, nodeSets: {}, elementSets: {}, source: { file: ctx.file, format } };
}

export const vtuFormat: MeshFormat = { name: 'vtu', extensions: ['.vtu', '.vtp', '.pvtu', '.pvtp'], read: readVtkXml };
