// Abaqus / CalculiX deck syntax: element type names, keyword lines (as ccx reads them: case and
// blanks do not matter), data lines, and the fast scans that size arrays before a block is read.
import type { Scanner } from '../../scanner';
import { countLines } from '../../text';
import type { CellType, DeckItem, SourceLocation } from '../../types';

export const EXACT: Record<string, CellType> = {
  C3D4: 'tetra', C3D10: 'tetra10', C3D8: 'hexahedron', C3D20: 'hexahedron20', C3D27: 'hexahedron27',
  C3D6: 'wedge', C3D15: 'wedge15', C3D5: 'pyramid', C3D13: 'pyramid13',
  STRI3: 'triangle', STRI65: 'triangle6', R3D3: 'triangle', R3D4: 'quad',
  // ccx's spring, dashpot, gap, coupling and mass elements (SPRING1 and DCOUP3D hang on one node).
  SPRING1: 'vertex', SPRING2: 'line', DCOUP3D: 'vertex', SPRINGA: 'line', DASHPOTA: 'line', GAPUNI: 'line', MASS: 'vertex',
};

/** Abaqus/CalculiX element type name → cell type (covers R/H/I/M/T variants and heat-transfer DC types). */
export function abaqusCellType(name: string): CellType | undefined {
  const t = name.toUpperCase().trim();
  if (EXACT[t]) return EXACT[t];
  let m = /^D?C3D(4|5|6|8|10|13|15|20|27)[A-Z]*$/.exec(t);
  if (m) return EXACT['C3D' + m[1]];
  m = /^(?:CPS|CPE|CAX|CPEG|CGAX|DC2D|DCAX|M3D|S|SC)(3|4|6|8|9)[A-Z]*[0-9]*$/.exec(t);
  if (m) return ({ '3': 'triangle', '4': 'quad', '6': 'triangle6', '8': 'quad8', '9': 'quad9' } as const)[m[1] as '3'];
  m = /^(?:B|PIPE)[23]([123])[A-Z]*$/.exec(t);
  if (m) return m[1] === '2' ? 'line3' : 'line';
  m = /^(?:T|DC1D)[23]?D?([23])[A-Z]*$/.exec(t);
  if (m) return m[1] === '3' ? 'line3' : 'line';
  return undefined;
}

export const NODES: Record<CellType, number> = {
  vertex: 1, line: 2, line3: 3, triangle: 3, triangle6: 6, quad: 4, quad8: 8, quad9: 9, polygon: 0,
  tetra: 4, tetra10: 10, hexahedron: 8, hexahedron20: 20, hexahedron27: 27, wedge: 6, wedge15: 15, pyramid: 5, pyramid13: 13,
};

// Keywords we understand well enough to skip without telling the user.
export const SILENT = new Set([
  'HEADING', 'END STEP', 'NODE FILE', 'EL FILE', 'NODE PRINT', 'EL PRINT', 'NODE OUTPUT', 'ELEMENT OUTPUT', 'OUTPUT', 'PREPRINT',
  'PART', 'END PART', 'ASSEMBLY', 'END ASSEMBLY', 'INSTANCE', 'END INSTANCE', 'RESTART', 'CONTACT FILE', 'CONTACT PRINT',
]);

export const PROCEDURES = new Set(['STATIC', 'FREQUENCY', 'BUCKLE', 'DYNAMIC', 'HEAT TRANSFER', 'COUPLED TEMPERATURE-DISPLACEMENT', 'MODAL DYNAMIC', 'STEADY STATE DYNAMICS', 'UNCOUPLED TEMPERATURE-DISPLACEMENT', 'VISCO', 'GREEN', 'SENSITIVITY', 'COMPLEX FREQUENCY', 'ELECTROMAGNETICS', 'CRACK PROPAGATION', 'NO ANALYSIS', 'SOILS', 'SUBSTRUCTURE GENERATE', 'MATRIX GENERATE']);

// Keywords that change what is solved: recorded with their line so the applicability check names them.
export const UNSUPPORTED: Record<string, DeckItem['kind']> = {
  TEMPERATURE: 'load', DFLUX: 'load', CFLUX: 'load', DSFLUX: 'load', FILM: 'load', RADIATE: 'load', 'INITIAL CONDITIONS': 'load', 'MASS FLOW': 'load',
  'CONTACT PAIR': 'analysis', TIE: 'analysis', EQUATION: 'analysis', MPC: 'analysis', 'RIGID BODY': 'analysis', COUPLING: 'analysis', 'DISTRIBUTING COUPLING': 'analysis',
  PLASTIC: 'material', HYPERELASTIC: 'material', 'DEFORMATION PLASTICITY': 'material', CREEP: 'material', HYPERFOAM: 'material',
  VISCOELASTIC: 'material', 'USER MATERIAL': 'material', 'CYCLIC HARDENING': 'material', 'EXPANSION': 'material', 'DAMPING': 'material',
};

