// `npm start` stops its code-server when it is stopped: Ctrl-C (SIGINT to the terminal's process
// group), SIGTERM to npm alone (npm does not pass it on), and SIGHUP (terminal closed, to the group).
// Each run starts `npm start` on a free port with the .vsix the UI test has just packaged, waits for
// the URL, sends the signal, and checks that nothing listens on the port any more.
// Standalone: node test/ui/start.flow.mjs (needs flare-vscode-<version>.vsix from `npm run package`).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { root } from '../../scripts/lib/code-server.mjs';

const freePort = () => new Promise((resolve, reject) => {
  const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});
const listening = (port) => new Promise((resolve) => {
  const c = net.connect(port, '127.0.0.1');
  c.once('connect', () => { c.destroy(); resolve(true); });
  c.once('error', () => resolve(false));
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One `npm start`, stopped by `signal` sent to npm alone (`to: 'npm'`) or to its process group. */
async function stopsOn(vsix, signal, to) {
  const port = await freePort();
  const npm = spawn('npm', ['start'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FLARE_PORT: String(port), FLARE_VSIX: vsix } });
  let out = '';
  npm.stdout.on('data', (d) => { out += d; });
  npm.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((r) => npm.once('exit', (code, sig) => r(code ?? sig)));
  try {
    const t0 = Date.now();
    while (!/Open: http/.test(out)) {
      if (Date.now() - t0 > 180_000) return { ok: false, why: `no URL after 180 s:\n${out.slice(-1500)}` };
      if (npm.exitCode !== null) return { ok: false, why: `npm start exited early (${npm.exitCode}):\n${out.slice(-1500)}` };
      await sleep(250);
    }
    if (!(await listening(port))) return { ok: false, why: `code-server does not listen on ${port}` };
    if (to === 'npm') process.kill(npm.pid, signal);
    else process.kill(-npm.pid, signal);
    await Promise.race([exited, sleep(30_000)]);
    // start.mjs notices a parent that went away within 0.5 s, then stops code-server.
    const t1 = Date.now();
    while (await listening(port)) {
      if (Date.now() - t1 > 30_000) return { ok: false, why: `port ${port} still listens 30 s after ${signal}:\n${out.slice(-1500)}` };
      await sleep(250);
    }
    return { ok: true, why: `${((Date.now() - t1) / 1000).toFixed(1)} s after npm ended`, warnings: out.match(/^npm warn .*$/gm) ?? [] };
  } finally {
    try { process.kill(-npm.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Runs the three stops; `record(title, ok, error)` as in palette.ui.mjs. */
export async function startFlow(vsix, record) {
  const warnings = new Set();
  for (const [signal, to, what] of [['SIGINT', 'group', 'Ctrl-C'], ['SIGTERM', 'npm', 'SIGTERM to npm alone'], ['SIGHUP', 'group', 'terminal closed']]) {
    const r = await stopsOn(vsix, signal, to);
    record(`npm start stopped by ${signal} (${what}) leaves no code-server listening${r.ok ? ` (${r.why})` : ''}`, r.ok, r.ok ? undefined : r.why);
    for (const w of r.warnings ?? []) warnings.add(w);
  }
  // e.g. "npm warn Unknown project config" for a key in our .npmrc that npm does not know.
  record('npm start prints no npm warnings', warnings.size === 0, warnings.size ? [...warnings].join('\n') : undefined);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  let failed = 0;
  await startFlow(path.join(root, `${pkg.name}-${pkg.version}.vsix`), (title, ok, error) => {
    if (!ok) failed++;
    console.log(`  ${ok ? '✔' : '✖'} ${title}${error ? `\n      ${error}` : ''}`);
  });
  process.exit(failed ? 1 : 0);
}
