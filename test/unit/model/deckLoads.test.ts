// Deck quantities the model sees: the plane thickness from the structured *SOLID SECTION data and
// the nodal forces of *CLOAD plus pressures converted to consistent nodal forces (checked against ccx).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readMesh, type Mesh } from '../../../extension/core/mesh/index';
import { validateCard, type ModelCard } from '../../../extension/core/model/card';
import { buildInputs, deckQuantities } from '../../../extension/core/model/features';

const MODELS = path.resolve(__dirname, '../../../models');

function plateCard(): ModelCard {
  const r = validateCard(JSON.parse(fs.readFileSync(path.join(MODELS, 'plate2d-elasticity.card.json'), 'utf8')));
  assert.ok(r.ok, r.ok ? '' : JSON.stringify(r.errors));
  return r.card;
}

function read(text: string, file = 'deck.inp'): Mesh {
  const r = readMesh(new TextEncoder().encode(text), file);
  assert.ok(r.mesh, JSON.stringify(r.diagnostics));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  return r.mesh;
}

const plate = (t: string): string => `*NODE
1, 0, 0
2, 10, 0
3, 10, 5
4, 0, 5
*ELEMENT, TYPE=CPS3, ELSET=PLATE
1, 1, 2, 3
2, 1, 3, 4
*MATERIAL, NAME=STEEL
*ELASTIC
210000, 0.3
*SOLID SECTION, ELSET=PLATE, MATERIAL=STEEL
${t}
*BOUNDARY
1, 1, 2
4, 1, 2
*STEP
*STATIC
*CLOAD
2, 1, 100.
3, 1, 100.
*END STEP
`;

test('the *SOLID SECTION thickness of the plane elements scales sigma_ref (no thickness passed)', () => {
  const card = plateCard();
  const sigma = (t: string): number => {
    const q = deckQuantities(read(plate(t)));
    assert.ok(q.ok, q.ok ? '' : q.error);
    const b = buildInputs(card, q.value);
    assert.ok(b.ok, b.ok ? '' : b.error);
    return b.value.scales.sigmaRef;
  };
  const s1 = sigma('1.');
  assert.ok(Math.abs(sigma('2.') - s1 / 2) <= 1e-12 * s1, 't = 2 halves sigma_ref');
  assert.ok(Math.abs(sigma('2.0D0,') - s1 / 2) <= 1e-12 * s1, 'Fortran exponent and a trailing comma');
  assert.equal(sigma(''), s1, 'no thickness given: 1, as in ccx');
  const m = read(plate('3.5'));
  assert.equal(m.deck?.sections?.[0].thickness, 3.5);
});

test('a bad section thickness is an error at its line', () => {
  const r = readMesh(new TextEncoder().encode(plate('-2')), 'deck.inp');
  const e = r.diagnostics.find((d) => d.code === 'inp-bad-thickness');
  assert.ok(e, JSON.stringify(r.diagnostics));
  assert.equal(e.line, 13);
});

// ---- Pressure → consistent nodal forces, checked against ccx's reactions ----

type Kind = 'C3D4' | 'C3D10' | 'C3D8' | 'C3D20' | 'CPS3' | 'CPS6' | 'CPS4' | 'CPS8';
const QUADRATIC_EDGES: Partial<Record<Kind, [number, number][]>> = {
  C3D10: [[0, 1], [1, 2], [2, 0], [0, 3], [1, 3], [2, 3]],
  C3D20: [[0, 1], [1, 2], [2, 3], [3, 0], [4, 5], [5, 6], [6, 7], [7, 4], [0, 4], [1, 5], [2, 6], [3, 7]],
  CPS6: [[0, 1], [1, 2], [2, 0]],
  CPS8: [[0, 1], [1, 2], [2, 3], [3, 0]],
};
// ccx's face corners (0-based), written out here independently of the converter's tables.
const FACE_CORNERS: Record<'tet' | 'hex' | 'tri' | 'quad', number[][]> = {
  tet: [[0, 1, 2], [0, 3, 1], [1, 3, 2], [2, 3, 0]],
  hex: [[0, 1, 2, 3], [4, 7, 6, 5], [0, 4, 5, 1], [1, 5, 6, 2], [2, 6, 7, 3], [3, 7, 4, 0]],
  tri: [[0, 1], [1, 2], [2, 0]],
  quad: [[0, 1], [1, 2], [2, 3], [3, 0]],
};

