// Mocha entry loaded by VS Code's extension host (extensionTestsPath). Runs every *.test.js beside it
// and writes {passed, failed, tests} for scripts/test.mjs to sum.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec', ...(process.env.FLARE_TEST_GREP ? { grep: process.env.FLARE_TEST_GREP } : {}) });
  // *.restricted.test.js run only in the Restricted Mode pass (an untrusted folder), the rest only outside it.
  const restricted = process.env.FLARE_TEST_PASS === 'restricted';
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && f.endsWith('.restricted.test.js') === restricted).sort()) mocha.addFile(path.join(__dirname, f));
  const out = process.env.FLARE_TEST_RESULTS;
  const tests: { title: string; state: string; error?: string }[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passed = tests.filter((t) => t.state === 'passed').length;
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify({ passed, failed: failures, tests }, null, 2));
      }
      console.log(`integration: ${passed} passed, ${failures} failed`);
      if (failures) reject(new Error(`${failures} integration tests failed`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), state: 'passed' }));
    runner.on('fail', (t, err: Error) => tests.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err) }));
  });
}
