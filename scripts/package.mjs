// `npm run package`: production bundles, then @vscode/vsce makes flare-vscode-<version>.vsix.
// Everything the extension needs at run time is bundled into dist/ and media/, so no node_modules ship.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './lib/code-server.mjs';

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step(process.execPath, ['scripts/build.mjs', '--production']);
step(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', out]);
const mb = fs.statSync(out).size / 1024 / 1024;
console.log(`packaged ${path.basename(out)}: ${mb.toFixed(2)} MB`);
if (mb > 25) {
  console.error('the .vsix is over the 25 MB budget');
  process.exit(1);
}