interface Gen { nodes: number[][]; elems: number[][]; faceFamily: keyof typeof FACE_CORNERS }

/** A box [0,2]×[0,1]×[0,1] (plane: [0,2]×[0,1]) meshed with `kind`, mid-side nodes on straight edges. */
function generate(kind: Kind): Gen {
  const plane = kind.startsWith('CPS');
  const nx = 4, ny = 2, nz = plane ? 0 : 2;
  const nodes: number[][] = [];
  const id = (i: number, j: number, k: number): number => k * (nx + 1) * (ny + 1) + j * (nx + 1) + i;
  for (let k = 0; k <= nz; k++) for (let j = 0; j <= ny; j++) for (let i = 0; i <= nx; i++) nodes.push([(2 * i) / nx, j / ny, plane ? 0 : k / nz]);
  let elems: number[][] = [];
  for (let k = 0; k < Math.max(nz, 1); k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
    if (plane) {
      const q = [id(i, j, 0), id(i + 1, j, 0), id(i + 1, j + 1, 0), id(i, j + 1, 0)];
      if (kind === 'CPS4' || kind === 'CPS8') elems.push(q);
      else elems.push([q[0], q[1], q[2]], [q[0], q[2], q[3]]);
      continue;
    }
    const h = [id(i, j, k), id(i + 1, j, k), id(i + 1, j + 1, k), id(i, j + 1, k), id(i, j, k + 1), id(i + 1, j, k + 1), id(i + 1, j + 1, k + 1), id(i, j + 1, k + 1)];
    if (kind === 'C3D8' || kind === 'C3D20') elems.push(h);
    else for (const [a, b] of [[1, 2], [2, 3], [3, 7], [7, 4], [4, 5], [5, 1]]) elems.push([h[0], h[a], h[b], h[6]]);
  }
  // Positive volume (ccx refuses inverted tets).
  elems = elems.map((e) => {
    if (e.length !== 4 || plane || kind === 'C3D8' || kind === 'C3D20') return e;
    const [a, b, c, d] = e.map((n) => nodes[n]);
    const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]], w = [d[0] - a[0], d[1] - a[1], d[2] - a[2]];
    const vol = u[0] * (v[1] * w[2] - v[2] * w[1]) - u[1] * (v[0] * w[2] - v[2] * w[0]) + u[2] * (v[0] * w[1] - v[1] * w[0]);
    return vol > 0 ? e : [e[0], e[2], e[1], e[3]];
  });
  const mids = QUADRATIC_EDGES[kind];
  if (mids) {
    const edgeNode = new Map<string, number>();
    elems = elems.map((e) => [...e, ...mids.map(([a, b]) => {
      const key = [e[a], e[b]].sort((x, y) => x - y).join(',');
      let m = edgeNode.get(key);
      if (m === undefined) {
        m = nodes.length;
        nodes.push(nodes[e[a]].map((x, k) => (x + nodes[e[b]][k]) / 2));
        edgeNode.set(key, m);
      }
      return m;
    })]);
  }
  const faceFamily = plane ? (kind === 'CPS3' || kind === 'CPS6' ? 'tri' : 'quad') : kind === 'C3D4' || kind === 'C3D10' ? 'tet' : 'hex';
  return { nodes, elems, faceFamily };
}

