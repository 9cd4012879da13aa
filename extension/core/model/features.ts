// Input features of the FLARE elasticity models, computed from a deck exactly as the model card
// (and its reference implementation models/flare/features.py) defines them, plus the scale input
// that the graph uses to turn normalized outputs into physical fields (the applicability checks
// are in applicability.ts). float64 throughout, float32 at the end, like numpy.
// One file on purpose (~400 lines): the column table, the topology flags and the scales mirror
// features.py one to one, and parity with it on the goldens is checked as a whole.
import type { CellType, Mesh, NodalLoad } from '../mesh/types';
import { pressureForces, type LoadIssue } from './deckLoads';
import type { ModelCard } from './card';
import { isPlaneDeck } from './modelChoice';

/** What a deck provides, per node in *NODE order. */
export interface DeckQuantities {
  readonly n: number;
  /** xyz per node (2D decks: z = 0). */
  readonly xyz: Float64Array;
  /** 1 when *BOUNDARY constrains any DOF of the node with a zero value. */
  readonly fixed: Uint8Array;
  /** Summed *CLOAD force per node, DOF 1..3 (N). */
  readonly force: Float64Array;
  readonly E: number;
  readonly nu?: number;
  /** Plane-element thickness from the *SOLID SECTION of the plane elements (1 when absent). */
  readonly thickness: number;
  /** 2 for plane elements (triangles/quads only), else 3. */
  readonly meshDim: 2 | 3;
  /** Nodal forces converted from *DLOAD/*DSLOAD pressures (already in `force`), with their deck lines. */
  readonly pressureLoads?: readonly NodalLoad[];
  /** Face loads that could not be converted (not in `force`), for the applicability check. */
  readonly loadIssues?: readonly LoadIssue[];
  /** Element connectivity per block (0-based, CalculiX = VTK local order for the types in CELL_TOPOLOGY), for the v2 topology features. */
  readonly cells?: readonly { readonly type: CellType; readonly connectivity: Int32Array }[];
}

export interface FeatureScales {
  readonly center: readonly [number, number, number];
  readonly L: number;
  readonly Ftot: readonly [number, number, number];
  readonly P: number;
  readonly dir: readonly [number, number, number];
  readonly sigmaRef: number;
  readonly uRef: number;
  readonly thickness: number;
  readonly dim: 2 | 3;
  readonly nFixed: number;
  /** Loaded nodes as the card counts them (buildInputs: the loaded flags of the features). */
  readonly nLoaded: number;
}

export interface BuiltInputs {
  /** Model inputs by name (e.g. x [1, N, F] and scale [1, 2]). */
  readonly tensors: Record<string, { data: Float32Array; dims: number[] }>;
  /** The feature matrix [N, F] (same data as the 'x' tensor). */
  readonly features: Float32Array;
  readonly featureNames: readonly string[];
  readonly scales: FeatureScales;
}

