// Gmsh .msh 2.2 and 4.1, ASCII and binary: nodes with sparse tags, elements by type, physical
// names (as element sets), gmsh:physical / gmsh:geometrical cell data and $NodeData point data
// (the same names meshio uses). Gmsh node order differs from VTK for some quadratic types.
// This file walks the sections, reads those both versions share, and assembles the Mesh;
// $MeshFormat's version picks v2.ts or v4.ts for $Nodes and $Elements.
import { IdMap, dropBadCells, permuteCells, type MeshFormat, type ReadContext } from '../../build';
import { checkAbort } from '../../readError';
import { countLines, findBytes } from '../../text';
import { CELL_TYPES, type CellBlock, type DataArray, type Mesh } from '../../types';
import { GMSH_TO_VTK, MshFile } from './shared';
import { readElements2, readNodes2 } from './v2';
import { readElements4, readEntities4, readNodes4 } from './v4';

export { GMSH_TO_VTK };

export function readMsh(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const f = new MshFile(bytes, ctx);
  const sc = f.sc;
  for (;;) {
    sc.skipWs();
    if (sc.eof()) break;
    checkAbort(f.ctx.opts.signal, f.ctx.file, sc.line);
    const line = sc.line;
    const head = sc.readLine().trim();
    if (!head.startsWith('$')) throw f.err('msh-syntax', `expected a $Section, found '${head.slice(0, 40)}'`, line);
    const name = head.slice(1);
    switch (name) {
      case 'MeshFormat':
        meshFormat(f, line);
        break;
      case 'PhysicalNames':
        physicalNames(f);
        break;
      case 'Entities':
        if (f.version >= 4) readEntities4(f);
        break;
      case 'Nodes':
        if (f.version >= 4) readNodes4(f);
        else readNodes2(f);
        break;
      case 'Elements':
        f.elementsLine = line;
        if (f.version >= 4) readElements4(f);
        else readElements2(f);
        break;
      case 'NodeData':
        readNodeData(f, line);
        break;
      default:
        if (f.version === 0) throw f.err('msh-no-format', 'file does not start with $MeshFormat', line);
    }
    endSection(f, name, line);
  }
  if (f.version === 0) throw f.err('msh-no-format', 'no $MeshFormat section (not a gmsh file?)', 1);
  return assemble(f);
}

function endSection(f: MshFile, name: string, startLine: number): void {
  const sc = f.sc;
  const end = '$End' + name;
  const at = findBytes(f.buf, end, sc.pos);
  if (at < 0) throw f.err('msh-truncated', `section $${name} (line ${startLine}) has no ${end} (truncated file?)`, startLine);
  // Text between content and the end marker should be whitespace; a binary section is skipped by offset.
  if (!f.binary || name === 'MeshFormat' || name === 'PhysicalNames') sc.line += countLines(f.buf, sc.pos, at);
  sc.pos = at + end.length;
  sc.lineStart = sc.pos;
}

function meshFormat(f: MshFile, line: number): void {
  const sc = f.sc;
  const v = sc.float();
  const ft = sc.int();
  f.sizeT = sc.int();
  if (v !== 2.2 && v !== 2.1 && v !== 2 && v !== 4.1) {
    if (v === 4 || v === 4.0) throw f.err('msh-version', 'msh 4.0 is not supported; save as 4.1 or 2.2', line + 1);
    throw f.err('msh-version', `msh version ${v} is not supported (2.2 or 4.1)`, line + 1);
  }
  if (f.sizeT !== 4 && f.sizeT !== 8) throw f.err('msh-version', `data size ${f.sizeT} is not supported`, line + 1);
  f.version = v;
  f.binary = ft === 1;
  if (f.binary) {
    sc.nextLine();
    const one = new DataView(f.buf.buffer, f.buf.byteOffset + sc.pos, 4);
    f.little = one.getInt32(0, true) === 1;
    sc.pos += 4;
  }
}

function physicalNames(f: MshFile): void {
  const sc = f.sc;
  const n = sc.int();
  sc.nextLine();
  for (let i = 0; i < n; i++) {
    const line = sc.line;
    const m = /^\s*(\d+)\s+(\d+)\s+"?([^"]*)"?\s*$/.exec(sc.readLine());
    if (!m) throw f.err('msh-syntax', 'physical name line must be: dim tag "name"', line);
    f.physNames.set(`${m[1]}:${m[2]}`, m[3]);
  }
}

