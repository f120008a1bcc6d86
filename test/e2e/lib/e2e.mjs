// Runner for one UI end-to-end script (test/e2e/*.e2e.mjs). The harness (scripts/vscode/run-tests.sh) starts
// code-server and the stand-in server, copies the workspace fixture and passes them in the environment;
// the script's exit code is its verdict.
import path from 'node:path';
import { launchBrowser } from './browser.mjs';
import { withTimeout } from './wait.mjs';
import { openWorkbench, screenshot } from './workbench.mjs';

/**
 * What the harness hands to every UI script.
 * @typedef {{
 *   baseUrl: string,        // code-server, e.g. http://127.0.0.1:41234
 *   workspace: string,      // a fresh copy of test/vscode/workspace for this script
 *   standinUrl: string,     // the stand-in OpenAI-compatible server ('' if dist/standin.js is not built)
 *   artifactsDir: string,   // .artifacts of the clone (screenshots/ lives there)
 *   trusted: boolean,       // false for *.untrusted.e2e.mjs scripts (Restricted Mode workspace)
 *   userSettings: string,   // the server's User/settings.json (shared by the scripts on one server)
 * }} E2EEnvironment
 */

/** @returns {E2EEnvironment} */
export function e2eEnvironment() {
  const baseUrl = process.env.PROMPTLAB_CODE_SERVER_URL;
  const workspace = process.env.PROMPTLAB_WORKSPACE;
  if (!baseUrl || !workspace) {
    const script = path.basename(process.argv[1] ?? 'this script');
    console.error(
      `${script} needs a running code-server; run it through the harness:\n  bash scripts/vscode/run-tests.sh --suite e2e --e2e ${script}`,
    );
    process.exit(2);
  }
  return {
    baseUrl,
    workspace,
    standinUrl: process.env.PROMPTLAB_STANDIN_URL ?? '',
    artifactsDir: process.env.PROMPTLAB_ARTIFACTS ?? '',
    trusted: process.env.PROMPTLAB_WORKSPACE_TRUSTED !== '0',
    userSettings: process.env.PROMPTLAB_USER_SETTINGS ?? '',
  };
}

/**
 * Runs `body` against a fresh headless Chromium that already shows the workbench on the workspace copy.
 * On failure it saves `<name>-failure.png` and prints the error; sets the process exit code either way.
 *
 * @param {string} name  short name, used in logs and screenshot names
 * @param {(t: { page: import('playwright-core').Page, env: E2EEnvironment, log: (message: string) => void }) => Promise<void>} body
 * @param {{ timeout?: number, openFolder?: boolean }} [options]  timeout for the whole body (default 180 s);
 *        openFolder: false leaves the page blank (for scripts that navigate themselves)
 */
export async function e2e(name, body, options = {}) {
  const env = e2eEnvironment();
  const started = Date.now();
  const log = (message) => console.log(`[${name} ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}`);
  const browser = await launchBrowser();
  const { page } = browser;
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  let passed = false;
  try {
    await withTimeout(
      (async () => {
        if (options.openFolder !== false) {
          await openWorkbench(page, { baseUrl: env.baseUrl, folder: env.workspace });
          log('workbench ready');
        }
        await body({ page, env, log });
      })(),
      options.timeout ?? 180_000,
      name,
    );
    passed = true;
  } catch (err) {
    console.error(`[${name}] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const shot = await screenshot(page, `${name}-failure`).catch(() => undefined);
    if (shot) console.error(`[${name}] screenshot: ${shot}`);
  } finally {
    await browser.close();
  }
  log(passed ? 'PASS' : 'FAIL');
  process.exitCode = passed ? 0 : 1;
}