/** (element id, face number) pairs whose corners all satisfy `on`. */
function facesWhere(g: Gen, on: (p: number[]) => boolean): [number, number][] {
  const out: [number, number][] = [];
  g.elems.forEach((e, k) => FACE_CORNERS[g.faceFamily].forEach((f, j) => {
    if (f.every((c) => on(g.nodes[e[c]]))) out.push([k + 1, j + 1]);
  }));
  return out;
}

/** A deck: fixed at x = 0, pressure 3 on x = 2 by *DLOAD (ids and an elset), 2 on y = 1 by *SURFACE + *DSLOAD, one *CLOAD. */
function pressureDeck(kind: Kind, t: number): string {
  const g = generate(kind);
  const xEnd = facesWhere(g, (p) => Math.abs(p[0] - 2) < 1e-12);
  const top = facesWhere(g, (p) => Math.abs(p[1] - 1) < 1e-12);
  const byElset = xEnd.filter(([, f]) => f === xEnd[0][1]);
  const byId = xEnd.filter(([, f]) => f !== xEnd[0][1]);
  const lines = ['*HEADING', `pressure test ${kind}`, '*NODE'];
  g.nodes.forEach((p, i) => lines.push(`${i + 1}, ${p.join(', ')}`));
  lines.push(`*ELEMENT, TYPE=${kind}, ELSET=ALL`);
  // ccx wants at most 16 entries on a line: C3D20 continues on the next one.
  g.elems.forEach((e, k) => {
    const ids = [k + 1, ...e.map((n) => n + 1)];
    lines.push(ids.length > 16 ? `${ids.slice(0, 16).join(', ')},\n${ids.slice(16).join(', ')}` : ids.join(', '));
  });
  lines.push('*NSET, NSET=FIX');
  g.nodes.forEach((p, i) => { if (p[0] === 0) lines.push(`${i + 1},`); });
  lines.push('*ELSET, ELSET=XEND', ...byElset.map(([e]) => `${e},`));
  lines.push('*SURFACE, NAME=TOP, TYPE=ELEMENT', ...top.map(([e, f]) => `${e}, S${f}`));
  lines.push('*MATERIAL, NAME=M', '*ELASTIC', '1000., 0.3', `*SOLID SECTION, ELSET=ALL, MATERIAL=M`, kind.startsWith('CPS') ? `${t}` : '');
  lines.push('*BOUNDARY', `FIX, 1, ${kind.startsWith('CPS') ? 2 : 3}`, '*STEP', '*STATIC', '*DLOAD', `XEND, P${xEnd[0][1]}, 3.`, ...byId.map(([e, f]) => `${e}, P${f}, 3.`));
  lines.push('*DSLOAD', 'TOP, P, 2.', '*CLOAD', `${g.nodes.length}, 1, 0.25`, '*NODE PRINT, NSET=FIX, TOTALS=ONLY', 'RF', '*END STEP', '');
  return lines.filter((l, i, a) => !(l === '' && i < a.length - 1)).join('\n');
}

