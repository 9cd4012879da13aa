// Abaqus / CalculiX input decks (.inp): geometry, sets and the deck data a surrogate needs.
// Abaqus node order for C3D4/C3D10/C3D8/C3D20/C3D6/C3D15 and the 2D/shell types equals VTK's,
// so connectivity is stored as read (meshio does the same).
import { CellCollector, IdMap, dropBadCells, resolveRelative, type MeshFormat, type ReadContext } from '../build';
import { F64Builder, I32Builder, MeshReadError, Scanner, checkAbort, countLines, latin1 } from '../scan';
import type { BoundaryCondition, CellBlock, CellType, DeckItem, ElementTypeUse, FaceLoad, InstanceInfo, Material, Mesh, NodalLoad, Section, SourceLocation, Step } from '../types';

const EXACT: Record<string, CellType> = {
  C3D4: 'tetra', C3D10: 'tetra10', C3D8: 'hexahedron', C3D20: 'hexahedron20', C3D27: 'hexahedron27',
  C3D6: 'wedge', C3D15: 'wedge15', C3D5: 'pyramid', C3D13: 'pyramid13',
  STRI3: 'triangle', STRI65: 'triangle6', R3D3: 'triangle', R3D4: 'quad', SPRINGA: 'line', DASHPOTA: 'line', GAPUNI: 'line', MASS: 'vertex',
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

const NODES: Record<CellType, number> = {
  vertex: 1, line: 2, line3: 3, triangle: 3, triangle6: 6, quad: 4, quad8: 8, quad9: 9, polygon: 0,
  tetra: 4, tetra10: 10, hexahedron: 8, hexahedron20: 20, hexahedron27: 27, wedge: 6, wedge15: 15, pyramid: 5, pyramid13: 13,
};

// Keywords we understand well enough to skip without telling the user.
const SILENT = new Set([
  'HEADING', 'END STEP', 'NODE FILE', 'EL FILE', 'NODE PRINT', 'EL PRINT', 'NODE OUTPUT', 'ELEMENT OUTPUT', 'OUTPUT', 'PREPRINT',
  'PART', 'END PART', 'ASSEMBLY', 'END ASSEMBLY', 'INSTANCE', 'END INSTANCE', 'RESTART', 'CONTACT FILE', 'CONTACT PRINT',
]);
const PROCEDURES = new Set(['STATIC', 'FREQUENCY', 'BUCKLE', 'DYNAMIC', 'HEAT TRANSFER', 'COUPLED TEMPERATURE-DISPLACEMENT', 'MODAL DYNAMIC', 'STEADY STATE DYNAMICS', 'UNCOUPLED TEMPERATURE-DISPLACEMENT', 'VISCO', 'GREEN', 'SENSITIVITY']);

// Keywords that change what is solved: recorded with their line so the applicability check names them.
const UNSUPPORTED: Record<string, DeckItem['kind']> = {
  TEMPERATURE: 'load', DFLUX: 'load', CFLUX: 'load', DSFLUX: 'load', FILM: 'load', RADIATE: 'load', 'INITIAL CONDITIONS': 'load', 'MASS FLOW': 'load',
  'CONTACT PAIR': 'analysis', TIE: 'analysis', EQUATION: 'analysis', MPC: 'analysis', 'RIGID BODY': 'analysis', COUPLING: 'analysis', 'DISTRIBUTING COUPLING': 'analysis',
  PLASTIC: 'material', HYPERELASTIC: 'material', 'DEFORMATION PLASTICITY': 'material', CREEP: 'material', HYPERFOAM: 'material',
  VISCOELASTIC: 'material', 'USER MATERIAL': 'material', 'CYCLIC HARDENING': 'material', 'EXPANSION': 'material', 'DAMPING': 'material',
};
const MULTI_WORD = [...SILENT, ...PROCEDURES, ...Object.keys(UNSUPPORTED), 'SOLID SECTION', 'SHELL SECTION', 'BEAM SECTION', 'MEMBRANE SECTION'].filter((k) => k.includes(' '));
const CANONICAL = new Map(MULTI_WORD.map((k) => [k.replace(/ /g, ''), k]));

interface Keyword {
  name: string;
  params: Map<string, string>;
  line: number;
}

type Ref = { set?: string; id: number };
interface RawBc { ref: Ref; first: number; last: number; value: number; source: SourceLocation }
interface RawLoad { ref: Ref; dof: number; value: number; source: SourceLocation }
interface RawFaceLoad { ref: Ref; face: string; value: number; source: SourceLocation }
interface RawSurface { name: string; entries: { ref: Ref; face: number; source: SourceLocation }[]; type: string; source: SourceLocation }
interface RawDsload { surface: string; value: number; source: SourceLocation }
interface PartRange { name: string; buf: Uint8Array; file: string; start: number; end: number; line: number; endLine: number }
/** An Abaqus instance: ids offset so instances of one part do not collide; `move` maps part to assembly coordinates. */
interface InstanceScope { name: string; part: string; nodeOffset: number; elementOffset: number; move?: (p: [number, number, number]) => [number, number, number]; source: SourceLocation; maxNode: number; maxElement: number }
interface SetParts { name: string; ids: I32Builder; refs: { name: string; line: number; file: string }[]; line: number; file: string }

class InpState {
  readonly pointIds = new I32Builder(4096);
  readonly coords = new F64Builder(4096 * 3);
  readonly pointLines = new I32Builder(4096);
  readonly fileRuns: number[] = []; // pairs (first point index, file index)
  readonly files: string[] = [];
  readonly blocks = new Map<CellType, CellCollector>();
  readonly cellRuns = new Map<CellType, number[]>(); // pairs (first cell index, file index); none = all file 0
  readonly nsets = new Map<string, SetParts>(); // key: upper-case name
  readonly elsets = new Map<string, SetParts>();
  readonly materials: { name: string; E?: number; nu?: number; rho?: number; source: SourceLocation }[] = [];
  readonly sections: Section[] = [];
  readonly bcs: RawBc[] = [];
  readonly loads: RawLoad[] = [];
  readonly faceLoads: RawFaceLoad[] = [];
  readonly steps: { name: string; procedure: string; source: SourceLocation; procedureSource?: SourceLocation; nlgeom?: boolean }[] = [];
  readonly surfaces = new Map<string, RawSurface>(); // key: upper-case name
  readonly dsloads: RawDsload[] = [];
  readonly unsupported: DeckItem[] = [];
  readonly elementTypes: ElementTypeUse[] = [];
  /** Part bodies by upper-case name, read when an *INSTANCE places them. */
  readonly parts = new Map<string, PartRange>();
  readonly instances = new Map<string, InstanceScope>(); // key: upper-case name
  /** The *INSTANCE being read: its names are prefixed, ids offset, coordinates moved. */
  scope: InstanceScope | undefined;
  maxNodeId = 0;
  maxElementId = 0;
  isDeck = false;
  depth = 0;
  constructor(readonly ctx: ReadContext) {}
}

function parseKeyword(line: string, lineNo: number): Keyword {
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
function nextData(sc: Scanner): boolean {
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

function getSet(map: Map<string, SetParts>, name: string, line: number, file: string): SetParts {
  const k = name.toUpperCase();
  let s = map.get(k);
  if (!s) map.set(k, (s = { name, ids: new I32Builder(64), refs: [], line, file }));
  return s;
}

/** The next comma-separated coordinate of a *NODE line; 0 when blank or missing ("nan" stays a value for the checks). */
function coordField(sc: Scanner): number {
  sc.skipInline();
  if (sc.buf[sc.pos] === 44 /* , */) sc.pos++;
  sc.skipInline();
  if (sc.atEol() || sc.buf[sc.pos] === 44) return 0;
  return sc.floatHere();
}

/** A name as the deck sees it: inside an instance, prefixed with the instance name (I.set). */
function scoped(st: InpState, name: string): string {
  return st.scope && name ? `${st.scope.name}.${name}` : name;
}

/** Abaqus *INSTANCE placement: translate by t, then rotate by `angle` degrees about the axis a → b. */
function placement(t: number[], rot: number[] | undefined): (p: [number, number, number]) => [number, number, number] {
  const [tx = 0, ty = 0, tz = 0] = t;
  if (!rot) return ([x, y, z]) => [x + tx, y + ty, z + tz];
  const [ax = 0, ay = 0, az = 0, bx = 0, by = 0, bz = 0, deg = 0] = rot;
  const len = Math.hypot(bx - ax, by - ay, bz - az) || 1;
  const k = [(bx - ax) / len, (by - ay) / len, (bz - az) / len];
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return ([x0, y0, z0]) => {
    // Rodrigues' rotation of v = p - a about the unit axis k.
    const v = [x0 + tx - ax, y0 + ty - ay, z0 + tz - az];
    const kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
    const cr = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
    return [ax + v[0] * c + cr[0] * s + k[0] * kv * (1 - c), ay + v[1] * c + cr[1] * s + k[1] * kv * (1 - c), az + v[2] * c + cr[2] * s + k[2] * kv * (1 - c)];
  };
}

/** A number as Fortran writes it too (1.0D0). */
function fortranNumber(s: string): number {
  return s.trim() === '' ? NaN : Number(s.trim().replace(/[dD]/, 'e'));
}

function splitData(line: string): string[] {
  const out = line.split(',').map((s) => s.trim());
  while (out.length && out[out.length - 1] === '') out.pop();
  return out;
}

function parseFile(st: InpState, buf: Uint8Array, file: string): void {
  const fileIdx = st.files.length;
  st.files.push(file);
  findParts(st, buf, file);
  parseBlock(st, new Scanner(buf, file), fileIdx);
}

/** Offsets of *PART ... *END PART bodies (keyword lines only start with '*', so this skips data quickly). */
function findParts(st: InpState, buf: Uint8Array, file: string): void {
  let open: PartRange | undefined;
  let line = 1;
  let counted = 0;
  for (let i = keywordLine(buf, 0); i < buf.length; i = keywordLine(buf, i + 1)) {
    line += countLines(buf, counted, i);
    counted = i;
    const nl = buf.indexOf(10, i);
    const text = latin1(buf, i, nl < 0 ? buf.length : nl);
    if (text.startsWith('**')) continue;
    const kw = parseKeyword(text, line);
    if (kw.name === 'PART') {
      const name = kw.params.get('NAME') ?? '';
      open = { name, buf, file, start: nl < 0 ? buf.length : nl + 1, end: buf.length, line: line + 1, endLine: line };
      st.parts.set(name.toUpperCase(), open);
    } else if (kw.name === 'END PART' && open) {
      open.end = i;
      open.endLine = line;
      open = undefined;
    }
  }
}

function parseBlock(st: InpState, sc: Scanner, fileIdx: number): void {
  const { ctx } = st;
  const file = sc.file;
  let material: (typeof st.materials)[number] | undefined;
  let step: (typeof st.steps)[number] | undefined;
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
    const src = (line: number): SourceLocation => ({ file, line });
    switch (kw.name) {
      case 'NODE': {
        const nset = kw.params.get('NSET');
        const set = nset ? getSet(st.nsets, scoped(st, nset), kwLine, file) : undefined;
        if (fileIdx > 0 || st.fileRuns.length > 0) st.fileRuns.push(st.pointIds.n, fileIdx);
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
        if (st.fileRuns.length === 0 && fileIdx > 0) st.fileRuns.push(0, 0);
        break;
      }
      case 'ELEMENT': {
        const tname = kw.params.get('TYPE') ?? '';
        const type = abaqusCellType(tname);
        if (!type) {
          ctx.diag.add('error', 'inp-unknown-element', `unknown element type '${tname}'; its elements are skipped`, kwLine, file);
          while (nextData(sc)) sc.nextLine();
          break;
        }
        const n = NODES[type];
        let col = st.blocks.get(type);
        if (!col) st.blocks.set(type, (col = new CellCollector(type, true, true, 1024)));
        const runs = st.cellRuns.get(type) ?? [];
        if ((runs.length ? runs[runs.length - 1] : 0) !== fileIdx) runs.push(col.ids!.n, fileIdx);
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
        st.elementTypes.push({ name: tname.toUpperCase(), count: col.ids!.n - before, source: src(kwLine) });
        break;
      }
      case 'NSET':
      case 'ELSET': {
        const isN = kw.name === 'NSET';
        const name = kw.params.get(kw.name);
        if (!name) {
          ctx.diag.add('error', 'inp-missing-parameter', `*${kw.name} needs ${kw.name}=name`, kwLine, file);
          while (nextData(sc)) sc.nextLine();
          break;
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
        break;
      }
      case 'INCLUDE': {
        const input = kw.params.get('INPUT');
        if (!input) {
          ctx.diag.add('error', 'inp-missing-parameter', '*INCLUDE needs INPUT=file', kwLine, file);
          break;
        }
        const path = resolveRelative(file, input);
        const bytes = ctx.opts.readInclude?.(path);
        if (!bytes) {
          ctx.diag.add('error', 'inp-include-missing', `included file '${input}' could not be read`, kwLine, file);
          break;
        }
        if (st.depth > 16) throw new MeshReadError('inp-include-depth', 'includes nested more than 16 deep (a cycle?)', file, kwLine);
        st.depth++;
        parseFile(st, bytes, path);
        st.depth--;
        break;
      }
      case 'MATERIAL': {
        st.isDeck = true;
        material = { name: kw.params.get('NAME') ?? `material-${st.materials.length + 1}`, source: src(kwLine) };
        st.materials.push(material);
        while (nextData(sc)) sc.nextLine();
        break;
      }
      case 'ELASTIC':
      case 'DENSITY': {
        if (!material) ctx.diag.add('error', 'inp-no-material', `*${kw.name} outside a *MATERIAL`, kwLine, file);
        const type = (kw.params.get('TYPE') ?? 'ISO').toUpperCase();
        let first = true;
        while (nextData(sc)) {
          const line = sc.line;
          const v = splitData(sc.readLine()).map(Number);
          if (!first || !material) continue; // temperature tables: keep the first row
          first = false;
          if (v.some((x) => !Number.isFinite(x))) ctx.diag.add('error', 'inp-bad-number', `*${kw.name} data must be numbers`, line, file);
          else if (kw.name === 'DENSITY') material.rho = v[0];
          else if (type === 'ISO' || type === 'ISOTROPIC') {
            material.E = v[0];
            material.nu = v[1];
          } else {
            ctx.diag.add('info', 'inp-anisotropic', `*ELASTIC, TYPE=${type} is kept out of the material summary`, line, file);
            st.unsupported.push({ kind: 'material', keyword: 'ELASTIC', detail: `TYPE=${type}`, source: src(kwLine) });
          }
        }
        break;
      }
      case 'SOLID SECTION':
      case 'SHELL SECTION':
      case 'BEAM SECTION':
      case 'MEMBRANE SECTION': {
        st.isDeck = true;
        const kind = kw.name.split(' ')[0];
        // The first data line of a solid (plane elements) or shell section starts with the thickness; ccx: blank = 1.
        let thickness: number | undefined;
        let first = true;
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          if (!first || (kind !== 'SOLID' && kind !== 'SHELL')) continue;
          first = false;
          const t = p[0] === undefined || p[0] === '' ? undefined : fortranNumber(p[0]);
          if (t !== undefined && !(t > 0)) ctx.diag.add('error', 'inp-bad-thickness', `*${kw.name} thickness must be a positive number, got '${p[0]}'`, line, file);
          else thickness = t;
        }
        st.sections.push({ elset: scoped(st, kw.params.get('ELSET') ?? ''), material: kw.params.get('MATERIAL') ?? '', kind, ...(thickness !== undefined ? { thickness } : {}), source: src(kwLine) });
        break;
      }
      case 'BOUNDARY': {
        st.isDeck = true;
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          const ref = refOf(scoped(st, p[0]));
          const named = NAMED_BC[(p[1] ?? '').toUpperCase()];
          if (named && ref) {
            for (const [a, b] of named) st.bcs.push({ ref, first: a, last: b, value: 0, source: src(line) });
            continue;
          }
          const first = Number(p[1]);
          const last = p[2] === undefined || p[2] === '' ? first : Number(p[2]);
          const value = p[3] === undefined || p[3] === '' ? 0 : Number(p[3]);
          if (!ref || !Number.isInteger(first) || !Number.isInteger(last) || !Number.isFinite(value)) {
            ctx.diag.add('error', 'inp-bad-boundary', `*BOUNDARY line must be node|nset, first dof[, last dof[, value]]`, line, file);
            continue;
          }
          if (value !== 0) st.unsupported.push({ kind: 'load', keyword: 'BOUNDARY', detail: `prescribed displacement ${value}`, source: src(line) });
          st.bcs.push({ ref, first, last, value, source: src(line) });
        }
        break;
      }
      case 'CLOAD': {
        st.isDeck = true;
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          const ref = refOf(scoped(st, p[0]));
          const dof = Number(p[1]);
          const value = Number(p[2]);
          if (!ref || !Number.isInteger(dof) || !Number.isFinite(value)) {
            ctx.diag.add('error', 'inp-bad-cload', `*CLOAD line must be node|nset, dof, value`, line, file);
            continue;
          }
          if (dof > 3 && value !== 0) st.unsupported.push({ kind: 'load', keyword: 'CLOAD', detail: `moment (DOF ${dof})`, source: src(line) });
          st.loads.push({ ref, dof, value, source: src(line) });
        }
        break;
      }
      case 'DLOAD': {
        st.isDeck = true;
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          const ref = refOf(scoped(st, p[0]));
          const face = (p[1] ?? '').toUpperCase();
          const value = Number(p[2]);
          if (!ref || !face || !Number.isFinite(value)) {
            ctx.diag.add('error', 'inp-bad-dload', `*DLOAD line must be element|elset, load type, magnitude`, line, file);
            continue;
          }
          // Only face pressures become forces; other types (GRAV, CENTRIF, BX, P on shells ...) are named by the check.
          if (/^P[1-6]$/.test(face)) st.faceLoads.push({ ref, face, value, source: src(line) });
          else st.unsupported.push({ kind: 'load', keyword: 'DLOAD', detail: face, source: src(line) });
        }
        break;
      }
      case 'SURFACE': {
        const name = kw.params.get('NAME');
        const type = (kw.params.get('TYPE') ?? 'ELEMENT').toUpperCase();
        if (!name) ctx.diag.add('error', 'inp-missing-parameter', '*SURFACE needs NAME=name', kwLine, file);
        const surf: RawSurface = { name: scoped(st, name ?? ''), entries: [], type, source: src(kwLine) };
        if (name) st.surfaces.set(surf.name.toUpperCase(), surf);
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          if (type !== 'ELEMENT') continue;
          const ref = refOf(scoped(st, p[0]));
          const m = /^S([1-6])$/i.exec(p[1] ?? '');
          if (!ref || !m) {
            ctx.diag.add('error', 'inp-bad-surface', `*SURFACE, TYPE=ELEMENT line must be element|elset, S1..S6`, line, file);
            continue;
          }
          surf.entries.push({ ref, face: Number(m[1]), source: src(line) });
        }
        break;
      }
      case 'DSLOAD': {
        st.isDeck = true;
        while (nextData(sc)) {
          const line = sc.line;
          const p = splitData(sc.readLine());
          const type = (p[1] ?? '').toUpperCase();
          const value = Number(p[2]);
          if (!p[0] || !type || !Number.isFinite(value)) {
            ctx.diag.add('error', 'inp-bad-dsload', `*DSLOAD line must be surface, load type, magnitude`, line, file);
            continue;
          }
          if (type === 'P') st.dsloads.push({ surface: p[0], value, source: src(line) });
          else st.unsupported.push({ kind: 'load', keyword: 'DSLOAD', detail: type, source: src(line) });
        }
        break;
      }
      case 'PART': {
        // Read when an *INSTANCE places it (possibly several times): skip the body here.
        const part = st.parts.get((kw.params.get('NAME') ?? '').toUpperCase());
        if (!part || part.buf !== sc.buf) break;
        if (part.end === sc.buf.length) ctx.diag.add('error', 'inp-part-unclosed', `*PART '${part.name}' has no *END PART`, kwLine, file);
        sc.pos = part.end;
        sc.line = part.endLine;
        break;
      }
      case 'INSTANCE': {
        const name = kw.params.get('NAME') ?? '';
        const partName = kw.params.get('PART') ?? '';
        if (st.scope) ctx.diag.add('error', 'inp-nested-instance', `*INSTANCE '${name}' inside instance '${st.scope.name}' (missing *END INSTANCE)`, kwLine, file);
        if (!name) ctx.diag.add('error', 'inp-missing-parameter', '*INSTANCE needs NAME=name', kwLine, file);
        // Data: an optional translation line, then an optional rotation line (point a, point b, angle in degrees).
        const rows: { v: number[]; line: number }[] = [];
        while (nextData(sc)) {
          const line = sc.line;
          rows.push({ v: splitData(sc.readLine()).map((x) => (x === '' ? 0 : fortranNumber(x))), line });
        }
        const bad = rows.find((r) => r.v.some((x) => !Number.isFinite(x)));
        if (bad) ctx.diag.add('error', 'inp-bad-instance', '*INSTANCE data must be numbers: tx, ty, tz then ax, ay, az, bx, by, bz, angle', bad.line, file);
        const scope: InstanceScope = { name, part: partName, nodeOffset: st.maxNodeId, elementOffset: st.maxElementId, source: src(kwLine), maxNode: 0, maxElement: 0 };
        if (!bad && rows.length) scope.move = placement(rows[0].v, rows[1]?.v);
        st.instances.set(name.toUpperCase(), scope);
        st.scope = scope;
        const part = st.parts.get(partName.toUpperCase());
        if (partName && !part) ctx.diag.add('error', 'inp-unknown-part', `*INSTANCE '${name}' refers to undefined part '${partName}'`, kwLine, file);
        else if (part) {
          if (st.depth > 16) throw new MeshReadError('inp-include-depth', 'parts nested more than 16 deep (a cycle?)', file, kwLine);
          st.depth++;
          const body = new Scanner(part.buf, part.file, part.start, part.end);
          body.line = part.line;
          parseBlock(st, body, st.files.indexOf(part.file));
          st.depth--;
        }
        break;
      }
      case 'END INSTANCE': {
        if (!st.scope) ctx.diag.add('warning', 'inp-end-instance', '*END INSTANCE without *INSTANCE', kwLine, file);
        st.scope = undefined;
        break;
      }
      case 'STEP': {
        st.isDeck = true;
        const nl = kw.params.get('NLGEOM');
        step = { name: kw.params.get('NAME') ?? `Step-${st.steps.length + 1}`, procedure: '', source: src(kwLine), ...(nl !== undefined && nl.toUpperCase() !== 'NO' ? { nlgeom: true } : {}) };
        st.steps.push(step);
        while (nextData(sc)) sc.nextLine();
        break;
      }
      default: {
        if (PROCEDURES.has(kw.name)) {
          if (step) {
            step.procedure = kw.name;
            step.procedureSource = src(kwLine);
          }
          else ctx.diag.add('warning', 'inp-procedure-outside-step', `*${kw.name} outside a *STEP`, kwLine, file);
        } else if (UNSUPPORTED[kw.name]) {
          st.isDeck = true;
          st.unsupported.push({ kind: UNSUPPORTED[kw.name], keyword: kw.name, source: src(kwLine) });
        } else if (!SILENT.has(kw.name)) {
          ctx.diag.add('info', 'inp-unknown-keyword', `keyword *${kw.name} is not used by FLARE and was skipped`, kwLine, file);
        }
        while (nextData(sc)) sc.nextLine();
      }
    }
  }
}

