// `npm start`: build, package the .vsix, install it into a private offline code-server, open examples/
// in it, print the URL. Ctrl-C (SIGINT), SIGTERM and SIGHUP (terminal closed) stop code-server and its
// whole process group, at any point: while packaging, while code-server starts, or once it runs; and
// so does the end of `npm`, when it was stopped itself.
// Env: FLARE_PORT (default 8080), FLARE_HOST (default 127.0.0.1), FLARE_VSIX (install this .vsix
// instead of packaging one: the UI tests, which have just packaged it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codeServerCli, makeDirs, root, startCodeServer } from './lib/code-server.mjs';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const exitCode = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** What is running now and must go when we do: the packaging child, then code-server. */
let child;
/** code-server once asked to start (it runs detached, in its own process group). */
let starting;
let cs;
let dirs;
let stopping = false;

async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  if (child && child.exitCode === null) child.kill('SIGTERM');
  // A code-server still starting is waited for, then stopped: it must not outlive us.
  if (!cs && starting) cs = await starting.catch(() => undefined);
  if (cs) await cs.stop();
  if (dirs) fs.rmSync(dirs.base, { recursive: true, force: true });
  if (cs) console.log('code-server stopped.');
  process.exit(signal ? exitCode[signal] : 0);
}
// Installed first, so a signal during packaging or start-up also cleans up (the default action
// would end this process and leave a detached code-server listening).
for (const s of SIGNALS) process.on(s, () => void shutdown(s));
// `npm start` stopped with SIGTERM: npm exits without passing the signal on, and this process is
// re-parented. A parent that went away counts as SIGTERM.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown('SIGTERM');
}, 500).unref();

function run(cmd, args) {
  return new Promise((resolve) => {
    child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(127));
  });
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = process.env.FLARE_VSIX || path.join(root, `${pkg.name}-${pkg.version}.vsix`);
if (!process.env.FLARE_VSIX) {
  const status = await run(process.execPath, ['scripts/package.mjs']);
  if (stopping) await new Promise(() => {}); // shutdown() exits
  if (status !== 0) process.exit(status);
}

dirs = makeDirs('flare-start-');
console.log(await codeServerCli(dirs, ['--install-extension', vsix, '--force']).then((o) => o.trim()));
if (stopping) await new Promise(() => {});
starting = startCodeServer({ dirs, port: Number(process.env.FLARE_PORT || 8080), host: process.env.FLARE_HOST || '127.0.0.1' });
cs = await starting;
if (stopping) await new Promise(() => {}); // shutdown() stops it and exits
const folder = path.join(root, 'examples');
console.log(`\nFLARE for VS Code is running in code-server ${cs.url}\nOpen: ${cs.url}/?folder=${encodeURIComponent(folder)}\nPress Ctrl-C to stop.\n`);

cs.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server exited (${code}); log: ${cs.log}`);
    process.exit(1);
  }
});
