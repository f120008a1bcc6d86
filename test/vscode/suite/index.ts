// Mocha entry loaded by a real VS Code extension host (extensionTestsPath): code-server through
// scripts/vscode/run-tests.sh, or desktop VS Code through test/vscode/desktop.mjs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

/** Prefix the code-server driver looks for in the page console to tell reporter lines from workbench noise. */
const reporterTag = '[test] ';

export interface SuiteResult {
  suite: string;
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; message: string }[];
  durationMs: number;
}

/**
 * Which tests to load: the `*.test.js` files directly in dist-test/vscode (the main suite, trusted workspace)
 * or in one of its sub-folders, e.g. `untrusted` (run by the harness in a Restricted Mode workspace).
 * The harness passes the names derived from the sources (PROMPTLAB_TEST_FILES), so a stale bundle of a
 * deleted test is not picked up.
 */
function suiteFiles(suite: string): string[] {
  const dir = suite ? path.join(__dirname, suite) : __dirname;
  if (!fs.existsSync(dir)) throw new Error(`No test folder for suite "${suite}": ${dir}`);
  const listed = process.env.PROMPTLAB_TEST_FILES;
  const names = listed
    ? (JSON.parse(listed) as string[])
    : fs.readdirSync(dir).filter((name) => name.endsWith('.test.js'));
  return names.sort().map((name) => path.join(dir, name));
}

export function run(): Promise<void> {
  const suite = process.env.PROMPTLAB_TEST_SUITE ?? '';
  const resultFile = process.env.PROMPTLAB_TEST_RESULT_FILE;
  // In code-server the extension host's console reaches the browser as log entries whose printf arguments
  // are not applied, so every reporter line is formatted here and tagged for the driver.
  const tag = process.env.PROMPTLAB_TEST_PLAIN === '1' ? '' : reporterTag;
  // Plain text: mocha's symbols come pre-coloured when the host looks like a colour terminal.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) =>
    console.log(tag + util.stripVTControlCharacters(util.format(...args)));

  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 30_000, reporter: 'spec' });
  const grep = process.env.PROMPTLAB_TEST_GREP;
  if (grep) mocha.grep(grep);

  const started = Date.now();
  const failures: SuiteResult['failures'] = [];
  const writeResult = (counts: Pick<SuiteResult, 'passed' | 'failed' | 'pending'>): void => {
    const result: SuiteResult = { suite: suite || 'main', ...counts, failures, durationMs: Date.now() - started };
    if (resultFile) fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
  };
  return new Promise((resolve, reject) => {
    try {
      for (const file of suiteFiles(suite)) mocha.addFile(file);
      const runner = mocha.run((failed) => {
        writeResult({ passed: runner.stats?.passes ?? 0, failed, pending: runner.stats?.pending ?? 0 });
        if (failed > 0) reject(new Error(`${failed} test(s) failed.`));
        else resolve();
      });
      runner.on('fail', (test, err: unknown) => {
        failures.push({ title: test.fullTitle(), message: err instanceof Error ? err.message : String(err) });
      });
    } catch (err) {
      // A test file that does not load (syntax error, missing module) must still count as a failure.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      console.log(tag + 'could not load the tests: ' + message);
      failures.push({ title: 'loading test files', message });
      writeResult({ passed: 0, failed: 1, pending: 0 });
      reject(err instanceof Error ? err : new Error(message));
    }
  });
}
