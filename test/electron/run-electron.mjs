// The same integration suite through @vscode/test-electron, for developers with internet access:
// it downloads a desktop VS Code build (offline machines use test/integration/run-code-server.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { root } from '../../scripts/lib/code-server.mjs';

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ws-'));
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'suite', 'index'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { FLARE_TEST_RESULTS: path.join(root, 'out', 'test-results', 'electron.json'), FLARE_TEST_ARTIFACTS: path.join(root, 'test', 'artifacts') },
  });
} catch (e) {
  console.error(`test:electron failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
