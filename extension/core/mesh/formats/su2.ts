// SU2 native mesh (.su2): NDIME, NPOIN, NELEM (VTK type numbers), NMARK / MARKER_TAG / MARKER_ELEMS.
// Marker elements become cells too (as meshio does) and their nodes a named node set.
import { VTK_TO_TYPE, type MeshFormat, type ReadContext } from '../build';
import { I32Builder, capacity } from '../builders';
import { MeshReadError, checkAbort, checkCount } from '../readError';
import { Scanner } from '../scanner';
import { CELL_TYPES, type CellBlock, type CellType, type DataArray, type Mesh } from '../types';

export function readSu2(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const sc = new Scanner(bytes, ctx.file);
  const file = ctx.file;
  let dim = 0;
  let points: Float64Array | undefined;
  let pointLines: Int32Array | undefined;
  const groups = new Map<CellType, { conn: I32Builder; lines: I32Builder; tags: I32Builder }>();
  const nodeSets: Record<string, Int32Array> = {};
  const markerLines: Record<string, number> = {};
  let tag = 0;
  let markerName = '';
  let nextTag = 0;
  const group = (t: CellType) => {
    let g = groups.get(t);
    if (!g) groups.set(t, (g = { conn: new I32Builder(1024), lines: new I32Builder(256), tags: new I32Builder(256) }));
    return g;
  };
  while (!sc.eof()) {
    sc.skipWs();
    if (sc.eof()) break;
    const line = sc.line;
    const text = sc.readLine();
    const t = text.trim();
    if (t === '' || t.startsWith('%')) continue;
    const eq = t.indexOf('=');
    if (eq < 0) throw new MeshReadError('su2-syntax', `expected KEY= line, found '${t.slice(0, 40)}'`, file, line);
    const key = t.slice(0, eq).trim().toUpperCase();
    const val = t.slice(eq + 1).trim();
    checkAbort(ctx.opts.signal, file, line);
    if (key === 'NDIME') {
      dim = Number(val);
      if (dim !== 2 && dim !== 3) throw new MeshReadError('su2-dimension', `NDIME must be 2 or 3, found '${val}'`, file, line);
    } else if (key === 'NPOIN') {
      if (!dim) throw new MeshReadError('su2-syntax', 'NPOIN before NDIME', file, line);
      const n = checkCount(Number(val.split(/\s+/)[0]), 'NPOIN', file, line);
      // each point takes at least a digit and a newline (short lines read as NaN)
      const cap = capacity(n, bytes.length - sc.pos, 2);
      points = new Float64Array(cap * dim);
      pointLines = new Int32Array(cap);
      for (let i = 0; i < n; i++) {
        sc.skipWs();
        if (sc.eof()) throw sc.error('count-mismatch', `NPOIN= ${n} but the file ends after ${i} points`);
        pointLines[i] = sc.line;
        for (let k = 0; k < dim; k++) points[i * dim + k] = k === 0 ? sc.floatHere() : sc.floatInline();
        sc.nextLine(); // optional trailing point index
      }
    } else if (key === 'NELEM' || key === 'MARKER_ELEMS') {
      const n = checkCount(Number(val), key, file, line);
      const marker = key === 'MARKER_ELEMS';
      if (marker) markerLines[markerName] = line;
      const setNodes = new Set<number>();
      for (let i = 0; i < n; i++) {
        sc.skipWs();
        if (sc.eof()) throw sc.error('count-mismatch', `${key}= ${n} but the file ends after ${i} elements`);
        const l = sc.line;
        const vtk = sc.intHere();
        const ct = VTK_TO_TYPE.get(vtk);
        if (!ct || CELL_TYPES[ct].nodes === 0) throw new MeshReadError('su2-element-type', `unknown SU2 element type ${vtk}`, file, l);
        const g = group(ct);
        const k = CELL_TYPES[ct].nodes;
        g.conn.reserve(k);
        for (let j = 0; j < k; j++) {
          const v = sc.intInline();
          g.conn.a[g.conn.n++] = v;
          if (marker) setNodes.add(v);
        }
        g.lines.push(l);
        g.tags.push(marker ? tag : 0);
        sc.nextLine(); // optional element index
      }
      if (marker) nodeSets[markerName] = Int32Array.from([...setNodes].sort((a, b) => a - b));
    } else if (key === 'MARKER_TAG') {
      markerName = val;
      const asInt = Number(val);
      // meshio numbers string tags 1, 2, ... in order; integer tags are kept
      tag = Number.isInteger(asInt) && val !== '' ? asInt : ++nextTag;
      if (Number.isInteger(asInt)) nextTag = asInt;
    } else if (key !== 'NMARK') ctx.diag.add('info', 'su2-unknown-key', `${key}= is not used and was skipped`, line);
  }
  if (!points) throw new MeshReadError('su2-no-points', 'no NPOIN section', file, 1);
  // Marker node sets become 0-based point indices downstream: drop (and report) nodes that do not exist.
  const np = points.length / dim;
  for (const [name, set] of Object.entries(nodeSets)) {
    const bad = set.filter((v) => v < 0 || v >= np);
    if (bad.length === 0) continue;
    ctx.diag.add('error', 'index-out-of-range', `marker '${name}' refers to point ${bad[0]}, but there are ${np} points; such nodes are left out of the set`, markerLines[name] ?? 1);
    nodeSets[name] = set.filter((v) => v >= 0 && v < np);
  }
  const cells: CellBlock[] = [];
  const cellData: DataArray[][] = [];
  for (const [type, g] of groups) {
    cells.push({ type, connectivity: g.conn.view(), lines: g.lines.view() });
    cellData.push([{ name: 'su2:tag', components: 1, values: g.tags.view() }]);
  }
  return { points, dimension: dim as 2 | 3, ...(pointLines ? { pointLines } : {}), cells, pointData: [], cellData, nodeSets, elementSets: {}, source: { file, format: 'su2' } };
}

export const su2Format: MeshFormat = { name: 'su2', extensions: ['.su2'], read: readSu2 };
