// Nastran bulk data (.bdf, .nas, .fem): free field (commas), small (8) and large (16, "GRID*")
// fixed fields, continuation lines (+, *, or blank first field). GRID and the common elements.
import { CellCollector, IdMap, dropBadCells, permuteCells, type MeshFormat, type ReadContext } from '../build';
import { F64Builder, I32Builder } from '../builders';
import { MeshReadError, checkAbort } from '../readError';
import { latin1 } from '../text';
import { CELL_TYPES, type CellBlock, type CellType, type Mesh } from '../types';

const ELEMENTS: Record<string, CellType> = {
  CROD: 'line', CBAR: 'line', CBEAM: 'line', CBUSH: 'line', CGAP: 'line', CONROD: 'line', CELAS1: 'vertex',
  CTRIA3: 'triangle', CTRIAR: 'triangle', CTRIA6: 'triangle6', CQUAD4: 'quad', CQUADR: 'quad', CSHEAR: 'quad', CQUAD8: 'quad8', CQUAD9: 'quad9',
  CTETRA: 'tetra', CPYRAM: 'pyramid', CPYRA: 'pyramid', CPENTA: 'wedge', CHEXA: 'hexahedron',
};
const QUADRATIC: Partial<Record<CellType, CellType>> = { tetra: 'tetra10', pyramid: 'pyramid13', wedge: 'wedge15', hexahedron: 'hexahedron20' };
// Nastran → VTK node order: mid-edge nodes of the vertical edges come before the top ones.
const TO_VTK: Partial<Record<CellType, number[]>> = {
  hexahedron20: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 12, 13, 14, 15],
  wedge15: [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 9, 10, 11],
};

/** Nastran real: "1.5", "1.5E-3", and the exponent shorthand "1.5-3" / "7.+2". */
export function nastranFloat(s: string): number {
  const t = s.trim();
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))([+-]\d+)$/.exec(t);
  return Number(m ? `${m[1]}e${m[2]}` : t.replace(/[dD]/, 'e'));
}

interface Card {
  name: string;
  fields: string[];
  line: number;
}

function* cards(bytes: Uint8Array): Generator<Card> {
  const text = latin1(bytes);
  const lines = text.split('\n');
  let i = 0;
  const begin = lines.findIndex((l) => /^\s*BEGIN\s+BULK/i.test(l));
  if (begin >= 0) i = begin + 1;
  const isSkip = (l: string): boolean => l.trim() === '' || l.startsWith('$') || l.startsWith('//') || l.startsWith('#');
  const split = (l: string, first: boolean): { name: string; f: string[]; large: boolean } => {
    l = l.replace(/\r$/, '');
    if (l.includes(',')) {
      const parts = l.split(',');
      return { name: parts[0].trim().toUpperCase(), f: parts.slice(1).map((x) => x.trim()), large: parts[0].includes('*') };
    }
    const name = l.slice(0, 8).trim().toUpperCase();
    const large = first ? name.endsWith('*') : l.startsWith('*');
    const w = large ? 16 : 8;
    const n = large ? 4 : 8;
    const f: string[] = [];
    for (let k = 0; k < n; k++) f.push(l.slice(8 + k * w, 8 + (k + 1) * w).trim());
    return { name, f, large };
  };
  while (i < lines.length) {
    const l = lines[i];
    if (isSkip(l)) {
      i++;
      continue;
    }
    if (/^\s*ENDDATA/i.test(l)) return;
    const lineNo = i + 1;
    const head = split(l, true);
    const fields = head.f;
    i++;
    // Continuations: lines starting with + or * (or a blank first field in fixed format, or a comma).
    for (;;) {
      while (i < lines.length && (lines[i].startsWith('$') || lines[i].trim() === '')) i++;
      if (i >= lines.length) break;
      const c = lines[i];
      const isCont = c.startsWith('+') || c.startsWith('*') || c.startsWith(',') || (!c.includes(',') && c.length > 8 && c.slice(0, 8).trim() === '');
      if (!isCont) break;
      // Free-field lines end their data before a trailing continuation marker; drop empty tail.
      while (fields.length && fields[fields.length - 1] === '' && head.name.length) fields.pop();
      fields.push(...split(c, false).f);
      i++;
    }
    yield { name: head.name.replace(/\*$/, ''), fields, line: lineNo };
  }
}

