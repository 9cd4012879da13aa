// Keyword handlers for what a solver deck adds: materials, sections, supports, loads, steps, and the
// keywords the applicability check must be able to name (recorded with their line, not dropped).
import type { Scanner } from '../../scanner';
import type { SourceLocation } from '../../types';
import { scoped, type Block, type InpState, type RawSurface } from './state';
import { NAMED_BC, PROCEDURES, SILENT, UNSUPPORTED, fortranNumber, nextData, refOf, sourceAt, splitData, type Keyword } from './syntax';

/** Calls `row` with the comma-split fields and the line of each data line under the keyword. */
function eachRow(sc: Scanner, row: (p: string[], line: number) => void): void {
  while (nextData(sc)) {
    const line = sc.line;
    row(splitData(sc.readLine()), line);
  }
}

/** *MATERIAL, NAME=: the material the next *ELASTIC / *DENSITY describe. */
export function readMaterial(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  st.isDeck = true;
  blk.material = { name: kw.params.get('NAME') ?? `material-${st.materials.length + 1}`, source: sourceAt(sc, kw.line) };
  st.materials.push(blk.material);
  while (nextData(sc)) sc.nextLine();
}

/** *ELASTIC / *DENSITY: the first row (temperature tables keep it). */
export function readMaterialData(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  if (!blk.material) ctx.diag.add('error', 'inp-no-material', `*${kw.name} outside a *MATERIAL`, kw.line, file);
  const type = (kw.params.get('TYPE') ?? 'ISO').toUpperCase();
  let first = true;
  eachRow(sc, (p, line) => {
    const v = p.map(Number);
    if (!first || !blk.material) return; // temperature tables: keep the first row
    first = false;
    if (v.some((x) => !Number.isFinite(x))) ctx.diag.add('error', 'inp-bad-number', `*${kw.name} data must be numbers`, line, file);
    else if (kw.name === 'DENSITY') blk.material.rho = v[0];
    else if (type === 'ISO' || type === 'ISOTROPIC') {
      blk.material.E = v[0];
      blk.material.nu = v[1];
    } else {
      ctx.diag.add('info', 'inp-anisotropic', `*ELASTIC, TYPE=${type} is kept out of the material summary`, line, file);
      st.unsupported.push({ kind: 'material', keyword: 'ELASTIC', detail: `TYPE=${type}`, source: sourceAt(sc, kw.line) });
    }
  });
}

/** *SOLID / *SHELL / *BEAM / *MEMBRANE SECTION: element set, material, thickness. */
export function readSection(st: InpState, sc: Scanner, kw: Keyword, _blk: Block): void {
  st.isDeck = true;
  const kind = kw.name.split(' ')[0];
  // The first data line of a solid (plane elements) or shell section starts with the thickness; ccx: blank = 1.
  let thickness: number | undefined;
  let first = true;
  eachRow(sc, (p, line) => {
    if (!first || (kind !== 'SOLID' && kind !== 'SHELL')) return;
    first = false;
    const t = p[0] === undefined || p[0] === '' ? undefined : fortranNumber(p[0]);
    if (t !== undefined && !(t > 0)) st.ctx.diag.add('error', 'inp-bad-thickness', `*${kw.name} thickness must be a positive number, got '${p[0]}'`, line, sc.file);
    else thickness = t;
  });
  st.sections.push({ elset: scoped(st, kw.params.get('ELSET') ?? ''), material: kw.params.get('MATERIAL') ?? '', kind, ...(thickness !== undefined ? { thickness } : {}), source: sourceAt(sc, kw.line) });
}

/**
 * Data lines of a load or support keyword: `record` parses one line's fields and returns false when
 * they are malformed, which reports `code` with `usage` (the line is skipped, the rest still read).
 */
function readRecords(st: InpState, sc: Scanner, code: string, usage: string, record: (p: string[], source: SourceLocation) => boolean): void {
  st.isDeck = true;
  eachRow(sc, (p, line) => {
    if (!record(p, sourceAt(sc, line))) st.ctx.diag.add('error', code, usage, line, sc.file);
  });
}

/** *BOUNDARY: node|nset, first dof[, last dof[, value]] or a named type (ENCASTRE ...). */
export function readBoundary(st: InpState, sc: Scanner, _kw: Keyword, _blk: Block): void {
  readRecords(st, sc, 'inp-bad-boundary', `*BOUNDARY line must be node|nset, first dof[, last dof[, value]]`, (p, source) => {
    const ref = refOf(scoped(st, p[0]));
    const named = NAMED_BC[(p[1] ?? '').toUpperCase()];
    if (named && ref) {
      for (const [a, b] of named) st.bcs.push({ ref, first: a, last: b, value: 0, source });
      return true;
    }
    const first = Number(p[1]);
    const last = p[2] === undefined || p[2] === '' ? first : Number(p[2]);
    const value = p[3] === undefined || p[3] === '' ? 0 : Number(p[3]);
    if (!ref || !Number.isInteger(first) || !Number.isInteger(last) || !Number.isFinite(value)) return false;
    if (value !== 0) st.unsupported.push({ kind: 'load', keyword: 'BOUNDARY', detail: `prescribed displacement ${value}`, source });
    st.bcs.push({ ref, first, last, value, source });
    return true;
  });
}

