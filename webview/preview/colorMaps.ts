// The colour-map registry: the ParaView presets users know, taken from vtk.js's copy of ParaView's
// preset table, under the names ParaView's UI shows.
import vtkColorMaps from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction/ColorMaps';

export const PRESETS = {
  'Cool to Warm': 'Cool to Warm',
  Viridis: 'Viridis (matplotlib)',
  Inferno: 'Inferno (matplotlib)',
  Jet: 'jet',
  'Black-Body': 'Black-Body Radiation',
  'Rainbow Desaturated': 'Rainbow Desaturated',
  Grayscale: 'Grayscale',
} as const;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(v: unknown): v is PresetName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, v);
}

export interface ColorMapPreset {
  readonly Name: string;
  readonly ColorSpace?: string;
  readonly RGBPoints: number[];
  readonly NanColor?: number[];
}

/** vtk.js's preset object for one of our names (always present: the names above are vtk.js's own). */
export function presetFor(name: PresetName): ColorMapPreset {
  const p = vtkColorMaps.getPresetByName(PRESETS[name]) as ColorMapPreset | undefined;
  if (!p || !p.RGBPoints) throw new Error(`vtk.js has no colour map preset '${PRESETS[name]}'`);
  return p;
}