export type FeatureResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads the deck quantities from a mesh read by readMesh (needs its `deck` data); thickness only from its *SOLID SECTION. */
export function deckQuantities(mesh: Mesh): FeatureResult<DeckQuantities> {
  const deck = mesh.deck;
  if (!deck) return { ok: false, error: `${mesh.source.file}: not a solver deck (no *BOUNDARY / *CLOAD / *MATERIAL data): a model needs fixed nodes, loads and a material` };
  const d = mesh.dimension;
  const n = mesh.points.length / d;
  const xyz = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) xyz[i * 3 + k] = mesh.points[i * d + k];
  const volumetric = mesh.cells.some((c) => ['tetra', 'tetra10', 'hexahedron', 'hexahedron20', 'hexahedron27', 'wedge', 'wedge15', 'pyramid', 'pyramid13'].includes(c.type));
  // Supported: a zero *BOUNDARY on a translational DOF of the model's plane or space. Rotations (4-6),
  // temperature (11) or, on a plane deck, the out-of-plane DOF 3 alone (harmless in ccx) support nothing.
  const dofs = volumetric ? 3 : 2;
  const fixed = new Uint8Array(n);
  for (const b of deck.boundaries) if (b.value === 0 && b.node >= 0 && b.node < n && Math.max(1, b.firstDof) <= Math.min(dofs, b.lastDof)) fixed[b.node] = 1;
  const force = new Float64Array(n * 3);
  const t = planeThickness(mesh) ?? 1;
  // *CLOAD and face pressures (as consistent nodal forces) add up; each keeps its deck line.
  const pressure = pressureForces(mesh, sectionThickness(mesh, t));
  for (const l of [...deck.loads, ...pressure.loads]) if (l.dof >= 1 && l.dof <= 3 && l.node >= 0 && l.node < n) force[l.node * 3 + l.dof - 1] += l.value;
  // The material the sections use (first with a Young's modulus otherwise).
  const used = new Set((deck.sections ?? []).map((s) => s.material.toUpperCase()));
  const mat = deck.materials.find((m) => used.has(m.name.toUpperCase()) && m.youngsModulus !== undefined) ?? deck.materials.find((m) => m.youngsModulus !== undefined);
  if (!mat || mat.youngsModulus === undefined) {
    // Say where: the material that lacks *ELASTIC and, for heat-transfer and other non-static decks
    // (which have no elastic constants), the procedure line that makes the deck out of reach.
    const m0 = deck.materials.find((m) => used.has(m.name.toUpperCase())) ?? deck.materials[0];
    const where = m0 ? `${m0.source.file}:${m0.source.line}: material ${m0.name} has no *ELASTIC (Young's modulus)` : `${mesh.source.file}: no *ELASTIC material with a Young's modulus`;
    const step = deck.steps.find((x) => x.procedure && x.procedure !== 'STATIC');
    const at = step ? step.procedureSource ?? step.source : undefined;
    const why = step && at ? `; the step at ${at.file}:${at.line} is a *${step.procedure} analysis, and the model predicts static linear elasticity only` : '';
    return { ok: false, error: where + why };
  }
  if (!(mat.youngsModulus > 0)) return { ok: false, error: `${mat.source.file}:${mat.source.line}: Young's modulus must be positive, got ${mat.youngsModulus}` };
  return {
    ok: true,
    value: {
      n, xyz, fixed, force, E: mat.youngsModulus, ...(mat.poissonRatio !== undefined ? { nu: mat.poissonRatio } : {}), thickness: t, meshDim: isPlaneDeck(mesh) ? 2 : 3,
      pressureLoads: pressure.loads, loadIssues: pressure.issues,
      cells: mesh.cells.map((c) => ({ type: c.type, connectivity: c.connectivity })),
    },
  };
}

const PLANE = new Set(['triangle', 'triangle6', 'quad', 'quad8', 'quad9']);

/** Per element id, the thickness of its *SOLID SECTION (plane pressure loads act on t × edge length). */
function sectionThickness(mesh: Mesh, fallback: number): (id: number) => number {
  // Built on the first pressure only: most decks have none, and the sets may hold millions of ids.
  let bySection: { t: number; ids: Set<number> }[] | undefined;
  return (id) => {
    if (!bySection) {
      const setByKey = new Map(Object.entries(mesh.elementSets).map(([k, v]) => [k.toUpperCase(), v]));
      bySection = (mesh.deck?.sections ?? []).filter((s) => s.kind === 'SOLID' && s.thickness !== undefined).map((s) => ({ t: s.thickness as number, ids: new Set(setByKey.get(s.elset.toUpperCase()) ?? []) }));
    }
    return bySection.find((s) => s.ids.has(id))?.t ?? fallback;
  };
}

/** The thickness of the *SOLID SECTION whose element set holds the deck's plane elements (undefined: none given). */
export function planeThickness(mesh: Mesh): number | undefined {
  const planeIds = new Set<number>();
  for (const c of mesh.cells) if (PLANE.has(c.type) && c.ids) for (const id of c.ids) planeIds.add(id);
  if (planeIds.size === 0) return undefined;
  const setByKey = new Map(Object.entries(mesh.elementSets).map(([k, v]) => [k.toUpperCase(), v]));
  for (const s of mesh.deck?.sections ?? []) {
    if (s.kind !== 'SOLID' || s.thickness === undefined) continue;
    const ids = setByKey.get(s.elset.toUpperCase());
    if (ids && ids.some((id) => planeIds.has(id))) return s.thickness;
  }
  return undefined;
}

