// Keyword handlers for the geometry: nodes, elements, sets, includes.
import { CellCollector, resolveRelative } from '../../build';
import { MeshReadError } from '../../readError';
import type { Scanner } from '../../scanner';
import { countLines } from '../../text';
import { getSet, scoped, type Block, type InpState } from './state';
import { NODES, abaqusCellType, blockLines, continuations, coordField, keywordLine, nextData, sourceAt, splitData, type Keyword } from './syntax';

/** *NODE: ids, coordinates (blank = 0 as in ccx), NSET=; offset and moved inside an instance. */
export function readNodes(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const file = sc.file;
  const kwLine = kw.line;
  const nset = kw.params.get('NSET');
  const set = nset ? getSet(st.nsets, scoped(st, nset), kwLine, file) : undefined;
  if (blk.fileIdx > 0 || st.fileRuns.length > 0) st.fileRuns.push(st.pointIds.n, blk.fileIdx);
  const ids = st.pointIds;
  const xyz = st.coords;
  const lines = st.pointLines;
  // Size the arrays once from the block's line count (a native scan), not by repeated doubling.
  const est = blockLines(sc.buf, sc.pos);
  ids.reserve(est);
  xyz.reserve(est * 3);
  lines.reserve(est);
  if (set) set.ids.reserve(est);
  const scope = st.scope;
  const off = scope?.nodeOffset ?? 0;
  const first = xyz.n;
  while (nextData(sc)) {
    const line = sc.line;
    const local = sc.intHere();
    const id = local + off;
    if (id > st.maxNodeId) st.maxNodeId = id;
    if (scope && local > scope.maxNode) scope.maxNode = local;
    // As in CalculiX, a missing or blank coordinate is 0 ("1" is node 1 at the origin, "1,,2." is (0,2,0)).
    const x = coordField(sc);
    const y = coordField(sc);
    const z = coordField(sc);
    ids.push(id);
    xyz.reserve(3);
    xyz.a[xyz.n++] = x;
    xyz.a[xyz.n++] = y;
    xyz.a[xyz.n++] = z;
    lines.push(line);
    set?.ids.push(id);
    sc.nextLine();
  }
  if (scope?.move) {
    for (let k = first; k < xyz.n; k += 3) {
      const [x, y, z] = scope.move([xyz.a[k], xyz.a[k + 1], xyz.a[k + 2]]);
      xyz.a[k] = x;
      xyz.a[k + 1] = y;
      xyz.a[k + 2] = z;
    }
  }
  if (st.fileRuns.length === 0 && blk.fileIdx > 0) st.fileRuns.push(0, 0);
}

/** *ELEMENT: connectivity in VTK order (= Abaqus order), continuation lines, ELSET=. */
export function readElements(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  const tname = kw.params.get('TYPE') ?? '';
  const type = abaqusCellType(tname);
  if (!type) {
    ctx.diag.add('error', 'inp-unknown-element', `unknown element type '${tname}'; its elements are skipped`, kwLine, file);
    while (nextData(sc)) sc.nextLine();
    return;
  }
  const n = NODES[type];
  let col = st.blocks.get(type);
  if (!col) st.blocks.set(type, (col = new CellCollector(type, true, true, 1024)));
  const runs = st.cellRuns.get(type) ?? [];
  if ((runs.length ? runs[runs.length - 1] : 0) !== blk.fileIdx) runs.push(col.ids!.n, blk.fileIdx);
  st.cellRuns.set(type, runs);
  const elsetName = kw.params.get('ELSET');
  const elset = elsetName ? getSet(st.elsets, scoped(st, elsetName), kwLine, file) : undefined;
  const nOff = st.scope?.nodeOffset ?? 0;
  const eOff = st.scope?.elementOffset ?? 0;
  const before = col.ids!.n;
  const conn = col.conn;
  const blockEnd = keywordLine(sc.buf, sc.pos);
  const est = countLines(sc.buf, sc.pos, blockEnd) + 1 - continuations(sc.buf, sc.pos, blockEnd);
  conn.reserve(est * n);
  col.ids!.reserve(est);
  col.lines!.reserve(est);
  if (elset) elset.ids.reserve(est);
  while (nextData(sc)) {
    const line = sc.line;
    const local = sc.intHere();
    const id = local + eOff;
    if (id > st.maxElementId) st.maxElementId = id;
    if (st.scope && local > st.scope.maxElement) st.scope.maxElement = local;
    conn.reserve(n);
    for (let k = 0; k < n; k++) {
      sc.skipInline(true);
      if (sc.atEol()) {
        // Continuation line: only when the element is not complete yet.
        sc.nextLine();
        if (!nextData(sc)) throw new MeshReadError('inp-short-element', `element ${id} (${tname}) has ${k} of ${n} nodes`, file, line);
      }
      conn.a[conn.n++] = sc.intHere() + nOff;
    }
    sc.skipInline(true);
    if (!sc.atEol()) ctx.diag.add('warning', 'inp-extra-nodes', `element ${id} (${tname}) has more than ${n} nodes; extra values ignored`, sc.line, file);
    col.ids!.push(id);
    col.lines!.push(line);
    elset?.ids.push(id);
    sc.nextLine();
  }
  st.elementTypes.push({ name: tname.toUpperCase(), count: col.ids!.n - before, source: sourceAt(sc, kwLine) });
}