/** Lines from `pos` to the next keyword line (an upper bound on data lines; comments included). */
function blockLines(buf: Uint8Array, pos: number): number {
  return countLines(buf, pos, keywordLine(buf, pos)) + 1;
}

/** Offset of the next line that starts with '*' ('*' is rare in data, so search for it, not for newlines). */
function keywordLine(buf: Uint8Array, pos: number): number {
  for (let i = buf.indexOf(42, pos); i >= 0; i = buf.indexOf(42, i + 1)) if (i === 0 || buf[i - 1] === 10) return i;
  return buf.length;
}

/** Data lines ending in a comma (continued on the next line) up to the next keyword. */
function continuations(buf: Uint8Array, pos: number, end: number): number {
  let n = 0;
  for (let i = buf.indexOf(10, pos); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) {
    let j = i - 1;
    while (j >= pos && (buf[j] === 13 || buf[j] === 32)) j--;
    if (buf[j] === 44) n++;
  }
  return n;
}

// Abaqus named boundary types → DOF ranges.
const NAMED_BC: Record<string, [number, number][]> = {
  ENCASTRE: [[1, 6]], PINNED: [[1, 3]], XSYMM: [[1, 1], [5, 6]], YSYMM: [[2, 2], [4, 4], [6, 6]], ZSYMM: [[3, 5]],
  XASYMM: [[2, 4]], YASYMM: [[1, 1], [3, 3], [5, 5]], ZASYMM: [[1, 2], [6, 6]],
};

