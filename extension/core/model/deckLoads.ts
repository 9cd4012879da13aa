// Pressure on element faces (*DLOAD Pn, *DSLOAD on a *SURFACE) as consistent nodal forces, the
// way a finite element code assembles them: f_a = -p ∫ N_a n dA over the face (n outward), so a
// positive pressure pushes into the element. Quadratic faces are integrated with Gauss rules that
// are exact for the shape functions times the (possibly curved) face's area element, which is why
// a flat tri6 face puts nothing on its corners and quad8 faces pull their corners outward.
import type { CellBlock, CellType, Mesh, NodalLoad, SourceLocation } from '../mesh/types';

/** A pressure the conversion could not represent (unknown face, element type, element id). */
export interface LoadIssue {
  readonly message: string;
  readonly source: SourceLocation;
}

export interface PressureForces {
  /** One entry per node, face load and DOF (1..3), carrying the *DLOAD/*DSLOAD line it came from. */
  readonly loads: NodalLoad[];
  readonly issues: LoadIssue[];
}

// ccx face numbering (1-based node numbers within the element): corners first, then mid-side nodes
// in the order corner1-corner2, corner2-corner3, ...
const TET_FACES = [[1, 2, 3, 5, 6, 7], [1, 4, 2, 8, 9, 5], [2, 4, 3, 9, 10, 6], [3, 4, 1, 10, 8, 7]];
const HEX_FACES = [
  [1, 2, 3, 4, 9, 10, 11, 12], [5, 8, 7, 6, 16, 15, 14, 13], [1, 5, 6, 2, 17, 13, 18, 9],
  [2, 6, 7, 3, 18, 14, 19, 10], [3, 7, 8, 4, 19, 15, 20, 11], [4, 8, 5, 1, 20, 16, 17, 12],
];
const TRI_EDGES = [[1, 2, 4], [2, 3, 5], [3, 1, 6]];
const QUAD_EDGES = [[1, 2, 5], [2, 3, 6], [3, 4, 7], [4, 1, 8]];

type FaceKind = 'tri' | 'quad' | 'edge';
interface ElementFaces { readonly faces: readonly (readonly number[])[]; readonly kind: FaceKind; readonly corners: number; readonly quadratic: boolean; readonly plane: boolean }

const FACES: Partial<Record<CellType, ElementFaces>> = {
  tetra: { faces: TET_FACES, kind: 'tri', corners: 3, quadratic: false, plane: false },
  tetra10: { faces: TET_FACES, kind: 'tri', corners: 3, quadratic: true, plane: false },
  hexahedron: { faces: HEX_FACES, kind: 'quad', corners: 4, quadratic: false, plane: false },
  hexahedron20: { faces: HEX_FACES, kind: 'quad', corners: 4, quadratic: true, plane: false },
  triangle: { faces: TRI_EDGES, kind: 'edge', corners: 2, quadratic: false, plane: true },
  triangle6: { faces: TRI_EDGES, kind: 'edge', corners: 2, quadratic: true, plane: true },
  quad: { faces: QUAD_EDGES, kind: 'edge', corners: 2, quadratic: false, plane: true },
  quad8: { faces: QUAD_EDGES, kind: 'edge', corners: 2, quadratic: true, plane: true },
};

/** Shape functions of a face at parametric point (r, s) (s unused on edges); dr, ds: their derivatives. */
interface Shape { N: number[]; dr: number[]; ds: number[] }

function triShape(r: number, s: number, quadratic: boolean): Shape {
  const l = [1 - r - s, r, s];
  const dl = [[-1, -1], [1, 0], [0, 1]];
  if (!quadratic) return { N: l, dr: dl.map((d) => d[0]), ds: dl.map((d) => d[1]) };
  const N: number[] = [];
  const dr: number[] = [];
  const ds: number[] = [];
  for (let i = 0; i < 3; i++) {
    N.push(l[i] * (2 * l[i] - 1));
    dr.push((4 * l[i] - 1) * dl[i][0]);
    ds.push((4 * l[i] - 1) * dl[i][1]);
  }
  for (const [i, j] of [[0, 1], [1, 2], [2, 0]]) {
    N.push(4 * l[i] * l[j]);
    dr.push(4 * (dl[i][0] * l[j] + l[i] * dl[j][0]));
    ds.push(4 * (dl[i][1] * l[j] + l[i] * dl[j][1]));
  }
  return { N, dr, ds };
}

const QC = [[-1, -1], [1, -1], [1, 1], [-1, 1]];
const QM = [[0, -1], [1, 0], [0, 1], [-1, 0]];

