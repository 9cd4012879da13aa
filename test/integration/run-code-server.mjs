// Runs the integration suite inside a real VS Code (code-server 1.100, started fresh for this run):
// the workbench `payload` URL loads this repo as the development extension and out/test/integration/suite
// as the tests; mocha runs in code-server's Node extension host and its exit code decides.
// Two passes: the suite in a trusted folder (workspace trust off), then *.restricted.test.js in an
// untrusted folder (trust on, so VS Code opens it in Restricted Mode). Their results are summed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { launchChromium, root, startCodeServer } from '../../scripts/lib/code-server.mjs';

const results = process.env.FLARE_TEST_RESULTS || path.join(root, 'out', 'test-results', 'integration.json');
const timeoutS = Number(process.env.FLARE_TEST_TIMEOUT_S || 600);
fs.rmSync(results, { force: true });

const artifacts = path.join(root, 'test', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
process.env.FLARE_TEST_ARTIFACTS = artifacts;

/** One code-server, one folder (a fresh copy of examples/ and the out-of-family decks), one mocha run; resolves to the exit code. */
async function runPass(pass, passResults) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-ws-'));
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  // The out-of-family corpus (issue 15) as a user's decks: outOfFamily.test.ts predicts on each.
  const corpus = path.join(root, 'test', 'fixtures', 'out-of-family');
  fs.mkdirSync(path.join(workspace, 'out-of-family'));
  for (const f of fs.readdirSync(corpus).filter((n) => n.endsWith('.inp'))) fs.copyFileSync(path.join(corpus, f), path.join(workspace, 'out-of-family', f));
  fs.rmSync(passResults, { force: true });
  // The extension host inherits code-server's environment: this is how the tests learn their pass.
  process.env.FLARE_TEST_RESULTS = passResults;
  process.env.FLARE_TEST_WORKSPACE = workspace;
  process.env.FLARE_TEST_PASS = pass;
  const cs = await startCodeServer({ workspaceTrust: pass === 'restricted' });
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
      console.error(`integration (${pass}): no result within ${timeoutS} s`);
      await page.screenshot({ path: path.join(artifacts, `integration-${pass}-timeout.png`) }).catch(() => {});
      code = 1;
    }
  } finally {
    await browser.close();
    await cs.stop();
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  if (code !== 0) console.error(`integration (${pass}): extension host exited with ${code}; code-server log: ${cs.log}`);
  return code === 0 ? 0 : 1;
}

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : { passed: 0, failed: 0, tests: [] });
const restrictedResults = results.replace(/(\.json)?$/, '.restricted.json');
// FLARE_TEST_PASSES=restricted (or trusted) runs one pass only, e.g. with FLARE_TEST_GREP while working on it.
const passes = (process.env.FLARE_TEST_PASSES || 'trusted,restricted').split(',');
const trusted = passes.includes('trusted') ? await runPass('trusted', results) : 0;
const main = read(results);
const restricted = passes.includes('restricted') ? await runPass('restricted', restrictedResults) : 0;
const extra = read(restrictedResults);
fs.rmSync(restrictedResults, { force: true });
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.writeFileSync(results, JSON.stringify({ passed: main.passed + extra.passed, failed: main.failed + extra.failed, tests: [...main.tests, ...extra.tests] }, null, 2));
process.exit(trusted === 0 && restricted === 0 ? 0 : 1);
