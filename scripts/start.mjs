// `npm start`: build, package the .vsix, install it into a private offline code-server, open examples/
// in it, print the URL. Ctrl-C stops code-server and its whole process group.
// Env: FLARE_PORT (default 8080), FLARE_HOST (default 127.0.0.1).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codeServerCli, makeDirs, root, startCodeServer } from './lib/code-server.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const r = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

const dirs = makeDirs('flare-start-');
console.log(await codeServerCli(dirs, ['--install-extension', vsix, '--force']).then((o) => o.trim()));
const cs = await startCodeServer({ dirs, port: Number(process.env.FLARE_PORT || 8080), host: process.env.FLARE_HOST || '127.0.0.1' });
const folder = path.join(root, 'examples');
console.log(`\nFLARE for VS Code is running in code-server ${cs.url}\nOpen: ${cs.url}/?folder=${encodeURIComponent(folder)}\nPress Ctrl-C to stop.\n`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await cs.stop();
  fs.rmSync(dirs.base, { recursive: true, force: true });
  console.log('code-server stopped.');
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
cs.child.on('exit', (code) => {
  if (!stopping) {
    console.error(`code-server exited (${code}); log: ${cs.log}`);
    process.exit(1);
  }
});
