// One answer to "which model, which card, 2D or 3D" for host, CLI, features and comparisons.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CellBlock, Mesh } from '../../../extension/core/mesh/types';
import { autoModelFor, isPlaneDeck, modelNameFor } from '../../../extension/core/model/modelChoice';
import { resolveModel, type ModelFiles, type ResolvedModel } from '../../../extension/core/runtime/resolveModel';

const MODELS = path.resolve(__dirname, '../../../models');
const REF_ONNX = path.resolve(__dirname, '../../../../shared/reference/flare_small.onnx');

function meshOf(...types: CellBlock['type'][]): Mesh {
  return { dimension: 3, points: new Float64Array(0), cells: types.map((type) => ({ type, connectivity: new Int32Array(0) })), pointData: [], cellData: [], nodeSets: {}, elementSets: {}, source: { file: 'm.inp', format: 'abaqus' } };
}

test('isPlaneDeck: no volume element makes a plane deck, any one makes it solid', () => {
  assert.equal(isPlaneDeck(meshOf('triangle6')), true);
  assert.equal(isPlaneDeck(meshOf('quad8', 'line')), true, 'beams beside plane elements stay plane');
  assert.equal(isPlaneDeck(meshOf('tetra10')), false);
  assert.equal(isPlaneDeck(meshOf('triangle', 'hexahedron')), false);
  assert.equal(autoModelFor(meshOf('triangle6')), 'plate2d-elasticity');
  assert.equal(autoModelFor(meshOf('tetra10')), 'bracket3d-elasticity');
  assert.equal(modelNameFor('auto', meshOf('quad')), 'plate2d-elasticity');
  assert.equal(modelNameFor('', meshOf('wedge')), 'bracket3d-elasticity');
  assert.equal(modelNameFor('my/model.onnx', meshOf('quad')), 'my/model.onnx');
});

/** Files in memory: name -> bytes. */
function memFiles(files: Record<string, Uint8Array | string>): ModelFiles<string> & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    builtin: (name) => `builtin/${name}.onnx`,
    file: (ref) => ref,
    withPath: (_at, p) => p,
    path: (at) => at,
    read: (at) => {
      reads.push(at);
      const f = files[at];
      if (f === undefined) return Promise.reject(new Error('ENOENT'));
      return Promise.resolve(typeof f === 'string' ? new TextEncoder().encode(f) : f);
    },
    key: (at) => at,
    label: (at) => at,
  };
}

test('card precedence: the embedded card wins; the .card.json beside the model only when there is none', async () => {
  const plate = new Uint8Array(fs.readFileSync(path.join(MODELS, 'plate2d-elasticity.onnx')));
  const card = JSON.parse(fs.readFileSync(path.join(MODELS, 'plate2d-elasticity.card.json'), 'utf8')) as { name: string };
  const other = JSON.stringify({ ...card, name: 'sidecar-card' });
  const files = memFiles({ 'builtin/plate2d-elasticity.onnx': plate, 'builtin/plate2d-elasticity.card.json': other });
  const r = await resolveModel(files, meshOf('triangle6'), { setting: 'auto', allowFiles: false });
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.model.name, 'plate2d-elasticity', 'embedded card');
  assert.equal(r.model.builtin, true);
  assert.deepEqual(files.reads, ['builtin/plate2d-elasticity.onnx'], 'the sidecar is not even read');

  const bare = new Uint8Array(fs.readFileSync(REF_ONNX));
  const withSidecar = memFiles({ 'w/m.onnx': bare, 'w/m.card.json': other });
  const s = await resolveModel(withSidecar, undefined, { setting: 'w/m.onnx', allowFiles: true });
  assert.ok(s.ok, s.ok ? '' : s.error);
  assert.equal(s.model.name, 'sidecar-card', 'no embedded card: the sidecar');
  assert.equal(s.model.builtin, false);

  const none = await resolveModel(memFiles({ 'w/m.onnx': bare }), undefined, { setting: 'w/m.onnx', allowFiles: true });
  assert.ok(none.ok && none.model.opened.card === undefined, 'no card at all: opened without one');
});

test('model files: refused where files may not run, unreadable ones say which', async () => {
  const files = memFiles({});
  const refused = await resolveModel(files, undefined, { setting: 'w/m.onnx', allowFiles: false });
  assert.ok(!refused.ok && /Restricted Mode/.test(refused.error));
  assert.deepEqual(files.reads, []);
  const missing = await resolveModel(files, undefined, { setting: 'w/m.onnx', allowFiles: true });
  assert.ok(!missing.ok && missing.code === 'no-model' && /cannot read model w\/m\.onnx: ENOENT/.test(missing.error));
});

test('opened models are cached by key', async () => {
  const plate = new Uint8Array(fs.readFileSync(path.join(MODELS, 'plate2d-elasticity.onnx')));
  const files = memFiles({ 'builtin/plate2d-elasticity.onnx': plate });
  const cache = new Map<string, ResolvedModel<string>>();
  const a = await resolveModel(files, meshOf('quad'), { setting: 'plate2d-elasticity', allowFiles: false }, cache);
  const b = await resolveModel(files, meshOf('quad'), { setting: 'plate2d-elasticity', allowFiles: false }, cache);
  assert.ok(a.ok && b.ok && a.model === b.model);
  assert.equal(files.reads.length, 1);
});
