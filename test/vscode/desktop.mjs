// The extension-host mocha suites in DESKTOP VS Code through @vscode/test-electron, for contributors whose
// machines can download VS Code (it goes to update.code.visualstudio.com). Same tests as the code-server
// route (npm test): the main suite in a trusted workspace, then test/vscode/suite/untrusted in Restricted Mode.
//   npm run test:desktop                      (downloads the latest stable VS Code into .vscode-test/)
//   PROMPTLAB_VSCODE_EXECUTABLE=/path/to/code npm run test:desktop      (uses an installed VS Code instead)
//   PROMPTLAB_VSCODE_VERSION=1.90.0 npm run test:desktop                 (a specific version)
import { runTests } from '@vscode/test-electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandin } from './harness/standin.mjs';
import { stopAll } from './harness/processes.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const testsIndex = path.join(root, 'dist-test/vscode/index.js');
if (!fs.existsSync(testsIndex)) {
  console.error('dist-test/vscode/index.js is missing: run `node scripts/build.mjs` first');
  process.exit(1);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-desktop-'));
const testFiles = (dir) =>
  fs.existsSync(path.join(root, dir))
    ? fs
        .readdirSync(path.join(root, dir))
        .filter((n) => n.endsWith('.test.ts'))
        .map((n) => n.replace(/\.ts$/, '.js'))
    : [];

/** A fresh user-data folder, so no earlier trust decision or state leaks into the run. */
function userDataDir(name, trusted) {
  const dir = path.join(scratch, name, 'user-data');
  fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
  const settings = trusted
    ? { 'security.workspace.trust.enabled': false }
    : { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' };
  fs.writeFileSync(
    path.join(dir, 'User', 'settings.json'),
    JSON.stringify({ ...settings, 'workbench.startupEditor': 'none', 'update.mode': 'none' }),
  );
  return dir;
}

function copyWorkspace(name) {
  const target = path.join(scratch, name, 'workspace');
  fs.cpSync(path.join(root, 'test/vscode/workspace'), target, { recursive: true });
  return target;
}

const download = process.env.PROMPTLAB_VSCODE_EXECUTABLE
  ? { vscodeExecutablePath: process.env.PROMPTLAB_VSCODE_EXECUTABLE }
  : { version: process.env.PROMPTLAB_VSCODE_VERSION ?? 'stable', timeout: 30_000 };

const results = [];
let exitCode = 0;
try {
  const extraEnv = {};
  const standinScript = path.join(root, 'dist/standin.js');
  if (fs.existsSync(standinScript)) {
    const standin = await startStandin({
      script: standinScript,
      cwd: root,
      logFile: path.join(scratch, 'standin.log'),
    });
    extraEnv.PROMPTLAB_STANDIN_URL = standin.url;
  }
  const suites = [
    { suite: 'main', trusted: true, files: testFiles('test/vscode/suite') },
    { suite: 'untrusted', trusted: false, files: testFiles('test/vscode/suite/untrusted') },
  ].filter((s) => s.files.length > 0);

  for (const { suite, trusted, files } of suites) {
    const resultFile = path.join(scratch, `${suite}-result.json`);
    console.log(`[desktop] ${suite} suite (${trusted ? 'trusted workspace' : 'Restricted Mode'})`);
    try {
      await runTests({
        ...download,
        extensionDevelopmentPath: root,
        extensionTestsPath: testsIndex,
        extensionTestsEnv: {
          ...extraEnv,
          PROMPTLAB_TEST_SUITE: suite === 'main' ? '' : suite,
          PROMPTLAB_TEST_FILES: JSON.stringify(files),
          PROMPTLAB_TEST_RESULT_FILE: resultFile,
          PROMPTLAB_TEST_PLAIN: '1',
        },
        launchArgs: [
          copyWorkspace(suite),
          '--user-data-dir',
          userDataDir(suite, trusted),
          '--disable-extensions', // other installed extensions stay out of the run
          ...(trusted ? ['--disable-workspace-trust'] : []),
        ],
      });
    } catch (err) {
      if (!fs.existsSync(resultFile)) throw err; // VS Code never ran the tests: a download or launch problem
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    results.push({ label: `desktop, ${suite}`, passed: result.passed, failed: result.failed + result.pending });
  }
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  const downloading = !process.env.PROMPTLAB_VSCODE_EXECUTABLE;
  console.error(`\n[desktop] could not run desktop VS Code: ${message}`);
  if (downloading)
    console.error(
      '[desktop] @vscode/test-electron downloads VS Code from update.code.visualstudio.com, which this machine cannot reach.\n' +
        '[desktop] Use `npm test` (runs the same suites in code-server, installed from the npm registry), or point\n' +
        '[desktop] PROMPTLAB_VSCODE_EXECUTABLE at an installed VS Code binary.',
    );
  exitCode = 1;
} finally {
  await stopAll();
  fs.rmSync(scratch, { recursive: true, force: true });
}
for (const r of results) console.log(`vscode: ${r.passed} passed, ${r.failed} failed (${r.label})`);
if (results.some((r) => r.failed > 0)) exitCode = 1;
process.exit(exitCode);