export const MULTI_WORD = [...SILENT, ...PROCEDURES, ...Object.keys(UNSUPPORTED), 'SOLID SECTION', 'SHELL SECTION', 'BEAM SECTION', 'MEMBRANE SECTION'].filter((k) => k.includes(' '));

export const CANONICAL = new Map(MULTI_WORD.map((k) => [k.replace(/ /g, ''), k]));

export interface Keyword {
  name: string;
  params: Map<string, string>;
  line: number;
}

export type Ref = { set?: string; id: number };

export function parseKeyword(line: string, lineNo: number): Keyword {
  const parts = line.slice(1).split(',');
  const spaced = parts[0].trim().toUpperCase().replace(/\s+/g, ' ');
  // ccx drops all blanks from a line, so *SOLIDSECTION and *SOLID SECTION are one keyword.
  const name = CANONICAL.get(spaced.replace(/ /g, '')) ?? spaced;
  const params = new Map<string, string>();
  for (let i = 1; i < parts.length; i++) {
    const p = parts[i];
    const eq = p.indexOf('=');
    if (eq < 0) {
      const k = p.trim().toUpperCase();
      if (k) params.set(k, '');
    } else params.set(p.slice(0, eq).trim().toUpperCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { name, params, line: lineNo };
}

/** At the start of a line: skip blank lines and `**` comments; true when the next line is data (not a keyword, not EOF). */
export function nextData(sc: Scanner): boolean {
  const b = sc.buf;
  for (;;) {
    sc.skipInline();
    if (sc.pos >= sc.end) return false;
    const c = b[sc.pos];
    if (c === 10) {
      sc.nextLine();
      continue;
    }
    if (c === 42 /* * */) {
      if (b[sc.pos + 1] === 42) {
        sc.nextLine();
        continue;
      }
      return false;
    }
    return true;
  }
}

/** The next comma-separated coordinate of a *NODE line; 0 when blank or missing ("nan" stays a value for the checks). */
export function coordField(sc: Scanner): number {
  sc.skipInline();
  if (sc.buf[sc.pos] === 44 /* , */) sc.pos++;
  sc.skipInline();
  if (sc.atEol() || sc.buf[sc.pos] === 44) return 0;
  return sc.floatHere();
}

/** A number as Fortran writes it too (1.0D0). */
export function fortranNumber(s: string): number {
  return s.trim() === '' ? NaN : Number(s.trim().replace(/[dD]/, 'e'));
}

export function splitData(line: string): string[] {
  const out = line.split(',').map((s) => s.trim());
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

/** Lines from `pos` to the next keyword line (an upper bound on data lines; comments included). */
export function blockLines(buf: Uint8Array, pos: number): number {
  return countLines(buf, pos, keywordLine(buf, pos)) + 1;
}

/** Offset of the next line that starts with '*' ('*' is rare in data, so search for it, not for newlines). */
export function keywordLine(buf: Uint8Array, pos: number): number {
  for (let i = buf.indexOf(42, pos); i >= 0; i = buf.indexOf(42, i + 1)) if (i === 0 || buf[i - 1] === 10) return i;
  return buf.length;
}

/** Data lines ending in a comma (continued on the next line) up to the next keyword. */
export function continuations(buf: Uint8Array, pos: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, pos); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) {
    let j = i - 1;
    while (j >= pos && (buf[j] === 13 || buf[j] === 32)) j--;
    if (buf[j] === 44) n++;
  }
  return n;
}

// Abaqus named boundary types → DOF ranges.
export const NAMED_BC: Record<string, [number, number][]> = {
  ENCASTRE: [[1, 6]], PINNED: [[1, 3]], XSYMM: [[1, 1], [5, 6]], YSYMM: [[2, 2], [4, 4], [6, 6]], ZSYMM: [[3, 5]],
  XASYMM: [[2, 4]], YASYMM: [[1, 1], [3, 3], [5, 5]], ZASYMM: [[1, 2], [6, 6]],
};

export function refOf(s: string | undefined): Ref | undefined {
  if (s === undefined || s === '') return undefined;
  const v = Number(s);
  return Number.isInteger(v) ? { id: v } : { set: s, id: 0 };
}

/** Where a record of the deck came from: the scanner's file at `line`. */
export function sourceAt(sc: Scanner, line: number): SourceLocation {
  return { file: sc.file, line };
}
