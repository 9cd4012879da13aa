// UI test: installs the packaged .vsix into a fresh code-server, runs a FLARE command from the
// command palette like a user, waits for its answer in the workbench, and saves a screenshot; then
// the preview flows (preview.flow.mjs: plate2d state and looks; bracket.flow.mjs: bracket3d prediction;
// banner.flow.mjs: the trust banner over an out-of-family prediction; reload.flow.mjs: the preview and
// the Model Card page across a window reload), then `npm start` stopped by each signal (start.flow.mjs).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeServerCli, launchChromium, makeDirs, root, startCodeServer } from '../../scripts/lib/code-server.mjs';
import { addBannerDeck, bannerFlow } from './banner.flow.mjs';
import { bracketFlow } from './bracket.flow.mjs';
import { reloadFlow } from './reload.flow.mjs';
import { previewFlow } from './preview.flow.mjs';
import { startFlow } from './start.flow.mjs';

const results = process.env.FLARE_TEST_RESULTS || path.join(root, 'out', 'test-results', 'ui.json');
const artifacts = path.join(root, 'test', 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });
const tests = [];
const record = (title, ok, error) => { tests.push({ title, state: ok ? 'passed' : 'failed', ...(error ? { error } : {}) }); console.log(`  ${ok ? '✔' : '✖'} ${title}${error ? `\n      ${error}` : ''}`); };

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const built = spawnSync(process.execPath, ['scripts/package.mjs'], { cwd: root, stdio: 'inherit' });
record('packages the .vsix under 25 MB', built.status === 0 && fs.existsSync(vsix));

const dirs = makeDirs('flare-ui-');
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'flare-uiws-'));
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
addBannerDeck(workspace);
let cs, browser;
try {
  await codeServerCli(dirs, ['--install-extension', vsix, '--force']);
  const installed = fs.readdirSync(dirs.extensions).some((d) => d.startsWith(`${pkg.publisher}.${pkg.name}-`));
  record('installs the .vsix into code-server', installed);
  cs = await startCodeServer({ dirs });
  browser = await launchChromium({ width: 1400, height: 900 });
  const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
  await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  await page.waitForTimeout(3000);
  // Like a user: F1, type, wait until the command's row is listed, Enter. On a loaded machine the
  // extension host may still be starting, so the palette is retried until the answer appears.
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: 'FLARE runtime:' });
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 30_000 });
    await page.keyboard.type('FLARE: Show Runtime Info');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Runtime Info' });
    const listed = await row.first().waitFor({ timeout: 30_000 }).then(() => true, () => false);
    if (listed) {
      await row.first().click();
      if (await toast.first().waitFor({ timeout: 90_000 }).then(() => true, () => false)) break;
    }
    if (attempt === 3) throw new Error('the command did not answer after 3 attempts');
  }
  const text = (await toast.first().innerText()).trim();
  record(`runs "FLARE: Show Runtime Info" from the palette (${text})`, /WebGPU|WebAssembly/.test(text));
  await page.waitForTimeout(1500);
  const shot = path.join(artifacts, 'ui-runtime-info.png');
  await page.screenshot({ path: shot });
  record('saves a screenshot', fs.statSync(shot).size > 10_000);
  try {
    await previewFlow(page, artifacts, record);
  } catch (e) {
    record('preview flow', false, String(e?.stack ?? e).slice(0, 1500));
    await page.screenshot({ path: path.join(artifacts, 'ui-preview-failure.png') }).catch(() => {});
  }
  try {
    await bracketFlow(page, artifacts, record);
  } catch (e) {
    record('bracket3d flow', false, String(e?.stack ?? e).slice(0, 1500));
    await page.screenshot({ path: path.join(artifacts, 'ui-bracket-failure.png') }).catch(() => {});
  }
  try {
    await bannerFlow(page, artifacts, record);
  } catch (e) {
    record('trust banner flow', false, String(e?.stack ?? e).slice(0, 1500));
    await page.screenshot({ path: path.join(artifacts, 'ui-banner-failure.png') }).catch(() => {});
  }
  try {
    await reloadFlow(page, record);
  } catch (e) {
    // With the extension's own log of each extension host (one per window load), to see what it did.
    const logs = fs.readdirSync(dirs.base, { recursive: true }).map(String).filter((f) => f.endsWith('FLARE.log'))
      .map((f) => `${f}:\n${fs.readFileSync(path.join(dirs.base, f), 'utf8').split('\n').slice(-12).join('\n')}`);
    record('window reload flow', false, `${String(e?.stack ?? e).slice(0, 1500)}\n${logs.join('\n')}`);
    await page.screenshot({ path: path.join(artifacts, 'ui-reload-failure.png') }).catch(() => {});
  }
} catch (e) {
  record('UI flow', false, String(e?.stack ?? e).slice(0, 1500));
  if (browser) await browser.ctx.pages()[0]?.screenshot({ path: path.join(artifacts, 'ui-failure.png') }).catch(() => {});
} finally {
  await browser?.close();
  await cs?.stop();
  fs.rmSync(dirs.base, { recursive: true, force: true });
  fs.rmSync(workspace, { recursive: true, force: true });
}
// `npm start` with the same .vsix: SIGINT, SIGTERM and SIGHUP each leave no code-server behind.
if (fs.existsSync(vsix)) {
  try {
    await startFlow(vsix, record);
  } catch (e) {
    record('npm start flow', false, String(e?.stack ?? e).slice(0, 1500));
  }
}
const passed = tests.filter((t) => t.state === 'passed').length;
const failed = tests.length - passed;
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.writeFileSync(results, JSON.stringify({ passed, failed, tests }, null, 2));
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
