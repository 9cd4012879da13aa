import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writer } from 'protobufjs/minimal';
import { CARD_METADATA_KEY, parseCard, validateCard } from '../../../extension/core/model/card';
import { readOnnxInfo } from '../../../extension/core/model/onnxInfo';
import { openModel } from '../../../extension/core/runtime/model';

const TEMPLATE = path.resolve(__dirname, '../../../models/card_template.json');
const REF_ONNX = path.resolve(__dirname, '../../../../shared/reference/flare_small.onnx');

function template(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(TEMPLATE, 'utf8')) as Record<string, unknown>;
}

/** Appends a metadata_props entry (ModelProto field 14) to serialized ONNX bytes: protobuf merges appended fields. */
function withMetadata(onnx: Uint8Array, key: string, value: string): Uint8Array {
  const entry = Writer.create().uint32((1 << 3) | 2).string(key).uint32((2 << 3) | 2).string(value).finish();
  const field = Writer.create().uint32((14 << 3) | 2).bytes(entry).finish();
  const out = new Uint8Array(onnx.length + field.length);
  out.set(onnx);
  out.set(field, onnx.length);
  return out;
}

test('the card template validates and is typed', () => {
  const r = validateCard(template());
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  assert.equal(r.card.format, 'flare-card/1');
  assert.equal(r.card.featureColumns.length, 10);
  assert.deepEqual(r.card.inputs.map((i) => i.name), ['x', 'load_dir', 'scale']);
  assert.deepEqual(r.card.outputs.map((o) => [o.name, o.unit]), [['von_mises', 'MPa'], ['displacement', 'mm'], ['stress', 'MPa']]);
  assert.deepEqual(r.card.outputs.find((o) => o.name === 'stress')?.components, ['SXX', 'SYY', 'SZZ', 'SXY', 'SYZ', 'SZX']);
});

test('output components must be names matching the last dimension', () => {
  const errs = (j: unknown): string => { const r = validateCard(j); return r.ok ? '' : r.errors.map((e) => `${e.path}: ${e.message}`).join('\n'); };
  const t = template();
  const outs = t.outputs as Record<string, Record<string, unknown>>;
  outs.stress.components = ['SXX', 'SYY'];
  assert.match(errs(t), /outputs\.stress\.components: 2 names for a last dimension of 6/);
  outs.stress.components = 'SXX';
  assert.match(errs(t), /outputs\.stress\.components: expected an array of component names/);
});

test('invalid cards give errors naming the field', () => {
  const paths = (j: unknown): string[] => { const r = validateCard(j); return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`); };
  const t1 = template();
  delete (t1.features as Record<string, unknown>).columns;
  assert.match(paths(t1).join('\n'), /^features\.columns: missing/m);
  const t2 = template();
  (t2.physics as Record<string, unknown>).dimension = 4;
  assert.match(paths(t2).join('\n'), /^physics\.dimension: expected 2 or 3, got 4/m);
  const t3 = template();
  ((t3.inputs as Record<string, Record<string, unknown>>).x).shape = ['B', 'N', 9];
  assert.match(paths(t3).join('\n'), /inputs\.x\.shape: last dimension 9 does not match the 10 feature columns/);
  const t4 = template();
  t4.training_envelope = { L: [10, 1], features: { x_n: [-0.5, 0.5] } };
  assert.match(paths(t4).join('\n'), /training_envelope\.L: expected \[min, max\]/);
  const t5 = template();
  t5.format = 'other/2';
  t5.architecture = { heads: -1 };
  const p5 = paths(t5).join('\n');
  assert.match(p5, /format: unsupported card format 'other\/2'/);
  assert.match(p5, /architecture\.heads: expected a positive integer/);
  const bad = parseCard('{ nope', 'x.card.json');
  assert.equal(bad.ok, false);
  assert.match(!bad.ok ? bad.errors[0].message : '', /x\.card\.json: not valid JSON/);
  assert.match(paths([]).join(''), /\$: expected an object/);
});

test('ONNX header: inputs, outputs, opset, and a card embedded in metadata_props', () => {
  const onnx = fs.readFileSync(REF_ONNX);
  const plain = readOnnxInfo(onnx);
  assert.ok(plain.ok);
  assert.equal(plain.info.opset, 17);
  assert.deepEqual(plain.info.inputs.map((i) => [i.name, i.dims]), [['x', [1, 'N', 3]]]);
  assert.deepEqual(plain.info.outputs.map((i) => [i.name, i.dims]), [['y', [1, 'N', 4]]]);
  assert.ok(plain.info.opTypes.includes('Softmax'));
  assert.deepEqual(plain.info.metadata, {});

  const card = template();
  card.name = 'embedded-test';
  card.architecture = { heads: 4, latents: 32, C: 64 };
  const withCard = withMetadata(onnx, CARD_METADATA_KEY, JSON.stringify(card));
  const m = openModel(withCard, 'k');
  assert.ok(m.ok);
  assert.equal(m.model.card?.name, 'embedded-test');
  assert.deepEqual(m.model.handle.attention, { heads: 4, latents: 32, channels: 64 }, 'the card wins over the graph');

  const broken = openModel(withMetadata(onnx, CARD_METADATA_KEY, '{"format":"flare-card/1"}'), 'k2');
  assert.ok(broken.ok);
  assert.equal(broken.model.card, undefined);
  assert.match(broken.model.cardProblem ?? '', /model card invalid: name: missing/);

  const junk = readOnnxInfo(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
  assert.equal(junk.ok, false);
  assert.equal(openModel(new TextEncoder().encode('hello'), 'x').ok, false);
});