function readNodeData(f: MshFile, line: number): void {
  const sc = f.sc;
  const ns = sc.int();
  sc.nextLine();
  const strings: string[] = [];
  for (let i = 0; i < ns; i++) strings.push(sc.readLine().trim().replace(/^"(.*)"$/, '$1'));
  const nr = sc.int();
  for (let i = 0; i < nr; i++) sc.float();
  const ni = sc.int();
  const ints: number[] = [];
  for (let i = 0; i < ni; i++) ints.push(sc.int());
  const comps = ints[1] ?? 1;
  const count = ints[2] ?? 0;
  if (!Number.isSafeInteger(comps) || comps < 1) throw f.err('bad-count', `$NodeData with ${comps} components`);
  const cap = f.count(count, 2 * (1 + comps) - 1, '$NodeData');
  const tags = new Int32Array(cap);
  const values = new Float64Array(cap * comps);
  if (f.binary) {
    sc.nextLine();
    for (let i = 0; i < count; i++) {
      tags[i] = f.bInt();
      for (let c = 0; c < comps; c++) values[i * comps + c] = f.bDouble();
    }
  } else {
    for (let i = 0; i < count; i++) {
      tags[i] = sc.int();
      for (let c = 0; c < comps; c++) values[i * comps + c] = sc.float();
    }
  }
  f.nodeData.push({ name: strings[0] ?? `data${f.nodeData.length}`, comps, tags, values, line });
}

function assemble(f: MshFile): Mesh {
  const diag = f.ctx.diag;
  const ids = f.ids.view();
  const idMap = new IdMap(ids);
  const np = ids.length;
  const pointLines = f.binary ? undefined : f.pointLines.view();
  for (const i of idMap.duplicates) diag.add('warning', 'duplicate-node-id', `node tag ${ids[i]} appears more than once`, pointLines?.[i] ?? 0);
  for (const [t, c] of f.skippedTypes) diag.add('warning', 'unsupported-cell-type', `${c} elements of gmsh type ${t} are not supported and were skipped`, 1);
  const cells: CellBlock[] = [];
  const cellData: DataArray[][] = [];
  const elementSets: Record<string, number[]> = {};
  for (const [type, g] of f.groups) {
    let block = g.col.toBlock();
    const badIds: number[] = [];
    const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
    let phys = g.phys.view();
    let geom = g.geom.view();
    if (bad.length) {
      const k = CELL_TYPES[type].nodes;
      const seen = new Set<number>();
      bad.forEach((p, j) => {
        const c = Math.floor(p / k);
        if (seen.has(c)) return;
        seen.add(c);
        diag.add('error', 'index-out-of-range', `element ${block.ids![c]} refers to undefined node ${badIds[j]}; the element is skipped`, block.lines?.[c] || f.elementsLine);
      });
      const keep = (a: Int32Array): Int32Array => a.filter((_, c) => !seen.has(c));
      phys = keep(phys);
      geom = keep(geom);
      block = dropBadCells(block, bad);
    }
    const perm = GMSH_TO_VTK[type];
    if (perm) permuteCells(block.connectivity as Int32Array, perm);
    cells.push(block);
    cellData.push([
      { name: 'gmsh:physical', components: 1, values: phys },
      { name: 'gmsh:geometrical', components: 1, values: geom },
    ]);
    const dim = CELL_TYPES[type].dim;
    for (let c = 0; c < phys.length; c++) {
      const name = f.physNames.get(`${dim}:${phys[c]}`);
      if (name) (elementSets[name] ??= []).push(block.ids![c]);
    }
  }
  const pointData: DataArray[] = [];
  for (const nd of f.nodeData) {
    const v = new Float64Array(np * nd.comps).fill(NaN);
    for (let i = 0; i < nd.tags.length; i++) {
      const idx = idMap.get(nd.tags[i]);
      if (idx < 0) {
        diag.add('error', 'index-out-of-range', `$NodeData '${nd.name}' refers to undefined node ${nd.tags[i]}`, nd.line);
        continue;
      }
      for (let c = 0; c < nd.comps; c++) v[idx * nd.comps + c] = nd.values[i * nd.comps + c];
    }
    pointData.push({ name: nd.name, components: nd.comps, values: v });
  }
  const sets: Record<string, Int32Array> = {};
  for (const [k, v] of Object.entries(elementSets)) sets[k] = Int32Array.from(v);
  return {
    points: f.coords.view(),
    dimension: 3,
    pointIds: ids,
    ...(pointLines ? { pointLines } : {}),
    cells,
    pointData,
    cellData,
    nodeSets: {},
    elementSets: sets,
    source: { file: f.ctx.file, format: `msh${f.version}${f.binary ? '-binary' : ''}` },
  };
}

export const mshFormat: MeshFormat = { name: 'msh', extensions: ['.msh'], read: readMsh };
