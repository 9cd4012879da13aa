// MSH 4.1 sections: $Entities (physical tags per entity) and $Nodes/$Elements in entity blocks.
import { GMSH_TYPES, fill, nodesOf, type MshFile } from './shared';

export function readEntities4(f: MshFile): void {
  const sc = f.sc;
  const b = f.binary;
  const counts = b ? [f.bSize(), f.bSize(), f.bSize(), f.bSize()] : [sc.int(), sc.int(), sc.int(), sc.int()];
  for (let d = 0; d < 4; d++) {
    for (let i = 0; i < counts[d]; i++) {
      const tag = b ? f.bInt() : sc.int();
      for (let k = 0; k < (d === 0 ? 3 : 6); k++) void (b ? f.bDouble() : sc.float()); // bounding box: unused
      const np = b ? f.bSize() : sc.int();
      const phys: number[] = [];
      for (let k = 0; k < np; k++) phys.push(b ? f.bInt() : sc.int());
      f.entityPhys[d].set(tag, phys);
      if (d > 0) {
        const nb = b ? f.bSize() : sc.int();
        for (let k = 0; k < nb; k++) void (b ? f.bInt() : sc.int()); // bounding entities: unused
      }
    }
  }
}

/** MSH 4 $Nodes/$Elements header: numEntityBlocks numItems minTag maxTag (the tag range is not needed). */
function sectionHeader4(f: MshFile): { nBlocks: number; n: number } {
  const read = (): number => (f.binary ? f.bSize() : f.sc.int());
  const nBlocks = read();
  const n = read();
  read();
  read();
  return { nBlocks, n };
}

export function readNodes4(f: MshFile): void {
  const sc = f.sc;
  const b = f.binary;
  const { nBlocks, n } = sectionHeader4(f);
  f.plausible(n, '$Nodes');
  f.plausible(nBlocks, '$Nodes');
  f.ids.reserve(n);
  f.coords.reserve(n * 3);
  if (!b) f.pointLines.reserve(n);
  for (let blk = 0; blk < nBlocks; blk++) {
    const line = sc.line;
    void (b ? f.bInt() : sc.int()); // entity dim
    void (b ? f.bInt() : sc.int()); // entity tag
    const parametric = b ? f.bInt() : sc.int();
    const count = b ? f.bSize() : sc.int();
    f.plausible(count, 'a $Nodes block');
    if (f.ids.n + count > n) throw f.err('count-mismatch', `$Nodes declares ${n} nodes but its blocks hold more`, line);
    if (parametric) throw f.err('msh-parametric', 'parametric nodes are not supported; save without parametric coordinates', line);
    const ids = f.ids;
    const base = ids.n;
    const xyz = f.coords.a;
    if (b) {
      ids.a.set(f.bInts(count, f.sizeT), base);
      ids.n += count;
      f.bDoubles(count * 3, xyz, f.coords.n);
      f.coords.n += count * 3;
    } else {
      for (let i = 0; i < count; i++) ids.a[ids.n++] = sc.int();
      let q = f.coords.n;
      const pl = f.pointLines;
      for (let i = 0; i < count; i++) {
        sc.skipWs();
        if (sc.eof()) throw f.err('msh-truncated', 'the file ends inside $Nodes');
        pl.a[pl.n++] = sc.line;
        xyz[q++] = sc.floatHere();
        xyz[q++] = sc.float();
        xyz[q++] = sc.float();
      }
      f.coords.n = q;
    }
  }
  if (f.ids.n !== n) throw f.err('count-mismatch', `$Nodes declares ${n} nodes but its blocks hold ${f.ids.n}`);
}

export function readElements4(f: MshFile): void {
  const sc = f.sc;
  const b = f.binary;
  const { nBlocks, n } = sectionHeader4(f);
  let total = 0;
  for (let blk = 0; blk < nBlocks; blk++) {
    const line = sc.line;
    const dim = b ? f.bInt() : sc.int();
    const tag = b ? f.bInt() : sc.int();
    const type = b ? f.bInt() : sc.int();
    const count = b ? f.bSize() : sc.int();
    f.plausible(count, 'an $Elements block');
    const k = nodesOf(type);
    if (k < 0) throw f.err('msh-element-type', `unknown gmsh element type ${type}`, line);
    const ct = GMSH_TYPES[type];
    const physList = f.entityPhys[dim]?.get(tag);
    const phys = physList && physList.length ? physList[0] : 0;
    total += count;
    if (b) {
      if (!ct) {
        f.bInts(count * (1 + k), f.sizeT);
        f.skippedTypes.set(type, (f.skippedTypes.get(type) ?? 0) + count);
        continue;
      }
      const g = f.group(ct);
      f.bElements(count, k, f.sizeT, 0, g.col.ids!, g.col.conn);
      fill(g.phys, count, phys);
      fill(g.geom, count, tag);
      continue;
    }
    if (!ct) {
      f.skippedTypes.set(type, (f.skippedTypes.get(type) ?? 0) + count);
      for (let e = 0; e < count * (1 + k); e++) sc.int();
      continue;
    }
    const g = f.group(ct);
    const conn = g.col.conn;
    conn.reserve(count * k);
    const ids = g.col.ids!;
    const lines = g.col.lines!;
    for (let e = 0; e < count; e++) {
      sc.skipWs();
      if (sc.eof()) throw f.err('msh-truncated', 'the file ends inside $Elements');
      lines.push(sc.line);
      ids.push(sc.intHere());
      for (let j = 0; j < k; j++) conn.a[conn.n++] = sc.int();
    }
    fill(g.phys, count, phys);
    fill(g.geom, count, tag);
  }
  if (total !== n) f.ctx.diag.add('error', 'count-mismatch', `$Elements declares ${n} elements but its blocks hold ${total}`, sc.line);
}
