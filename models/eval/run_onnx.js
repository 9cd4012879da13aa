#!/usr/bin/env node
// Batch inference with onnxruntime-node for the local test-split evaluation:
//   node models/eval/run_onnx.js MODEL.onnx MANIFEST.json
// MANIFEST: [{"x": "a.x.f32", "scale": [s, u], "n": N, "out": "a.y.f32"}, ...] (raw float32,
// x is [N,10]); writes out = [N,4] (von_mises, ux, uy, uz) and prints per-sample ms as JSON.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');
(async () => {
  const [model, manifest] = process.argv.slice(2);
  const items = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  const sess = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
  const times = [];
  for (const it of items) {
    const b = fs.readFileSync(it.x);
    const x = new Float32Array(b.buffer, b.byteOffset, b.length / 4);
    const feeds = { x: new ort.Tensor('float32', x, [1, it.n, 10]),
                    scale: new ort.Tensor('float32', Float32Array.from(it.scale), [1, 2]) };
    const t = process.hrtime.bigint();
    const o = await sess.run(feeds);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    times.push({ n: it.n, ms });
    const y = new Float32Array(it.n * 4), vm = o.von_mises.data, u = o.displacement.data;
    for (let i = 0; i < it.n; i++) { y[4 * i] = vm[i]; y[4 * i + 1] = u[3 * i]; y[4 * i + 2] = u[3 * i + 1]; y[4 * i + 3] = u[3 * i + 2]; }
    fs.writeFileSync(it.out, Buffer.from(y.buffer));
  }
  console.log(JSON.stringify(times));
})().catch(e => { console.error(e); process.exit(1); });
