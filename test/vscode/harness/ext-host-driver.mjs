// Runs the mocha suite INSIDE code-server's extension host. code-server has no CLI for this: the browser starts it.
// The workbench URL carries a `payload` (extensionDevelopmentPath, extensionTestsPath, extensionEnvironment as
// vscode-remote:// URIs); with code-server's `enable-smoke-test-driver` option the workbench loads the extension
// from the development path, runs the tests module's run() and, when it settles, calls
// window.codeAutomationExit(code), which the driver exposes to receive the exit code.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../e2e/lib/browser.mjs';
import { screenshot } from '../../e2e/lib/workbench.mjs';

/** Tag that test/vscode/suite/index.ts puts in front of every mocha reporter line. */
const reporterTag = '[test] ';

/**
 * @param {{
 *   baseUrl: string, workspace: string, extensionPath: string, testsIndex: string,
 *   env: Record<string, string>, resultFile: string, timeoutMs: number, name: string, verbose?: boolean
 * }} options
 * @returns {Promise<{ passed: number, failed: number, pending: number, failures: { title: string, message: string }[], problem?: string }>}
 */
export async function runExtensionHostSuite(options) {
  const authority = new URL(options.baseUrl).host; // must be exactly what the browser uses
  const remote = (absolutePath) => `vscode-remote://${authority}${absolutePath}`;
  const payload = [
    ['extensionDevelopmentPath', remote(options.extensionPath)],
    ['extensionTestsPath', remote(options.testsIndex)],
    ['extensionEnvironment', JSON.stringify({ ...options.env, PROMPTLAB_TEST_RESULT_FILE: options.resultFile })],
  ];
  const url = `${options.baseUrl}/?folder=${encodeURIComponent(options.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  fs.rmSync(options.resultFile, { force: true });

  const browser = await launchBrowser();
  const { page } = browser;
  let problem;
  try {
    let reportExit;
    const exited = new Promise((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (code) => reportExit(Number(code)));
    const opened = Date.now();
    page.on('console', (message) => {
      const text = message.text();
      const at = text.indexOf(reporterTag);
      if (at >= 0) console.log(text.slice(at + reporterTag.length));
      else if (options.verbose)
        console.log(`[page ${message.type()} +${((Date.now() - opened) / 1000).toFixed(1)}s] ${text.slice(0, 400)}`);
      // Workbench errors are mostly noise offline (gallery, GitHub sign-in); show the ones about our extension
      // or a dying extension host.
      else if (message.type() === 'error' && /promptlab|extension host (terminated|crashed|exited)/i.test(text))
        console.log(`[page error] ${text.slice(0, 600)}`);
    });
    page.on('pageerror', (err) => console.log(`[page error] ${err.message}`));
    // Only wait for the navigation to start: the suite's own deadline covers the (sometimes slow) first load.
    await page.goto(url, { waitUntil: 'commit', timeout: options.timeoutMs });
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), options.timeoutMs)));
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      problem = `the ${options.name} suite did not finish within ${options.timeoutMs / 1000} s`;
      const shot = await screenshot(page, `${options.name}-timeout`).catch(() => undefined);
      if (shot) problem += ` (screenshot: ${shot})`;
    }
  } finally {
    await browser.close();
  }

  if (fs.existsSync(options.resultFile)) {
    const result = JSON.parse(fs.readFileSync(options.resultFile, 'utf8'));
    return {
      passed: result.passed,
      failed: result.failed,
      pending: result.pending,
      failures: result.failures,
      problem,
    };
  }
  // No result file: the tests module never ran to the end (did not load, or the extension host died).
  return {
    passed: 0,
    failed: 1,
    pending: 0,
    failures: [],
    problem: problem ?? `the ${options.name} suite wrote no result (${path.basename(options.resultFile)})`,
  };
}