/** Exact nearest-neighbour distances with a k-d tree over the targets (cKDTree's role in Python). */
export function nearestDistances(points: Float64Array, n: number, targets: Int32Array): Float64Array {
  const out = new Float64Array(n);
  const m = targets.length;
  if (m === 0) return out.fill(1);
  // Build: recursive median split on the widest axis, leaves of <= 8 targets.
  const idx = Int32Array.from(targets);
  interface Node { lo: number; hi: number; axis: number; split: number; left?: Node; right?: Node; bmin: number[]; bmax: number[] }
  const build = (lo: number, hi: number): Node => {
    const bmin = [Infinity, Infinity, Infinity];
    const bmax = [-Infinity, -Infinity, -Infinity];
    for (let i = lo; i < hi; i++) for (let k = 0; k < 3; k++) { const v = points[idx[i] * 3 + k]; if (v < bmin[k]) bmin[k] = v; if (v > bmax[k]) bmax[k] = v; }
    const node: Node = { lo, hi, axis: 0, split: 0, bmin, bmax };
    if (hi - lo <= 8) return node;
    const ext = [bmax[0] - bmin[0], bmax[1] - bmin[1], bmax[2] - bmin[2]];
    const axis = ext[0] >= ext[1] && ext[0] >= ext[2] ? 0 : ext[1] >= ext[2] ? 1 : 2;
    const sub = Array.from(idx.subarray(lo, hi)).sort((a, b) => points[a * 3 + axis] - points[b * 3 + axis]);
    idx.set(sub, lo);
    const mid = (lo + hi) >> 1;
    node.axis = axis;
    node.split = points[idx[mid] * 3 + axis];
    node.left = build(lo, mid);
    node.right = build(mid, hi);
    return node;
  };
  const root = build(0, m);
  const boxDist2 = (nd: Node, x: number, y: number, z: number): number => {
    let s = 0;
    const p = [x, y, z];
    for (let k = 0; k < 3; k++) { const d = p[k] < nd.bmin[k] ? nd.bmin[k] - p[k] : p[k] > nd.bmax[k] ? p[k] - nd.bmax[k] : 0; s += d * d; }
    return s;
  };
  for (let i = 0; i < n; i++) {
    const x = points[i * 3], y = points[i * 3 + 1], z = points[i * 3 + 2];
    let best = Infinity;
    const stack: Node[] = [root];
    while (stack.length > 0) {
      const nd = stack.pop() as Node;
      if (boxDist2(nd, x, y, z) >= best) continue;
      if (!nd.left || !nd.right) {
        for (let j = nd.lo; j < nd.hi; j++) {
          const t = idx[j] * 3;
          const dx = points[t] - x, dy = points[t + 1] - y, dz = points[t + 2] - z;
          const d2 = dx * dx + dy * dy + dz * dz;
          if (d2 < best) best = d2;
        }
        continue;
      }
      const first = (nd.axis === 0 ? x : nd.axis === 1 ? y : z) < nd.split ? nd.left : nd.right;
      const second = first === nd.left ? nd.right : nd.left;
      stack.push(second, first);
    }
    out[i] = Math.sqrt(best);
  }
  return out;
}

// ---- element topology (models/flare/features.py TOPOLOGY) -------------------------------------
// Faces as (corners..., mid-side nodes...) and edges as (a, b[, mid]) in CalculiX local numbering,
// which equals the VTK order the mesh readers store for these types (.inp connectivity is kept as read).
interface Topology {
  /** Boundary faces (3D) or edges (2D). */
  readonly faces: readonly (readonly number[])[];
  /** Corner nodes per face (the rest are mid-side nodes). */
  readonly corners: number;
  readonly edges: readonly (readonly number[])[];
}
const TET4_FACES = [[0, 1, 2], [0, 3, 1], [1, 3, 2], [2, 3, 0]];
const TET10_FACES = [[0, 1, 2, 4, 5, 6], [0, 3, 1, 7, 8, 4], [1, 3, 2, 8, 9, 5], [2, 3, 0, 9, 7, 6]];
const TET_EDGES = [[0, 1, 4], [1, 2, 5], [2, 0, 6], [0, 3, 7], [1, 3, 8], [2, 3, 9]];
const HEX8_FACES = [[0, 1, 2, 3], [4, 7, 6, 5], [0, 4, 5, 1], [1, 5, 6, 2], [2, 6, 7, 3], [3, 7, 4, 0]];
const HEX20_FACES = [[0, 1, 2, 3, 8, 9, 10, 11], [4, 7, 6, 5, 15, 14, 13, 12], [0, 4, 5, 1, 16, 12, 17, 8], [1, 5, 6, 2, 17, 13, 18, 9], [2, 6, 7, 3, 18, 14, 19, 10], [3, 7, 4, 0, 19, 15, 16, 11]];
const HEX_EDGES = [[0, 1, 8], [1, 2, 9], [2, 3, 10], [3, 0, 11], [4, 5, 12], [5, 6, 13], [6, 7, 14], [7, 4, 15], [0, 4, 16], [1, 5, 17], [2, 6, 18], [3, 7, 19]];
const TRI_EDGES = [[0, 1, 3], [1, 2, 4], [2, 0, 5]];
const QUAD_EDGES = [[0, 1, 4], [1, 2, 5], [2, 3, 6], [3, 0, 7]];
const lin = (e: number[][]): number[][] => e.map((x) => x.slice(0, 2));

