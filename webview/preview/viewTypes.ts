// The preview's plain data types: what the host sends (surface, fields), what the user sets
// (ViewSettings, kept in the webview's state), and what the view reports (picks, colouring).
import { isPresetName, type PresetName } from './colorMaps';
import type { ComponentMode, ErrorStats } from './fieldMath';

export type Vec3 = [number, number, number];

/** Magenta: in none of the colour map presets, so the marker stands out (and tests can count its pixels). */
export const MARKER_COLOR: Vec3 = [1, 0, 1];

/** The boundary surface as the host sends it: float xyz, triangles, and the volume node of each point. */
export interface SurfaceData {
  readonly points: Float32Array;
  readonly triangles: Uint32Array;
  readonly nodeMap: Uint32Array;
  readonly triangleCell: Uint32Array;
  readonly nodeIds?: Int32Array;
  readonly volumePoints: number;
  readonly cells: number;
}

export interface FieldArray {
  readonly name: string;
  readonly components: number;
  readonly values: Float32Array;
  readonly unit?: string;
  readonly association: 'point' | 'cell';
  readonly source: 'file' | 'prediction' | 'reference';
}

export type Representation = 'surface' | 'surfaceWithEdges' | 'wireframe' | 'points';
export type CompareMode = 'off' | 'sideBySide' | 'difference';

/** Everything the user can set; plain data so it survives `setState` and webview reloads. */
export interface ViewSettings {
  colorBy: string; // '' = solid colour
  component: ComponentMode;
  preset: PresetName;
  lockRange: boolean;
  range: [number, number];
  bands: number; // 0 = continuous
  representation: Representation;
  deformBy: string; // '' = undeformed
  deformScale: number;
  clip: { enabled: boolean; axis: 0 | 1 | 2; position: number; invert: boolean };
  parallel: boolean;
  compareWith: string; // reference array for the compare modes
  compare: CompareMode;
}

export const DEFAULT_SETTINGS: ViewSettings = {
  colorBy: '', component: 'magnitude', preset: 'Cool to Warm', lockRange: false, range: [0, 1], bands: 0, representation: 'surface',
  deformBy: '', deformScale: 1, clip: { enabled: false, axis: 0, position: 0.5, invert: false }, parallel: false, compareWith: '', compare: 'off',
};

/** Keeps only well-typed ViewSettings fields of an untrusted value (saved state, host messages). */
export function sanitizeSettings(x: unknown): Partial<ViewSettings> {
  if (typeof x !== 'object' || x === null) return {};
  const v = x as Record<string, unknown>;
  const out: Partial<ViewSettings> = {};
  const num = (a: unknown): a is number => typeof a === 'number' && Number.isFinite(a);
  if (typeof v.colorBy === 'string') out.colorBy = v.colorBy;
  if (v.component === 'magnitude' || v.component === 'vonMises' || (num(v.component) && Number.isInteger(v.component) && v.component >= 0)) out.component = v.component;
  if (isPresetName(v.preset)) out.preset = v.preset;
  if (typeof v.lockRange === 'boolean') out.lockRange = v.lockRange;
  if (Array.isArray(v.range) && v.range.length === 2 && num(v.range[0]) && num(v.range[1])) out.range = [v.range[0], v.range[1]];
  if (num(v.bands) && v.bands >= 0 && v.bands <= 256) out.bands = Math.round(v.bands);
  if (v.representation === 'surface' || v.representation === 'surfaceWithEdges' || v.representation === 'wireframe' || v.representation === 'points') out.representation = v.representation;
  if (typeof v.deformBy === 'string') out.deformBy = v.deformBy;
  if (num(v.deformScale)) out.deformScale = v.deformScale;
  const c = v.clip as Record<string, unknown> | undefined;
  if (c && typeof c === 'object' && typeof c.enabled === 'boolean' && (c.axis === 0 || c.axis === 1 || c.axis === 2) && num(c.position) && typeof c.invert === 'boolean') {
    out.clip = { enabled: c.enabled, axis: c.axis, position: Math.min(1, Math.max(0, c.position)), invert: c.invert };
  }
  if (typeof v.parallel === 'boolean') out.parallel = v.parallel;
  if (typeof v.compareWith === 'string') out.compareWith = v.compareWith;
  if (v.compare === 'off' || v.compare === 'sideBySide' || v.compare === 'difference') out.compare = v.compare;
  return out;
}

export interface CameraState {
  position: number[];
  focalPoint: number[];
  viewUp: number[];
  parallelScale: number;
}

export interface PickResult {
  /** Index of the picked point on the surface. */
  readonly surfacePoint: number;
  /** 0-based volume node index. */
  readonly node: number;
  /** The node's id in the file (Abaqus/gmsh number) when it has one, else the 0-based index. */
  readonly nodeId: number;
  readonly coords: Vec3;
  /** 0-based running cell index of the picked triangle; -1 for a node off the surface (no cell values then). */
  readonly cell: number;
  readonly values: { name: string; unit?: string; association: 'point' | 'cell'; values: number[] }[];
}

export interface ViewTheme {
  background: Vec3; // 0..1
  foreground: string; // CSS colour for labels
  surface: Vec3; // solid colour
  edges: Vec3;
  font: string;
}

export type AxisView = '+x' | '-x' | '+y' | '-y' | '+z' | '-z' | 'iso';

/** What colouring currently shows, for the legend, the UI and tests. */
export interface ColoringInfo {
  readonly title: string;
  readonly range: [number, number];
  readonly stats?: ErrorStats;
}

export function validCamera(cam: unknown): cam is CameraState {
  if (typeof cam !== 'object' || cam === null) return false;
  const c = cam as Record<string, unknown>;
  const vec = (a: unknown) => Array.isArray(a) && a.length === 3 && a.every((v) => typeof v === 'number' && Number.isFinite(v));
  return vec(c.position) && vec(c.focalPoint) && vec(c.viewUp) && typeof c.parallelScale === 'number' && Number.isFinite(c.parallelScale);
}

export function validPick(p: unknown): p is { node: number; coords: [number, number, number] } {
  if (typeof p !== 'object' || p === null) return false;
  const v = p as Record<string, unknown>;
  return typeof v.node === 'number' && Number.isInteger(v.node) && v.node >= 0 && Array.isArray(v.coords) && v.coords.length === 3 && v.coords.every((x) => typeof x === 'number' && Number.isFinite(x));
}