/** *NSET / *ELSET: ids, GENERATE, nested set names; INSTANCE= in an assembly. */
export function readSet(st: InpState, sc: Scanner, kw: Keyword, _blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  const isN = kw.name === 'NSET';
  const name = kw.params.get(kw.name);
  if (!name) {
    ctx.diag.add('error', 'inp-missing-parameter', `*${kw.name} needs ${kw.name}=name`, kwLine, file);
    while (nextData(sc)) sc.nextLine();
    return;
  }
  // Inside an instance names get its prefix; in the assembly, INSTANCE=I says whose ids are listed.
  const inst = kw.params.get('INSTANCE');
  const target = inst ? st.instances.get(inst.toUpperCase()) : st.scope;
  if (inst && !target) ctx.diag.add('error', 'inp-unknown-instance', `*${kw.name} refers to undefined instance '${inst}'`, kwLine, file);
  const off = target ? (isN ? target.nodeOffset : target.elementOffset) : 0;
  const prefix = (nm: string): string => (target ? `${target.name}.${nm}` : nm);
  const set = getSet(isN ? st.nsets : st.elsets, st.scope ? prefix(name) : name, kwLine, file);
  const generate = kw.params.has('GENERATE');
  while (nextData(sc)) {
    const line = sc.line;
    const parts = splitData(sc.readLine());
    if (generate) {
      const [a, b, s = 1] = parts.map(Number);
      if (!Number.isInteger(a) || !Number.isInteger(b) || !Number.isInteger(s) || s <= 0) {
        ctx.diag.add('error', 'inp-bad-generate', `GENERATE needs start, end[, step] integers`, line, file);
        continue;
      }
      // A typo like "1, 2000000000" must not allocate billions of ids; 10^8 was still 1.2 GB (JS array + Int32Array),
      // so the bound follows the mesh size limit (a set lists at most a few ids per node).
      const most = Math.max(1e7, 4 * (ctx.opts.maxPoints ?? 0));
      if ((b - a) / s > most) {
        ctx.diag.add('error', 'inp-bad-generate', `GENERATE ${a}..${b} step ${s} is too large (over ${most} ids)`, line, file);
        continue;
      }
      for (let v = a; v <= b; v += s) set.ids.push(v + off);
    } else {
      for (const p of parts) {
        const v = Number(p);
        if (p !== '' && Number.isInteger(v)) set.ids.push(v + off);
        else if (p !== '') set.refs.push({ name: target ? prefix(p) : p, line, file });
      }
    }
  }
}

/** *INCLUDE, INPUT=file: read in place (nested at most 16 deep). */
export function readInclude(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  const input = kw.params.get('INPUT');
  if (!input) {
    ctx.diag.add('error', 'inp-missing-parameter', '*INCLUDE needs INPUT=file', kwLine, file);
    return;
  }
  const path = resolveRelative(file, input);
  const bytes = ctx.opts.readInclude?.(path);
  if (!bytes) {
    ctx.diag.add('error', 'inp-include-missing', `included file '${input}' could not be read`, kwLine, file);
    return;
  }
  if (st.depth > 16) throw new MeshReadError('inp-include-depth', 'includes nested more than 16 deep (a cycle?)', file, kwLine);
  st.depth++;
  blk.readFile(bytes, path);
  st.depth--;
}
