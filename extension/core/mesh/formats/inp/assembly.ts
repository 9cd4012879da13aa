// Abaqus assemblies: *PART bodies are read where an *INSTANCE places them, with ids offset per
// instance, names prefixed 'instance.', coordinates translated then rotated.
import { MeshReadError } from '../../readError';
import { Scanner } from '../../scanner';
import { countLines, latin1 } from '../../text';
import type { InstanceInfo } from '../../types';
import type { Block, InpState, InstanceScope, PartRange } from './state';
import { fortranNumber, keywordLine, nextData, parseKeyword, sourceAt, splitData, type Keyword } from './syntax';

/** Abaqus *INSTANCE placement: translate by t, then rotate by `angle` degrees about the axis a → b. */
export function placement(t: number[], rot: number[] | undefined): (p: [number, number, number]) => [number, number, number] {
  const [tx = 0, ty = 0, tz = 0] = t;
  if (!rot) return ([x, y, z]) => [x + tx, y + ty, z + tz];
  const [ax = 0, ay = 0, az = 0, bx = 0, by = 0, bz = 0, deg = 0] = rot;
  const len = Math.hypot(bx - ax, by - ay, bz - az) || 1;
  const k = [(bx - ax) / len, (by - ay) / len, (bz - az) / len];
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return ([x0, y0, z0]) => {
    // Rodrigues' rotation of v = p - a about the unit axis k.
    const v = [x0 + tx - ax, y0 + ty - ay, z0 + tz - az];
    const kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
    const cr = [k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2], k[0] * v[1] - k[1] * v[0]];
    return [ax + v[0] * c + cr[0] * s + k[0] * kv * (1 - c), ay + v[1] * c + cr[1] * s + k[1] * kv * (1 - c), az + v[2] * c + cr[2] * s + k[2] * kv * (1 - c)];
  };
}

/** Offsets of *PART ... *END PART bodies (keyword lines only start with '*', so this skips data quickly). */
export function findParts(st: InpState, buf: Uint8Array, file: string): void {
  let open: PartRange | undefined;
  let line = 1;
  let counted = 0;
  for (let i = keywordLine(buf, 0); i < buf.length; i = keywordLine(buf, i + 1)) {
    line += countLines(buf, counted, i);
    counted = i;
    const nl = buf.indexOf(10, i);
    const text = latin1(buf, i, nl < 0 ? buf.length : nl);
    if (text.startsWith('**')) continue;
    const kw = parseKeyword(text, line);
    if (kw.name === 'PART') {
      const name = kw.params.get('NAME') ?? '';
      open = { name, buf, file, start: nl < 0 ? buf.length : nl + 1, end: buf.length, line: line + 1, endLine: line };
      st.parts.set(name.toUpperCase(), open);
    } else if (kw.name === 'INSTANCE') {
      st.hasInstances = true;
    } else if (kw.name === 'END PART' && open) {
      open.end = i;
      open.endLine = line;
      open = undefined;
    }
  }
}

/** *PART: its body is read when an *INSTANCE places it (possibly several times). */
export function skipPart(st: InpState, sc: Scanner, kw: Keyword, _blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  // Read when an *INSTANCE places it (possibly several times): skip the body here. A deck with parts
  // but no instance at all is read flat, as ccx does (it ignores *PART).
  const part = st.parts.get((kw.params.get('NAME') ?? '').toUpperCase());
  if (!part || part.buf !== sc.buf || !st.hasInstances) return;
  if (part.end === sc.buf.length) ctx.diag.add('error', 'inp-part-unclosed', `*PART '${part.name}' has no *END PART`, kwLine, file);
  sc.pos = part.end;
  sc.line = part.endLine;
}

/** *INSTANCE, NAME=, PART=: places the part (translation line, rotation line) and scopes what follows. */
export function readInstance(st: InpState, sc: Scanner, kw: Keyword, blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  const name = kw.params.get('NAME') ?? '';
  const partName = kw.params.get('PART') ?? '';
  if (st.scope) ctx.diag.add('error', 'inp-nested-instance', `*INSTANCE '${name}' inside instance '${st.scope.name}' (missing *END INSTANCE)`, kwLine, file);
  if (!name) ctx.diag.add('error', 'inp-missing-parameter', '*INSTANCE needs NAME=name', kwLine, file);
  // Data: an optional translation line, then an optional rotation line (point a, point b, angle in degrees).
  const rows: { v: number[]; line: number }[] = [];
  while (nextData(sc)) {
    const line = sc.line;
    rows.push({ v: splitData(sc.readLine()).map((x) => (x === '' ? 0 : fortranNumber(x))), line });
  }
  const bad = rows.find((r) => r.v.some((x) => !Number.isFinite(x)));
  if (bad) ctx.diag.add('error', 'inp-bad-instance', '*INSTANCE data must be numbers: tx, ty, tz then ax, ay, az, bx, by, bz, angle', bad.line, file);
  const scope: InstanceScope = { name, part: partName, nodeOffset: st.maxNodeId, elementOffset: st.maxElementId, source: sourceAt(sc, kwLine), maxNode: 0, maxElement: 0 };
  if (!bad && rows.length) scope.move = placement(rows[0].v, rows[1]?.v);
  st.instances.set(name.toUpperCase(), scope);
  st.scope = scope;
  const part = st.parts.get(partName.toUpperCase());
  if (partName && !part) ctx.diag.add('error', 'inp-unknown-part', `*INSTANCE '${name}' refers to undefined part '${partName}'`, kwLine, file);
  else if (part) {
    if (st.depth > 16) throw new MeshReadError('inp-include-depth', 'parts nested more than 16 deep (a cycle?)', file, kwLine);
    st.depth++;
    const body = new Scanner(part.buf, part.file, part.start, part.end);
    body.line = part.line;
    blk.readBlock(body, st.files.indexOf(part.file));
    st.depth--;
  }
}

/** *END INSTANCE: back to assembly scope. */
export function endInstance(st: InpState, sc: Scanner, kw: Keyword, _blk: Block): void {
  const { ctx } = st;
  const file = sc.file;
  const kwLine = kw.line;
  if (!st.scope) ctx.diag.add('warning', 'inp-end-instance', '*END INSTANCE without *INSTANCE', kwLine, file);
  st.scope = undefined;
}

/** How a person wrote a node or element id: 'I.42' for local id 42 of instance I, the plain id otherwise. */
export function instanceLabel(instances: readonly InstanceInfo[] | undefined, id: number, kind: 'node' | 'element'): string {
  for (const i of instances ?? []) {
    const off = kind === 'node' ? i.nodeOffset : i.elementOffset;
    if (id > off && id <= off + (kind === 'node' ? i.nodes : i.elements)) return `${i.name}.${id - off}`;
  }
  return String(id);
}
