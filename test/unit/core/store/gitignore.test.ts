// `.promptlab/` is written with its own .gitignore: runs and cache are ignored by git by default,
// and a user's edit of that file is never overwritten.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ResponseCache } from '../../../../src/core/store/cache';
import { PROMPTLAB_GITIGNORE } from '../../../../src/core/store/gitignore';
import { RunStore } from '../../../../src/core/store/runStore';
import { header } from '../../support/runBuilders';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

void test('a run and a cache entry in a git workspace leave git status clean, except the .gitignore itself', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-gitignore-'));
  try {
    git(root, 'init', '-q');
    const writer = new RunStore(RunStore.defaultDir(root)).create(header({ runId: 'r1' }));
    writer.close();
    await new ResponseCache(ResponseCache.defaultDir(root)).set('a'.repeat(64), { text: 'hi' });
    assert.equal(fs.readFileSync(path.join(root, '.promptlab', '.gitignore'), 'utf8'), PROMPTLAB_GITIGNORE);
    const status = git(root, 'status', '--porcelain', '--untracked-files=all').trim().split('\n');
    assert.deepEqual(status, ['?? .promptlab/.gitignore']);
    assert.equal(git(root, 'check-ignore', '.promptlab/runs/r1.jsonl').trim(), '.promptlab/runs/r1.jsonl');

    // The user's choice stands: an edited .gitignore is never rewritten.
    fs.writeFileSync(path.join(root, '.promptlab', '.gitignore'), 'cache/\n');
    new RunStore(RunStore.defaultDir(root)).create(header({ runId: 'r2' })).close();
    assert.equal(fs.readFileSync(path.join(root, '.promptlab', '.gitignore'), 'utf8'), 'cache/\n');
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

void test('a run directory outside a .promptlab folder gets no .gitignore', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-gitignore-'));
  try {
    new RunStore(path.join(root, 'my-runs')).create(header({ runId: 'r1' })).close();
    assert.deepEqual(fs.readdirSync(root), ['my-runs']);
    assert.equal(fs.existsSync(path.join(root, 'my-runs', '.gitignore')), false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
