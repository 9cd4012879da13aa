// `flare predict DECK [--model NAME|PATH] [--backend …] [--out FILE.vtu|FILE.json] [--json] [--strict]`: reads a
// deck, builds the card's features, runs the model, writes the predicted fields and the applicability findings.
import * as fs from 'node:fs';
import type { CliCommand, CliIo } from '../command';
import { readMesh, writeVtu, type DataArray, type Mesh } from '../../core/mesh/index';
import { includeFileReader } from '../../core/mesh/includeFiles';
import { createNodeRuntime } from '../../core/runtime/node';
import { nodeModelFiles } from '../../core/runtime/nodeModelFiles';
import { predictDeck, type Prediction } from '../../core/runtime/pipeline';
import { InProcessRunner } from '../../core/runtime/runner';
import { BACKEND_NAMES, errorMessage, type BackendName } from '../../core/runtime/backend';
import { ENGINE_PREFERRED_FROM } from '../../core/runtime/engineBackend';
import { EXIT, findingJson, findingLine, predictedExitCode } from '../findings';

const USAGE = `Usage: flare predict DECK [--model NAME|PATH] [--backend auto|${BACKEND_NAMES.join('|')}] [--out FILE.vtu|FILE.json] [--json] [--strict]

Reads a CalculiX/Abaqus deck (fixed nodes from *BOUNDARY, loads from *CLOAD, material from
*ELASTIC), builds the input features the model card defines, runs the model and writes the
predicted fields in the deck's node order: von_mises (MPa), displacement (mm, 3 components)
and node_id (the deck's node numbers).

  --model M     a shipped model name (models/M.onnx) or a path to an .onnx file (its card is
                read from its metadata, or from M.card.json beside it). Default: the shipped
                bracket3d-elasticity for solid meshes, plate2d-elasticity for plane meshes.
  --backend B   auto (default) or one back end. auto: onnxruntime-node, else wasm; the FLARE
                engine for FLARE models from ${ENGINE_PREFERRED_FROM.toLocaleString('en-US')} points on a hardware GPU, and on any
                WebGPU adapter past onnxruntime's size limits. engine: the FLARE engine
                (WGSL kernels, FLARE models only, needs WebGPU: Dawn + a Vulkan driver, e.g.
                LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
  --out F       .vtu (mesh + point data) or .json (fields, findings, notes); without it, a summary is printed.
  --json        print one JSON object on stdout instead of the summary: the run (model, backend,
                points, fields with their ranges, findings, notes) or {"error": {...}} when it failed.
  --strict      exit 3 when the model's applicability check raised a warning.

Findings of the applicability check (the model cannot vouch for the result: element type,
analysis, material, boundary, envelope, distance) go to stderr, one line each:
  DECK:LINE: warning: MESSAGE [CODE]
and into --json / --out FILE.json as "findings": [{"severity", "code", "message", "line"?}].
Errors are plain text on stderr (JSON only with --json).
Exit: 0 predicted (without warnings, or with warnings and no --strict); 1 could not predict
(the message says why); 2 usage error; 3 predicted with warnings under --strict, or predicted
with an error finding (the result is not to be trusted).`;

interface Args { input: string; model?: string; backend: 'auto' | BackendName; out?: string; json: boolean; strict: boolean }

function parseArgs(args: string[]): Args | string {
  const a: Args = { input: '', backend: 'auto', json: false, strict: false };
  for (let i = 0; i < args.length; i++) {
    const v = args[i];
    if (v === '--model') { a.model = args[++i]; if (!a.model) return '--model needs a value'; }
    else if (v === '--backend') {
      const b = args[++i];
      if (b !== 'auto' && !BACKEND_NAMES.includes(b as BackendName)) return `--backend must be auto or one of ${BACKEND_NAMES.join(', ')}, got '${b ?? ''}'`;
      a.backend = b as Args['backend'];
    } else if (v === '--out') {
      a.out = args[++i];
      if (!a.out || !/\.(vtu|json)$/i.test(a.out)) return '--out needs a FILE.vtu or FILE.json';
    } else if (v === '--json') a.json = true;
    else if (v === '--strict') a.strict = true;
    else if (v.startsWith('--')) return `unknown option '${v}'`;
    else if (!a.input) a.input = v;
    else return `unexpected argument '${v}'`;
  }
  if (!a.input) return 'missing DECK';
  return a;
}

function withFields(mesh: Mesh, p: Prediction): Mesh {
  const n = mesh.points.length / mesh.dimension;
  const data: DataArray[] = p.fields.map((f) => ({ name: f.name, components: f.components, values: f.values }));
  data.push({ name: 'node_id', components: 1, values: mesh.pointIds ?? Int32Array.from({ length: n }, (_, i) => i + 1) });
  return { ...mesh, pointData: data };
}

function range(values: Float32Array, comps: number): string {
  const { min: lo, max: hi } = minMax(values, comps);
  return `${lo.toPrecision(4)} .. ${hi.toPrecision(4)}${comps > 1 ? ' (magnitude)' : ''}`;
}

interface Fail { code: string; message: string; file?: string; line?: number }

/** Writes a failure: plain text on stderr always; with --json also {"error": …} on stdout. */
function failed(io: CliIo, json: boolean, f: Fail, diagnostics: readonly Fail[] = []): number {
  for (const d of diagnostics) io.err(`${d.file ?? ''}:${d.line ?? 0}: error: ${d.message} [${d.code}]\n`);
  io.err(`flare predict: ${f.message}\n`);
  if (json) io.out(JSON.stringify({ error: f, ...(diagnostics.length ? { diagnostics } : {}) }) + '\n');
  return EXIT.failed;
}