function quadShape(r: number, s: number, quadratic: boolean): Shape {
  const N: number[] = [];
  const dr: number[] = [];
  const ds: number[] = [];
  for (const [a, b] of QC) {
    const fr = 1 + a * r;
    const fs = 1 + b * s;
    if (!quadratic) {
      N.push(fr * fs / 4);
      dr.push(a * fs / 4);
      ds.push(b * fr / 4);
    } else {
      const g = a * r + b * s - 1;
      N.push(fr * fs * g / 4);
      dr.push((a * fs * g + fr * fs * a) / 4);
      ds.push((b * fr * g + fr * fs * b) / 4);
    }
  }
  if (quadratic) {
    for (const [a, b] of QM) {
      if (a === 0) {
        N.push((1 - r * r) * (1 + b * s) / 2);
        dr.push(-r * (1 + b * s));
        ds.push((1 - r * r) * b / 2);
      } else {
        N.push((1 + a * r) * (1 - s * s) / 2);
        dr.push(a * (1 - s * s) / 2);
        ds.push(-(1 + a * r) * s);
      }
    }
  }
  return { N, dr, ds };
}

function edgeShape(r: number, quadratic: boolean): Shape {
  if (!quadratic) return { N: [(1 - r) / 2, (1 + r) / 2], dr: [-0.5, 0.5], ds: [0, 0] };
  return { N: [r * (r - 1) / 2, r * (r + 1) / 2, 1 - r * r], dr: [r - 0.5, r + 0.5, -2 * r], ds: [0, 0, 0] };
}

const G3 = [[-Math.sqrt(3 / 5), 5 / 9], [0, 8 / 9], [Math.sqrt(3 / 5), 5 / 9]];
// Dunavant's 7-point rule on the unit triangle (exact to degree 5; weights sum to 1/2).
const A1 = 0.059715871789770, B1 = 0.470142064105115, A2 = 0.797426985353087, B2 = 0.101286507323456;
const W0 = 0.225 / 2, W1 = 0.132394152788506 / 2, W2 = 0.125939180544827 / 2;
const TRI7 = [[1 / 3, 1 / 3, W0], [A1, B1, W1], [B1, A1, W1], [B1, B1, W1], [A2, B2, W2], [B2, A2, W2], [B2, B2, W2]];

/** Gauss points (r, s, weight) with shape functions, per face kind and order; computed once. */
const RULES = new Map<string, { w: number; sh: Shape }[]>();
function rule(kind: FaceKind, quadratic: boolean): { w: number; sh: Shape }[] {
  const key = kind + quadratic;
  let r = RULES.get(key);
  if (r) return r;
  if (kind === 'tri') r = TRI7.map(([a, b, w]) => ({ w, sh: triShape(a, b, quadratic) }));
  else if (kind === 'quad') r = G3.flatMap(([a, wa]) => G3.map(([b, wb]) => ({ w: wa * wb, sh: quadShape(a, b, quadratic) })));
  else r = G3.map(([a, w]) => ({ w, sh: edgeShape(a, quadratic) }));
  RULES.set(key, r);
  return r;
}

/**
 * Nodal forces of face pressure p on face `face` (1-based, ccx numbering) of cell `c` of `block`:
 * adds to `out` (3 per node) and returns false when the element type or face has no conversion.
 */
