// The colour-map registry: the ParaView presets users know, under the names ParaView's UI shows.
// Most come from vtk.js's copy of ParaView's preset table; vtk.js lacks "Rainbow Uniform" (added to
// ParaView after vtk.js copied the table), so its control points are carried here.
import vtkColorMaps from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction/ColorMaps';

export interface ColorMapPreset {
  readonly Name: string;
  readonly ColorSpace?: string;
  readonly RGBPoints: number[];
  readonly NanColor?: number[];
}

// ParaView's "Rainbow Uniform" (Remoting/Views/ColorMaps.json): 43 equally spaced RGB points on
// [-1, 1], as ParaView writes them in a state trace after ApplyPreset('Rainbow Uniform').
const RAINBOW_UNIFORM_RGB: readonly (readonly [number, number, number])[] = [
  [0.02, 0.3813, 0.9981], [0.02000006, 0.424267768, 0.96906969], [0.02, 0.467233763, 0.940033043],
  [0.02, 0.5102, 0.911], [0.02000006, 0.546401494, 0.872669438], [0.02, 0.582600362, 0.83433295],
  [0.02, 0.6188, 0.796], [0.02000006, 0.652535156, 0.749802434], [0.02, 0.686267004, 0.703599538],
  [0.02, 0.72, 0.6574], [0.02000006, 0.757035456, 0.603735359], [0.02, 0.794067037, 0.55006613],
  [0.02, 0.8311, 0.4964], [0.021354336738172372, 0.8645368555261631, 0.4285579460761159],
  [0.023312914349117714, 0.897999359924484, 0.36073871343115577], [0.015976108242848862, 0.9310479513349017, 0.2925631815088092],
  [0.27421074700988196, 0.952562960995083, 0.15356836602739213], [0.4933546281681699, 0.9619038625309482, 0.11119493614749336],
  [0.6439, 0.9773, 0.0469], [0.762401813, 0.984669591, 0.034600153], [0.880901185, 0.992033407, 0.022299877],
  [0.9995285432627147, 0.9995193706781492, 0.0134884641450013], [0.999402998, 0.955036376, 0.079066628],
  [0.9994, 0.910666223, 0.148134024], [0.9994, 0.8663, 0.2172], [0.999269665, 0.818035981, 0.217200652],
  [0.999133332, 0.769766184, 0.2172], [0.999, 0.7215, 0.2172], [0.99913633, 0.673435546, 0.217200652],
  [0.999266668, 0.625366186, 0.2172], [0.9994, 0.5773, 0.2172], [0.999402998, 0.521068455, 0.217200652],
  [0.9994, 0.464832771, 0.2172], [0.9994, 0.4086, 0.2172], [0.9947599917687346, 0.33177297300202935, 0.2112309638520206],
  [0.9867129505479589, 0.2595183410914934, 0.19012239549291934], [0.9912458875646419, 0.14799417507952672, 0.21078892136920357],
  [0.949903037, 0.116867171, 0.252900603], [0.903199533, 0.078432949, 0.291800389], [0.8565, 0.04, 0.3307],
  [0.798902627, 0.04333345, 0.358434298], [0.741299424, 0.0466667, 0.386166944], [0.6837, 0.05, 0.4139],
];

const LOCAL: Readonly<Record<string, ColorMapPreset>> = {
  'Rainbow Uniform': {
    Name: 'Rainbow Uniform',
    ColorSpace: 'RGB',
    RGBPoints: RAINBOW_UNIFORM_RGB.flatMap((rgb, i) => [-1 + (2 * i) / (RAINBOW_UNIFORM_RGB.length - 1), ...rgb]),
  },
};

/** Our name → the preset's name in vtk.js's table (or in LOCAL). */
export const PRESETS = {
  'Cool to Warm': 'Cool to Warm',
  Viridis: 'Viridis (matplotlib)',
  Inferno: 'Inferno (matplotlib)',
  Jet: 'jet',
  'Rainbow Uniform': 'Rainbow Uniform',
  'Black-Body': 'Black-Body Radiation',
  'Rainbow Desaturated': 'Rainbow Desaturated',
  Grayscale: 'Grayscale',
} as const;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function isPresetName(v: unknown): v is PresetName {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(PRESETS, v);
}

/** The preset object for one of our names (vtk.js's, or ours where vtk.js has none). */
export function presetFor(name: PresetName): ColorMapPreset {
  const key = PRESETS[name];
  const p = LOCAL[key] ?? (vtkColorMaps.getPresetByName(key) as ColorMapPreset | undefined);
  if (!p || !p.RGBPoints) throw new Error(`no colour map preset '${key}'`);
  return p;
}
