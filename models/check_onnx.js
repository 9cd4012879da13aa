#!/usr/bin/env node
// Parity + timing check of a shipped model with onnxruntime-node (CPU):
//   node models/check_onnx.js models/plate2d-elasticity.onnx models/golden/plate2d-elasticity [reps]
// Reads PREFIX.x.npy [1,N,10], PREFIX.scale.npy [1,2], PREFIX.y.npy [1,N,4] (PyTorch fp32; v2 models:
// also PREFIX.load_dir.npy [1,3], and y [1,N,10] with the stress output),
// runs the model, prints max abs / relative error and the median inference time.
// Also reads the embedded card (metadata_props 'flare.card') straight from the protobuf.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

function readNpy(path) {
  const buf = fs.readFileSync(path);
  const hlen = buf.readUInt16LE(8);
  const header = buf.toString('latin1', 10, 10 + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map(s => s.trim()).filter(Boolean).map(Number);
  if (descr !== '<f4') throw new Error(path + ': expected <f4, got ' + descr);
  const off = 10 + hlen;
  const data = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + buf.length));
  return { data, shape };
}

// minimal protobuf walk: ModelProto field 14 = metadata_props (StringStringEntryProto 1=key 2=value)
function readCard(path) {
  const b = fs.readFileSync(path);
  let i = 0;
  const varint = () => { let r = 0, s = 0, c; do { c = b[i++]; r += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80); return r; };
  while (i < b.length) {
    const tag = varint(); const field = Math.floor(tag / 8), wt = tag & 7;
    if (wt === 0) { varint(); continue; }
    if (wt === 1) { i += 8; continue; }
    if (wt === 5) { i += 4; continue; }
    const len = varint(); const start = i; i += len;
    if (field === 14) {
      let j = start, key = '', val = '';
      while (j < start + len) {
        const t = b[j++]; let l = 0, s = 0, c; do { c = b[j++]; l += (c & 0x7f) * 2 ** s; s += 7; } while (c & 0x80);
        const str = b.toString('utf8', j, j + l); j += l;
        if ((t >> 3) === 1) key = str; else val = str;
      }
      if (key === 'flare.card') return JSON.parse(val);
    }
  }
  return null;
}

async function main() {
  const [model, prefix, repsArg] = process.argv.slice(2);
  const reps = Number(repsArg || 5);
  const card = readCard(model);
  console.log('card:', card ? `${card.name} v${card.version}, ${card.features.columns.length} features` : 'MISSING');
  const x = readNpy(prefix + '.x.npy'), s = readNpy(prefix + '.scale.npy'), y = readNpy(prefix + '.y.npy');
  const sess = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
  const feeds = { x: new ort.Tensor('float32', x.data, x.shape), scale: new ort.Tensor('float32', s.data, s.shape) };
  if (fs.existsSync(prefix + '.load_dir.npy')) { const d = readNpy(prefix + '.load_dir.npy'); feeds.load_dir = new ort.Tensor('float32', d.data, d.shape); }
  const times = [];
  let out;
  for (let r = 0; r < reps; r++) {
    const t = process.hrtime.bigint();
    out = await sess.run(feeds);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const vm = out.von_mises.data, u = out.displacement.data, st = out.stress ? out.stress.data : null, N = x.shape[1];
  const cols = y.shape[2];
  let maxErr = 0, maxY = 0, maxRel = 0;
  for (let n = 0; n < N; n++) {
    const pred = [vm[n], u[3 * n], u[3 * n + 1], u[3 * n + 2], ...(st && cols === 10 ? Array.from(st.slice(6 * n, 6 * n + 6)) : [])];
    for (let c = 0; c < cols; c++) {
      const ref = y.data[cols * n + c];
      const e = Math.abs(pred[c] - ref);
      maxErr = Math.max(maxErr, e); maxY = Math.max(maxY, Math.abs(ref));
      maxRel = Math.max(maxRel, e / (Math.abs(ref) + 1e-6 * 1));
    }
  }
  times.sort((a, b) => a - b);
  const res = { model, N, max_abs_err: maxErr, max_abs_y: maxY, err_over_max_y: maxErr / maxY,
    median_ms: times[Math.floor(times.length / 2)], pass_1e5: maxErr / maxY <= 1e-5 };
  console.log(JSON.stringify(res));
  if (!res.pass_1e5) process.exitCode = 1;
}
main().catch(e => { console.error(e); process.exit(2); });