/** *CLOAD: node|nset, dof, value. */
export function readCload(st: InpState, sc: Scanner, _kw: Keyword, _blk: Block): void {
  readRecords(st, sc, 'inp-bad-cload', `*CLOAD line must be node|nset, dof, value`, (p, source) => {
    const ref = refOf(scoped(st, p[0]));
    const dof = Number(p[1]);
    const value = Number(p[2]);
    if (!ref || !Number.isInteger(dof) || !Number.isFinite(value)) return false;
    if (dof > 3 && value !== 0) st.unsupported.push({ kind: 'load', keyword: 'CLOAD', detail: `moment (DOF ${dof})`, source });
    st.loads.push({ ref, dof, value, source });
    return true;
  });
}

/** *DLOAD: element|elset, load type, magnitude; only face pressures P1..P6 become forces. */
export function readDload(st: InpState, sc: Scanner, _kw: Keyword, _blk: Block): void {
  readRecords(st, sc, 'inp-bad-dload', `*DLOAD line must be element|elset, load type, magnitude`, (p, source) => {
    const ref = refOf(scoped(st, p[0]));
    const face = (p[1] ?? '').toUpperCase();
    const value = Number(p[2]);
    if (!ref || !face || !Number.isFinite(value)) return false;
    // Only face pressures become forces; other types (GRAV, CENTRIF, BX, P on shells ...) are named by the check.
    if (/^P[1-6]$/.test(face)) st.faceLoads.push({ ref, face, value, source });
    else st.unsupported.push({ kind: 'load', keyword: 'DLOAD', detail: face, source });
    return true;
  });
}

/** *SURFACE, NAME=, TYPE=ELEMENT: element|elset, face S1..S6. */
export function readSurface(st: InpState, sc: Scanner, kw: Keyword, _blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const name = kw.params.get('NAME');
  const type = (kw.params.get('TYPE') ?? 'ELEMENT').toUpperCase();
  if (!name) ctx.diag.add('error', 'inp-missing-parameter', '*SURFACE needs NAME=name', kw.line, file);
  const surf: RawSurface = { name: scoped(st, name ?? ''), entries: [], type, source: sourceAt(sc, kw.line) };
  if (name) st.surfaces.set(surf.name.toUpperCase(), surf);
  eachRow(sc, (p, line) => {
    if (type !== 'ELEMENT') return;
    const ref = refOf(scoped(st, p[0]));
    const m = /^S([1-6])$/i.exec(p[1] ?? '');
    if (!ref || !m) {
      ctx.diag.add('error', 'inp-bad-surface', `*SURFACE, TYPE=ELEMENT line must be element|elset, S1..S6`, line, file);
      return;
    }
    surf.entries.push({ ref, face: Number(m[1]), source: sourceAt(sc, line) });
  });
}

/** *DSLOAD: surface, P, magnitude. */
export function readDsload(st: InpState, sc: Scanner, _kw: Keyword, _blk: Block): void {
  readRecords(st, sc, 'inp-bad-dsload', `*DSLOAD line must be surface, load type, magnitude`, (p, source) => {
    const type = (p[1] ?? '').toUpperCase();
    const value = Number(p[2]);
    if (!p[0] || !type || !Number.isFinite(value)) return false;
    if (type === 'P') st.dsloads.push({ surface: p[0], value, source });
    else st.unsupported.push({ kind: 'load', keyword: 'DSLOAD', detail: type, source });
    return true;
  });
}

/** *STEP [, NLGEOM]: a new step; its procedure keyword follows. */
export function readStep(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  st.isDeck = true;
  const nl = kw.params.get('NLGEOM');
  blk.step = { name: kw.params.get('NAME') ?? `Step-${st.steps.length + 1}`, procedure: '', source: sourceAt(sc, kw.line), ...(nl !== undefined && nl.toUpperCase() !== 'NO' ? { nlgeom: true } : {}) };
  st.steps.push(blk.step);
  while (nextData(sc)) sc.nextLine();
}

/** Procedures, keywords the check must name, and everything else (skipped, unknown ones with an info). */
export function readOther(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  if (PROCEDURES.has(kw.name)) {
    if (blk.step) {
      // *STATIC, RIKS is an arc-length (non-linear) analysis, not a linear static one.
      blk.step.procedure = kw.name === 'STATIC' && kw.params.has('RIKS') ? 'STATIC, RIKS' : kw.name;
      blk.step.procedureSource = sourceAt(sc, kwLine);
    }
    else ctx.diag.add('warning', 'inp-procedure-outside-step', `*${kw.name} outside a *STEP`, kwLine, file);
  } else if (UNSUPPORTED[kw.name]) {
    st.isDeck = true;
    st.unsupported.push({ kind: UNSUPPORTED[kw.name], keyword: kw.name, source: sourceAt(sc, kwLine) });
  } else if (!SILENT.has(kw.name)) {
    ctx.diag.add('info', 'inp-unknown-keyword', `keyword *${kw.name} is not used by FLARE and was skipped`, kwLine, file);
  }
  while (nextData(sc)) sc.nextLine();
}
