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
