// Regression fixtures: each fuzz finding kept as test/fuzz/crashers/<format>-<n>.<ext>, with the files
// it includes (an *INCLUDE target, .pvtu pieces) under <format>-<n>.files/. The case is renamed so it
// refers to itself by its fixture name (a .pvtu listing itself keeps doing so).
import fs from 'node:fs';
import path from 'node:path';
import { CRASHER_DIR } from './campaign';
import { extOf, type FuzzCase } from './mutate';

const latin1 = new TextDecoder('latin1');
function replaceAll(b: Uint8Array, from: string, to: string): Uint8Array {
  const s = latin1.decode(b);
  if (!s.includes(from)) return b;
  const t = s.split(from).join(to);
  const out = new Uint8Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t.charCodeAt(i) & 0xff;
  return out;
}

/** Save a case as the next free crashers/<format>-<n>.<ext>; returns the fixture name. */
export function saveCrasher(c: FuzzCase, format: string, dir = CRASHER_DIR): string {
  fs.mkdirSync(dir, { recursive: true });
  const ext = extOf(c.fileName);
  let n = 1;
  while (fs.existsSync(path.join(dir, `${format}-${n}.${ext}`))) n++;
  const name = `${format}-${n}.${ext}`;
  const oldBase = path.posix.basename(c.fileName);
  const main = replaceAll(c.bytes, oldBase, name);
  fs.writeFileSync(path.join(dir, name), main);
  const others = [...c.files].filter(([p]) => p !== c.fileName);
  if (others.length) {
    const fdir = path.join(dir, `${format}-${n}.files`);
    fs.mkdirSync(fdir, { recursive: true });
    const vdir = path.posix.dirname(c.fileName) + '/';
    for (const [p, b] of others) {
      const rel = p.startsWith(vdir) ? p.slice(vdir.length) : path.posix.basename(p);
      fs.mkdirSync(path.dirname(path.join(fdir, rel)), { recursive: true });
      fs.writeFileSync(path.join(fdir, rel), replaceAll(b, oldBase, name));
    }
  }
  return name;
}

/** Fixture names (main files only), sorted. */
export function listCrashers(dir = CRASHER_DIR): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => /^[a-z0-9]+-\d+\.[a-z0-9]+$/.test(f) && fs.statSync(path.join(dir, f)).isFile())
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** A fixture as a fuzz case: companions become the files its includes resolve to. */
export function loadCrasher(name: string, dir = CRASHER_DIR): FuzzCase {
  const vdir = '/crashers/';
  const fileName = vdir + name;
  const bytes = new Uint8Array(fs.readFileSync(path.join(dir, name)));
  const files = new Map<string, Uint8Array>([[fileName, bytes]]);
  const fdir = path.join(dir, name.replace(/\.[a-z0-9]+$/, '.files'));
  if (fs.existsSync(fdir)) {
    for (const e of fs.readdirSync(fdir, { recursive: true, withFileTypes: true })) {
      if (!e.isFile()) continue;
      const full = path.join(e.parentPath, e.name);
      files.set(vdir + path.relative(fdir, full).split(path.sep).join('/'), new Uint8Array(fs.readFileSync(full)));
    }
  }
  return { fileName, bytes, files, mutation: `fixture ${name}` };
}
