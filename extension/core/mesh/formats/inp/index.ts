// Abaqus / CalculiX input decks (.inp): geometry, sets and the deck data a surrogate needs.
// Abaqus node order for C3D4/C3D10/C3D8/C3D20/C3D6/C3D15 and the 2D/shell types equals VTK's,
// so connectivity is stored as read (meshio does the same). Layout: syntax (lines, names),
// state (what is collected), parse (keyword loop + handler table), geometry / deck / assembly
// (handlers), and here the resolution of ids and set names into the mesh.
import { IdMap, dropBadCells, type MeshFormat, type ReadContext } from '../../build';
import type { BoundaryCondition, CellBlock, FaceLoad, InstanceInfo, Material, Mesh, NodalLoad, SourceLocation, Step } from '../../types';
import { instanceLabel } from './assembly';
import { parseFile } from './parse';
import { InpState, type SetParts } from './state';
import { NODES, type Ref } from './syntax';

export { abaqusCellType } from './syntax';
export { instanceLabel } from './assembly';

export function readInp(bytes: Uint8Array, ctx: ReadContext): Mesh {
  const st = new InpState(ctx);
  parseFile(st, bytes, ctx.file);
  const { diag } = ctx;
  const instances: InstanceInfo[] = [...st.instances.values()].map((i) => ({ name: i.name, part: i.part, nodeOffset: i.nodeOffset, elementOffset: i.elementOffset, nodes: i.maxNode, elements: i.maxElement, source: i.source }));
  const label = (id: number, kind: 'node' | 'element'): string => instanceLabel(instances, id, kind);
  const pointIds = st.pointIds.view();
  const n = pointIds.length;
  const idMap = new IdMap(pointIds);
  const pointLines = st.pointLines.view();
  let pointFiles: Uint16Array | undefined;
  if (st.files.length > 1 && st.fileRuns.length > 0) {
    pointFiles = new Uint16Array(n);
    for (let r = 0; r < st.fileRuns.length; r += 2) {
      const end = r + 2 < st.fileRuns.length ? st.fileRuns[r + 2] : n;
      pointFiles.fill(st.fileRuns[r + 1], st.fileRuns[r], end);
    }
  }
  const fileOfPoint = (i: number): string => (pointFiles ? st.files[pointFiles[i]] : ctx.file);
  for (const i of idMap.duplicates) diag.add('warning', 'duplicate-node-id', `node id ${pointIds[i]} is defined more than once; the last definition wins`, pointLines[i], fileOfPoint(i));

  const cells: CellBlock[] = [];
  for (const col of st.blocks.values()) {
    let block = col.toBlock();
    const runs = st.cellRuns.get(col.type) ?? [];
    if (st.files.length > 1) {
      const count = col.ids!.n;
      const fileIndex = new Uint16Array(count);
      for (let r = 0; r < runs.length; r += 2) fileIndex.fill(runs[r + 1], runs[r], r + 2 < runs.length ? runs[r + 2] : count);
      block = { ...block, fileIndex };
    }
    const fileOfCell = (c: number): string => st.files[block.fileIndex?.[c] ?? 0];
    const badIds: number[] = [];
    const bad = idMap.mapInPlace(block.connectivity as Int32Array, badIds);
    if (bad.length) {
      const nn = NODES[block.type];
      let last = -1;
      for (let j = 0; j < bad.length; j++) {
        const c = Math.floor(bad[j] / nn);
        if (c === last) continue;
        last = c;
        diag.add('error', 'index-out-of-range', `element ${label(block.ids![c], 'element')} refers to undefined node ${label(badIds[j], 'node')}; the element is skipped`, block.lines![c], fileOfCell(c));
      }
      block = dropBadCells(block, bad);
    }
    cells.push(block);
  }

  // Sets: resolve names referenced inside other sets (one level of nesting per pass, in order of definition).
  const resolveSet = (map: Map<string, SetParts>, key: string, seen: Set<string>): number[] => {
    const s = map.get(key);
    if (!s) return [];
    const out = Array.from(s.ids.view());
    for (const r of s.refs) {
      const k = r.name.toUpperCase();
      if (seen.has(k)) continue;
      if (!map.has(k)) {
        diag.add('error', 'inp-unknown-set', `set '${r.name}' is not defined`, r.line, r.file);
        continue;
      }
      seen.add(k);
      // a loop, not push(...): spreading a set of 10^5+ ids overflows the call stack
      for (const v of resolveSet(map, k, seen)) out.push(v);
    }
    return out;
  };
  const nodeSets: Record<string, Int32Array> = {};
  const nodeSetByKey = new Map<string, Int32Array>();
  for (const [k, s] of st.nsets) {
    const ids = resolveSet(st.nsets, k, new Set([k]));
    const idx = new Int32Array(ids.length);
    let m = 0;
    for (const id of ids) {
      const i = idMap.get(id);
      if (i < 0) diag.add('error', 'inp-unknown-node', `node set '${s.name}' refers to undefined node ${label(id, 'node')}`, s.line, s.file);
      else idx[m++] = i;
    }
    const arr = idx.subarray(0, m);
    nodeSets[s.name] = arr;
    nodeSetByKey.set(k, arr);
  }
  const elementSets: Record<string, Int32Array> = {};
  const elsetByKey = new Map<string, Int32Array>();
  for (const [k, s] of st.elsets) {
    const arr = Int32Array.from(resolveSet(st.elsets, k, new Set([k])));
    elementSets[s.name] = arr;
    elsetByKey.set(k, arr);
  }

  // 'I.42' is node (or element) 42 of instance I; 'I.name' a set of it (stored under that name).
  const dotted = (name: string, kind: 'node' | 'element'): number | undefined => {
    const m = /^(.+)\.(\d+)$/.exec(name);
    const inst = m ? st.instances.get(m[1].toUpperCase()) : undefined;
    return m && inst ? Number(m[2]) + (kind === 'node' ? inst.nodeOffset : inst.elementOffset) : undefined;
  };
  const nodesOf = (ref: Ref, loc: SourceLocation, what: string): Int32Array | number[] => {
    if (ref.set !== undefined) {
      const s = nodeSetByKey.get(ref.set.toUpperCase());
      if (s) return s;
      const id = dotted(ref.set, 'node');
      const i = id === undefined ? -1 : idMap.get(id);
      if (i >= 0) return [i];
      if (id !== undefined) diag.add('error', 'inp-unknown-node', `${what} refers to undefined node ${ref.set}`, loc.line, loc.file);
      else diag.add('error', 'inp-unknown-set', `${what} refers to undefined node set '${ref.set}'`, loc.line, loc.file);
      return [];
    }
    const i = idMap.get(ref.id);
    if (i < 0) {
      diag.add('error', 'inp-unknown-node', `${what} refers to undefined node ${ref.id}`, loc.line, loc.file);
      return [];
    }
    return [i];
  };
  const boundaries: BoundaryCondition[] = [];
  for (const b of st.bcs) for (const node of nodesOf(b.ref, b.source, '*BOUNDARY')) boundaries.push({ node, firstDof: b.first, lastDof: b.last, value: b.value, source: b.source });
  const loads: NodalLoad[] = [];
  for (const l of st.loads) for (const node of nodesOf(l.ref, l.source, '*CLOAD')) loads.push({ node, dof: l.dof, value: l.value, source: l.source });
  // *DSLOAD on an element surface: the same face pressure as *DLOAD Pn on each of its faces, at the *DSLOAD line.
  for (const d of st.dsloads) {
    const surf = st.surfaces.get(d.surface.toUpperCase());
    if (!surf) diag.add('error', 'inp-unknown-surface', `*DSLOAD refers to undefined surface '${d.surface}'`, d.source.line, d.source.file);
    else if (surf.type !== 'ELEMENT') st.unsupported.push({ kind: 'load', keyword: 'DSLOAD', detail: `pressure on a TYPE=${surf.type} surface`, source: d.source });
    else for (const e of surf.entries) st.faceLoads.push({ ref: e.ref, face: `P${e.face}`, value: d.value, source: d.source });
  }
  const faceLoads: FaceLoad[] = [];
  for (const f of st.faceLoads) {
    let elems: ArrayLike<number> = [f.ref.id];
    if (f.ref.set !== undefined) {
      const s = elsetByKey.get(f.ref.set.toUpperCase());
      const id = s ? undefined : dotted(f.ref.set, 'element');
      if (!s && id === undefined) diag.add('error', 'inp-unknown-set', `*DLOAD refers to undefined element set '${f.ref.set}'`, f.source.line, f.source.file);
      elems = s ?? (id !== undefined ? [id] : []);
    }
    for (let i = 0; i < elems.length; i++) faceLoads.push({ element: elems[i], face: f.face, value: f.value, source: f.source });
  }
  const materials: Material[] = st.materials.map((m) => ({
    name: m.name,
    ...(m.E !== undefined ? { youngsModulus: m.E } : {}),
    ...(m.nu !== undefined ? { poissonRatio: m.nu } : {}),
    ...(m.rho !== undefined ? { density: m.rho } : {}),
    source: m.source,
  }));
  for (const s of st.sections) {
    if (s.material && !st.materials.some((m) => m.name.toUpperCase() === s.material.toUpperCase())) diag.add('error', 'inp-unknown-material', `section refers to undefined material '${s.material}'`, s.source.line, s.source.file);
    if (s.elset && !elsetByKey.has(s.elset.toUpperCase())) diag.add('error', 'inp-unknown-set', `section refers to undefined element set '${s.elset}'`, s.source.line, s.source.file);
  }
  const steps: Step[] = st.steps.map((s) => ({ ...s }));
  if (n === 0) diag.add('error', 'no-points', 'the deck defines no nodes (*NODE)', 1);

  return {
    points: st.coords.view(),
    dimension: 3,
    pointIds,
    pointLines,
    cells,
    pointData: [],
    cellData: cells.map(() => []),
    nodeSets,
    elementSets,
    ...(st.isDeck ? { deck: { materials, boundaries, loads, faceLoads, steps, sections: st.sections, unsupported: st.unsupported, elementTypes: st.elementTypes, ...(instances.length ? { instances } : {}) } } : {}),
    source: { file: ctx.file, format: 'inp' },
    ...(st.files.length > 1 ? { files: st.files } : {}),
    ...(pointFiles ? { pointFiles } : {}),
  };
}

export const inpFormat: MeshFormat = { name: 'inp', extensions: ['.inp'], read: readInp };
