// The keyword loop: reads each keyword line and hands its data lines to the keyword's handler.
import { checkAbort } from '../../readError';
import { Scanner } from '../../scanner';
import { endInstance, findParts, readInstance, skipPart } from './assembly';
import { readBoundary, readCload, readDload, readDsload, readMaterial, readMaterialData, readOther, readSection, readStep, readSurface } from './deck';
import { readElements, readInclude, readNodes, readSet } from './geometry';
import type { Block, Handler, InpState } from './state';
import { nextData, parseKeyword } from './syntax';

/** Keyword → handler (issue 13: a table, not one long switch). */
export const HANDLERS = new Map<string, Handler>([
  ['NODE', readNodes],
  ['ELEMENT', readElements],
  ['NSET', readSet],
  ['ELSET', readSet],
  ['INCLUDE', readInclude],
  ['MATERIAL', readMaterial],
  ['ELASTIC', readMaterialData],
  ['DENSITY', readMaterialData],
  ['SOLID SECTION', readSection],
  ['SHELL SECTION', readSection],
  ['BEAM SECTION', readSection],
  ['MEMBRANE SECTION', readSection],
  ['BOUNDARY', readBoundary],
  ['CLOAD', readCload],
  ['DLOAD', readDload],
  ['SURFACE', readSurface],
  ['DSLOAD', readDsload],
  ['PART', skipPart],
  ['INSTANCE', readInstance],
  ['END INSTANCE', endInstance],
  ['STEP', readStep],
]);

export function parseFile(st: InpState, buf: Uint8Array, file: string): void {
  const fileIdx = st.files.length;
  st.files.push(file);
  findParts(st, buf, file);
  parseBlock(st, new Scanner(buf, file), fileIdx);
}

export function parseBlock(st: InpState, sc: Scanner, fileIdx: number): void {
  const { ctx } = st;
  const file = sc.file;
  const blk: Block = { fileIdx, material: undefined, step: undefined, readFile: (bytes, path) => parseFile(st, bytes, path), readBlock: (s, idx) => parseBlock(st, s, idx) };
  // Skip anything before the first keyword (Abaqus ignores it too, but say so).
  if (nextData(sc)) {
    ctx.diag.add('warning', 'inp-data-before-keyword', 'data line before the first keyword is ignored', sc.line, file);
    while (nextData(sc)) sc.nextLine();
  }
  while (sc.pos < sc.end) {
    checkAbort(ctx.opts.signal, file, sc.line);
    if (nextData(sc)) {
      // Should not happen: every branch consumes its data lines.
      sc.nextLine();
      continue;
    }
    if (sc.pos >= sc.end) break;
    const kwLine = sc.line;
    let text = sc.readLine();
    // Keyword lines may continue on the next line after a trailing comma.
    while (/,\s*$/.test(text) && sc.pos < sc.end && sc.buf[sc.pos] !== 42) text += sc.readLine();
    const kw = parseKeyword(text, kwLine);
    (HANDLERS.get(kw.name) ?? readOther)(st, sc, kw, blk);
  }
}
