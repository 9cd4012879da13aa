// code-server's postinstall installs VS Code's dependencies, among them @vscode/ripgrep, whose own
// postinstall downloads rg from GitHub. Offline that fails, so we put the system rg (Debian: ripgrep)
// where that script looks first: a tarball in $TMPDIR/vscode-ripgrep-cache-<version>/.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const RG_PACKAGE_VERSIONS = ['1.15.11'];
const ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

function findRg() {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    const p = path.join(dir, 'rg');
    if (dir && fs.existsSync(p)) return fs.realpathSync(p);
  }
  return undefined;
}

if (process.platform !== 'linux' || process.arch !== 'x64') process.exit(0);
const rg = findRg();
if (!rg) {
  console.warn('flare-offline-setup: no system rg found; code-server will try to download ripgrep (install Debian\'s ripgrep when offline).');
  process.exit(0);
}
for (const v of RG_PACKAGE_VERSIONS) {
  const dir = path.join(os.tmpdir(), `vscode-ripgrep-cache-${v}`);
  const target = path.join(dir, ASSET);
  if (fs.existsSync(target)) continue;
  fs.mkdirSync(dir, { recursive: true });
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-seed-'));
  fs.copyFileSync(rg, path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);
  // the real release tarball holds rg at its root; the script unpacks it into its bin/
  execFileSync('tar', ['-czf', target, '-C', stage, 'rg']);
  fs.rmSync(stage, { recursive: true, force: true });
  console.log(`flare-offline-setup: seeded ${target} from ${rg}`);
}
