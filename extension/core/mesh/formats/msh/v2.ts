// MSH 2.2 sections: $Nodes and $Elements as flat lists (tags per element: physical, then geometrical).
import { GMSH_TYPES, nodesOf, type MshFile } from './shared';

export function readNodes2(f: MshFile): void {
  const sc = f.sc;
  const n = sc.int();
  f.plausible(n, '$Nodes');
  sc.nextLine();
  f.ids.reserve(n);
  f.coords.reserve(n * 3);
  const ids = f.ids;
  const xyz = f.coords.a;
  let q = f.coords.n;
  if (f.binary) {
    f.need(n * 28);
    const d = f.dv();
    let p = sc.pos;
    for (let i = 0; i < n; i++) {
      ids.a[ids.n++] = d.getInt32(p, f.little);
      xyz[q++] = d.getFloat64(p + 4, f.little);
      xyz[q++] = d.getFloat64(p + 12, f.little);
      xyz[q++] = d.getFloat64(p + 20, f.little);
      p += 28;
    }
    sc.pos = p;
  } else {
    f.pointLines.reserve(n);
    const pl = f.pointLines;
    for (let i = 0; i < n; i++) {
      sc.skipWs();
      if (sc.eof()) throw f.err('count-mismatch', `$Nodes declares ${n} nodes but the file ends after ${i}`);
      pl.a[pl.n++] = sc.line;
      ids.a[ids.n++] = sc.intHere();
      xyz[q++] = sc.float();
      xyz[q++] = sc.float();
      xyz[q++] = sc.float();
    }
  }
  f.coords.n = q;
}

export function readElements2(f: MshFile): void {
  const sc = f.sc;
  const n = sc.int();
  f.plausible(n, '$Elements');
  sc.nextLine();
  if (f.binary) {
    let done = 0;
    while (done < n) {
      const type = f.bInt();
      const count = f.bInt();
      const ntags = f.bInt();
      const k = nodesOf(type);
      if (k < 0 || count <= 0) throw f.err('msh-element-type', `unknown gmsh element type ${type}`);
      const data = f.bInts(count * (1 + ntags + k), 4);
      const ct = GMSH_TYPES[type];
      if (!ct) f.skippedTypes.set(type, (f.skippedTypes.get(type) ?? 0) + count);
      else {
        const g = f.group(ct);
        const conn = g.col.conn;
        conn.reserve(count * k);
        for (let e = 0; e < count; e++) {
          const o = e * (1 + ntags + k);
          g.col.ids!.push(data[o]);
          g.phys.push(ntags > 0 ? data[o + 1] : 0);
          g.geom.push(ntags > 1 ? data[o + 2] : 0);
          for (let j = 0; j < k; j++) conn.a[conn.n++] = data[o + 1 + ntags + j];
        }
      }
      done += count;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    sc.skipWs();
    if (sc.eof()) throw f.err('count-mismatch', `$Elements declares ${n} elements but the file ends after ${i}`);
    const line = sc.line;
    const id = sc.intHere();
    const type = sc.int();
    const ntags = sc.int();
    let phys = 0;
    let geom = 0;
    for (let t = 0; t < ntags; t++) {
      const v = sc.int();
      if (t === 0) phys = v;
      else if (t === 1) geom = v;
    }
    const k = nodesOf(type);
    if (k < 0) throw f.err('msh-element-type', `unknown gmsh element type ${type}`, line);
    const ct = GMSH_TYPES[type];
    if (!ct) {
      f.skippedTypes.set(type, (f.skippedTypes.get(type) ?? 0) + 1);
      for (let j = 0; j < k; j++) sc.int();
      continue;
    }
    const g = f.group(ct);
    const conn = g.col.conn;
    conn.reserve(k);
    for (let j = 0; j < k; j++) conn.a[conn.n++] = sc.int();
    g.col.ids!.push(id);
    g.col.lines!.push(line);
    g.phys.push(phys);
    g.geom.push(geom);
  }
}
