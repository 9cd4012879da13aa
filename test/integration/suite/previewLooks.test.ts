// Screenshot checks of the preview in real VS Code (code-server + Chromium): the PNG the preview
// captures is decoded here and regions are looked at (never whole-image equality): the scalar bar's
// title and unit lines hold text, the triad's three axis colours are in the bottom-left corner, and
// the hot-spot legend lists the top nodes. Screenshots are kept under test/artifacts/.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { decodePng, share } from '../../ui/png.mjs';
import { capturePreview, previewSuiteHooks, savePng, sleep, writeFixture } from './previewHelpers';

interface Capture {
  dataUrl: string;
  state: {
    coloring?: { title: string; range: [number, number] };
    background: number[];
    devicePixelRatio: number;
    hotSpots: { node: number; nodeId: number; value: number }[];
    settings: { parallel: boolean };
  };
}

/** A bracket-like L of hexahedra: 6 × 1 × 1 arm on a 1 × 1 × 4 post, unit cubes (solid, not flat). */
const DECK = (() => {
  const nodes: string[] = [];
  const id = (i: number, j: number, k: number) => 1 + i + 7 * (j + 2 * k);
  for (let k = 0; k <= 4; k++) for (let j = 0; j <= 1; j++) for (let i = 0; i <= 6; i++) nodes.push(`${id(i, j, k)}, ${i}, ${j}, ${k}`);
  const els: string[] = [];
  let e = 1;
  const hex = (i: number, j: number, k: number) => els.push(`${e++}, ${id(i, j, k)}, ${id(i + 1, j, k)}, ${id(i + 1, j + 1, k)}, ${id(i, j + 1, k)}, ${id(i, j, k + 1)}, ${id(i + 1, j, k + 1)}, ${id(i + 1, j + 1, k + 1)}, ${id(i, j + 1, k + 1)}`);
  for (let k = 0; k < 4; k++) hex(0, 0, k);
  for (let i = 1; i < 6; i++) hex(i, 0, 3);
  return `*HEADING\nL bracket\n*NODE\n${nodes.join('\n')}\n*ELEMENT, TYPE=C3D8, ELSET=ALL\n${els.join('\n')}\n*MATERIAL, NAME=STEEL\n*ELASTIC\n210000, 0.3\n*SOLID SECTION, ELSET=ALL, MATERIAL=STEEL\n`;
})();

describe('FLARE preview screenshots (looked at, region by region)', function () {
  this.timeout(120_000);
  previewSuiteHooks();

  it('a predicted bracket shows a scalar bar with title and unit, a triad and the hot-spot legend', async () => {
    const uri = writeFixture('preview-looks', 'bracket.inp', DECK);
    await vscode.commands.executeCommand('vscode.openWith', uri, 'flare.meshPreview');
    await capturePreview<Capture>();
    const n = 7 * 2 * 5;
    // von Mises growing towards the root of the arm (x = 0, z = 4), like a bending bracket.
    const vm = new Float32Array(n);
    for (let k = 0; k <= 4; k++) for (let j = 0; j <= 1; j++) for (let i = 0; i <= 6; i++) vm[i + 7 * (j + 2 * k)] = 40 + 30 * k + 20 * (6 - i);
    assert.equal(await vscode.commands.executeCommand('flare.preview.showFields', uri, { name: 'von_mises (predicted)', components: 1, values: vm, unit: 'MPa', source: 'prediction', show: true }), 1);
    await sleep(500);
    const cap = await capturePreview<Capture>();
    const png = savePng('preview-bracket-predicted.png', cap.dataUrl);
    assert.equal(cap.state.coloring?.title, 'von_mises (predicted) [MPa]');
    assert.equal(cap.state.settings.parallel, false, 'a solid opens in perspective (isometric)');
    const img = decodePng(png);
    const s = cap.state.devicePixelRatio;
    const bg = cap.state.background.map((v) => Math.round(v * 255));
    const text = (r: number, g: number, b: number) => Math.abs(r - bg[0]) + Math.abs(g - bg[1]) + Math.abs(b - bg[2]) > 150 && Math.abs(r - g) < 40 && Math.abs(g - b) < 40;
    // Scalar bar layout (scalarBar.ts / meshView.ts): 132 px wide, 8 px from the right, top at 15 %.
    const x0 = img.width - (132 + 8) * s, y0 = img.height * 0.15, font = 12 * s;
    const title = share(img, x0, y0, x0 + 132 * s, y0 + font * 1.2, text);
    // The name may wrap onto a second line; the unit line ([MPa]) follows it.
    const unit = share(img, x0, y0 + font * 1.3, x0 + 132 * s, y0 + font * 3.8, text);
    const gap = share(img, x0, y0 - font * 2, x0 + 132 * s, y0 - font * 0.5, text);
    assert.ok(title > 0.04, `the title line has text: ${title}`);
    assert.ok(unit > 0.02, `the unit line ([MPa]) has text: ${unit}`);
    assert.ok(gap < 0.01, `above the title is empty: ${gap}`);
    // Ticks: labels right of the colour strip along the bar.
    const ticks = share(img, x0 + 26 * s, y0 + font * 4.5, x0 + 132 * s, img.height * 0.85, text);
    assert.ok(ticks > 0.004, `tick labels: ${ticks}`);
    // Triad around (46, h − 46): ParaView's red X, yellow Y and green Z.
    const tx = 46 * s, ty = img.height - 46 * s, R = 42 * s;
    const red = share(img, tx - R, ty - R, tx + R, ty + R, (r, g, b) => r > 180 && g < 110 && b < 110);
    const yellow = share(img, tx - R, ty - R, tx + R, ty + R, (r, g, b) => r > 180 && g > 160 && b < 110);
    const green = share(img, tx - R, ty - R, tx + R, ty + R, (r, g, b) => g > 140 && r < 120 && b < 120);
    for (const [k, v] of [['X red', red], ['Y yellow', yellow], ['Z green', green]] as const) assert.ok(v > 0.003, `triad ${k}: ${v}`);
    // Hot spots: the top nodes of the field, highest first; the highest is x = 0, z = 4 (node 57 or 64).
    assert.equal(cap.state.hotSpots.length, 5);
    assert.equal(cap.state.hotSpots[0].value, 40 + 120 + 120);
    assert.ok([57, 64].includes(cap.state.hotSpots[0].nodeId), JSON.stringify(cap.state.hotSpots[0]));
    for (let i = 1; i < 5; i++) assert.ok(cap.state.hotSpots[i].value <= cap.state.hotSpots[i - 1].value);
  });
});
