// Runs the integration suite inside a real VS Code (code-server 1.100, started fresh for this run):
// the workbench `payload` URL loads this repo as the development extension and out/test/integration/suite
// as the tests; mocha runs in code-server's Node extension host and its exit code decides.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchChromium, root, startCodeServer } from '../../scripts/lib/code-server.mjs';

const results = process.env.FLARE_TEST_RESULTS || path.join(root, 'out', 'test-results', 'integration.json');
const timeoutS = Number(process.env.FLARE_TEST_TIMEOUT_S || 600);
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ws-'));
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
fs.rmSync(results, { force: true });

const artifacts = path.join(root, 'test', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
process.env.FLARE_TEST_RESULTS = results;
process.env.FLARE_TEST_ARTIFACTS = artifacts;
process.env.FLARE_TEST_WORKSPACE = workspace;

const cs = await startCodeServer();
const host = new URL(cs.url).host;
const payload = [
  ['extensionDevelopmentPath', `vscode-remote://${host}${root}`],
  ['extensionTestsPath', `vscode-remote://${host}${path.join(root, 'out', 'test', 'integration', 'suite', 'index')}`],
  ['skipWelcome', 'true'],
  ['skipReleaseNotes', 'true'],
];
const url = `${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
const browser = await launchChromium();
let code = 1;
try {
  const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
  let done;
  const exited = new Promise((r) => (done = r));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = util.format(...(Array.isArray(args) ? args : [args]));
    // Mocha's spec output and our own lines; the workbench's chatter (gallery look-ups offline) is dropped.
    if (/✔|✖|passing|failing|pending|^\s+\d+\) |integration:|FLARE|AssertionError| {4}at .*out\/test/.test(line)) console.log(`  ${line.slice(0, 4000)}`);
    else if (process.env.FLARE_TEST_VERBOSE) console.log(`  [ext:${type}] ${line.slice(0, 2000)}`);
  });
  await page.exposeFunction('codeAutomationExit', (c) => done(c));
  await page.goto(url);
  code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), timeoutS * 1000).unref())]);
  if (code === 'timeout') {
    console.error(`integration: no result within ${timeoutS} s`);
    await page.screenshot({ path: path.join(artifacts, 'integration-timeout.png') }).catch(() => {});
    code = 1;
  }
} finally {
  await browser.close();
  await cs.stop();
  fs.rmSync(workspace, { recursive: true, force: true });
}
if (code !== 0) console.error(`integration: extension host exited with ${code}; code-server log: ${cs.log}`);
process.exit(code === 0 ? 0 : 1);