function ccxReactionTotal(deck: string, name: string): number[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ccx-'));
  try {
    fs.writeFileSync(path.join(dir, `${name}.inp`), deck);
    const r = spawnSync('ccx', ['-i', name], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 120_000 });
    assert.equal(r.status, 0, `ccx failed: ${r.stdout.slice(-2000)} ${r.stderr}`);
    const dat = fs.readFileSync(path.join(dir, `${name}.dat`), 'utf8');
    const m = /total force \(fx,fy,fz\) for set FIX[^\n]*\n\s*\n\s*(\S+)\s+(\S+)\s+(\S+)/.exec(dat);
    assert.ok(m, `no reaction totals in ${name}.dat:\n${dat}`);
    return [Number(m[1]), Number(m[2]), Number(m[3])];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const HAVE_CCX = spawnSync('ccx', ['-v'], { encoding: 'utf8' }).error === undefined;

for (const kind of ['C3D4', 'C3D10', 'C3D8', 'C3D20', 'CPS3', 'CPS6', 'CPS4', 'CPS8'] as const) {
  test(`${kind}: *DLOAD + *DSLOAD pressures and *CLOAD total equals minus ccx's reaction sum`, { skip: HAVE_CCX ? false : 'ccx (CalculiX) is not installed: the conversion is not checked against it' }, () => {
    const t = 0.5;
    const deck = pressureDeck(kind, t);
    const q = deckQuantities(read(deck, `${kind}.inp`));
    assert.ok(q.ok, q.ok ? '' : q.error);
    assert.deepEqual(q.value.loadIssues, []);
    const ours = [0, 0, 0];
    for (let i = 0; i < q.value.n; i++) for (let k = 0; k < 3; k++) ours[k] += q.value.force[i * 3 + k];
    // Analytic: 3 on the x = 2 end, 2 on the y = 1 side (area × thickness in plane), 0.25 from *CLOAD.
    const plane = kind.startsWith('CPS');
    const expected = [-3 * (plane ? t : 1) + 0.25, -2 * 2 * (plane ? t : 1), 0];
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(ours[k] - expected[k]) <= 1e-12, `ours ${ours} vs analytic ${expected}`);
    // ccx's reactions hold the load carried through the structure: forces put directly on fixed nodes
    // never reach them, so compare with our forces on the free nodes (which also checks their distribution).
    const free = [0, 0, 0];
    for (let i = 0; i < q.value.n; i++) if (!q.value.fixed[i]) for (let k = 0; k < 3; k++) free[k] += q.value.force[i * 3 + k];
    const rf = ccxReactionTotal(deck, kind.toLowerCase());
    assert.ok(Math.hypot(free[0] + rf[0], free[1] + rf[1], free[2] + rf[2]) <= 1e-6 * Math.hypot(...free), `ours on free nodes ${free} vs ccx reactions ${rf}`);
    // Every converted force carries its *DLOAD or *DSLOAD line.
    const lines = new Set(q.value.pressureLoads?.map((l) => deck.split('\n')[l.source.line - 1].split(',')[0]));
    assert.deepEqual([...lines].sort(), [...new Set(['XEND', 'TOP', ...deck.split('\n').filter((l) => /^\d+, P\d, 3\.$/.test(l)).map((l) => l.split(',')[0])])].sort());
  });
}

