// `flare check-model MODEL.onnx [--golden X.npy Y.npy] [--backend all|wasm|webgpu|engine|node-cpu]`:
// runs the model on every available back end and compares with a golden output (PyTorch's), or,
// without one, with onnxruntime-node on a seeded random input. Exit 1 when a back end misses 1e-4
// relative error (max |out - ref| / max |ref|), 2 on usage errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand, CliIo } from '../command';
import { readNpy, toFloat32, type NpyArray } from '../../core/runtime/npy';
import { openModel } from '../../core/runtime/model';
import { createNodeRuntime } from '../../core/runtime/node';
import { modelKey } from '../../core/runtime/nodeModelFiles';
import { BACKEND_NAMES, type BackendName, type Tensors } from '../../core/runtime/backend';

export const REL_TOLERANCE = 1e-4;

const USAGE = `Usage: flare check-model MODEL.onnx [--golden X.npy Y.npy] [--input NAME=FILE.npy] [--backend all|wasm|webgpu|engine|node-cpu] [--json]

Runs MODEL on every available back end and prints, per back end, the max absolute and max
relative error against the golden output and the time. The relative error is
max|out - golden| / max|golden|; a back end passes below ${REL_TOLERANCE}.

  --golden X Y     golden input for the model's first input and golden output (.npy). For
                   models with several outputs, Y holds them concatenated on the last axis
                   in output order (von_mises [B,N] counts as [B,N,1]). Other inputs are
                   read from X's siblings: PREFIX.x.npy -> PREFIX.<input>.npy.
                   Default: models/golden/<name>.{x,y}.npy beside the model if present,
                   else a seeded random input checked against onnxruntime-node.
  --input N=F      an extra input tensor from a .npy file.
  --backend B      all (default) or one of ${BACKEND_NAMES.join(', ')}.
  --json           machine-readable result.

The engine back end (our WGSL FLARE kernels) runs FLARE graphs only; for other graphs its row
says 'unavailable' with the recognizer's reason (an error only when asked for with --backend engine).
WebGPU and the engine in Node use Dawn (npm 'webgpu') and need a Vulkan driver; on a CPU-only machine:
  LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
Exit: 0 all passed, 1 a back end missed the tolerance or failed, 2 usage error.`;

export interface CheckRow {
  backend: BackendName;
  status: 'pass' | 'fail' | 'error' | 'unavailable';
  maxAbs?: number;
  maxRel?: number;
  ms?: number;
  sessionMs?: number;
  detail: string;
}

interface Args { model: string; golden?: [string, string]; inputs: Record<string, string>; backend: 'all' | BackendName; json: boolean }

function parseArgs(args: string[]): Args | string {
  const a: Args = { model: '', inputs: {}, backend: 'all', json: false };
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v === '--golden') {
      const x = args[++i];
      const y = args[++i];
      if (!x || !y || x.startsWith('--') || y.startsWith('--')) return '--golden needs two files: X.npy Y.npy';
      a.golden = [x, y];
    } else if (v === '--input') {
      const kv = args[++i] ?? '';
      const eq = kv.indexOf('=');
      if (eq <= 0) return `--input needs NAME=FILE.npy, got '${kv}'`;
      a.inputs[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (v === '--backend') {
      const b = args[++i];
      if (b !== 'all' && !BACKEND_NAMES.includes(b as BackendName)) return `--backend must be all or one of ${BACKEND_NAMES.join(', ')}, got '${b ?? ''}'`;
      a.backend = b as Args['backend'];
    } else if (v === '--json') {
      a.json = true;
    } else if (v.startsWith('--')) {
      return `unknown option '${v}'`;
    } else if (!a.model) {
      a.model = v;
    } else {
      return `unexpected argument '${v}'`;
    }
  }
  if (!a.model) return 'missing MODEL.onnx';
  return a;
}

