// Legacy VTK writer (version 4.2: "CELLS n size" lists), ASCII or big-endian binary; data as FIELD arrays.
import { cellCount } from '../build';
import { CELL_TYPES, pointCount, type DataArray, type Mesh } from '../types';

export interface VtkWriteOptions {
  readonly binary?: boolean;
}

class Out {
  private parts: Uint8Array[] = [];
  private enc = new TextEncoder();
  text(s: string): void {
    this.parts.push(this.enc.encode(s));
  }
  bytes(b: Uint8Array): void {
    this.parts.push(b);
  }
  join(): Uint8Array {
    const n = this.parts.reduce((s, p) => s + p.length, 0);
    const o = new Uint8Array(n);
    let q = 0;
    for (const p of this.parts) {
      o.set(p, q);
      q += p.length;
    }
    return o;
  }
}

function be(values: ArrayLike<number>, type: 'double' | 'float' | 'int'): Uint8Array {
  const size = type === 'double' ? 8 : 4;
  const b = new Uint8Array(values.length * size);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < values.length; i++) {
    if (type === 'double') dv.setFloat64(i * 8, values[i], false);
    else if (type === 'float') dv.setFloat32(i * 4, values[i], false);
    else dv.setInt32(i * 4, values[i], false);
  }
  return b;
}

function ascii(values: ArrayLike<number>, perLine: number): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) lines.push(Array.prototype.slice.call(values, i, i + perLine).map(String).join(' '));
  return lines.join('\n') + '\n';
}

function typeOf(a: DataArray['values']): 'double' | 'float' | 'int' {
  return a instanceof Float32Array ? 'float' : a instanceof Int32Array ? 'int' : 'double';
}

export function writeVtk(mesh: Mesh, opts: VtkWriteOptions = {}): Uint8Array {
  const binary = opts.binary ?? true;
  const o = new Out();
  const np = pointCount(mesh);
  const d = mesh.dimension;
  const pts = new Float64Array(np * 3);
  for (let i = 0; i < np; i++) for (let k = 0; k < d; k++) pts[i * 3 + k] = mesh.points[i * d + k];
  const put = (values: ArrayLike<number>, type: 'double' | 'float' | 'int', perLine: number): void => {
    if (binary) {
      o.bytes(be(values, type));
      o.text('\n');
    } else o.text(ascii(values, perLine));
  };
  o.text(`# vtk DataFile Version 4.2\n${mesh.source.file.split(/[\\/]/).pop() ?? 'mesh'} written by FLARE\n${binary ? 'BINARY' : 'ASCII'}\nDATASET UNSTRUCTURED_GRID\n`);
  o.text(`POINTS ${np} double\n`);
  put(pts, 'double', 3);
  let nc = 0;
  let size = 0;
  for (const b of mesh.cells) {
    const c = cellCount(b);
    nc += c;
    size += c + b.connectivity.length;
  }
  const list = new Int32Array(size);
  const types = new Int32Array(nc);
  let p = 0;
  let ci = 0;
  for (const b of mesh.cells) {
    const n = CELL_TYPES[b.type].nodes;
    const count = cellCount(b);
    for (let c = 0; c < count; c++) {
      const s = b.offsets ? (c > 0 ? b.offsets[c - 1] : 0) : c * n;
      const e = b.offsets ? b.offsets[c] : s + n;
      list[p++] = e - s;
      for (let j = s; j < e; j++) list[p++] = b.connectivity[j];
      types[ci++] = CELL_TYPES[b.type].vtk;
    }
  }
  o.text(`CELLS ${nc} ${size}\n`);
  if (binary) put(list, 'int', 1);
  else {
    const lines: string[] = [];
    for (let q = 0; q < list.length;) {
      const k = list[q];
      lines.push(Array.prototype.slice.call(list, q, q + k + 1).join(' '));
      q += k + 1;
    }
    o.text(lines.join('\n') + '\n');
  }
  o.text(`CELL_TYPES ${nc}\n`);
  put(types, 'int', 1);
  const field = (arrays: DataArray[], tuples: number): void => {
    o.text(`FIELD FieldData ${arrays.length}\n`);
    for (const a of arrays) {
      const t = typeOf(a.values);
      o.text(`${a.name.replace(/\s+/g, '_')} ${a.components} ${tuples} ${t}\n`);
      put(a.values, t, a.components);
    }
  };
  if (mesh.pointData.length) {
    o.text(`POINT_DATA ${np}\n`);
    field(mesh.pointData, np);
  }
  // Cell data present in every block (legacy VTK has one array over all cells).
  const first = mesh.cellData[0] ?? [];
  const common = first.filter((a) => mesh.cellData.every((ds) => ds.some((x) => x.name === a.name && x.components === a.components)));
  if (common.length && mesh.cells.length === mesh.cellData.length) {
    o.text(`CELL_DATA ${nc}\n`);
    const arrays = common.map((a) => {
      const v = new Float64Array(nc * a.components);
      let base = 0;
      mesh.cells.forEach((b, i) => {
        v.set(mesh.cellData[i].find((x) => x.name === a.name)!.values, base * a.components);
        base += cellCount(b);
      });
      return { name: a.name, components: a.components, values: v };
    });
    field(arrays, nc);
  }
  return o.join();
}