export function readNastran(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const file = ctx.file;
  const ids = new I32Builder(1024);
  const coords = new F64Builder(3072);
  const pointLines = new I32Builder(1024);
  const blocks = new Map<CellType, CellCollector>();
  const skipped = new Map<string, number>();
  let count = 0;
  for (const c of cards(bytes)) {
    if ((++count & 0xffff) === 0) checkAbort(ctx.opts.signal, file, c.line);
    if (c.name === 'GRID') {
      const id = Number(c.fields[0]);
      if (!Number.isInteger(id)) throw new MeshReadError('nastran-bad-grid', `GRID id '${c.fields[0]}' is not an integer`, file, c.line);
      const x = nastranFloat(c.fields[2] || '0');
      const y = nastranFloat(c.fields[3] || '0');
      const z = nastranFloat(c.fields[4] || '0');
      ids.push(id);
      coords.push(x);
      coords.push(y);
      coords.push(z);
      pointLines.push(c.line);
      if (c.fields[1] && c.fields[1] !== '0') ctx.diag.add('warning', 'nastran-coordinate-system', `GRID ${id} uses coordinate system ${c.fields[1]}; coordinates are taken as basic`, c.line);
      continue;
    }
    // meshio writes fictive names (CTETRA_) for quadratic solids
    let type = ELEMENTS[c.name.replace(/_$/, '')];
    if (!type) {
      if (c.name.startsWith('C')) skipped.set(c.name, (skipped.get(c.name) ?? 0) + 1);
      continue;
    }
    const eid = Number(c.fields[0]);
    const line1d = ['CBAR', 'CBEAM', 'CBUSH', 'CGAP'].includes(c.name);
    const start = c.name === 'CONROD' ? 1 : 2;
    let nodes = c.fields.slice(start, line1d ? start + 2 : undefined).filter((x) => x !== '');
    if (c.name === 'CONROD') nodes = nodes.slice(0, 2);
    if (c.name.startsWith('CQUAD4') || c.name === 'CTRIA3') nodes = nodes.slice(0, CELL_TYPES[type].nodes); // thickness/theta fields follow
    if (nodes.length > CELL_TYPES[type].nodes && QUADRATIC[type]) type = QUADRATIC[type]!;
    const k = CELL_TYPES[type].nodes;
    if (nodes.length < k) throw new MeshReadError('nastran-short-element', `${c.name} ${eid} has ${nodes.length} of ${k} nodes`, file, c.line);
    let col = blocks.get(type);
    if (!col) blocks.set(type, (col = new CellCollector(type, true, true)));
    for (let j = 0; j < k; j++) col.conn.push(Number(nodes[j]));
    col.ids!.push(eid);
    col.lines!.push(c.line);
  }
  for (const [n, c] of skipped) ctx.diag.add('warning', 'unsupported-cell-type', `${c} ${n} elements are not supported and were skipped`, 1);
  const pid = ids.view();
  const idMap = new IdMap(pid);
  const pl = pointLines.view();
  for (const i of idMap.duplicates) ctx.diag.add('warning', 'duplicate-node-id', `GRID ${pid[i]} is defined more than once`, pl[i]);
  const cells: CellBlock[] = [];
  for (const [t, col] of blocks) {
    let block = col.toBlock();
    const badIds: number[] = [];
    const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
    if (bad.length) {
      const k = CELL_TYPES[t].nodes;
      bad.forEach((p, j) => ctx.diag.add('error', 'index-out-of-range', `element ${block.ids![Math.floor(p / k)]} refers to undefined GRID ${badIds[j]}; it is skipped`, block.lines![Math.floor(p / k)]));
      block = dropBadCells(block, bad);
    }
    const perm = TO_VTK[t];
    if (perm) permuteCells(block.connectivity as Int32Array, perm);
    cells.push(block);
  }
  return { points: coords.view(), dimension: 3, pointIds: pid, pointLines: pl, cells, pointData: [], cellData: cells.map(() => []), nodeSets: {}, elementSets: {}, source: { file, format: 'nastran' } };
}

export const nastranFormat: MeshFormat = { name: 'nastran', extensions: ['.bdf', '.nas', '.fem'], read: readNastran };