async function run(args: string[], io: CliIo): Promise<number> {
  const a = parseArgs(args);
  if (typeof a === 'string') {
    io.err(`flare predict: ${a}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(a.input);
  } catch (e) {
    return failed(io, a.json, { code: 'cannot-read', message: `cannot read ${a.input}: ${errorMessage(e)}`, file: a.input });
  }
  const res = readMesh(bytes, a.input, { readInclude: includeFileReader() });
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  if (!res.mesh || errors.length > 0) {
    const diags = errors.slice(0, 10).map((d) => ({ code: d.code, message: d.message, file: d.file, line: d.line }));
    return failed(io, a.json, { code: 'bad-input', message: `${a.input} could not be read`, file: a.input }, diags);
  }
  const mesh = res.mesh;
  // The engine and wasm are always registered: the engine takes meshes past the other back ends'
  // size limits, wasm takes over after a GPU device loss.
  const wanted: BackendName[] = [...new Set<BackendName>(a.backend === 'auto' ? ['wasm', 'node-cpu', 'engine'] : [a.backend, 'engine', 'wasm'])];
  const rt = await createNodeRuntime({ backends: wanted });
  let r;
  try {
    r = await predictDeck(mesh, { model: { setting: a.model, allowFiles: true }, files: nodeModelFiles(), runner: () => Promise.resolve(new InProcessRunner(rt, a.backend)) });
  } finally {
    await rt.dispose();
  }
  if (!r.ok) {
    // The applicability check stopped it (no supports or loads the model can use): its findings, at their lines.
    for (const f of r.findings ?? []) io.err(findingLine(f, a.input));
    if (a.json && r.findings) {
      io.err(`flare predict: ${r.error}\n`);
      io.out(JSON.stringify({ error: { code: r.code, message: r.error, file: a.input }, findings: r.findings.map((f) => findingJson(f, a.input)) }) + '\n');
      return EXIT.failed;
    }
    return failed(io, a.json, { code: r.code, message: r.error, file: a.input });
  }
  const p = r.prediction;
  const card = r.model.opened.card;
  const file = r.model.location;
  const n = mesh.points.length / mesh.dimension;
  const findings = p.findings.map((f) => findingJson(f, a.input));
  for (const f of p.findings) io.err(findingLine(f, a.input));
  if (a.json) {
    io.out(JSON.stringify({
      model: card?.name ?? file, modelFile: file, backend: p.backend, adapter: p.adapter ?? null, ms: p.ms, featureMs: p.featureMs, points: n,
      fields: p.fields.map((f) => ({ name: f.name, unit: f.unit, components: f.components, ...minMax(f.values, f.components) })),
      findings, notes: p.notes, ...(a.out ? { out: a.out } : {}),
    }) + '\n');
  } else {
    io.out(`model    ${card ? `${card.name} ${card.version}` : file} (${file})\n`);
    io.out(`backend  ${p.backend}${p.adapter ? ` on ${p.adapter}` : ''}\n`);
    io.out(`points   ${n}\n`);
    io.out(`time     ${(p.featureMs + p.sessionMs + p.ms).toFixed(0)} ms (features ${p.featureMs.toFixed(0)}, session ${p.sessionMs.toFixed(0)}, run ${p.ms.toFixed(0)})\n`);
    for (const note of p.notes) io.out(`note     ${note}\n`);
    const warned = p.findings.filter((f) => f.severity !== 'info').length;
    if (warned) io.out(`TRUST    ${warned} applicability finding(s): the model cannot vouch for this prediction (see stderr)\n`);
    for (const f of p.fields) io.out(`${f.name.padEnd(13)} ${range(f.values, f.components)} ${f.unit}\n`);
  }
  if (a.out) {
    try {
      if (/\.vtu$/i.test(a.out)) {
        fs.writeFileSync(a.out, writeVtu(withFields(mesh, p), { compress: true }));
      } else {
        const json = {
          model: card?.name ?? file, backend: p.backend, adapter: p.adapter ?? null, ms: p.ms, points: n,
          node_id: Array.from(mesh.pointIds ?? Int32Array.from({ length: n }, (_, i) => i + 1)),
          fields: Object.fromEntries(p.fields.map((f) => [f.name, { unit: f.unit, components: f.components, values: Array.from(f.values) }])),
          findings, notes: p.notes,
        };
        fs.writeFileSync(a.out, JSON.stringify(json));
      }
    } catch (e) {
      return failed(io, a.json, { code: 'cannot-write', message: `cannot write ${a.out}: ${errorMessage(e)}`, file: a.out });
    }
    if (!a.json) io.out(`wrote    ${a.out}\n`);
  }
  return predictedExitCode(p.findings, a.strict);
}

function minMax(values: Float32Array, comps: number): { min: number; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length / comps; i++) {
    let v = 0;
    if (comps === 1) v = values[i];
    else { for (let k = 0; k < comps; k++) v += values[i * comps + k] ** 2; v = Math.sqrt(v); }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { min: lo, max: hi };
}

export const predictCommand: CliCommand = {
  name: 'predict',
  summary: 'Predict von Mises stress and displacement for a deck with a FLARE model',
  usage: USAGE,
  run,
};
