// Legacy VTK (.vtk), ASCII and binary (big-endian), versions 2.0–5.1: UNSTRUCTURED_GRID, POLYDATA,
// STRUCTURED_GRID, RECTILINEAR_GRID, STRUCTURED_POINTS; POINT_DATA / CELL_DATA with SCALARS,
// VECTORS, NORMALS, TENSORS, TEXTURE_COORDINATES, COLOR_SCALARS and FIELD.
import { ScanningReader, type MeshFormat, type ReadContext } from '../build';
import { int64ToInt32, toDataValues, toFloat64, toInt32, typedFromBytes, type NumArray } from '../binary';
import { capacity } from '../builders';
import { checkAbort } from '../readError';
import type { CellBlock, DataArray, Mesh } from '../types';
import { cellsFromVtk, polyVtkType } from './vtkcommon';

const TYPES: Record<string, string> = {
  bit: 'UInt8', unsigned_char: 'UInt8', char: 'Int8', unsigned_short: 'UInt16', short: 'Int16', unsigned_int: 'UInt32', int: 'Int32',
  unsigned_long: 'UInt64', long: 'Int64', float: 'Float32', double: 'Float64', vtktypeint32: 'Int32', vtktypeint64: 'Int64', vtktypeuint64: 'UInt64',
  vtkidtype: 'Int32',
};
const SIZES: Record<string, number> = { UInt8: 1, Int8: 1, UInt16: 2, Int16: 2, UInt32: 4, Int32: 4, UInt64: 8, Int64: 8, Float32: 4, Float64: 8 };

class LegacyReader extends ScanningReader {
  binary = false;

  /** `count` numbers of VTK type `vtype`, ascii or big-endian binary. */
  numbers(count: number, vtype: string, asIndex = false): NumArray {
    const t = TYPES[vtype.toLowerCase()];
    if (!t) throw this.err('vtk-type', `unknown data type '${vtype}'`);
    if (!Number.isInteger(count) || count < 0) throw this.err('vtk-bad-count', `bad count ${count}`);
    const sc = this.sc;
    if (this.binary) {
      const size = SIZES[t];
      const start = sc.pos;
      const end = start + count * size;
      if (end > this.buf.length) throw this.err('vtk-truncated', `binary data ends early: ${count} values of ${vtype} need ${count * size} bytes, ${this.buf.length - start} left`);
      const bytes = this.buf.subarray(start, end);
      sc.pos = end;
      // Skip the newline VTK writes after a binary block, without counting binary bytes as lines.
      if (this.buf[sc.pos] === 10) sc.pos++;
      sc.lineStart = sc.pos;
      if ((t === 'Int64' || t === 'UInt64') && asIndex) {
        try {
          return int64ToInt32(bytes, false);
        } catch (e) {
          throw this.err('vtk-index-range', e instanceof Error ? e.message : String(e));
        }
      }
      return typedFromBytes(bytes, t, false);
    }
    const line = sc.line;
    // Each ASCII number takes at least a byte: a header count past that is a lie, not an allocation.
    if (count > this.buf.length - sc.pos + 1) throw this.err('vtk-truncated', `header declares ${count} values but only ${this.buf.length - sc.pos} bytes remain`);
    if (t.startsWith('Float')) {
      const out = t === 'Float32' ? new Float32Array(count) : new Float64Array(count);
      for (let i = 0; i < count; i++) {
        sc.skipWs();
        if (sc.eof()) throw this.err('vtk-truncated', `expected ${count} values (from line ${line}), the file ended after ${i}`);
        out[i] = sc.floatHere();
      }
      return out;
    }
    const out = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      sc.skipWs();
      if (sc.eof()) throw this.err('vtk-truncated', `expected ${count} values (from line ${line}), the file ended after ${i}`);
      out[i] = sc.intHere();
    }
    return out;
  }

  /** Keyword line: first token upper-cased, then the rest of the line split on whitespace. */
  header(): { kw: string; first: string; args: string[]; line: number } | undefined {
    const sc = this.sc;
    sc.skipWs();
    if (sc.eof()) return undefined;
    const line = sc.line;
    const text = sc.readLine().trim();
    const parts = text.split(/\s+/);
    return { kw: parts[0].toUpperCase(), first: parts[0], args: parts.slice(1), line };
  }
}