test('quadratic faces: tri6 puts 0 on corners and A/3 on mid-side nodes, quad8 -A/12 on corners and A/3 on mid-sides', () => {
  const tet = generate('C3D10');
  const hex = generate('C3D20');
  for (const [g, kind, face, corners] of [[tet, 'C3D10', 1, 3], [hex, 'C3D20', 1, 4]] as const) {
    const e = g.elems[0];
    const used = [...new Set(e)];
    const deck = ['*NODE', ...used.map((n) => `${n + 1}, ${g.nodes[n].join(', ')}`), `*ELEMENT, TYPE=${kind}`,
      `1, ${e.slice(0, 15).map((n) => n + 1).join(', ')},`, e.slice(15).map((n) => n + 1).join(', '), '*MATERIAL, NAME=M', '*ELASTIC', '1000., 0.3',
      '*BOUNDARY', `${e[0] + 1}, 1, 3`, '*DLOAD', `1, P${face}, 1.`].filter((l) => l !== '').join('\n');
    const q = deckQuantities(read(deck, `${kind}.inp`));
    assert.ok(q.ok, q.ok ? '' : q.error);
    const loads = q.value.pressureLoads ?? [];
    const faceCorners = FACE_CORNERS[g.faceFamily][face - 1].map((c) => e[c]);
    const area = corners === 3 ? 0.5 * 0.5 * 0.5 : 0.5 * 0.5; // the generator's first tet/hex face 1
    const byNode = new Map<number, number>();
    for (const l of loads) byNode.set(l.node, Math.hypot(byNode.get(l.node) ?? 0, l.value));
    const sum = Math.hypot(...[0, 1, 2].map((k) => loads.filter((l) => l.dof === k + 1).reduce((a, l) => a + l.value, 0)));
    assert.ok(Math.abs(sum - area) <= 1e-12, `total ${sum} vs area ${area}`);
    const idx = new Map(Array.from(read(deck).pointIds!, (id, i) => [id - 1, i]));
    for (const c of faceCorners) {
      const f = loads.filter((l) => l.node === idx.get(c)).reduce((a, l) => a + l.value * l.value, 0) ** 0.5;
      assert.ok(Math.abs(f - (corners === 3 ? 0 : area / 12)) <= 1e-12, `${kind} corner force ${f}`);
    }
    // quad8 corners pull against the pressure: face 1 is normal to z, corner z-forces oppose the total's.
    const totalZ = loads.filter((l) => l.dof === 3).reduce((a, l) => a + l.value, 0);
    if (corners === 4) for (const c of faceCorners) assert.ok(loads.some((l) => l.node === idx.get(c) && l.dof === 3 && l.value * totalZ < 0), `${kind} corner ${c} pulls against the load`);
    assert.equal(loads.filter((l) => !faceCorners.some((c) => idx.get(c) === l.node)).length, corners === 3 ? 3 : 4, 'mid-side nodes carry the rest');
    for (const l of loads) if (!faceCorners.some((c) => idx.get(c) === l.node)) assert.ok(Math.abs(Math.abs(l.value) - area / 3) <= 1e-12, `${kind} mid-side ${l.value}`);
  }
});

test('loads the converter cannot represent are recorded with their line, not dropped', () => {
  const deck = '*NODE\n1\n2,1\n3,0,1\n4,0,0,1\n*ELEMENT, TYPE=C3D4, ELSET=E\n1,1,2,3,4\n*MATERIAL,NAME=M\n*ELASTIC\n1000.,0.3\n*SOLID SECTION,ELSET=E,MATERIAL=M\n*BOUNDARY\n1,1,3\n*STEP\n*STATIC\n*DLOAD\nE, GRAV, 9.81, 0., 0., -1.\n1, P5, 2.\n*TEMPERATURE\n1, 20.\n*END STEP\n';
  const m = read(deck);
  assert.deepEqual(m.deck?.unsupported?.map((u) => [u.keyword, u.detail, u.source.line]), [['DLOAD', 'GRAV', 17], ['TEMPERATURE', undefined, 19]]);
  const q = deckQuantities(m);
  assert.ok(q.ok);
  assert.deepEqual(q.value.loadIssues?.map((i) => i.source.line), [18]);
  assert.match(q.value.loadIssues?.[0].message ?? '', /P5 on element 1 \(tetra\).*no such face/);
});

