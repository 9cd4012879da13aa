// CalculiX results (.frd, ASCII): node block (2C), element block (3C) and nodal result blocks
// (100C: DISP, STRESS, TOSTRAIN, NDTEMP, ...). Numbers are fixed width and may touch
// ("-1.00000E+00-2.00000E+00"), so fields are cut by column, never split on blanks.
import { CellCollector, IdMap, dropBadCells, permuteCells, type MeshFormat, type ReadContext } from '../build';
import { F64Builder, I32Builder } from '../builders';
import { MeshReadError, checkAbort } from '../readError';
import { fixedFloat, fixedInt } from '../scanner';
import { latin1 } from '../text';
import { CELL_TYPES, type CellBlock, type CellType, type DataArray, type Mesh } from '../types';

const FRD_TYPES: Record<number, CellType> = {
  1: 'hexahedron', 2: 'wedge', 3: 'tetra', 4: 'hexahedron20', 5: 'wedge15', 6: 'tetra10', 7: 'triangle', 8: 'triangle6',
  9: 'quad', 10: 'quad8', 11: 'line', 12: 'line3',
};
// ccx writes he20 with the vertical mid-edge nodes before the top ones (frd.c); VTK[i] = frd[perm[i]].
const FRD_TO_VTK: Partial<Record<CellType, number[]>> = {
  hexahedron20: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 12, 13, 14, 15],
  wedge15: [0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 13, 14, 9, 10, 11],
};

interface Line {
  s: number;
  e: number;
  no: number;
}

