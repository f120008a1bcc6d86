// Runs PromptLab's tests inside a real VS Code (code-server) on this machine:
//   1. the mocha suite inside the extension host, workspace trusted   (test/vscode/suite/*.test.ts)
//   2. UI end-to-end scripts, Playwright over headless Chromium       (test/e2e/*.e2e.mjs)
//   3. the mocha suite of Restricted Mode, workspace NOT trusted      (test/vscode/suite/untrusted/*.test.ts)
//      and the UI scripts for it                                      (test/e2e/*.untrusted.e2e.mjs)
// Normally started through scripts/vscode/run-tests.sh, which runs the one-time setup and isolates HOME.
//
// usage: node scripts/vscode/run-tests.mjs [--suite main,e2e,untrusted] [--e2e <name part>] [--grep <mocha grep>]
//                                          [--no-build] [--keep] [--verbose]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startCodeServer, tail } from '../../test/vscode/harness/code-server.mjs';
import { runExtensionHostSuite } from '../../test/vscode/harness/ext-host-driver.mjs';
import { startStandin } from '../../test/vscode/harness/standin.mjs';
import { recordGroupsIn, runToEnd, spawnGroup, stopAll, stopGroup } from '../../test/vscode/harness/processes.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const { values: flags } = parseArgs({
  options: {
    suite: { type: 'string', default: 'main,e2e,untrusted' },
    e2e: { type: 'string' },
    grep: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const suites = new Set(
  flags.suite
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const suite of suites)
  if (!['main', 'e2e', 'untrusted'].includes(suite)) fail(`unknown suite "${suite}" (use main, e2e, untrusted)`);

const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const started = Date.now();
const log = (message) => console.log(`[vscode ${seconds(Date.now() - started)}] ${message}`);
function fail(message) {
  console.error(`[vscode] ${message}`);
  process.exit(1);
}

const suiteTimeoutMs = Number(process.env.PROMPTLAB_SUITE_TIMEOUT_MS ?? 600_000);
const e2eTimeoutMs = Number(process.env.PROMPTLAB_E2E_TIMEOUT_MS ?? 300_000);
const codeServer = process.env.PROMPTLAB_CODE_SERVER;
const node24Home = process.env.PROMPTLAB_NODE24_HOME;
if (!codeServer || !fs.existsSync(codeServer) || !node24Home || !fs.existsSync(node24Home))
  fail(
    'code-server / Node 24 not found: run through scripts/vscode/run-tests.sh (it runs scripts/vscode/setup.sh first)',
  );

const artifacts = path.join(root, '.artifacts');
for (const dir of ['logs', 'screenshots', 'vscode']) fs.mkdirSync(path.join(artifacts, dir), { recursive: true });
// Run folders of failed runs are kept for inspection; drop those older than a day.
for (const name of fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('promptlab-run-'))) {
  const dir = path.join(os.tmpdir(), name);
  if (Date.now() - fs.statSync(dir).mtimeMs > 86_400_000) fs.rmSync(dir, { recursive: true, force: true });
}
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-run-'));
recordGroupsIn(process.env.PROMPTLAB_PGID_FILE ?? path.join(runDir, 'process-groups'));

/** Files under `dir` (relative to root) whose names end with `suffix`, non-recursive, sorted. */
function filesIn(dir, suffix) {
  const abs = path.join(root, dir);
  return fs.existsSync(abs)
    ? fs
        .readdirSync(abs)
        .filter((n) => n.endsWith(suffix))
        .sort()
    : [];
}

/** A fresh copy of the workspace fixture, so no test sees another's edits. */
function copyWorkspace(name) {
  const target = path.join(runDir, 'workspaces', name);
  fs.cpSync(path.join(root, 'test/vscode/workspace'), target, { recursive: true });
  return target;
}

// Which mocha files belong to a suite is decided from the sources, so a stale bundle left in dist-test by a
// deleted test never runs.
const mochaFiles = {
  main: filesIn('test/vscode/suite', '.test.ts').map((n) => n.replace(/\.ts$/, '.js')),
  untrusted: filesIn('test/vscode/suite/untrusted', '.test.ts').map((n) => n.replace(/\.ts$/, '.js')),
};
const e2eFilter = (name) => !flags.e2e || name.includes(flags.e2e);
const e2eScripts = filesIn('test/e2e', '.e2e.mjs').filter(e2eFilter);
const trustedScripts = e2eScripts.filter((n) => !n.endsWith('.untrusted.e2e.mjs'));
const untrustedScripts = e2eScripts.filter((n) => n.endsWith('.untrusted.e2e.mjs'));

