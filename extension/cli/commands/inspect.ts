// `flare inspect FILE [--json]` (alias `flare check`): what the mesh reader sees in a file (counts,
// data, sets, bounds, diagnostics). Exit 0 when read without error diagnostics, 1 otherwise, 2 usage.
import { readFileSync } from 'node:fs';
import type { CliCommand, CliIo } from '../command';
import { readMesh, pointCount, CELL_TYPES, type Mesh, type ReadResult } from '../../core/mesh/index';
import { includeFileReader } from '../../core/mesh/includeFiles';

export interface InspectJson {
  file: string;
  format: string;
  dimension: number;
  points: number;
  cells: Record<string, number>;
  pointData: { name: string; components: number }[];
  cellData: { name: string; components: number }[];
  sets: { nodes: Record<string, number>; elements: Record<string, number> };
  bounds: [number[], number[]];
  diagnostics: { severity: string; code: string; line: number; message: string }[];
}

export function inspectJson(file: string, mesh: Mesh, res: ReadResult): InspectJson {
  const cells: Record<string, number> = {};
  for (const b of mesh.cells) {
    const n = b.offsets ? b.offsets.length : b.connectivity.length / CELL_TYPES[b.type].nodes;
    if (n > 0) cells[b.type] = (cells[b.type] ?? 0) + n;
  }
  const cellData = new Map<string, number>();
  for (const ds of mesh.cellData) for (const a of ds) if (!cellData.has(a.name)) cellData.set(a.name, a.components);
  const d = mesh.dimension;
  const np = pointCount(mesh);
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < np; i++) {
    for (let k = 0; k < 3; k++) {
      const v = k < d ? mesh.points[i * d + k] : 0;
      if (!Number.isFinite(v)) continue;
      if (v < lo[k]) lo[k] = v;
      if (v > hi[k]) hi[k] = v;
    }
  }
  const bounds: [number[], number[]] = np > 0 && Number.isFinite(lo[0]) ? [lo, hi] : [[0, 0, 0], [0, 0, 0]];
  return {
    file,
    format: mesh.source.format,
    dimension: d,
    points: np,
    cells,
    pointData: mesh.pointData.map((a) => ({ name: a.name, components: a.components })),
    cellData: [...cellData].map(([name, components]) => ({ name, components })),
    sets: {
      nodes: Object.fromEntries(Object.entries(mesh.nodeSets).map(([k, v]) => [k, v.length])),
      elements: Object.fromEntries(Object.entries(mesh.elementSets).map(([k, v]) => [k, v.length])),
    },
    bounds,
    diagnostics: res.diagnostics.map((g) => ({ severity: g.severity, code: g.code, line: g.line, message: g.file !== file ? `${g.file}: ${g.message}` : g.message })),
  };
}

function human(j: InspectJson, mesh: Mesh): string {
  const out: string[] = [];
  out.push(`${j.file}`, `  format     ${j.format}`, `  points     ${j.points} (${j.dimension}D)`);
  out.push(`  cells      ${Object.entries(j.cells).map(([t, n]) => `${t}: ${n}`).join(', ') || 'none'}`);
  if (j.pointData.length) out.push(`  point data ${j.pointData.map((a) => `${a.name} (${a.components})`).join(', ')}`);
  if (j.cellData.length) out.push(`  cell data  ${j.cellData.map((a) => `${a.name} (${a.components})`).join(', ')}`);
  const ns = Object.entries(j.sets.nodes);
  const es = Object.entries(j.sets.elements);
  if (ns.length) out.push(`  node sets  ${ns.map(([k, n]) => `${k} (${n})`).join(', ')}`);
  if (es.length) out.push(`  elem sets  ${es.map(([k, n]) => `${k} (${n})`).join(', ')}`);
  out.push(`  bounds     [${j.bounds[0].map((v) => +v.toPrecision(6)).join(', ')}] – [${j.bounds[1].map((v) => +v.toPrecision(6)).join(', ')}]`);
  const deck = mesh.deck;
  if (deck) {
    for (const m of deck.materials) out.push(`  material   ${m.name}: E=${m.youngsModulus ?? '?'} nu=${m.poissonRatio ?? '?'} rho=${m.density ?? '?'}`);
    out.push(`  deck       ${deck.boundaries.length} fixed-DOF entries, ${deck.loads.length} nodal loads, ${deck.faceLoads.length} face loads, steps: ${deck.steps.map((s) => `${s.name} (${s.procedure || '?'})`).join(', ') || 'none'}`);
  }
  if (j.diagnostics.length) {
    out.push('  diagnostics:');
    for (const g of j.diagnostics) out.push(`    ${g.severity.padEnd(7)} line ${g.line}: ${g.message} [${g.code}]`);
  }
  return out.join('\n') + '\n';
}

/** `flare inspect` and its alias `flare check`: the same reading, the same report, named as invoked. */
function inspectLike(name: string, summary: string): CliCommand {
  const usage = [
    `Usage: flare ${name} FILE [--json]`,
    '',
    'Reads FILE (.inp .frd .msh .vtu .vtp .pvtu .vtk .stl .obj .off .ply .su2 .bdf .nas .fem) and prints',
    'what was read, with its diagnostics (errors and warnings at their lines). With --json, prints one JSON object:',
    '  {"file", "format", "dimension", "points", "cells": {"<meshio type>": count}, "pointData": [{"name", "components"}],',
    '   "cellData": [...], "sets": {"nodes": {...}, "elements": {...}}, "bounds": [[min], [max]], "diagnostics": [...]}',
    'Errors are plain text on stderr; with --json a file that cannot be read prints {"error": {"file", "line", "message"}}.',
    'Exit code 0 when the file was read without error diagnostics (warnings allowed); 1 when it could not be read',
    'or has error diagnostics; 2 usage error.',
  ].join('\n');
  return {
    name,
    summary,
    usage,
    async run(args: string[], io: CliIo): Promise<number> {
      const json = args.includes('--json');
      const files = args.filter((a) => !a.startsWith('--'));
      const unknown = args.filter((a) => a.startsWith('--') && a !== '--json');
      if (files.length !== 1 || unknown.length) {
        io.err(`flare ${name}: ${unknown.length ? `unknown option ${unknown[0]}` : 'expected exactly one FILE'}\n${usage}\n`);
        return 2;
      }
      const file = files[0];
      const fail = (line: number, message: string): number => {
        if (json) io.out(JSON.stringify({ error: { file, line, message } }) + '\n');
        io.err(`${file}:${line}: error: ${message}\n`);
        return 1;
      };
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(readFileSync(file));
      } catch (e) {
        return fail(0, `cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const res = readMesh(bytes, file, { readInclude: includeFileReader() });
      if (!res.mesh) {
        const e = res.diagnostics.find((d) => d.severity === 'error') ?? res.diagnostics[0];
        return fail(e?.line ?? 0, e ? (e.file !== file ? `${e.file}: ${e.message}` : e.message) : 'could not be read');
      }
      const j = inspectJson(file, res.mesh, res);
      io.out(json ? JSON.stringify(j) + '\n' : human(j, res.mesh));
      const errors = j.diagnostics.filter((d) => d.severity === 'error').length;
      if (errors === 0) return 0;
      io.err(`flare ${name}: ${file}: ${errors} error diagnostic(s)\n`);
      return 1;
    },
  };
}

export const inspectCommand: CliCommand = inspectLike('inspect', 'Read a mesh or solver deck and print points, cells, data, sets, bounds and diagnostics');
export const checkCommand: CliCommand = inspectLike('check', 'Check a mesh or solver deck (alias of inspect); exits 1 when it has error diagnostics');
