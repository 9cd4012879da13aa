// Starts a private, offline code-server (the npm devDependency) with fresh user data, on a free
// loopback port, in its own process group so that stop() leaves no process behind.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = path.join(root, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Runs code-server's own CLI (e.g. --install-extension) against the given data dirs. */
export function codeServerCli(dirs, args) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [entry, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, ...args], {
      env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`))));
  });
}

/** `workspaceTrust`: Restricted Mode for folders not trusted yet (opened without asking); off by default. */
export function makeDirs(prefix = 'flare-cs-', { workspaceTrust = false } = {}) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = { base, userData: path.join(base, 'ud'), extensions: path.join(base, 'ext'), xdgConfig: path.join(base, 'xdgc'), xdgData: path.join(base, 'xdgd') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // Settings for a quiet, deterministic workbench.
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'telemetry.telemetryLevel': 'off',
    'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'security.workspace.trust.enabled': workspaceTrust,
    ...(workspaceTrust ? { 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false } : {}),
    'workbench.colorTheme': 'Default Dark Modern',
  }, null, 2));
  return dirs;
}

/**
 * Starts code-server; resolves once /healthz answers. `host` defaults to loopback only.
 * `workspaceTrust`: keep VS Code's workspace trust on (Restricted Mode tests); off otherwise.
 * Returns { url, port, dirs, stop() }.
 */
export async function startCodeServer({ port, host = '127.0.0.1', workspaceTrust = false, dirs = makeDirs(undefined, { workspaceTrust }), log = path.join(dirs.base, 'code-server.log'), extraArgs = [] } = {}) {
  if (!fs.existsSync(entry)) throw new Error(`code-server is not installed (${entry}); run npm ci`);
  port = port ?? (await freePort());
  const out = fs.openSync(log, 'a');
  const child = spawn(process.execPath, [entry, '--bind-addr', `${host}:${port}`, '--auth', 'none', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    '--disable-telemetry', '--disable-update-check', ...(workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override', '--ignore-last-opened', ...extraArgs], {
    env: { ...process.env, XDG_CONFIG_HOME: dirs.xdgConfig, XDG_DATA_HOME: dirs.xdgData },
    detached: true, // own process group: code-server's children survive a plain kill
    stdio: ['ignore', out, out],
  });
  let exited = false;
  child.on('exit', () => (exited = true));
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited early; see ${log}:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`code-server did not answer on ${url} within 60 s; see ${log}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  const stop = async () => {
    if (!exited) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      const t = Date.now();
      while (!exited && Date.now() - t < 5000) await new Promise((r) => setTimeout(r, 50));
      if (!exited) try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    fs.closeSync(out);
  };
  return { url, port, dirs, log, child, stop };
}

/** Chromium flags that work offline and give WebGPU on SwiftShader (see shared recipes). */
export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--enable-unsafe-webgpu', '--enable-features=Vulkan,WebGPU', '--use-webgpu-adapter=swiftshader', '--use-angle=swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu-sandbox'];

export async function launchChromium(viewport = { width: 1400, height: 900 }) {
  const { chromium } = await import('playwright-core');
  const udd = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-chromium-'));
  const ctx = await chromium.launchPersistentContext(udd, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    env: { ...process.env, XDG_CONFIG_HOME: path.join(udd, 'xdg') },
    ignoreDefaultArgs: ['--headless'],
    args: CHROMIUM_ARGS,
    viewport,
  });
  return { ctx, close: async () => { await ctx.close().catch(() => {}); fs.rmSync(udd, { recursive: true, force: true }); } };
}