export function readVtk(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const r = new LegacyReader(bytes, ctx);
  const sc = r.sc;
  const l1 = sc.readLine();
  if (!/^#\s*vtk DataFile Version/i.test(l1)) throw r.err('vtk-header', 'not a legacy VTK file (first line must be "# vtk DataFile Version x.x")', 1);
  sc.readLine(); // title
  const fmt = sc.readLine().trim().toUpperCase();
  // a file cut short has no third line: point at the last line it has
  if (fmt !== 'ASCII' && fmt !== 'BINARY') throw r.err('vtk-header', `third line must be ASCII or BINARY, found '${fmt.slice(0, 20)}'`, Math.min(3, sc.line));
  r.binary = fmt === 'BINARY';

  let dataset = '';
  let points: Float64Array | undefined;
  let dims: number[] | undefined;
  let origin = [0, 0, 0];
  let spacing = [1, 1, 1];
  const rect: Float64Array[] = [];
  let cellConn: Int32Array | undefined;
  let cellOffsets: Int32Array | undefined;
  let cellTypes: NumArray | undefined;
  let cellsLine = 0;
  const poly: { kind: 'verts' | 'lines' | 'polys' | 'strips'; conn: Int32Array; offs: Int32Array }[] = [];
  const pointData: DataArray[] = [];
  const rawCellData: DataArray[] = [];
  let target: DataArray[] | undefined;
  let tuples = 0;

  // 4.2-style "n size" list: each cell is its count followed by indices.
  let cellLines: Int32Array | undefined;
  const sizedList = (n: number, size: number, line: number): { conn: Int32Array; offs: Int32Array } => {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(size) || n < 0 || size < n) throw r.err('vtk-bad-count', `CELLS ${n} ${size}: expected a cell count and a list size at least as large`, line);
    if (!r.binary) {
      // ASCII: one cell per line as written; keep each cell's line for diagnostics. Sized no larger than the
      // rest of the file can hold (a damaged count then ends in 'the file ended after' below).
      const cap = capacity(size, r.buf.length - sc.pos, 2);
      const conn = new Int32Array(Math.max(0, Math.min(size - n, cap)));
      const offs = new Int32Array(Math.min(n, cap));
      const lines = new Int32Array(Math.min(n, cap));
      let q = 0;
      for (let i = 0; i < n; i++) {
        sc.skipWs();
        if (sc.eof()) throw r.err('vtk-truncated', `CELLS declares ${n} cells, the file ended after ${i}`);
        lines[i] = sc.line;
        const k = sc.intHere();
        if (k < 0 || q + k > conn.length) throw r.err('vtk-bad-cells', `cell ${i} declares ${k} nodes, past the end of the list (size ${size})`, sc.line);
        for (let j = 0; j < k; j++) conn[q++] = sc.int();
        offs[i] = q;
      }
      cellLines = lines;
      return { conn: conn.subarray(0, q), offs };
    }
    // Binary (big-endian int32): read counts and indices in place, straight into the final arrays.
    const start = sc.pos;
    if (start + size * 4 > r.buf.length) throw r.err('vtk-truncated', `binary CELLS needs ${size * 4} bytes, ${r.buf.length - start} left`, line);
    const dv = new DataView(r.buf.buffer, r.buf.byteOffset + start, size * 4);
    sc.pos = start + size * 4;
    if (r.buf[sc.pos] === 10) sc.pos++;
    sc.lineStart = sc.pos;
    const conn = new Int32Array(Math.max(0, size - n));
    const offs = new Int32Array(n);
    let p = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      if (p >= size) throw r.err('vtk-bad-cells', `CELLS declares ${n} cells, the list of ${size} numbers ends after ${i}`, line);
      const k = dv.getInt32(p * 4, false);
      p++;
      if (k < 0 || p + k > size || q + k > conn.length) throw r.err('vtk-bad-cells', `cell ${i} declares ${k} nodes, past the end of the list (size ${size})`, line);
      for (let j = 0; j < k; j++) conn[q++] = dv.getInt32((p + j) * 4, false);
      p += k;
      offs[i] = q;
    }
    return { conn: conn.subarray(0, q), offs };
  };
  // 5.1-style: OFFSETS then CONNECTIVITY arrays.
  const offsetList = (nOff: number, nConn: number): { conn: Int32Array; offs: Int32Array } => {
    const h1 = r.header();
    if (!h1 || h1.kw !== 'OFFSETS') throw r.err('vtk-bad-cells', 'expected OFFSETS');
    const o = toInt32(r.numbers(nOff, h1.args[0] ?? '', true)); // a missing type is an 'unknown data type' error
    const h2 = r.header();
    if (!h2 || h2.kw !== 'CONNECTIVITY') throw r.err('vtk-bad-cells', 'expected CONNECTIVITY');
    const c = toInt32(r.numbers(nConn, h2.args[0] ?? '', true));
    return { conn: c, offs: o.subarray(1) };
  };
  const isNewStyle = (): boolean => {
    // Peek: 5.1 files follow "CELLS a b" directly with "OFFSETS".
    const save = [sc.pos, sc.line, sc.lineStart];
    sc.skipWs();
    const is = sc.buf[sc.pos] === 79 /* O */ && sc.buf[sc.pos + 1] === 70 /* F */;
    [sc.pos, sc.line, sc.lineStart] = save;
    return is;
  };

  for (let h = r.header(); h; h = r.header()) {
    checkAbort(ctx.opts.signal, ctx.file, h.line);
    const a = h.args;
    switch (h.kw) {
      case 'DATASET':
        dataset = (a[0] ?? '').toUpperCase();
        break;
      case 'POINTS': {
        const n = Number(a[0]);
        points = toFloat64(r.numbers(n * 3, a[1] ?? 'float'));
        break;
      }
      case 'DIMENSIONS':
        dims = a.slice(0, 3).map(Number);
        if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d < 1)) throw r.err('vtk-bad-dimensions', `DIMENSIONS needs three positive integers`, h.line);
        break;
      case 'ORIGIN':
        origin = a.slice(0, 3).map(Number);
        break;
      case 'SPACING':
      case 'ASPECT_RATIO':
        spacing = a.slice(0, 3).map(Number);
        break;
      case 'X_COORDINATES':
      case 'Y_COORDINATES':
      case 'Z_COORDINATES':
        rect.push(toFloat64(r.numbers(Number(a[0]), a[1] ?? 'float')));
        break;
      case 'CELLS': {
        cellsLine = h.line;
        const n = Number(a[0]);
        const size = Number(a[1]);
        const res = isNewStyle() ? offsetList(n, size) : sizedList(n, size, h.line);
        cellConn = res.conn;
        cellOffsets = res.offs;
        break;
      }
      case 'CELL_TYPES':
        cellTypes = r.numbers(Number(a[0]), 'int');
        break;
      case 'VERTICES':
      case 'LINES':
      case 'POLYGONS':
      case 'TRIANGLE_STRIPS': {
        const kind = ({ VERTICES: 'verts', LINES: 'lines', POLYGONS: 'polys', TRIANGLE_STRIPS: 'strips' } as const)[h.kw];
        const n = Number(a[0]);
        const size = Number(a[1]);
        poly.push({ kind, ...(isNewStyle() ? offsetList(n, size) : sizedList(n, size, h.line)) });
        break;
      }
      case 'POINT_DATA':
      case 'CELL_DATA':
        target = h.kw === 'POINT_DATA' ? pointData : rawCellData;
        tuples = Number(a[0]);
        break;
      case 'SCALARS': {
        const comps = a[2] ? Number(a[2]) : 1;
        const save = [sc.pos, sc.line, sc.lineStart];
        const lt = r.header();
        if (!lt || lt.kw !== 'LOOKUP_TABLE') [sc.pos, sc.line, sc.lineStart] = save;
        pushData(r, target, a[0], comps, tuples, a[1], h.line);
        break;
      }
      case 'VECTORS':
      case 'NORMALS':
        pushData(r, target, a[0], 3, tuples, a[1], h.line);
        break;
      case 'TENSORS':
      case 'TENSORS6':
        pushData(r, target, a[0], h.kw === 'TENSORS' ? 9 : 6, tuples, a[1], h.line);
        break;
      case 'TEXTURE_COORDINATES':
        pushData(r, target, a[0], Number(a[1]), tuples, a[2], h.line);
        break;
      case 'COLOR_SCALARS':
        pushData(r, target, a[0], Number(a[1]), tuples, r.binary ? 'unsigned_char' : 'float', h.line);
        break;
      case 'LOOKUP_TABLE':
        r.numbers(Number(a[1]) * 4, r.binary ? 'unsigned_char' : 'float');
        break;
      case 'FIELD': {
        const k = Number(a[1]);
        for (let i = 0; i < k; i++) {
          const fh = r.header();
          if (!fh) throw r.err('vtk-truncated', `FIELD ${a[0]} declares ${k} arrays, found ${i}`);
          // Array header: name ncomp ntuples type (the name is the "keyword" token here).
          const name = fh.first;
          if (fh.args.length < 3) throw r.err('vtk-bad-field', `FIELD array line must be "name components tuples type"`, fh.line);
          const comps = Number(fh.args[0]);
          const nt = Number(fh.args[1]);
          const values = r.numbers(comps * nt, fh.args[2]);
          // Skip METADATA blocks some writers add after an array.
          skipMetadata(r);
          if (target && nt === tuples) target.push({ name, components: comps, values: toDataValues(values) });
          else if (!target) ctx.diag.add('info', 'vtk-field-data', `field array '${name}' outside POINT_DATA/CELL_DATA is ignored`, fh.line);
          else ctx.diag.add('error', 'count-mismatch', `field array '${name}' has ${nt} tuples, expected ${tuples}`, fh.line);
        }
        break;
      }
      case 'METADATA':
        skipMetadataBody(r);
        break;
      default:
        throw r.err('vtk-keyword', `unexpected '${h.kw.slice(0, 40)}' in legacy VTK file`, h.line);
    }
  }

  let cells: CellBlock[] = [];
  let cellData: DataArray[][] = [];
  if (dataset === 'UNSTRUCTURED_GRID') {
    if (!points) throw r.err('vtk-no-points', 'UNSTRUCTURED_GRID without POINTS', 1);
    if (cellConn && cellOffsets) {
      if (!cellTypes) throw r.err('vtk-no-cell-types', 'CELLS without CELL_TYPES', cellsLine);
      ({ cells, cellData } = cellsFromVtk(cellConn, cellOffsets, cellTypes, rawCellData, ctx.diag, cellsLine, cellLines));
    }
  } else if (dataset === 'POLYDATA') {
    if (!points) throw r.err('vtk-no-points', 'POLYDATA without POINTS', 1);
    let total = 0;
    for (const p of poly) total += p.conn.length;
    const conn = new Int32Array(total);
    const offs: number[] = [];
    const types: number[] = [];
    let base = 0;
    for (const p of poly) {
      conn.set(p.conn, base);
      let s = 0;
      for (let i = 0; i < p.offs.length; i++) {
        types.push(polyVtkType(p.kind, p.offs[i] - s));
        offs.push(base + p.offs[i]);
        s = p.offs[i];
      }
      base += p.conn.length;
    }
    ({ cells, cellData } = cellsFromVtk(conn, Int32Array.from(offs), types, rawCellData, ctx.diag));
  } else if (dataset === 'STRUCTURED_POINTS' || dataset === 'STRUCTURED_GRID' || dataset === 'RECTILINEAR_GRID') {
    if (!dims) throw r.err('vtk-no-dimensions', `${dataset} without DIMENSIONS`, 1);
    const [nx, ny, nz] = dims;
    if (dataset === 'STRUCTURED_POINTS') {
      points = new Float64Array(nx * ny * nz * 3);
      let p = 0;
      for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
        points[p++] = origin[0] + i * spacing[0];
        points[p++] = origin[1] + j * spacing[1];
        points[p++] = origin[2] + k * spacing[2];
      }
    } else if (dataset === 'RECTILINEAR_GRID') {
      if (rect.length !== 3) throw r.err('vtk-rectilinear', 'RECTILINEAR_GRID needs X_, Y_ and Z_COORDINATES', 1);
      points = new Float64Array(nx * ny * nz * 3);
      let p = 0;
      for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
        points[p++] = rect[0][i];
        points[p++] = rect[1][j];
        points[p++] = rect[2][k];
      }
    }
    if (!points || points.length !== nx * ny * nz * 3) throw r.err('count-mismatch', `DIMENSIONS ${nx}×${ny}×${nz} does not match the number of points`, 1);
    ({ cells, cellData } = structuredCells(nx, ny, nz, rawCellData));
  } else throw r.err('vtk-dataset', `DATASET '${dataset}' is not supported`, 1);

  const npts = points!.length / 3;
  if (pointData.some((d) => d.values.length !== npts * d.components)) ctx.diag.add('error', 'count-mismatch', `POINT_DATA count does not match the ${npts} points`, 1);
  const format = 'vtk';
  return { points: points!, dimension: 3, cells, pointData: pointData.filter((d) => d.values.length === npts * d.components), cellData, nodeSets: {}, elementSets: {}, source: { file: ctx.file, format } };
}

