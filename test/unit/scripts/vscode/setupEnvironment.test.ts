// The VS Code harness set-up runs nested npm installs (code-server's postinstall reads the Node version from
// npm_config_user_agent). Started from `npm test`, the outer npm's variables describe another Node and another
// folder: the set-up must give nested tools an environment of their own (scripts/vscode/env.sh).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../support/repoRoot';

const SETUP = path.join(REPO_ROOT, 'scripts', 'vscode', 'setup.sh');
const CHECK_DIR = path.join(REPO_ROOT, 'scripts', 'vscode', 'own-env-check');

/** What an outer npm on another Node exports to its scripts, made deliberately wrong. */
const MISLEADING = {
  npm_config_user_agent: 'npm/10.0.0 node/v18.0.0 linux x64 workspaces/false',
  npm_config_local_prefix: REPO_ROOT,
  npm_config_nodedir: '/nonexistent/node-v18',
  npm_execpath: '/nonexistent/npm-cli.js',
  npm_node_execpath: '/nonexistent/node',
  NODE: '/nonexistent/node',
};

function run(command: string, args: string[], cwd: string, cache: string) {
  return spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PROMPTLAB_TEST_CACHE: cache, ...MISLEADING },
  });
}

void test('set-up: a nested npm describes its own Node and folder despite a misleading outer npm', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-setup-env-'));
  try {
    const result = run('bash', [SETUP, '--check-environment'], REPO_ROOT, cache);
    assert.equal(result.status, 0, `setup.sh --check-environment failed:\n${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\[own-env-check\] ok: npm [0-9.]+ on Node v[0-9.]+/);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

void test('set-up check: the same variables, left in place, are caught (so the test above can fail)', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-setup-env-'));
  try {
    const result = run('npm', ['run', '-s', 'check'], CHECK_DIR, cache);
    assert.equal(result.status, 1, `the check passed with a misleading environment:\n${result.stdout}`);
    assert.match(result.stderr, /npm_config_user_agent names Node v18\.0\.0 but Node v[0-9.]+ runs/);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});

void test('set-up: a failed step names the step, the command and the log lines that explain it', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-setup-env-'));
  try {
    // A check folder whose script fails stands in for a failing install: same reporting path.
    const script = [
      `. ${JSON.stringify(path.join(REPO_ROOT, 'scripts', 'vscode', 'env.sh'))}`,
      `eval "$(sed -n '/^step_failed()/,/^}/p' ${JSON.stringify(SETUP)})"`,
      `printf 'noise\\nnpm error ERROR: code-server currently requires node v24.\\nmore\\n' > "$PROMPTLAB_TEST_CACHE/x.log"`,
      `step_failed code-server "$PROMPTLAB_TEST_CACHE/x.log" npm install code-server@1.2.3`,
    ].join('\n');
    const result = run('bash', ['-c', script], REPO_ROOT, cache);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /step 'code-server' failed: npm install code-server@1\.2\.3/);
    assert.match(
      result.stderr,
      /what the log says:\n\[setup\] {3}npm error ERROR: code-server currently requires node v24\./,
    );
    assert.doesNotMatch(result.stderr, /noise/);
    assert.match(result.stderr, /full log: .*x\.log/);
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
});
