// What the preview tests (preview, previewState, previewLooks) share: where files and screenshots
// go, a two-hexahedron deck, the capture command and the suite's hooks. Not a test file itself:
// index.ts loads only *.test.js.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const workspace = process.env.FLARE_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
export const artifacts = process.env.FLARE_TEST_ARTIFACTS ?? path.join(workspace, 'artifacts');

/** Two C3D8 hexahedra side by side, steel, node 1 fixed, a load at node 12. */
export const TWO_HEX_DECK = `*HEADING
two hexahedra
*NODE
1, 0, 0, 0
2, 1, 0, 0
3, 2, 0, 0
4, 0, 1, 0
5, 1, 1, 0
6, 2, 1, 0
7, 0, 0, 1
8, 1, 0, 1
9, 2, 0, 1
10, 0, 1, 1
11, 1, 1, 1
12, 2, 1, 1
*ELEMENT, TYPE=C3D8, ELSET=ALL
1, 1, 2, 5, 4, 7, 8, 11, 10
2, 2, 3, 6, 5, 8, 9, 12, 11
*MATERIAL, NAME=STEEL
*ELASTIC
210000, 0.3
*SOLID SECTION, ELSET=ALL, MATERIAL=STEEL
*STEP
*STATIC
*BOUNDARY
1, 1, 3
*CLOAD
12, 3, -100
*END STEP
`;

/** Writes `text` to <workspace>/<folder>/<name> (creating the folder) and returns its URI. */
/**
 * A rectangular steel plate of (2·nx+1)·(2·ny+1) nodes in CPS6 triangles, clamped at x = 0 and pulled
 * at x = max: a plate2d deck of any size, for tests that need a prediction to take a while.
 */
export function structuredPlateDeck(nx: number, ny: number, width = 80, height = 40): string {
  const cols = 2 * nx + 1, rows = 2 * ny + 1;
  const id = (i: number, j: number): number => j * cols + i + 1;
  const out = ['*HEADING', `structured plate ${cols}x${rows} nodes`, '*NODE, NSET=NALL'];
  for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) out.push(`${id(i, j)}, ${(width * i) / (cols - 1)}, ${(height * j) / (rows - 1)}, 0`);
  out.push('*ELEMENT, TYPE=CPS6, ELSET=PART');
  let e = 0;
  for (let j = 0; j < rows - 1; j += 2) {
    for (let i = 0; i < cols - 1; i += 2) {
      // Corners a b c d (counter-clockwise from lower left), split along a–c; mid-side nodes follow the corners.
      const [a, b, c, d] = [id(i, j), id(i + 2, j), id(i + 2, j + 2), id(i, j + 2)];
      out.push(`${++e}, ${a}, ${b}, ${c}, ${id(i + 1, j)}, ${id(i + 2, j + 1)}, ${id(i + 1, j + 1)}`);
      out.push(`${++e}, ${a}, ${c}, ${d}, ${id(i + 1, j + 1)}, ${id(i + 1, j + 2)}, ${id(i, j + 1)}`);
    }
  }
  const edge = (i: number): number[] => Array.from({ length: rows }, (_, j) => id(i, j));
  out.push('*NSET, NSET=FIX', ...chunk(edge(0)), '*NSET, NSET=LOAD', ...chunk(edge(cols - 1)));
  out.push('*MATERIAL, NAME=MAT', '*ELASTIC', '210000, 0.3', '*SOLID SECTION, ELSET=PART, MATERIAL=MAT', '1');
  out.push('*STEP', '*STATIC', '*BOUNDARY', 'FIX, 1, 2', '*CLOAD', `LOAD, 1, ${(4000 / rows).toFixed(4)}`, '*NODE FILE', 'U', '*EL FILE', 'S', '*END STEP', '');
  return out.join('\n');
}

function chunk(ids: number[]): string[] {
  const lines: string[] = [];
  for (let k = 0; k < ids.length; k += 16) lines.push(ids.slice(k, k + 16).join(', '));
  return lines;
}

export function writeFixture(folder: string, name: string, text: string): vscode.Uri {
  const dir = path.join(workspace, folder);
  fs.mkdirSync(dir, { recursive: true });
  const uri = vscode.Uri.file(path.join(dir, name));
  fs.writeFileSync(uri.fsPath, text);
  return uri;
}

/** Writes a capture's PNG data URL under the artifacts folder; returns the PNG bytes. */
export function savePng(name: string, dataUrl: string): Buffer {
  assert.ok(dataUrl.startsWith('data:image/png;base64,'), 'a PNG data URL');
  const png = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  fs.mkdirSync(artifacts, { recursive: true });
  fs.writeFileSync(path.join(artifacts, name), png);
  return png;
}

/** The active preview's picture and state, once it has drawn (each test declares the state it reads). */
export async function capturePreview<T>(): Promise<T> {
  return (await vscode.commands.executeCommand('flare.preview.capture', 60_000)) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Inside a describe: activate the extension first, close every editor after each test. */
export function previewSuiteHooks(): void {
  before(async () => {
    await vscode.extensions.getExtension('flare-sim.flare-vscode')?.activate();
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
}
