import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import { PRESET_NAMES, isPresetName, presetFor, type PresetName } from '../../../webview/preview/colorMaps';

type RGB = readonly [number, number, number];

/** Colour of a preset at t ∈ [0, 1] of the mapped range, as the preview's lookup table computes it. */
function colorAt(name: PresetName, t: number): RGB {
  const lut = vtkColorTransferFunction.newInstance();
  lut.applyColorMap(presetFor(name));
  lut.setMappingRange(0, 1);
  lut.updateRange();
  const out: number[] = [0, 0, 0];
  lut.getColor(t, out);
  return [out[0], out[1], out[2]];
}

function near(actual: RGB, expected: RGB, tol: number, what: string): void {
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}: got [${actual.map((v) => v.toFixed(4)).join(', ')}], ParaView has [${expected.join(', ')}]`);
  }
}

// Published control points (interpolation in the Diverging (Msh) space round-trips a control point to within 1e-3): ParaView's Remoting/Views/ColorMaps.json (Cool to Warm, Black-Body
// Radiation, jet, Rainbow Uniform) and matplotlib's viridis table (_viridis_data[0], [127..128], [255]).
const PUBLISHED: Record<'Cool to Warm' | 'Viridis' | 'Jet' | 'Rainbow Uniform' | 'Black-Body', { lo: RGB; mid: RGB; hi: RGB; tol: number }> = {
  'Cool to Warm': { lo: [0.23137254902, 0.298039215686, 0.752941176471], mid: [0.865, 0.865, 0.865], hi: [0.705882352941, 0.0156862745098, 0.149019607843], tol: 1e-3 },
  Viridis: { lo: [0.267004, 0.004874, 0.329415], mid: [0.128149, 0.565107, 0.550893], hi: [0.993248, 0.906157, 0.143936], tol: 5e-3 },
  // jet: 7 points on [-1, 1]; the middle of the range lies between (-0.015873: 0.5, 1, 0.5) and (0.238095: 1, 1, 0).
  Jet: { lo: [0, 0, 0.5625], mid: [0.5 + 0.5 * (0.015873 / 0.253968), 1, 0.5 - 0.5 * (0.015873 / 0.253968)], hi: [0.5, 0, 0], tol: 1e-4 },
  'Rainbow Uniform': { lo: [0.02, 0.3813, 0.9981], mid: [0.9995285432627147, 0.9995193706781492, 0.0134884641450013], hi: [0.6837, 0.05, 0.4139], tol: 1e-6 },
  // Black-Body: (0.4: 0.902, 0, 0) → (0.8: 0.902, 0.902, 0); 0.5 is a quarter of the way.
  'Black-Body': { lo: [0, 0, 0], mid: [0.901960784314, 0.901960784314 / 4, 0], hi: [1, 1, 1], tol: 1e-6 },
};

test("ParaView's presets exist by name and every listed preset resolves", () => {
  for (const n of Object.keys(PUBLISHED)) assert.ok(isPresetName(n), `${n} is offered`);
  for (const n of PRESET_NAMES) {
    const p = presetFor(n);
    assert.ok(p.RGBPoints.length >= 8 && p.RGBPoints.length % 4 === 0, `${n} has RGB points`);
  }
  assert.equal(isPresetName('Rainbow Uniform (vtk.js)'), false);
});

for (const [name, ref] of Object.entries(PUBLISHED)) {
  test(`${name}: endpoints and midpoint match the published values`, () => {
    assert.ok(isPresetName(name));
    near(colorAt(name, 0), ref.lo, ref.tol, `${name} at 0`);
    near(colorAt(name, 0.5), ref.mid, ref.tol, `${name} at 0.5`);
    near(colorAt(name, 1), ref.hi, ref.tol, `${name} at 1`);
  });
}

test('Rainbow Uniform: 43 equally spaced RGB points from -1 to 1, all colours in [0, 1]', () => {
  const p = presetFor('Rainbow Uniform');
  assert.equal(p.ColorSpace, 'RGB');
  assert.equal(p.RGBPoints.length, 43 * 4);
  for (let i = 0; i < 43; i++) {
    assert.ok(Math.abs(p.RGBPoints[4 * i] - (-1 + (2 * i) / 42)) < 1e-12);
    for (let c = 1; c <= 3; c++) assert.ok(p.RGBPoints[4 * i + c] >= 0 && p.RGBPoints[4 * i + c] <= 1);
  }
});
