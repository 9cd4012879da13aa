// The one in-memory mesh every format maps to (meshio's layout): typed arrays end to end,
// cells grouped by type, and a source location for everything a diagnostic may point at.

/** meshio's cell type names, so `flare inspect --json` compares directly with meshio. */
export type CellType =
  | 'vertex' | 'line' | 'line3' | 'triangle' | 'triangle6' | 'quad' | 'quad8' | 'quad9'
  | 'tetra' | 'tetra10' | 'hexahedron' | 'hexahedron20' | 'hexahedron27'
  | 'wedge' | 'wedge15' | 'pyramid' | 'pyramid13' | 'polygon';

export interface CellTypeInfo {
  readonly name: CellType;
  /** VTK cell type number (VTK_TETRA = 10, VTK_QUADRATIC_TETRA = 24, ...). */
  readonly vtk: number;
  /** Nodes per cell; 0 for variable-size cells (polygon). */
  readonly nodes: number;
  /** Topological dimension: 0 vertex, 1 line, 2 surface, 3 volume. */
  readonly dim: 0 | 1 | 2 | 3;
}

export const CELL_TYPES: Readonly<Record<CellType, CellTypeInfo>> = {
  vertex: { name: 'vertex', vtk: 1, nodes: 1, dim: 0 },
  line: { name: 'line', vtk: 3, nodes: 2, dim: 1 },
  line3: { name: 'line3', vtk: 21, nodes: 3, dim: 1 },
  triangle: { name: 'triangle', vtk: 5, nodes: 3, dim: 2 },
  triangle6: { name: 'triangle6', vtk: 22, nodes: 6, dim: 2 },
  quad: { name: 'quad', vtk: 9, nodes: 4, dim: 2 },
  quad8: { name: 'quad8', vtk: 23, nodes: 8, dim: 2 },
  quad9: { name: 'quad9', vtk: 28, nodes: 9, dim: 2 },
  polygon: { name: 'polygon', vtk: 7, nodes: 0, dim: 2 },
  tetra: { name: 'tetra', vtk: 10, nodes: 4, dim: 3 },
  tetra10: { name: 'tetra10', vtk: 24, nodes: 10, dim: 3 },
  hexahedron: { name: 'hexahedron', vtk: 12, nodes: 8, dim: 3 },
  hexahedron20: { name: 'hexahedron20', vtk: 25, nodes: 20, dim: 3 },
  hexahedron27: { name: 'hexahedron27', vtk: 29, nodes: 27, dim: 3 },
  wedge: { name: 'wedge', vtk: 13, nodes: 6, dim: 3 },
  wedge15: { name: 'wedge15', vtk: 26, nodes: 15, dim: 3 },
  pyramid: { name: 'pyramid', vtk: 14, nodes: 5, dim: 3 },
  pyramid13: { name: 'pyramid13', vtk: 27, nodes: 13, dim: 3 },
};