export function addFacePressure(mesh: Mesh, block: CellBlock, c: number, face: number, p: number, thickness: number, out: Float64Array): boolean {
  const info = FACES[block.type];
  if (!info || face < 1 || face > info.faces.length) return false;
  const d = mesh.dimension;
  const nn = block.connectivity.length / (block.ids?.length ?? block.connectivity.length);
  const conn = block.connectivity;
  const base = c * nn;
  const local = info.faces[face - 1].slice(0, info.quadratic ? undefined : info.corners);
  const nodes = local.map((k) => conn[base + k - 1]);
  const X = (i: number, k: number): number => (k < d ? mesh.points[i * d + k] : 0);
  // Outward: away from the element's centroid (robust to either node ordering of the face).
  const cen = [0, 0, 0];
  for (let k = 0; k < nn; k++) for (let j = 0; j < 3; j++) cen[j] += X(conn[base + k], j) / nn;
  const fc = [0, 0, 0];
  for (const i of nodes) for (let j = 0; j < 3; j++) fc[j] += X(i, j) / nodes.length;
  const pts = rule(info.kind, info.quadratic);
  const nds: number[][] = [];
  const area = [0, 0, 0];
  for (const { w, sh } of pts) {
    const tr = [0, 0, 0];
    const ts = [0, 0, 0];
    nodes.forEach((i, a) => {
      for (let j = 0; j < 3; j++) {
        tr[j] += sh.dr[a] * X(i, j);
        ts[j] += sh.ds[a] * X(i, j);
      }
    });
    // Area element n dA: the tangents' cross product on faces, the in-plane normal times t on edges.
    const n = info.kind === 'edge' ? [tr[1] * thickness, -tr[0] * thickness, 0] : [tr[1] * ts[2] - tr[2] * ts[1], tr[2] * ts[0] - tr[0] * ts[2], tr[0] * ts[1] - tr[1] * ts[0]];
    for (let j = 0; j < 3; j++) area[j] += n[j] * w;
    nds.push(n);
  }
  const sign = area[0] * (fc[0] - cen[0]) + area[1] * (fc[1] - cen[1]) + area[2] * (fc[2] - cen[2]) >= 0 ? 1 : -1;
  pts.forEach(({ w, sh }, g) => {
    const n = nds[g];
    nodes.forEach((i, a) => {
      for (let j = 0; j < 3; j++) out[i * 3 + j] -= p * sign * sh.N[a] * n[j] * w;
    });
  });
  return true;
}

/** Face pressure loads of a deck as nodal forces; `thicknessOf(elementId)` gives the plane elements' thickness. */
export function pressureForces(mesh: Mesh, thicknessOf: (elementId: number) => number): PressureForces {
  const deck = mesh.deck;
  const loads: NodalLoad[] = [];
  const issues: LoadIssue[] = [];
  if (!deck || deck.faceLoads.length === 0) return { loads, issues };
  const where = new Map<number, [number, number]>();
  mesh.cells.forEach((b, bi) => {
    if (b.ids) for (let c = 0; c < b.ids.length; c++) where.set(b.ids[c], [bi, c]);
  });
  const n = mesh.points.length / mesh.dimension;
  const f = new Float64Array(n * 3);
  const touched: number[] = [];
  // One issue per deck line and reason (an element set may list thousands of elements).
  const byLine = new Map<string, { issue: LoadIssue; more: number }>();
  const issue = (reason: string, message: string, source: SourceLocation): void => {
    const key = `${source.file}:${source.line}:${reason}`;
    const seen = byLine.get(key);
    if (seen) seen.more++;
    else byLine.set(key, { issue: { message, source }, more: 0 });
  };
  // Axisymmetric edges carry 2πr-weighted loads: converting them as plane edges would be silently wrong.
  const axisymmetric = (deck.elementTypes ?? []).some((e) => /^(CAX|CGAX)/.test(e.name));
  for (const fl of deck.faceLoads) {
    const m = /^P([1-6])$/.exec(fl.face);
    const at = where.get(fl.element);
    if (!m) {
      issue('type', `*DLOAD type ${fl.face} on element ${fl.element} is not converted to nodal forces`, fl.source);
      continue;
    }
    if (!at) {
      issue('undefined', `pressure on undefined element ${fl.element}`, fl.source);
      continue;
    }
    const block = mesh.cells[at[0]];
    if (axisymmetric && FACES[block.type]?.plane) {
      issue('axisymmetric', `pressure ${fl.face} on axisymmetric element ${fl.element} is not converted (its load is weighted by 2πr)`, fl.source);
      continue;
    }
    if (!addFacePressure(mesh, block, at[1], Number(m[1]), fl.value, FACES[block.type]?.plane ? thicknessOf(fl.element) : 1, f)) {
      issue(block.type, `pressure ${fl.face} on element ${fl.element} (${block.type}) is not converted: ${FACES[block.type] ? 'no such face' : 'unsupported element type'}`, fl.source);
      continue;
    }
    touched.length = 0;
    const nn = block.connectivity.length / block.ids!.length;
    for (let k = 0; k < nn; k++) touched.push(block.connectivity[at[1] * nn + k]);
    // Collect and clear only this element's nodes: clearing all n per face would be quadratic.
    for (const i of new Set(touched)) {
      for (let j = 0; j < 3; j++) if (f[i * 3 + j] !== 0) loads.push({ node: i, dof: j + 1, value: f[i * 3 + j], source: fl.source });
      f.fill(0, i * 3, i * 3 + 3);
    }
  }
  for (const { issue: i, more } of byLine.values()) issues.push(more ? { ...i, message: `${i.message} (and ${more} more on this line)` } : i);
  return { loads, issues };
}
