// Opens mesh files of several formats in the FLARE preview custom editor inside real VS Code, has
// the webview render them (vtk.js, WebGL on SwiftShader), and saves what it drew under test/artifacts.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeVtk, writeVtu, type Mesh } from '../../../extension/core/mesh/index';
import { TWO_HEX_DECK, capturePreview, previewSuiteHooks, savePng, sleep, workspace } from './previewHelpers';

interface Capture {
  dataUrl: string;
  state: {
    fileName: string; status: string; statusIsError: boolean; firstColoredFrameMs?: number;
    coloring?: { title: string; range: [number, number] };
    fields: { name: string; components: number; association: string; source: string }[];
    pixels: { mesh: number; hot: number; cold: number };
    settings: { colorBy: string; component: string | number; preset: string; bands: number; representation: string };
    camera: { position: number[] };
    background: number[];
  };
}

/** A block of nx × ny × nz hexahedra on [0, 2] × [0, 1] × [0, 1] with T = 50 x and a bending-like U. */
function block(nx: number, ny: number, nz: number): Mesh {
  const px = nx + 1, py = ny + 1, pz = nz + 1, n = px * py * pz;
  const points = new Float64Array(n * 3);
  const T = new Float64Array(n), U = new Float64Array(n * 3);
  const id = (i: number, j: number, k: number) => (k * py + j) * px + i;
  for (let k = 0; k < pz; k++) for (let j = 0; j < py; j++) for (let i = 0; i < px; i++) {
    const p = id(i, j, k), x = (2 * i) / nx;
    points.set([x, j / ny, k / nz], p * 3);
    T[p] = 50 * x;
    U[p * 3 + 2] = -0.05 * x * x;
  }
  const conn: number[] = [];
  for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    conn.push(id(i, j, k), id(i + 1, j, k), id(i + 1, j + 1, k), id(i, j + 1, k), id(i, j, k + 1), id(i + 1, j, k + 1), id(i + 1, j + 1, k + 1), id(i, j + 1, k + 1));
  }
  const cells = nx * ny * nz;
  return {
    points, dimension: 3, cells: [{ type: 'hexahedron', connectivity: Int32Array.from(conn) }],
    pointData: [{ name: 'T', components: 1, values: T }, { name: 'U', components: 3, values: U }],
    cellData: [[{ name: 'material', components: 1, values: new Float64Array(cells).fill(1) }]], nodeSets: {}, elementSets: {}, source: { file: 'block', format: 'vtu' },
  };
}

const STL = `solid tet
facet normal 0 0 -1
 outer loop
  vertex 0 0 0
  vertex 0 1 0
  vertex 1 0 0
 endloop
endfacet
facet normal 0 -1 0
 outer loop
  vertex 0 0 0
  vertex 1 0 0
  vertex 0 0 1
 endloop
endfacet
facet normal -1 0 0
 outer loop
  vertex 0 0 0
  vertex 0 0 1
  vertex 0 1 0
 endloop
endfacet
facet normal 1 1 1
 outer loop
  vertex 1 0 0
  vertex 0 1 0
  vertex 0 0 1
 endloop
endfacet
endsolid tet
`;

const MSH = `$MeshFormat
2.2 0 8
$EndMeshFormat
$Nodes
5
1 0 0 0
2 1 0 0
3 0 1 0
4 0 0 1
5 1 1 1
$EndNodes
$Elements
2
1 4 2 1 1 1 2 3 4
2 4 2 1 1 2 3 4 5
$EndElements
`;

async function openAndCapture(file: string, bytes: Uint8Array | string): Promise<{ uri: vscode.Uri; capture: Capture }> {
  const uri = vscode.Uri.file(path.join(workspace, 'preview-fixtures', file));
  await vscode.workspace.fs.writeFile(uri, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'flare.meshPreview');
  const capture = await capturePreview<Capture>();
  savePng(`preview-${file.replace(/\./g, '-')}.png`, capture.dataUrl);
  return { uri, capture };
}