function readNpyFile(file: string): NpyArray | string {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`;
  }
  const r = readNpy(bytes, file);
  return r.ok ? r.array : r.error;
}

/** A deterministic input in [-0.5, 0.5) (xorshift), for checks without a golden pair. */
function seededInput(n: number): Float32Array {
  const out = new Float32Array(n);
  let s = 0x9e3779b9;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) / 4294967296 - 0.5;
  }
  return out;
}

/** Outputs concatenated on the last axis in graph output order ([B,N] counts as [B,N,1]). */
export function concatOutputs(outputs: Tensors, order: readonly string[]): Float32Array {
  const parts = order.map((name) => outputs[name]).filter((t) => t !== undefined);
  if (parts.length === 1) return parts[0].data;
  const widths = parts.map((t) => (t.dims.length >= 3 ? t.dims[t.dims.length - 1] : 1));
  const rows = parts[0].data.length / widths[0];
  const w = widths.reduce((a, b) => a + b, 0);
  const out = new Float32Array(rows * w);
  let col = 0;
  parts.forEach((t, k) => {
    const wk = widths[k];
    for (let r = 0; r < rows; r++) for (let c = 0; c < wk; c++) out[r * w + col + c] = t.data[r * wk + c];
    col += wk;
  });
  return out;
}

export function compare(out: Float32Array, ref: Float32Array): { maxAbs: number; maxRel: number } {
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(out[i] - ref[i]);
    // NaN in the output is a maximal error, not a silently skipped value.
    maxAbs = Number.isNaN(d) ? Infinity : Math.max(maxAbs, d);
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  return { maxAbs, maxRel: scale > 0 ? maxAbs / scale : maxAbs };
}

const fmt = (v: number | undefined, digits = 2): string => (v === undefined ? '—' : v === 0 ? '0' : v.toExponential(digits));

async function run(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    io.err(`flare check-model: ${a}\n\n${USAGE}\n`);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(a.model);
  } catch (e) {
    io.err(`flare check-model: cannot read ${a.model}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const opened = openModel(bytes, modelKey(a.model));
  if (!opened.ok) {
    io.err(`flare check-model: ${a.model}: ${opened.error}\n`);
    return 1;
  }
  const { handle, card, cardProblem } = opened.model;
  const inputsInfo = handle.info.inputs;
  const outputOrder = handle.info.outputs.map((o) => o.name);

  // Golden pair: explicit, else models/golden/<name>.* next to the model, else none.
  let golden = a.golden;
  if (!golden) {
    const name = path.basename(a.model, '.onnx');
    const prefix = path.join(path.dirname(a.model), 'golden', name);
    if (fs.existsSync(`${prefix}.x.npy`) && fs.existsSync(`${prefix}.y.npy`)) golden = [`${prefix}.x.npy`, `${prefix}.y.npy`];
  }
  const inputs: Record<string, { data: Float32Array; dims: number[] }> = {};
  let reference: Float32Array | undefined;
  let refLabel: string;
  if (golden) {
    const x = readNpyFile(golden[0]);
    const y = readNpyFile(golden[1]);
    if (typeof x === 'string' || typeof y === 'string') {
      io.err(`flare check-model: ${typeof x === 'string' ? x : y}\n`);
      return 1;
    }
    inputs[inputsInfo[0].name] = { data: toFloat32(x), dims: [...x.shape] };
    reference = toFloat32(y);
    refLabel = `golden ${path.basename(golden[1])}`;
    const m = /^(.*)\.x\.npy$/.exec(golden[0]);
    for (const inp of inputsInfo.slice(1)) {
      const file = a.inputs[inp.name] ?? (m ? `${m[1]}.${inp.name}.npy` : undefined);
      if (!file || !fs.existsSync(file)) {
        io.err(`flare check-model: the model also needs input '${inp.name}': pass --input ${inp.name}=FILE.npy\n`);
        return 2;
      }
      const t = readNpyFile(file);
      if (typeof t === 'string') { io.err(`flare check-model: ${t}\n`); return 1; }
      inputs[inp.name] = { data: toFloat32(t), dims: [...t.shape] };
    }
  } else {
    // No golden: a seeded input, every back end checked against onnxruntime-node.
    for (const inp of inputsInfo) {
      const file = a.inputs[inp.name];
      if (file) {
        const t = readNpyFile(file);
        if (typeof t === 'string') { io.err(`flare check-model: ${t}\n`); return 1; }
        inputs[inp.name] = { data: toFloat32(t), dims: [...t.shape] };
        continue;
      }
      const dims = inp.dims.map((d, k) => (typeof d === 'number' ? d : k === 1 ? 1000 : 1));
      inputs[inp.name] = { data: seededInput(dims.reduce((p, q) => p * q, 1)), dims };
    }
    refLabel = 'onnxruntime-node on a seeded random input';
  }
  for (const [name, t] of Object.entries(inputs)) {
    if (t.data.length !== t.dims.reduce((p, q) => p * q, 1)) { io.err(`flare check-model: input '${name}' shape mismatch\n`); return 1; }
  }

  const wanted: BackendName[] = a.backend === 'all' ? ['wasm', 'webgpu', 'engine'] : [a.backend];
  const register: BackendName[] = [...new Set<BackendName>([...wanted, 'node-cpu'])];
  const rt = await createNodeRuntime({ backends: register });
  const rows: CheckRow[] = [];
  try {
    if (!reference) {
      const r = await rt.run({ model: handle, inputs, backend: 'node-cpu' });
      if (!r.ok) {
        io.err(`flare check-model: no golden output and onnxruntime-node could not run the model: ${r.error.message}\n`);
        return 1;
      }
      reference = concatOutputs(r.outputs, outputOrder);
    }
    const order: BackendName[] = a.backend === 'all' ? [...wanted, ...(golden ? ['node-cpu' as const] : [])] : wanted;
    for (const name of order) {
      const b = rt.get(name);
      const av = b ? await b.available() : { ok: false as const, reason: `no ${name} back end in this build` };
      if (!av.ok) {
        rows.push({ backend: name, status: 'unavailable', detail: av.reason });
        continue;
      }
      // The engine runs FLARE graphs only: another graph makes it unavailable, not failing.
      const support = b?.supports?.(handle);
      if (support && !support.ok) {
        rows.push({ backend: name, status: 'unavailable', detail: support.reason });
        continue;
      }
      const r = await rt.run({ model: handle, inputs, backend: name });
      if (!r.ok) {
        rows.push({ backend: name, status: 'error', detail: r.error.message });
        continue;
      }
      const out = concatOutputs(r.outputs, outputOrder);
      if (out.length !== reference.length) {
        rows.push({ backend: name, status: 'fail', ms: r.ms, sessionMs: r.sessionMs, detail: `output has ${out.length} values, reference ${reference.length}` });
        continue;
      }
      const c = compare(out, reference);
      const detail = [(av.ok && av.detail) || '', ...(r.backend !== name ? [`ran on ${r.backend}`] : []), ...r.notes].filter((t) => t.length > 0).join('; ');
      rows.push({ backend: name, status: c.maxRel < REL_TOLERANCE ? 'pass' : 'fail', ...c, ms: r.ms, sessionMs: r.sessionMs, detail });
    }
  } finally {
    await rt.dispose();
  }
  const explicitMissing = a.backend !== 'all' && rows.some((r) => r.status === 'unavailable');
  const failed = rows.some((r) => r.status === 'fail' || r.status === 'error') || explicitMissing || !rows.some((r) => r.status === 'pass');
  if (a.json) {
    io.out(JSON.stringify({ model: a.model, card: card?.name ?? null, reference: refLabel, tolerance: REL_TOLERANCE, rows, ok: !failed }, null, 1) + '\n');
  } else {
    const n = Object.values(inputs).find((t) => t.dims.length === 3)?.dims[1];
    io.out(`${a.model}: ${card ? `card '${card.name}' ${card.version}` : cardProblem ?? 'no model card'}; ${n ?? '?'} points; reference: ${refLabel}\n`);
    io.out(`${'backend'.padEnd(9)} ${'result'.padEnd(11)} ${'max abs'.padStart(9)} ${'max rel'.padStart(9)} ${'run ms'.padStart(8)} ${'session ms'.padStart(10)}  detail\n`);
    for (const r of rows) {
      io.out(`${r.backend.padEnd(9)} ${r.status.padEnd(11)} ${fmt(r.maxAbs).padStart(9)} ${fmt(r.maxRel).padStart(9)} ${(r.ms === undefined ? '—' : r.ms.toFixed(1)).padStart(8)} ${(r.sessionMs === undefined ? '—' : r.sessionMs.toFixed(0)).padStart(10)}  ${r.detail}\n`);
    }
    io.out(failed ? `FAIL: a back end missed ${REL_TOLERANCE} relative error or could not run\n` : `OK: every available back end within ${REL_TOLERANCE} relative error\n`);
  }
  return failed ? 1 : 0;
}

export const checkModelCommand: CliCommand = {
  name: 'check-model',
  summary: 'Check an ONNX model on every back end against a golden output (errors, times)',
  usage: USAGE,
  run,
};