function refOf(s: string | undefined): Ref | undefined {
  if (s === undefined || s === '') return undefined;
  const v = Number(s);
  return Number.isInteger(v) ? { id: v } : { set: s, id: 0 };
}

/** How a person wrote a node or element id: 'I.42' for local id 42 of instance I, the plain id otherwise. */
export function instanceLabel(instances: readonly InstanceInfo[] | undefined, id: number, kind: 'node' | 'element'): string {
  for (const i of instances ?? []) {
    const off = kind === 'node' ? i.nodeOffset : i.elementOffset;
    if (id > off && id <= off + (kind === 'node' ? i.nodes : i.elements)) return `${i.name}.${id - off}`;
  }
  return String(id);
}

export function readInp(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const st = new InpState(ctx);
  parseFile(st, bytes, ctx.file);
  const { diag } = ctx;
  const instances: InstanceInfo[] = [...st.instances.values()].map((i) => ({ name: i.name, part: i.part, nodeOffset: i.nodeOffset, elementOffset: i.elementOffset, nodes: i.maxNode, elements: i.maxElement, source: i.source }));
  const label = (id: number, kind: 'node' | 'element'): string => instanceLabel(instances, id, kind);
  const pointIds = st.pointIds.view();
  const n = pointIds.length;
  const idMap = new IdMap(pointIds);
  const pointLines = st.pointLines.view();
  let pointFiles: Uint16Array | undefined;
  if (st.files.length > 1 && st.fileRuns.length > 0) {
    pointFiles = new Uint16Array(n);
    for (let r = 0; r < st.fileRuns.length; r += 2) {
      const end = r + 2 < st.fileRuns.length ? st.fileRuns[r + 2] : n;
      pointFiles.fill(st.fileRuns[r + 1], st.fileRuns[r], end);
    }
  }
  const fileOfPoint = (i: number): string => (pointFiles ? st.files[pointFiles[i]] : ctx.file);
  for (const i of idMap.duplicates) diag.add('warning', 'duplicate-node-id', `node id ${pointIds[i]} is defined more than once; the last definition wins`, pointLines[i], fileOfPoint(i));

  const cells: CellBlock[] = [];
  for (const col of st.blocks.values()) {
    let block = col.toBlock();
    const runs = st.cellRuns.get(col.type) ?? [];
    if (st.files.length > 1) {
      const count = col.ids!.n;
      const fileIndex = new Uint16Array(count);
      for (let r = 0; r < runs.length; r += 2) fileIndex.fill(runs[r + 1], runs[r], r + 2 < runs.length ? runs[r + 2] : count);
      block = { ...block, fileIndex };
    }
    const fileOfCell = (c: number): string => st.files[block.fileIndex?.[c] ?? 0];
    const badIds: number[] = [];
    const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
    if (bad.length) {
      const nn = NODES[block.type];
      let last = -1;
      for (let j = 0; j < bad.length; j++) {
        const c = Math.floor(bad[j] / nn);
        if (c === last) continue;
        last = c;
        diag.add('error', 'index-out-of-range', `element ${label(block.ids![c], 'element')} refers to undefined node ${label(badIds[j], 'node')}; the element is skipped`, block.lines![c], fileOfCell(c));
      }
      block = dropBadCells(block, bad);
    }
    cells.push(block);
  }

  // Sets: resolve names referenced inside other sets (one level of nesting per pass, in order of definition).
  const resolveSet = (map: Map<string, SetParts>, key: string, seen: Set<string>): number[] => {
    const s = map.get(key);
    if (!s) return [];
    const out = Array.from(s.ids.view());
    for (const r of s.refs) {
      const k = r.name.toUpperCase();
      if (seen.has(k)) continue;
      if (!map.has(k)) {
        diag.add('error', 'inp-unknown-set', `set '${r.name}' is not defined`, r.line, r.file);
        continue;
      }
      seen.add(k);
      // a loop, not push(...): spreading a set of 10^5+ ids overflows the call stack
      for (const v of resolveSet(map, k, seen)) out.push(v);
    }
    return out;
  };
  const nodeSets: Record<string, Int32Array> = {};
  const nodeSetByKey = new Map<string, Int32Array>();
  for (const [k, s] of st.nsets) {
    const ids = resolveSet(st.nsets, k, new Set([k]));
    const idx = new Int32Array(ids.length);
    let m = 0;
    for (const id of ids) {
      const i = idMap.get(id);
      if (i < 0) diag.add('error', 'inp-unknown-node', `node set '${s.name}' refers to undefined node ${label(id, 'node')}`, s.line, s.file);
      else idx[m++] = i;
    }
    const arr = idx.subarray(0, m);
    nodeSets[s.name] = arr;
    nodeSetByKey.set(k, arr);
  }
  const elementSets: Record<string, Int32Array> = {};
  const elsetByKey = new Map<string, Int32Array>();
  for (const [k, s] of st.elsets) {
    const arr = Int32Array.from(resolveSet(st.elsets, k, new Set([k])));
    elementSets[s.name] = arr;
    elsetByKey.set(k, arr);
  }

  // 'I.42' is node (or element) 42 of instance I; 'I.name' a set of it (stored under that name).
  const dotted = (name: string, kind: 'node' | 'element'): number | undefined => {
    const m = /^(.+)\.(\d+)$/.exec(name);
    const inst = m ? st.instances.get(m[1].toUpperCase()) : undefined;
    return m && inst ? Number(m[2]) + (kind === 'node' ? inst.nodeOffset : inst.elementOffset) : undefined;
  };
  const nodesOf = (ref: Ref, loc: SourceLocation, what: string): Int32Array | number[] => {
    if (ref.set !== undefined) {
      const s = nodeSetByKey.get(ref.set.toUpperCase());
      if (s) return s;
      const id = dotted(ref.set, 'node');
      const i = id === undefined ? -1 : idMap.get(id);
      if (i >= 0) return [i];
      if (id !== undefined) diag.add('error', 'inp-unknown-node', `${what} refers to undefined node ${ref.set}`, loc.line, loc.file);
      else diag.add('error', 'inp-unknown-set', `${what} refers to undefined node set '${ref.set}'`, loc.line, loc.file);
      return [];
    }
    const i = idMap.get(ref.id);
    if (i < 0) {
      diag.add('error', 'inp-unknown-node', `${what} refers to undefined node ${ref.id}`, loc.line, loc.file);
      return [];
    }
    return [i];
  };
  const boundaries: BoundaryCondition[] = [];
  for (const b of st.bcs) for (const node of nodesOf(b.ref, b.source, '*BOUNDARY')) boundaries.push({ node, firstDof: b.first, lastDof: b.last, value: b.value, source: b.source });
  const loads: NodalLoad[] = [];
  for (const l of st.loads) for (const node of nodesOf(l.ref, l.source, '*CLOAD')) loads.push({ node, dof: l.dof, value: l.value, source: l.source });
  // *DSLOAD on an element surface: the same face pressure as *DLOAD Pn on each of its faces, at the *DSLOAD line.
  for (const d of st.dsloads) {
    const surf = st.surfaces.get(d.surface.toUpperCase());
    if (!surf) diag.add('error', 'inp-unknown-surface', `*DSLOAD refers to undefined surface '${d.surface}'`, d.source.line, d.source.file);
    else if (surf.type !== 'ELEMENT') st.unsupported.push({ kind: 'load', keyword: 'DSLOAD', detail: `pressure on a TYPE=${surf.type} surface`, source: d.source });
    else for (const e of surf.entries) st.faceLoads.push({ ref: e.ref, face: `P${e.face}`, value: d.value, source: d.source });
  }
  const faceLoads: FaceLoad[] = [];
  for (const f of st.faceLoads) {
    let elems: ArrayLike<number> = [f.ref.id];
    if (f.ref.set !== undefined) {
      const s = elsetByKey.get(f.ref.set.toUpperCase());
      const id = s ? undefined : dotted(f.ref.set, 'element');
      if (!s && id === undefined) diag.add('error', 'inp-unknown-set', `*DLOAD refers to undefined element set '${f.ref.set}'`, f.source.line, f.source.file);
      elems = s ?? (id !== undefined ? [id] : []);
    }
    for (let i = 0; i < elems.length; i++) faceLoads.push({ element: elems[i], face: f.face, value: f.value, source: f.source });
  }
  const materials: Material[] = st.materials.map((m) => ({
    name: m.name,
    ...(m.E !== undefined ? { youngsModulus: m.E } : {}),
    ...(m.nu !== undefined ? { poissonRatio: m.nu } : {}),
    ...(m.rho !== undefined ? { density: m.rho } : {}),
    source: m.source,
  }));
  for (const s of st.sections) {
    if (s.material && !st.materials.some((m) => m.name.toUpperCase() === s.material.toUpperCase())) diag.add('error', 'inp-unknown-material', `section refers to undefined material '${s.material}'`, s.source.line, s.source.file);
    if (s.elset && !elsetByKey.has(s.elset.toUpperCase())) diag.add('error', 'inp-unknown-set', `section refers to undefined element set '${s.elset}'`, s.source.line, s.source.file);
  }
  const steps: Step[] = st.steps.map((s) => ({ ...s }));
  if (n === 0) diag.add('error', 'no-points', 'the deck defines no nodes (*NODE)', 1);

  return {
    points: st.coords.view(),
    dimension: 3,
    pointIds,
    pointLines,
    cells,
    pointData: [],
    cellData: cells.map(() => []),
    nodeSets,
    elementSets,
    ...(st.isDeck ? { deck: { materials, boundaries, loads, faceLoads, steps, sections: st.sections, unsupported: st.unsupported, elementTypes: st.elementTypes, ...(instances.length ? { instances } : {}) } } : {}),
    source: { file: ctx.file, format: 'inp' },
    ...(st.files.length > 1 ? { files: st.files } : {}),
    ...(pointFiles ? { pointFiles } : {}),
  };
}

export const inpFormat: MeshFormat = { name: 'inp', extensions: ['.inp'], read: readInp };