describe('FLARE mesh preview (custom editor in real VS Code)', function () {
  this.timeout(120_000);
  previewSuiteHooks();

  it('renders a .vtu with its point data coloured (hot at max T, cold at min T)', async () => {
    const { capture } = await openAndCapture('block.vtu', writeVtu(block(8, 4, 4)));
    const s = capture.state;
    assert.equal(s.statusIsError, false, s.status);
    assert.match(s.status, /225 nodes · 128 cells/);
    assert.deepEqual(s.fields.map((f) => `${f.name}/${f.components}/${f.association}`), ['T/1/point', 'U/3/point', 'material/1/cell']);
    assert.equal(s.coloring?.title, 'T');
    assert.ok(s.pixels.mesh > 0.1, `mesh covers the view: ${s.pixels.mesh}`);
    assert.ok(s.pixels.hot > 0.01 && s.pixels.cold > 0.01, `both ends of Cool to Warm are visible: ${JSON.stringify(s.pixels)}`);
    assert.ok(s.pixels.mesh < 0.95, 'background around the mesh');
    assert.ok((s.firstColoredFrameMs ?? Infinity) < 30_000);
  });

  it('shows a predicted stress field sent by the host (von Mises of 6 components)', async () => {
    const mesh = block(4, 2, 2);
    const { uri } = await openAndCapture('predicted.vtk', writeVtk(mesh));
    const n = mesh.points.length / 3;
    const S = new Float32Array(n * 6);
    for (let i = 0; i < n; i++) S[i * 6] = 100 * mesh.points[i * 3]; // uniaxial σxx = 100 x
    const delivered = await vscode.commands.executeCommand('flare.preview.showFields', uri, { name: 'S', components: 6, values: S, unit: 'MPa', source: 'prediction', show: true });
    assert.equal(delivered, 1);
    const capture = await capturePreview<Capture>();
    savePng('preview-prediction-vonmises.png', capture.dataUrl);
    assert.equal(capture.state.coloring?.title, 'S von Mises [MPa]');
    assert.deepEqual(capture.state.coloring?.range, [0, 200]);
    assert.ok(capture.state.pixels.hot > 0.005, JSON.stringify(capture.state.pixels));
  });

  for (const [file, text, nodes] of [['bracket.inp', TWO_HEX_DECK, 12], ['tet.stl', STL, 4], ['tets.msh', MSH, 5]] as const) {
    it(`opens ${path.extname(file)} and draws its surface`, async () => {
      const { capture } = await openAndCapture(file, text);
      const s = capture.state;
      assert.equal(s.statusIsError, false, s.status);
      assert.match(s.status, new RegExp(`${nodes} nodes`));
      assert.ok(s.pixels.mesh > 0.02, `surface drawn: ${s.pixels.mesh}`);
    });
  }

  it('applies view settings, follows the colour theme, and keeps its view across a webview reload', async () => {
    await openAndCapture('view.vtu', writeVtu(block(8, 4, 4)));
    assert.equal(await vscode.commands.executeCommand('flare.preview.setView', { colorBy: 'U', component: 2, preset: 'Viridis', bands: 8, representation: 'surfaceWithEdges' }), true);
    const set = await capturePreview<Capture>();
    savePng('preview-settings-viridis-bands-edges.png', set.dataUrl);
    assert.equal(set.state.coloring?.title, 'U Z');
    assert.deepEqual([set.state.settings.preset, set.state.settings.bands, set.state.settings.representation], ['Viridis', 8, 'surfaceWithEdges']);
    const workbench = vscode.workspace.getConfiguration('workbench');
    const theme = workbench.get<string>('colorTheme');
    try {
      await workbench.update('colorTheme', 'Default High Contrast', vscode.ConfigurationTarget.Global);
      await sleep(2000);
      const hc = await capturePreview<Capture>();
      savePng('preview-high-contrast.png', hc.dataUrl);
      assert.deepEqual(hc.state.background.map((v) => Math.round(v * 255)), [0, 0, 0], 'high contrast editor background is black');
      assert.notDeepEqual(hc.state.background, set.state.background);
    } finally {
      await workbench.update('colorTheme', theme, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const again = await capturePreview<Capture>();
    savePng('preview-after-reload.png', again.dataUrl);
    assert.deepEqual(again.state.settings, set.state.settings, 'settings restored from setState');
    assert.deepEqual(again.state.camera.position.map((v) => v.toFixed(6)), set.state.camera.position.map((v) => v.toFixed(6)), 'camera restored');
    assert.equal(again.state.coloring?.title, 'U Z');
  });

  it('redraws when the file changes on disk, keeping the view', async () => {
    const { uri, capture } = await openAndCapture('changing.vtu', writeVtu(block(8, 4, 4)));
    assert.match(capture.state.status, /225 nodes/);
    await vscode.workspace.fs.writeFile(uri, writeVtu(block(4, 2, 2)));
    let last = capture;
    for (let i = 0; i < 40 && !/45 nodes/.test(last.state.status); i++) {
      await sleep(500);
      last = await capturePreview<Capture>();
    }
    savePng('preview-after-file-change.png', last.dataUrl);
    assert.match(last.state.status, /45 nodes · 16 cells/);
    assert.equal(last.state.coloring?.title, 'T', 'still coloured by T');
    assert.deepEqual(last.state.camera.position, capture.state.camera.position, 'camera kept');
  });

  it('reports a broken file in the view instead of failing', async () => {
    const { capture } = await openAndCapture('broken.vtu', '<VTKFile type="UnstructuredGrid"><Piece NumberOfPoints="x"');
    assert.equal(capture.state.statusIsError, true);
    assert.match(capture.state.status, /Cannot show this file/);
  });

  it('a preview refused by flare.limits.maxPoints draws the file once the limit is raised', async () => {
    const cfg = vscode.workspace.getConfiguration('flare');
    await cfg.update('limits.maxPoints', 10, vscode.ConfigurationTarget.Workspace);
    try {
      const { capture } = await openAndCapture('limited.vtu', writeVtu(block(4, 2, 2)));
      assert.equal(capture.state.statusIsError, true, capture.state.status);
      assert.match(capture.state.status, /maxPoints|points/);
      await cfg.update('limits.maxPoints', 1000, vscode.ConfigurationTarget.Workspace);
      let last = capture;
      for (let i = 0; i < 40 && !/45 nodes/.test(last.state.status); i++) {
        await sleep(500);
        last = await capturePreview<Capture>();
      }
      assert.equal(last.state.statusIsError, false, last.state.status);
      assert.match(last.state.status, /45 nodes · 16 cells/);
    } finally {
      await cfg.update('limits.maxPoints', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
