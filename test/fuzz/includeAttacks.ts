// Attacks on the files a mesh file pulls in: *INCLUDE cycles, deep chains and fan-out bombs in
// CalculiX decks, and .pvtu pieces that point at themselves, each other or one piece thousands of times.
import type { Rng } from './rng';
import { baseName, bytesOf, dirName, enc, extOf, text, type Mutator } from './fuzzCase';

function insertLine(t: string, rng: Rng, line: string): string {
  const lines = t.split('\n');
  lines.splice(1 + rng.int(Math.max(1, lines.length - 1)), 0, line);
  return lines.join('\n');
}

/** *INCLUDE cycles, deep chains and fan-out bombs (a file including itself k times per level). */
export const inpInclude: Mutator = (c, rng) => {
  if (extOf(c.fileName) !== 'inp') return undefined;
  const t = text(c.bytes);
  const dir = dirName(c.fileName);
  const self = baseName(c.fileName);
  const mode = rng.pick(['self', 'pair', 'chain', 'fanout', 'missing', 'absolute', 'dir'] as const);
  const files = new Map(c.files);
  let main: string;
  if (mode === 'self') main = insertLine(t, rng, `*INCLUDE, INPUT=${self}`);
  else if (mode === 'pair') {
    main = insertLine(t, rng, '*INCLUDE, INPUT=cycle_b.inp');
    files.set(`${dir}cycle_b.inp`, enc.encode(`*NODE\n900001, 0, 0, 0\n*INCLUDE, INPUT=${self}\n`));
  } else if (mode === 'chain') {
    const depth = rng.pick([15, 17, 40, 500]);
    main = insertLine(t, rng, '*INCLUDE, INPUT=chain_0.inp');
    for (let i = 0; i < depth; i++) {
      const next = i + 1 < depth ? `*INCLUDE, INPUT=chain_${i + 1}.inp\n` : '';
      files.set(`${dir}chain_${i}.inp`, enc.encode(`*NODE\n${800000 + i}, ${i}, 0, 0\n${next}`));
    }
  } else if (mode === 'fanout') {
    const k = rng.pick([2, 3, 8]);
    main = insertLine(t, rng, '*INCLUDE, INPUT=fan.inp');
    files.set(`${dir}fan.inp`, enc.encode(`*NODE\n700001, 1, 1, 1\n${'*INCLUDE, INPUT=fan.inp\n'.repeat(k)}`));
  } else if (mode === 'missing') main = insertLine(t, rng, `*INCLUDE, INPUT=${rng.pick(['', 'nope.inp', '../../../etc/passwd', 'a'.repeat(5000), '\u0000'])}`);
  else if (mode === 'absolute') main = insertLine(t, rng, `*INCLUDE, INPUT=${c.fileName}`);
  else main = insertLine(t, rng, `*INCLUDE, INPUT=${rng.pick(['.', './', dir])}`);
  const bytes = bytesOf(main);
  files.set(c.fileName, bytes);
  return { fileName: c.fileName, bytes, files, mutation: `${c.mutation ? c.mutation + '; ' : ''}include-${mode}` };
};

/** .pvtu pieces that are the .pvtu itself, each other, or one piece listed thousands of times. */
export const pvtuPieces: Mutator = (c, rng) => {
  if (extOf(c.fileName) !== 'pvtu') return undefined;
  const t = text(c.bytes);
  const self = baseName(c.fileName);
  const dir = dirName(c.fileName);
  const files = new Map(c.files);
  const mode = rng.pick(['self', 'pair', 'many', 'missing', 'empty'] as const);
  let main = t;
  const add = (src: string, times = 1): string => main.replace(/(<Piece Source=)/, `${'<Piece Source="' + src + '"/>\n'.repeat(times)}$1`);
  if (mode === 'self') main = add(self);
  else if (mode === 'pair') {
    main = add('cycle_b.pvtu');
    files.set(`${dir}cycle_b.pvtu`, enc.encode(t.replace(/<Piece Source="[^"]*"\/>/, `<Piece Source="${self}"/>`)));
  } else if (mode === 'many') main = add('piece_0.vtu', rng.pick([100, 5000]));
  else if (mode === 'missing') main = add(rng.pick(['nope.vtu', '', '../x.vtu']));
  else main = t.replace(/<Piece Source="[^"]*"\/>\n?/g, '');
  const bytes = bytesOf(main);
  files.set(c.fileName, bytes);
  return { fileName: c.fileName, bytes, files, mutation: `${c.mutation ? c.mutation + '; ' : ''}pvtu-${mode}` };
};