/** Cell types the v2 topology features support (others make those features fail with a message). */
export const CELL_TOPOLOGY: Readonly<Partial<Record<CellType, Topology>>> = {
  tetra: { faces: TET4_FACES, corners: 3, edges: lin(TET_EDGES) },
  tetra10: { faces: TET10_FACES, corners: 3, edges: TET_EDGES },
  hexahedron: { faces: HEX8_FACES, corners: 4, edges: lin(HEX_EDGES) },
  hexahedron20: { faces: HEX20_FACES, corners: 4, edges: HEX_EDGES },
  triangle: { faces: lin(TRI_EDGES), corners: 2, edges: lin(TRI_EDGES) },
  triangle6: { faces: TRI_EDGES, corners: 2, edges: TRI_EDGES },
  quad: { faces: lin(QUAD_EDGES), corners: 2, edges: lin(QUAD_EDGES) },
  quad8: { faces: QUAD_EDGES, corners: 2, edges: QUAD_EDGES },
};
/** Cells that carry no faces/segments of their own (ignored by the topology features). */
const NON_SOLID = new Set<CellType>(['vertex', 'line', 'line3']);

export interface NodeTopology {
  /** loaded (face-aware: non-zero force or on a loaded boundary face) and free-surface flags. */
  readonly loaded: Uint8Array;
  readonly free: Uint8Array;
  /** Mean incident segment length (mm; 0 for nodes outside every element). */
  readonly h: Float64Array;
}

/** Boundary faces, loaded/free flags and segment sizes (models/flare/features.py node_flags, segment_size). */
export function nodeTopology(q: DeckQuantities): FeatureResult<NodeTopology> {
  const n = q.n;
  const nz = new Uint8Array(n);
  for (let i = 0; i < n; i++) nz[i] = Math.hypot(q.force[i * 3], q.force[i * 3 + 1], q.force[i * 3 + 2]) > 0 ? 1 : 0;
  const blocks: { topo: Topology; conn: Int32Array; nodes: number }[] = [];
  for (const c of q.cells ?? []) {
    if (NON_SOLID.has(c.type)) continue;
    const topo = CELL_TOPOLOGY[c.type];
    if (!topo) return { ok: false, error: `the model's topology features (loaded faces, free surface, element size) do not support '${c.type}' cells (supported: ${Object.keys(CELL_TOPOLOGY).join(', ')})` };
    const nodes = Math.max(...topo.faces.flat(), ...topo.edges.flat()) + 1;
    blocks.push({ topo, conn: c.connectivity, nodes });
  }
  if (blocks.length === 0) return { ok: false, error: 'the deck has no solid or plane elements: the topology features need element connectivity' };
  // Faces keyed by their sorted corner nodes; count how many elements share each.
  const count = new Map<string, number>();
  const keyOf = (conn: Int32Array, base: number, face: readonly number[], nc: number): string => {
    const k = face.slice(0, nc).map((j) => conn[base + j]).sort((a, b) => a - b);
    return k.join(',');
  };
  for (const b of blocks) {
    const m = b.conn.length / b.nodes;
    for (let e = 0; e < m; e++) for (const f of b.topo.faces) { const k = keyOf(b.conn, e * b.nodes, f, b.topo.corners); count.set(k, (count.get(k) ?? 0) + 1); }
  }
  const loaded = Uint8Array.from(nz);
  const onBoundary = new Uint8Array(n);
  for (const b of blocks) {
    const m = b.conn.length / b.nodes;
    const nc = b.topo.corners;
    for (let e = 0; e < m; e++) {
      const base = e * b.nodes;
      for (const f of b.topo.faces) {
        if (count.get(keyOf(b.conn, base, f, nc)) !== 1) continue;
        for (const j of f) onBoundary[b.conn[base + j]] = 1;
        const carriers = f.length > nc ? f.slice(nc) : f;
        if (carriers.every((j) => nz[b.conn[base + j]] === 1)) for (const j of f) loaded[b.conn[base + j]] = 1;
      }
    }
  }
  const free = new Uint8Array(n);
  for (let i = 0; i < n; i++) free[i] = onBoundary[i] && !loaded[i] && !q.fixed[i] ? 1 : 0;
  // Segment sizes: edges split at their mid-side node, each element's segments once per element.
  const total = new Float64Array(n);
  const cnt = new Float64Array(n);
  for (const b of blocks) {
    const segs: [number, number][] = [];
    for (const ed of b.topo.edges) if (ed.length === 3) segs.push([ed[0], ed[2]], [ed[2], ed[1]]); else segs.push([ed[0], ed[1]]);
    const m = b.conn.length / b.nodes;
    for (const [a, c] of segs) {
      for (let e = 0; e < m; e++) {
        const ia = b.conn[e * b.nodes + a], ib = b.conn[e * b.nodes + c];
        const ln = Math.hypot(q.xyz[ia * 3] - q.xyz[ib * 3], q.xyz[ia * 3 + 1] - q.xyz[ib * 3 + 1], q.xyz[ia * 3 + 2] - q.xyz[ib * 3 + 2]);
        total[ia] += ln; cnt[ia]++;
        total[ib] += ln; cnt[ib]++;
      }
    }
  }
  const h = new Float64Array(n);
  for (let i = 0; i < n; i++) h[i] = cnt[i] > 0 ? total[i] / cnt[i] : 0;
  return { ok: true, value: { loaded, free, h } };
}