/** @type {{ label: string, passed: number, failed: number }[]} */
const results = [];
let problems = 0;

async function buildAndPackage() {
  await runToEnd(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, timeoutMs: 300_000 });
  // Packaged into the run folder (several runs may share the clone), then copied to .artifacts.
  const vsix = path.join(runDir, 'promptlab.vsix');
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  await runToEnd(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix], {
    cwd: root,
    timeoutMs: 300_000,
  });
  fs.copyFileSync(vsix, path.join(artifacts, 'promptlab.vsix'));
  log(`built and packaged .artifacts/promptlab.vsix (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);
  return vsix;
}

/** The test-only chat model provider (test/vscode/lm-provider), packaged for installing next to PromptLab. */
async function packageTestExtensions() {
  const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
  const lmProvider = path.join(runDir, 'promptlab-test-lm.vsix');
  await runToEnd(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', lmProvider],
    {
      cwd: path.join(root, 'test/vscode/lm-provider'),
      timeoutMs: 120_000,
    },
  );
  return [lmProvider];
}

async function runMochaSuite(server, suite, label, extraEnv) {
  const resultFile = path.join(runDir, `${suite}-result.json`);
  const testsIndex = path.join(root, 'dist-test/vscode/index.js');
  if (!fs.existsSync(testsIndex))
    fail('dist-test/vscode/index.js is missing: the build did not produce the mocha entry');
  log(`extension-host suite "${suite}" (${mochaFiles[suite].length} files) on ${server.baseUrl}`);
  const t0 = Date.now();
  const result = await runExtensionHostSuite({
    name: suite,
    baseUrl: server.baseUrl,
    workspace: copyWorkspace(suite),
    extensionPath: root,
    testsIndex,
    resultFile,
    timeoutMs: suiteTimeoutMs,
    verbose: flags.verbose,
    env: {
      ...extraEnv,
      PROMPTLAB_TEST_SUITE: suite === 'main' ? '' : suite,
      PROMPTLAB_TEST_FILES: JSON.stringify(mochaFiles[suite]),
      ...(flags.grep ? { PROMPTLAB_TEST_GREP: flags.grep } : {}),
    },
  });
  if (fs.existsSync(resultFile)) fs.copyFileSync(resultFile, path.join(artifacts, 'vscode', `${suite}-result.json`));
  if (result.problem) console.log(`[vscode] ${result.problem}`);
  let failed = result.failed;
  if (result.pending > 0) {
    console.log(`[vscode] ${result.pending} skipped test(s) in "${suite}": skipped checks count as failures`);
    failed += result.pending;
  }
  results.push({ label, passed: result.passed, failed });
  log(`suite "${suite}" done in ${seconds(Date.now() - t0)}`);
  return failed;
}

async function runE2EScripts(server, scripts, trusted, extraEnv, label) {
  let passed = 0;
  let failed = 0;
  for (const script of scripts) {
    const t0 = Date.now();
    log(`UI script ${script}`);
    const child = spawnGroup(process.execPath, [path.join(root, 'test/e2e', script)], {
      cwd: root,
      output: 'inherit',
      env: {
        ...process.env,
        ...extraEnv,
        PROMPTLAB_CODE_SERVER_URL: server.baseUrl,
        PROMPTLAB_WORKSPACE: copyWorkspace(script.replace(/\.mjs$/, '')),
        PROMPTLAB_WORKSPACE_TRUSTED: trusted ? '1' : '0',
        PROMPTLAB_ARTIFACTS: artifacts,
        // The server's user settings (shared by every UI script of this server): a script that changes
        // them through the UI checks them here and puts them back.
        PROMPTLAB_USER_SETTINGS: path.join(server.userDataDir, 'User', 'settings.json'),
      },
    });
    let timer;
    const code = await new Promise((resolve) => {
      timer = setTimeout(() => {
        console.log(`[vscode] ${script} did not finish within ${e2eTimeoutMs / 1000} s: stopped`);
        void stopGroup(child.pid);
      }, e2eTimeoutMs);
      child.once('exit', (exitCode) => resolve(exitCode ?? 1));
    });
    clearTimeout(timer);
    await stopGroup(child.pid); // a script that exits early must not leave its Chromium behind
    if (code === 0) passed++;
    else failed++;
    log(`${script}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds(Date.now() - t0)}`);
  }
  results.push({ label, passed, failed });
  return failed;
}

/** Test-only extensions installed next to PromptLab in every code-server. */
let testVsixes = [];

async function withServer(name, trusted, vsix, extraEnv, body) {
  const t0 = Date.now();
  const server = await startCodeServer({
    binary: codeServer,
    node24Home,
    runDir,
    name,
    trusted,
    vsix,
    testVsixes,
    extraEnv,
  });
  log(
    `code-server (${trusted ? 'trusted workspace' : 'Restricted Mode'}) up on ${server.baseUrl} in ${seconds(Date.now() - t0)}`,
  );
  try {
    const failed = await body(server);
    if (failed > 0 || flags.verbose)
      console.log(`--- last lines of ${name} code-server log ---\n${tail(server.logFile, 20)}`);
  } finally {
    await server.stop();
    fs.copyFileSync(server.logFile, path.join(artifacts, 'logs', `code-server-${name}.log`));
  }
}

try {
  const vsix = flags['no-build'] ? path.join(artifacts, 'promptlab.vsix') : await buildAndPackage();
  if (!fs.existsSync(vsix)) fail(`${vsix} is missing (run without --no-build)`);
  testVsixes = await packageTestExtensions();

  const extraEnv = {};
  const standinScript = path.join(root, 'dist/standin.js');
  if (fs.existsSync(standinScript)) {
    const standin = await startStandin({ script: standinScript, cwd: root, logFile: path.join(runDir, 'standin.log') });
    extraEnv.PROMPTLAB_STANDIN_URL = standin.url;
    log(`stand-in server at ${standin.url}`);
  } else {
    log('dist/standin.js not built: tests get no PROMPTLAB_STANDIN_URL');
  }

  const wantTrusted = (suites.has('main') && mochaFiles.main.length) || (suites.has('e2e') && trustedScripts.length);
  if (wantTrusted)
    await withServer('trusted', true, vsix, extraEnv, async (server) => {
      let failed = 0;
      if (suites.has('main') && mochaFiles.main.length)
        failed += await runMochaSuite(server, 'main', 'extension host, trusted workspace', extraEnv);
      if (suites.has('e2e') && trustedScripts.length)
        failed += await runE2EScripts(server, trustedScripts, true, extraEnv, 'UI end-to-end');
      return failed;
    });

  const wantUntrusted = suites.has('untrusted') && (mochaFiles.untrusted.length || untrustedScripts.length);
  if (wantUntrusted)
    await withServer('untrusted', false, vsix, extraEnv, async (server) => {
      let failed = 0;
      if (mochaFiles.untrusted.length)
        failed += await runMochaSuite(server, 'untrusted', 'extension host, Restricted Mode', extraEnv);
      if (untrustedScripts.length)
        failed += await runE2EScripts(server, untrustedScripts, false, extraEnv, 'UI end-to-end, Restricted Mode');
      return failed;
    });
} catch (err) {
  problems++;
  console.error(`[vscode] harness error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await stopAll();
}

if (results.length === 0 && problems === 0)
  console.log(`[vscode] no tests matched (--suite ${flags.suite}${flags.e2e ? ` --e2e ${flags.e2e}` : ''})`);
for (const r of results) console.log(`vscode: ${r.passed} passed, ${r.failed} failed (${r.label})`);
if (problems) console.log(`vscode: 0 passed, ${problems} failed (harness error)`);
const failedTotal = results.reduce((n, r) => n + r.failed, problems);
if (failedTotal === 0 && !flags.keep) fs.rmSync(runDir, { recursive: true, force: true });
else console.log(`[vscode] run folder kept for inspection: ${runDir}`);
log(`finished`);
process.exit(failedTotal === 0 && results.length > 0 ? 0 : 1);
