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

/** The reference model and its inputs (../shared/reference). */
function reference() {
  const o = openModel(new Uint8Array(fs.readFileSync(path.join(REF, 'flare_small.onnx'))), 'flare_small');
  assert.ok(o.ok);
  const x = readNpy(fs.readFileSync(path.join(REF, 'x.npy')));
  assert.ok(x.ok);
  return { o, inputs: { x: { data: toFloat32(x.array), dims: x.array.shape } } };
}

test('in-process runner: reports the back end that ran, the same outputs as the runtime, and refusals as values', async () => {
  const rt = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
  try {
    const { o, inputs } = reference();
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

test('prepare: the session is made on the back end a run would take, before the run; the run then finds it cached', async () => {
  const rt = await createNodeRuntime({ backends: ['wasm', 'node-cpu'], wasmThreads: 1 });
  try {
    const { o, inputs } = reference();
    const points = inputs.x.dims[1];
    for (const choice of ['wasm', 'auto'] as const) {
      const runner = new InProcessRunner(rt, choice);
      const p = await runner.prepare(o.model.handle, points);
      assert.ok(p.ok, p.ok ? '' : p.error.message);
      const run = await runner.run(o.model.handle, inputs);
      assert.ok(run.ok, run.ok ? '' : run.error.message);
      assert.equal(p.backend, run.backend, `${choice}: prepared where the run ran`);
      assert.ok(run.sessionMs < 50, `${choice}: the run found the session made (${run.sessionMs.toFixed(1)} ms)`);
      const again = await runner.prepare(o.model.handle, points);
      assert.ok(again.ok && again.sessionMs === 0, 'a second prepare finds it cached');
    }
    // a runtime that never ran the model: prepare creates the session (and loads the wasm)
    const cold = await createNodeRuntime({ backends: ['wasm'], wasmThreads: 1 });
    try {
      const p = await cold.prepare(o.model.handle, points);
      assert.ok(p.ok && p.backend === 'wasm' && p.sessionMs > 0, 'a cold prepare creates the session');
    } finally {
      await cold.dispose();
    }
    const bad = await new InProcessRunner(rt, 'webgpu').prepare(o.model.handle, points);
    assert.ok(!bad.ok && /not registered/.test(bad.error.message), 'a back end that is not there is a value, not a throw');
  } finally {
    await rt.dispose();
  }
});