/** Where something came from: 1-based line (and column when known) in a file. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Errors are values: every finding carries a location and a stable code. */
export interface MeshDiagnostic {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

export interface CellBlock {
  readonly type: CellType;
  /** Node indices (0-based into Mesh.points), `nodes` per cell, in VTK node order. */
  readonly connectivity: Int32Array;
  /** Only for variable-size cells (polygon): offsets[i] = end of cell i in connectivity. */
  readonly offsets?: Int32Array;
  /** Original element ids (e.g. Abaqus/Nastran element numbers), when the format has them. */
  readonly ids?: Int32Array;
  /** Line of each cell in the source file (0 when unknown), for diagnostics. */
  readonly lines?: Int32Array;
  /** When the input had includes: per cell, the index into Mesh.files of the file `lines` refers to. */
  readonly fileIndex?: Uint16Array;
  /** Where the block is defined (an XML DataArray, a binary section), for cells without a line of their own. */
  readonly line?: number;
}

export interface DataArray {
  readonly name: string;
  readonly components: number;
  /** Length = tuples * components. */
  readonly values: Float64Array | Float32Array | Int32Array;
}

export interface Material {
  readonly name: string;
  readonly youngsModulus?: number;
  readonly poissonRatio?: number;
  readonly density?: number;
  readonly source: SourceLocation;
}

/** A fixed degree of freedom range on one node (Abaqus *BOUNDARY: node, first dof, last dof, value). */
export interface BoundaryCondition {
  readonly node: number; // 0-based point index
  readonly firstDof: number;
  readonly lastDof: number;
  readonly value: number;
  readonly source: SourceLocation;
}

/** A concentrated nodal force component (Abaqus *CLOAD). */
export interface NodalLoad {
  readonly node: number; // 0-based point index
  readonly dof: number;
  readonly value: number;
  readonly source: SourceLocation;
}

/** A distributed load on an element face (Abaqus *DLOAD, e.g. P1 pressure on face 1). */
export interface FaceLoad {
  readonly element: number; // original element id
  readonly face: string; // e.g. 'P1'
  readonly value: number;
  readonly source: SourceLocation;
}

export interface Step {
  readonly name: string;
  readonly procedure: string; // e.g. 'STATIC'
  readonly source: SourceLocation;
  /** The procedure keyword's line (*STATIC, *FREQUENCY ...). */
  readonly procedureSource?: SourceLocation;
  /** *STEP, NLGEOM (geometrically non-linear). */
  readonly nlgeom?: boolean;
}

/** Something the deck uses that a static linear surrogate does not represent, kept so a check can name it. */
export interface DeckItem {
  /** 'load': GRAV, CENTRIF, *TEMPERATURE, moments...; 'analysis': a keyword changing the analysis; 'material': *PLASTIC ... */
  readonly kind: 'load' | 'analysis' | 'material';
  /** The keyword without '*', e.g. 'DLOAD', 'TEMPERATURE', 'PLASTIC'. */
  readonly keyword: string;
  /** e.g. the load type 'GRAV'. */
  readonly detail?: string;
  readonly source: SourceLocation;
}

/**
 * An Abaqus *INSTANCE flattened into the mesh: its node (element) local id k is global id
 * offset + k, its sets are named 'instance.set'. Diagnostics write ids as 'instance.k'.
 */
export interface InstanceInfo {
  readonly name: string;
  readonly part: string;
  readonly nodeOffset: number;
  readonly elementOffset: number;
  /** Largest local node / element id of the instance. */
  readonly nodes: number;
  readonly elements: number;
  readonly source: SourceLocation;
}

/** One *ELEMENT block's type as written (C3D10, CPS6, S4R ...), for the element-type check. */
export interface ElementTypeUse {
  readonly name: string;
  readonly count: number;
  readonly source: SourceLocation;
}

/** What a solver deck adds on top of the geometry. */
export interface DeckData {
  readonly materials: Material[];
  readonly boundaries: BoundaryCondition[];
  readonly loads: NodalLoad[];
  readonly faceLoads: FaceLoad[];
  readonly steps: Step[];
  /** Section assignments (element set → material); optional so older producers still type-check. */
  readonly sections?: Section[];
  /** Loads, analysis and material keywords the deck uses but FLARE does not represent. */
  readonly unsupported?: DeckItem[];
  /** Element types as written, per *ELEMENT keyword. */
  readonly elementTypes?: ElementTypeUse[];
  /** Abaqus instances (*PART/*INSTANCE decks), flattened into one mesh. */
  readonly instances?: InstanceInfo[];
}

export interface Mesh {
  /** Packed coordinates, `dimension` per point. */
  readonly points: Float64Array;
  readonly dimension: 2 | 3;
  /** Original node ids (Abaqus/Nastran/gmsh numbers), when the format has them. */
  readonly pointIds?: Int32Array;
  /** Line of each point in the source file (0 when unknown). */
  readonly pointLines?: Int32Array;
  /** Where the points are defined (an XML DataArray, a binary section), for points without a line of their own. */
  readonly pointsLine?: number;
  readonly cells: CellBlock[];
  readonly pointData: DataArray[];
  readonly cellData: DataArray[][]; // per cell block, aligned with `cells`
  readonly nodeSets: Record<string, Int32Array>; // 0-based point indices
  readonly elementSets: Record<string, Int32Array>; // original element ids
  readonly deck?: DeckData;
  readonly source: { readonly file: string; readonly format: string };
  /** Files an entity may come from when the input had includes; `pointFiles[i]` indexes it. */
  readonly files?: string[];
  readonly pointFiles?: Uint16Array;
}

export function pointCount(mesh: Pick<Mesh, 'points' | 'dimension'>): number {
  return mesh.points.length / mesh.dimension;
}

/** A *SOLID SECTION / *SHELL SECTION: which material an element set uses. */
export interface Section {
  readonly elset: string;
  readonly material: string;
  readonly kind: string; // 'SOLID' | 'SHELL' | 'BEAM' ...
  /** Thickness from the first data line (plane elements of a *SOLID SECTION, shells); absent when not given. */
  readonly thickness?: number;
  readonly source: SourceLocation;
}

/** Options for `readMesh`. */
export interface ReadOptions {
  readonly signal?: AbortSignal;
  /**
   * Reads `*INCLUDE` files and `.pvtu` pieces. It receives the path ALREADY resolved against the
   * including file's name (dirname(fileName) + '/' + INPUT, unless INPUT is absolute): read it as is.
   */
  readonly readInclude?: (path: string) => Uint8Array | undefined;
  /** Refuse meshes larger than this (a diagnostic, no mesh). */
  readonly maxPoints?: number;
  /** Run the geometric checks of checks.ts (default true). */
  readonly checks?: boolean;
}

export interface ReadResult {
  readonly mesh?: Mesh;
  readonly diagnostics: MeshDiagnostic[];
}