/** The scales that depend on geometry and loads only; n_loaded needs the card's loaded flags (buildInputs). */
type DeckScales = Omit<FeatureScales, 'nLoaded'>;

function featureScales(q: DeckQuantities, dim: 2 | 3): FeatureResult<DeckScales> {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const F = [0, 0, 0];
  let nFixed = 0;
  for (let i = 0; i < q.n; i++) {
    for (let k = 0; k < 3; k++) {
      const v = q.xyz[i * 3 + k];
      if (v < lo[k]) lo[k] = v;
      if (v > hi[k]) hi[k] = v;
      F[k] += q.force[i * 3 + k];
    }
    nFixed += q.fixed[i];
  }
  if (q.n === 0) return { ok: false, error: 'the deck has no nodes' };
  const center: [number, number, number] = [(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, (lo[2] + hi[2]) / 2];
  const L = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]);
  if (!(L > 0)) return { ok: false, error: 'all nodes coincide: the bounding box has zero size' };
  const P = Math.hypot(F[0], F[1], F[2]);
  if (!(P > 0)) return { ok: false, error: 'the total load (*CLOAD plus converted *DLOAD/*DSLOAD pressures) is zero: the models need a net load (fields are scaled by it)' };
  if (nFixed === 0) return { ok: false, error: 'no node is fixed (*BOUNDARY with value 0): the problem is not statically determined' };
  const sigmaRef = dim === 2 ? P / (q.thickness * L) : P / (L * L);
  return {
    ok: true,
    value: { center, L, Ftot: [F[0], F[1], F[2]], P, dir: [F[0] / P, F[1] / P, F[2] / P], sigmaRef, uRef: (sigmaRef * L) / q.E, thickness: q.thickness, dim, nFixed },
  };
}

interface ColumnContext {
  dFix: () => Float64Array;
  dLoad: () => Float64Array;
  dFree: () => Float64Array;
  /** The loaded flags: v1 cards (load_dir_* columns) = non-zero force; v2 = face-aware. */
  loaded: () => Uint8Array;
  topo: () => NodeTopology;
}
type Column = (q: DeckQuantities, s: DeckScales, i: number, ctx: ColumnContext) => number;

/** Every feature column this extension knows, by the card's column name. */
export const FEATURE_COLUMNS: Readonly<Record<string, Column>> = {
  x_n: (q, s, i) => (q.xyz[i * 3] - s.center[0]) / s.L,
  y_n: (q, s, i) => (q.xyz[i * 3 + 1] - s.center[1]) / s.L,
  z_n: (q, s, i) => (q.xyz[i * 3 + 2] - s.center[2]) / s.L,
  fixed: (q, _s, i) => q.fixed[i],
  loaded: (_q, _s, i, c) => c.loaded()[i],
  d_fix_n: (_q, s, i, c) => c.dFix()[i] / s.L,
  d_load_n: (_q, s, i, c) => c.dLoad()[i] / s.L,
  free_surface: (_q, _s, i, c) => c.topo().free[i],
  d_free_n: (_q, s, i, c) => c.dFree()[i] / s.L,
  h_n: (_q, s, i, c) => c.topo().h[i] / s.L,
  load_dir_x: (_q, s) => s.dir[0],
  load_dir_y: (_q, s) => s.dir[1],
  load_dir_z: (_q, s) => s.dir[2],
};

