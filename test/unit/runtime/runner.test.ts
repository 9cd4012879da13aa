// The in-process runner says what it is and which back end of its runtime really ran.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createNodeRuntime } from '../../../extension/core/runtime/node';
import { openModel } from '../../../extension/core/runtime/model';
import { readNpy, toFloat32 } from '../../../extension/core/runtime/npy';
import { InProcessRunner } from '../../../extension/core/runtime/runner';

const REF = path.resolve(__dirname, '../../../../shared/reference');

test('in-process runner: reports the back end that ran, the same outputs as the runtime, and refusals as values', async () => {
  const rt = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
  try {
    const o = openModel(new Uint8Array(fs.readFileSync(path.join(REF, 'flare_small.onnx'))), 'flare_small');
    assert.ok(o.ok);
    const x = readNpy(fs.readFileSync(path.join(REF, 'x.npy')));
    assert.ok(x.ok);
    const inputs = { x: { data: toFloat32(x.array), dims: x.array.shape } };
    const runner = new InProcessRunner(rt, 'auto', 'the test process');
    assert.equal(runner.kind, 'in-process');
    assert.equal(runner.description, 'the test process');
    const r = await runner.run(o.model.handle, inputs);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.backend, 'wasm');
    assert.equal(r.adapter, undefined, 'no GPU adapter on wasm');
    const direct = await rt.run({ model: o.model.handle, inputs, backend: 'wasm' });
    assert.ok(direct.ok);
    assert.deepEqual(r.outputs.y.data, direct.outputs.y.data);
    const missing = await new InProcessRunner(rt, 'webgpu').run(o.model.handle, inputs);
    assert.ok(!missing.ok && missing.error.code === 'unavailable' && /not registered/.test(missing.error.message));
  } finally {
    await rt.dispose();
  }
});