test('a pressure-loaded CPS6 plate gives the model the same input as the equivalent *CLOAD deck (1/6, 2/3, 1/6 per edge)', () => {
  const card = plateCard();
  const g = generate('CPS6');
  const t = 1.5;
  const ends = facesWhere(g, (p) => Math.abs(p[0] - 2) < 1e-12);
  const head = ['*NODE', ...g.nodes.map((p, i) => `${i + 1}, ${p[0]}, ${p[1]}`), '*ELEMENT, TYPE=CPS6, ELSET=ALL', ...g.elems.map((e, k) => [k + 1, ...e.map((n) => n + 1)].join(', ')),
    '*NSET, NSET=FIX', ...g.nodes.flatMap((p, i) => (p[0] === 0 ? [`${i + 1},`] : [])), '*MATERIAL, NAME=M', '*ELASTIC', '210000., 0.3', '*SOLID SECTION, ELSET=ALL, MATERIAL=M', `${t}`, '*BOUNDARY', 'FIX, 1, 2', '*STEP', '*STATIC'];
  const pressure = [...head, '*DLOAD', ...ends.map(([e, f]) => `${e}, P${f}, -40.`), '*END STEP'].join('\n');
  // By hand: each end edge (length 0.5) carries 40 × t × 0.5 outward, 1/6 to its ends and 2/3 to its middle node.
  const cload = new Map<number, number>();
  for (const [e, f] of ends) {
    const el = g.elems[e - 1];
    const [a, b, m] = [[0, 1, 3], [1, 2, 4], [2, 0, 5]][f - 1].map((k) => el[k] + 1);
    const edge = 40 * t * 0.5;
    for (const [n, w] of [[a, 1 / 6], [b, 1 / 6], [m, 2 / 3]] as const) cload.set(n, (cload.get(n) ?? 0) + edge * w);
  }
  const equivalent = [...head, '*CLOAD', ...[...cload].map(([n, v]) => `${n}, 1, ${v}`), '*END STEP'].join('\n');
  const inputs = (deck: string) => {
    const q = deckQuantities(read(deck));
    assert.ok(q.ok, q.ok ? '' : q.error);
    const b = buildInputs(card, q.value);
    assert.ok(b.ok, b.ok ? '' : b.error);
    return { force: q.value.force, b: b.value };
  };
  const p = inputs(pressure);
  const c = inputs(equivalent);
  for (let i = 0; i < p.force.length; i++) assert.ok(Math.abs(p.force[i] - c.force[i]) <= 1e-12, `force ${i}: ${p.force[i]} vs ${c.force[i]}`);
  assert.deepEqual(Array.from(p.b.features), Array.from(c.b.features));
  assert.deepEqual(Array.from(p.b.tensors.scale.data), Array.from(c.b.tensors.scale.data));
});

test('unconvertible pressures: one issue per deck line (not per element), axisymmetric edges not converted as plane ones', () => {
  const g = generate('C3D8');
  const deck = ['*NODE', ...g.nodes.map((p, i) => `${i + 1}, ${p.join(', ')}`), '*ELEMENT, TYPE=C3D8, ELSET=ALL', ...g.elems.map((e, k) => [k + 1, ...e.map((n) => n + 1)].join(', ')),
    '*MATERIAL, NAME=M', '*ELASTIC', '1000., 0.3', '*BOUNDARY', '1, 1, 3', '*DLOAD', 'ALL, P7, 1.', '999, P1, 1.', '*CLOAD', '2, 1, 1.'].join('\n');
  const q = deckQuantities(read(deck));
  assert.ok(q.ok);
  // P7 is not a pressure label: the reader records it as an unsupported *DLOAD type; 999 is not an element.
  assert.deepEqual(q.value.loadIssues?.map((i) => i.message), ['pressure on undefined element 999']);
  // The same loads on elements the converter has no faces for (relabelled as wedges).
  const bad = read(deck.replace('ALL, P7, 1.', 'ALL, P1, 1.'));
  const faces = deckQuantities({ ...bad, cells: bad.cells.map((c) => ({ ...c, type: 'wedge' as const })) });
  assert.ok(faces.ok);
  assert.match(faces.value.loadIssues?.[0].message ?? '', /wedge\).*unsupported element type \(and 15 more on this line\)/);
  const axi = read('*NODE\n1\n2,1\n3,1,1\n*ELEMENT, TYPE=CAX3, ELSET=A\n1,1,2,3\n*MATERIAL,NAME=M\n*ELASTIC\n1000.,0.3\n*SOLID SECTION,ELSET=A,MATERIAL=M\n*BOUNDARY\n1,1,2\n*DLOAD\n1, P2, 1.\n*CLOAD\n3,1,1.\n');
  const qa = deckQuantities(axi);
  assert.ok(qa.ok);
  assert.deepEqual(qa.value.pressureLoads, []);
  assert.match(qa.value.loadIssues?.[0].message ?? '', /axisymmetric element 1/);
});
