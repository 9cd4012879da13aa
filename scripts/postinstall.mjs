// The root package's postinstall (the last step of `npm ci`): finishes code-server's install.
// package.json's `allowScripts` (npm 11.16+) denies code-server's own postinstall, because as root
// (CI, containers) that script stops with "Please pass --unsafe-perm" unless npm_config_unsafe_perm
// is "true" — a guard from npm 6 that only an unknown npm config key (.npmrc `unsafe-perm`, which
// npm 11 warns about) could satisfy. Here it runs with that variable set. Where code-server's
// postinstall already ran (npm older than 11.16 ignores allowScripts), this does nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cs = path.join(root, 'node_modules', 'code-server');
const vscode = path.join(cs, 'lib', 'vscode');
if (!fs.existsSync(path.join(cs, 'postinstall.sh'))) {
  console.log('postinstall: code-server is not installed; nothing to finish');
  process.exit(0);
}
// postinstall.sh installs lib/vscode's dependencies, links node_modules.asar, then installs the
// built-in extensions' dependencies: the last of these says it ran to the end.
if (fs.existsSync(path.join(vscode, 'node_modules.asar')) && fs.existsSync(path.join(vscode, 'extensions', 'node_modules'))) {
  console.log('postinstall: code-server is set up already');
  process.exit(0);
}
const env = { ...process.env };
// Its guard applies to root only; elsewhere the variable would only make its inner npm warn.
if (process.getuid?.() === 0) env.npm_config_unsafe_perm = 'true';
// postinstall.sh reads the Node major version and the package manager from npm's user agent.
env.npm_config_user_agent ||= `npm/? node/${process.version} ${process.platform} ${process.arch}`;
console.log('postinstall: running code-server\'s postinstall.sh');
const r = spawnSync('sh', ['./postinstall.sh'], { cwd: cs, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