export function readFrd(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const b = bytes;
  const file = ctx.file;
  let pos = 0;
  let lineNo = 0;
  const next = (): Line | undefined => {
    if (pos >= b.length) return undefined;
    const s = pos;
    let e = b.indexOf(10, pos);
    if (e < 0) e = b.length;
    pos = e + 1;
    lineNo++;
    return { s, e: e > s && b[e - 1] === 13 ? e - 1 : e, no: lineNo };
  };
  const key = (l: Line): string => latin1(b, l.s, Math.min(l.e, l.s + 6)).trim();
  const err = (code: string, msg: string, line: number): MeshReadError => new MeshReadError(code, msg, file, line);

  const ids = new I32Builder(1024);
  const coords = new F64Builder(3072);
  const pointLines = new I32Builder(1024);
  const blocks = new Map<CellType, CellCollector>();
  const results: { name: string; comps: number; ids: Int32Array; values: Float64Array; line: number; step: number }[] = [];
  let step = 0;
  let sawEnd = false;

  for (let l = next(); l; l = next()) {
    const k = key(l);
    if (k === '2C') {
      // Node block; the last field says short (0: I5 ids) or long (1: I10 ids) format.
      const wide = /1\s*$/.test(latin1(b, l.s, l.e)) ? 10 : 5;
      for (let d = next(); d; d = next()) {
        const dk = latin1(b, d.s, Math.min(d.e, d.s + 3)).trim();
        if (dk === '-3') break;
        if (dk !== '-1') throw err('frd-syntax', `expected a node line (-1) or the end of the node block (-3)`, d.no);
        const id = fixedInt(b, d.s + 3, d.s + 3 + wide);
        const o = d.s + 3 + wide;
        const x = fixedFloat(b, o, o + 12);
        const y = fixedFloat(b, o + 12, o + 24);
        const z = fixedFloat(b, o + 24, Math.min(d.e, o + 36));
        if (Number.isNaN(id)) throw err('frd-bad-node', 'bad node number', d.no);
        ids.push(id);
        coords.push(x);
        coords.push(y);
        coords.push(z);
        pointLines.push(d.no);
      }
    } else if (k === '3C') {
      const wide = /1\s*$/.test(latin1(b, l.s, l.e)) ? 10 : 5;
      let cur: CellCollector | undefined;
      let need = 0;
      // An element cut short (truncated file) is reported and dropped, keeping the blocks rectangular.
      const abandon = (line: number): void => {
        if (!cur || need <= 0) return;
        ctx.diag.add('error', 'frd-short-element', `element ${cur.ids!.view().at(-1)} is missing ${need} nodes; it is skipped`, line);
        cur.conn.n -= CELL_TYPES[cur.type].nodes - need;
        cur.ids!.n--;
        cur.lines!.n--;
        need = 0;
      };
      let d: Line | undefined;
      for (d = next(); d; d = next()) {
        const dk = latin1(b, d.s, Math.min(d.e, d.s + 3)).trim();
        if (dk === '-3') break;
        if (dk === '-1') {
          abandon(d.no);
          const id = fixedInt(b, d.s + 3, d.s + 3 + wide);
          const t = fixedInt(b, d.s + 3 + wide, d.s + 8 + wide);
          const ct = FRD_TYPES[t];
          if (!ct) throw err('frd-element-type', `unknown frd element type ${t}`, d.no);
          cur = blocks.get(ct);
          if (!cur) blocks.set(ct, (cur = new CellCollector(ct, true, true)));
          cur.ids!.push(id);
          cur.lines!.push(d.no);
          need = CELL_TYPES[ct].nodes;
        } else if (dk === '-2') {
          if (!cur || need <= 0) throw err('frd-syntax', 'node list (-2) without an element (-1)', d.no);
          for (let o = d.s + 3; o + wide <= d.e + 0 && need > 0; o += wide) {
            const v = fixedInt(b, o, o + wide);
            if (Number.isNaN(v)) break;
            cur.conn.push(v);
            need--;
          }
        } else throw err('frd-syntax', `unexpected line in element block`, d.no);
      }
      abandon(d?.no ?? lineNo);
    } else if (k.startsWith('100C')) {
      checkAbort(ctx.opts.signal, file, l.no);
      const wide = /1\s*$/.test(latin1(b, l.s, l.e)) ? 10 : 5;
      step++;
      const h = next();
      if (!h || latin1(b, h.s, h.s + 3).trim() !== '-4') throw err('frd-syntax', 'result block without a -4 header', l.no + 1);
      const name = latin1(b, h.s + 5, Math.min(h.e, h.s + 13)).trim();
      const declared = fixedInt(b, h.s + 13, h.s + 18);
      let stored = 0;
      for (let c = 0; c < declared; c++) {
        const cl = next();
        if (!cl || latin1(b, cl.s, cl.s + 3).trim() !== '-5') throw err('frd-syntax', `${name}: expected ${declared} component lines (-5)`, cl?.no ?? lineNo);
        // iexist = 1 marks a component the viewer computes (e.g. ALL); it has no stored values.
        const iexist = fixedInt(b, cl.s + 33, cl.s + 38);
        if (iexist !== 1) stored++;
      }
      const rid = new I32Builder(1024);
      const vals = new F64Builder(1024 * stored);
      let have = 0;
      for (let d = next(); d; d = next()) {
        const dk = latin1(b, d.s, Math.min(d.e, d.s + 3)).trim();
        if (dk === '-3') break;
        let o: number;
        if (dk === '-1') {
          if (have !== 0 && have !== stored) throw err('frd-short-result', `${name}: a node has ${have} of ${stored} values`, d.no);
          rid.push(fixedInt(b, d.s + 3, d.s + 3 + wide));
          have = 0;
          o = d.s + 3 + wide;
        } else if (dk === '-2') o = d.s + 3 + wide;
        else throw err('frd-syntax', `unexpected line in result block ${name}`, d.no);
        for (; o + 12 <= d.e + 0 && have < stored; o += 12) {
          vals.push(fixedFloat(b, o, o + 12));
          have++;
        }
        if (o < d.e && have < stored) {
          // a last short field at the end of the line
          vals.push(fixedFloat(b, o, d.e));
          have++;
        }
      }
      if (rid.n * stored !== vals.n) throw err('frd-short-result', `${name}: ${vals.n} values for ${rid.n} nodes × ${stored} components`, l.no);
      if (stored === 0) {
        // nothing stored (no -5 lines, or only computed ones): not a field
        ctx.diag.add('warning', 'frd-empty-result', `result block ${name || '(unnamed)'} has no stored components; it is skipped`, l.no);
        continue;
      }
      results.push({ name, comps: stored, ids: rid.view(), values: vals.view(), line: l.no, step });
    } else if (k === '9999') {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) ctx.diag.add('warning', 'frd-truncated', 'no 9999 end marker: the solver may not have finished', lineNo);
  const pid = ids.view();
  const idMap = new IdMap(pid);
  const np = pid.length;
  const pl = pointLines.view();
  for (const i of idMap.duplicates) ctx.diag.add('warning', 'duplicate-node-id', `node ${pid[i]} appears more than once`, pl[i]);
  const cells: CellBlock[] = [];
  for (const [t, col] of blocks) {
    let block = col.toBlock();
    const badIds: number[] = [];
    const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
    if (bad.length) {
      ctx.diag.add('error', 'index-out-of-range', `${t} elements refer to undefined nodes (first: ${badIds[0]}); they are skipped`, block.lines![Math.floor(bad[0] / CELL_TYPES[t].nodes)]);
      block = dropBadCells(block, bad);
    }
    const perm = FRD_TO_VTK[t];
    if (perm) permuteCells(block.connectivity as Int32Array, perm);
    cells.push(block);
  }
  // Later steps keep the plain name (the final state); earlier ones get "@<block index>".
  const pointData: DataArray[] = [];
  const lastOf = new Map<string, number>();
  results.forEach((r, i) => lastOf.set(r.name, i));
  results.forEach((r, i) => {
    const v = new Float64Array(np * r.comps).fill(NaN);
    for (let j = 0; j < r.ids.length; j++) {
      const idx = idMap.get(r.ids[j]);
      if (idx < 0) continue;
      v.set(r.values.subarray(j * r.comps, (j + 1) * r.comps), idx * r.comps);
    }
    pointData.push({ name: lastOf.get(r.name) === i ? r.name : `${r.name}@${r.step}`, components: r.comps, values: v });
  });
  return { points: coords.view(), dimension: 3, pointIds: pid, pointLines: pl, cells, pointData, cellData: cells.map(() => []), nodeSets: {}, elementSets: {}, source: { file, format: 'frd' } };
}

export const frdFormat: MeshFormat = { name: 'frd', extensions: ['.frd'], read: readFrd };
