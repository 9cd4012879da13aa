// Colouring of the surface by a field: the scalar per surface point or triangle (component, von
// Mises, magnitude), the colour range, the compare modes (difference, side by side) with their
// error statistics, and the vtk.js lookup tables and scalar arrays that draw it.
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import { compareStats, difference, finiteRange, scalarize, componentLabel, type ComponentMode, type ErrorStats } from './fieldMath';
import { presetFor } from './colorMaps';
import type { FieldArray, SurfaceData, ViewSettings } from './viewTypes';
import type { ColorTF, Mapper, Pipeline, PolyData } from './scene';

/** What the surface shows for the current settings. */
export interface ColoringPlan {
  readonly field: FieldArray;
  readonly title: string;
  /** The legend's two lines: the field name, then component and unit. */
  readonly name: string;
  readonly subtitle: string;
  readonly range: [number, number];
  /** Scalars of the primary surface. */
  readonly values: Float32Array;
  /** Scalars of the reference surface when side by side. */
  readonly reference?: Float32Array;
  readonly stats?: ErrorStats;
}

/** The component a field can show for the setting `m` (falls back to the magnitude). */
export function validMode(field: FieldArray, m: ComponentMode): ComponentMode {
  if (field.components === 1) return 0;
  if (m === 'vonMises' && field.components !== 6) return 'magnitude';
  if (typeof m === 'number' && m >= field.components) return 'magnitude';
  return m;
}

export class Coloring {
  /** Data range per field and component, over all tuples (not only the surface). */
  private readonly rangeCache = new Map<string, [number, number]>();

  clearRanges(fieldName?: string): void {
    if (fieldName === undefined) this.rangeCache.clear();
    else for (const k of [...this.rangeCache.keys()]) if (k.startsWith(`${fieldName}\u0000`)) this.rangeCache.delete(k);
  }

  /** Whether the settings compare `colorBy` with a field that can be paired with it. */
  static comparing(st: ViewSettings, fields: ReadonlyMap<string, FieldArray>): boolean {
    const field = st.colorBy ? fields.get(st.colorBy) : undefined;
    const ref = st.compare !== 'off' && st.compareWith ? fields.get(st.compareWith) : undefined;
    // Two solver-side arrays (a result and the Compare command's error array) are no prediction error:
    // colouring by the error array must not report the error of the error against the result.
    if (field?.source === 'reference' && ref?.source === 'reference') return false;
    return field !== undefined && ref !== undefined && ref.association === field.association && ref.components === field.components;
  }

  /** Scalars of `field` (component per settings) on the surface: per surface point or per triangle. */
  private surfaceScalars(field: FieldArray, s: SurfaceData, m: ComponentMode): Float32Array {
    return scalarize(field.values, field.components, validMode(field, m), field.association === 'point' ? s.nodeMap : s.triangleCell);
  }

  private dataRange(field: FieldArray, m: ComponentMode): [number, number] {
    const mode = validMode(field, m);
    const key = `${field.name}\u0000${String(mode)}`;
    let r = this.rangeCache.get(key);
    if (!r) {
      r = finiteRange(scalarize(field.values, field.components, mode));
      this.rangeCache.set(key, r);
    }
    return r;
  }

  /** What to draw for `st`, or undefined for the solid colour. */
  plan(st: ViewSettings, fields: ReadonlyMap<string, FieldArray>, surface: SurfaceData | undefined): ColoringPlan | undefined {
    const field = st.colorBy ? fields.get(st.colorBy) : undefined;
    if (!field || !surface) return undefined;
    const ref = Coloring.comparing(st, fields) ? fields.get(st.compareWith) : undefined;
    const mode = validMode(field, st.component);
    const label = componentLabel(mode, field.components);
    let values = this.surfaceScalars(field, surface, st.component);
    let title = `${field.name}${label ? ` ${label}` : ''}${field.unit ? ` [${field.unit}]` : ''}`;
    let name = field.name;
    const subtitle = `${label}${label && field.unit ? ' ' : ''}${field.unit ? `[${field.unit}]` : ''}`;
    let range = this.dataRange(field, st.component);
    let stats: ErrorStats | undefined;
    let reference: Float32Array | undefined;
    if (ref) {
      const refValues = this.surfaceScalars(ref, surface, st.component);
      stats = compareStats(field.values, ref.values, field.components, mode);
      if (st.compare === 'difference') {
        values = difference(values, refValues);
        const m = stats.maxAbs || 1e-12;
        range = [-m, m];
        title = `${field.name} − ${ref.name}${label ? ` ${label}` : ''}${field.unit ? ` [${field.unit}]` : ''}`;
        name = `${field.name} − ${ref.name}`;
      } else {
        const rr = this.dataRange(ref, st.component);
        range = [Math.min(range[0], rr[0]), Math.max(range[1], rr[1])];
        reference = refValues;
      }
    }
    // Signed fields (and differences) centre the (diverging) map on 0: equal positive and negative
    // values get equally strong colours, and 0 is the map's neutral middle.
    if (range[0] < 0 && range[1] > 0) {
      const m = Math.max(-range[0], range[1]);
      range = [-m, m];
    }
    if (st.lockRange && st.range[1] > st.range[0]) range = [st.range[0], st.range[1]];
    return { field, title, name, subtitle, range, values, ...(reference ? { reference } : {}), ...(stats ? { stats } : {}) };
  }
}

/** Sets the colour map, range and bands of each pipeline's lookup table. */
export function applyLookupTables(pipelines: readonly Pipeline[], st: ViewSettings, range: readonly [number, number]): void {
  const preset = presetFor(st.preset);
  for (const p of pipelines) {
    p.lut.applyColorMap(preset);
    p.lut.setMappingRange(range[0], range[1]);
    p.lut.set({ discretize: st.bands > 0, numberOfValues: Math.max(1, st.bands) }, true);
    p.lut.updateRange();
  }
}

/** 256 RGB bytes of the table over `range`, low to high (for the scalar bar). */
export function colorTable(lut: ColorTF, range: readonly [number, number]): Uint8Array {
  return lut.getUint8Table(range[0], range[1], 256, false) as unknown as Uint8Array;
}

export function setScalars(poly: PolyData, mapper: Mapper, values: Float32Array, association: 'point' | 'cell'): void {
  const arr = vtkDataArray.newInstance({ name: 'flare:scalars', values, numberOfComponents: 1 });
  // vtk.js clears the active scalars with null; its typings only admit an array.
  type SetScalars = (a: typeof arr | null) => boolean;
  (poly.getPointData().setScalars as SetScalars)(association === 'point' ? arr : null);
  (poly.getCellData().setScalars as SetScalars)(association === 'cell' ? arr : null);
  if (association === 'point') mapper.setScalarModeToUsePointData();
  else mapper.setScalarModeToUseCellData();
  mapper.setScalarVisibility(true);
  poly.modified();
}