/** Columns that only feature set v2 has; a card with any of them (or a load_dir input) uses the face-aware `loaded` flag. */
const V2_COLUMNS = new Set(['free_surface', 'd_free_n', 'h_n']);

/** True when the card's features are v2 (face-aware `loaded`), false for v1 cards (load_dir_* columns). */
export function usesFeaturesV2(card: ModelCard): boolean {
  return card.featureColumns.some((c) => V2_COLUMNS.has(c.name)) || card.inputs.some((i) => i.name === 'load_dir');
}

/** Builds the model's inputs from deck quantities as the card lists them. */
export function buildInputs(card: ModelCard, q: DeckQuantities): FeatureResult<BuiltInputs> {
  const sc = featureScales(q, card.dimension);
  if (!sc.ok) return sc;
  const s = sc.value;
  const names = card.featureColumns.map((c) => c.name);
  const unknown = names.filter((nm) => !(nm in FEATURE_COLUMNS));
  if (unknown.length > 0) return { ok: false, error: `model card '${card.name}' uses feature(s) this extension does not compute: ${unknown.join(', ')} (known: ${Object.keys(FEATURE_COLUMNS).join(', ')})` };
  const indexWhere = (flag: (i: number) => boolean): Int32Array => {
    const out: number[] = [];
    for (let i = 0; i < q.n; i++) if (flag(i)) out.push(i);
    return Int32Array.from(out);
  };
  const v2 = usesFeaturesV2(card);
  let topo: NodeTopology | undefined;
  if (v2 || names.some((nm) => V2_COLUMNS.has(nm))) {
    const t = nodeTopology(q);
    if (!t.ok) return t;
    topo = t.value;
  }
  const getTopo = (): NodeTopology => topo as NodeTopology;
  let loaded: Uint8Array | undefined;
  let dFix: Float64Array | undefined;
  let dLoad: Float64Array | undefined;
  let dFree: Float64Array | undefined;
  const ctx: ColumnContext = {
    topo: getTopo,
    loaded: () => (loaded ??= v2 ? getTopo().loaded : Uint8Array.from({ length: q.n }, (_, i) => (Math.hypot(q.force[i * 3], q.force[i * 3 + 1], q.force[i * 3 + 2]) > 0 ? 1 : 0))),
    dFix: () => (dFix ??= nearestDistances(q.xyz, q.n, indexWhere((i) => q.fixed[i] === 1))),
    dLoad: () => (dLoad ??= nearestDistances(q.xyz, q.n, indexWhere((i) => ctx.loaded()[i] === 1))),
    dFree: () => (dFree ??= nearestDistances(q.xyz, q.n, indexWhere((i) => getTopo().free[i] === 1))),
  };
  const f = names.length;
  const x = new Float32Array(q.n * f);
  names.forEach((nm, k) => {
    const col = FEATURE_COLUMNS[nm];
    for (let i = 0; i < q.n; i++) x[i * f + k] = col(q, s, i, ctx);
  });
  const tensors: Record<string, { data: Float32Array; dims: number[] }> = {};
  for (const inp of card.inputs) {
    if (inp.shape.length === 3) tensors[inp.name] = { data: x, dims: [1, q.n, f] };
    else if (inp.name === 'scale') tensors[inp.name] = { data: Float32Array.from([s.sigmaRef, s.uRef]), dims: [1, 2] };
    else if (inp.name === 'load_dir') tensors[inp.name] = { data: Float32Array.from(s.dir), dims: [1, 3] };
    else return { ok: false, error: `model card '${card.name}': input '${inp.name}' is neither the per-node feature tensor, 'load_dir' nor 'scale'` };
  }
  // n_loaded as training counted it (the card's envelope): the loaded flags the features use, which
  // for v2 cards include the zero-force corner nodes of loaded tri6 faces.
  const flags = ctx.loaded();
  let nLoaded = 0;
  for (let i = 0; i < q.n; i++) nLoaded += flags[i];
  return { ok: true, value: { tensors, features: x, featureNames: names, scales: { ...s, nLoaded } } };
}