function pushData(r: LegacyReader, target: DataArray[] | undefined, name: string | undefined, comps: number, tuples: number, vtype: string | undefined, line: number): void {
  if (!target) throw r.err('vtk-data-section', 'data array before POINT_DATA or CELL_DATA', line);
  if (!Number.isInteger(comps) || comps < 1) throw r.err('vtk-bad-count', `bad number of components for '${name}'`, line);
  const v = r.numbers(tuples * comps, vtype ?? 'float');
  skipMetadata(r);
  target.push({ name: name ?? `array${target.length}`, components: comps, values: toDataValues(v) });
}

function skipMetadata(r: LegacyReader): void {
  const sc = r.sc;
  const save = [sc.pos, sc.line, sc.lineStart];
  sc.skipWs();
  if (sc.buf[sc.pos] === 77 /* M */ && sc.readLine().trim().toUpperCase() === 'METADATA') skipMetadataBody(r);
  else [sc.pos, sc.line, sc.lineStart] = save;
}

function skipMetadataBody(r: LegacyReader): void {
  // Metadata ends at the first blank line.
  const sc = r.sc;
  while (!sc.eof()) if (sc.readLine().trim() === '') break;
}

function structuredCells(nx: number, ny: number, nz: number, rawCellData: DataArray[]): { cells: CellBlock[]; cellData: DataArray[][] } {
  const ext = [nx, ny, nz].filter((d) => d > 1);
  const id = (i: number, j: number, k: number): number => i + nx * (j + ny * k);
  const ci = Math.max(1, nx - 1), cj = Math.max(1, ny - 1), ck = Math.max(1, nz - 1);
  if (ext.length === 3) {
    const c = new Int32Array(ci * cj * ck * 8);
    let p = 0;
    for (let k = 0; k < ck; k++) for (let j = 0; j < cj; j++) for (let i = 0; i < ci; i++) {
      c.set([id(i, j, k), id(i + 1, j, k), id(i + 1, j + 1, k), id(i, j + 1, k), id(i, j, k + 1), id(i + 1, j, k + 1), id(i + 1, j + 1, k + 1), id(i, j + 1, k + 1)], p);
      p += 8;
    }
    return { cells: [{ type: 'hexahedron', connectivity: c }], cellData: [rawCellData] };
  }
  if (ext.length === 2) {
    // The two varying axes, in i-j-k order.
    const axes = [nx, ny, nz].map((d, a) => [d, a]).filter(([d]) => d > 1).map(([, a]) => a);
    const step = [1, nx, nx * ny];
    const [a0, a1] = axes;
    const n0 = [nx, ny, nz][a0] - 1, n1 = [nx, ny, nz][a1] - 1;
    const c = new Int32Array(n0 * n1 * 4);
    let p = 0;
    for (let v = 0; v < n1; v++) for (let u = 0; u < n0; u++) {
      const b = u * step[a0] + v * step[a1];
      c.set([b, b + step[a0], b + step[a0] + step[a1], b + step[a1]], p);
      p += 4;
    }
    return { cells: [{ type: 'quad', connectivity: c }], cellData: [rawCellData] };
  }
  const n = Math.max(nx, ny, nz) - 1;
  const c = new Int32Array(n * 2);
  for (let i = 0; i < n; i++) c.set([i, i + 1], i * 2);
  return { cells: n > 0 ? [{ type: 'line', connectivity: c }] : [], cellData: n > 0 ? [rawCellData] : [] };
}

export const vtkFormat: MeshFormat = { name: 'vtk', extensions: ['.vtk'], read: readVtk };
