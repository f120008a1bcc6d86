import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { gitInfo } from '../../../src/core/git';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-git-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args],
    { cwd, encoding: 'utf8' },
  ).trim();

void describe('gitInfo', () => {
  void it('gives commit, path in the repository and the file’s dirty state', async () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'prompts'), { recursive: true });
    git(repo, 'init', '-q');
    const file = path.join(repo, 'prompts', 'a.prompt.yml');
    fs.writeFileSync(file, 'model: x\n');
    fs.writeFileSync(path.join(repo, 'other.txt'), 'x');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    const head = git(repo, 'rev-parse', 'HEAD');

    const clean = await gitInfo(file);
    assert.deepEqual(clean, { commit: head, dirty: false, root: clean?.root, relativePath: 'prompts/a.prompt.yml' });
    assert.equal(fs.realpathSync(clean?.root ?? ''), fs.realpathSync(repo));

    // Another file's changes do not make this prompt dirty; its own do.
    fs.writeFileSync(path.join(repo, 'other.txt'), 'changed');
    assert.equal((await gitInfo(file))?.dirty, false);
    fs.appendFileSync(file, 'messages: []\n');
    assert.equal((await gitInfo(file))?.dirty, true);

    // An untracked file is dirty too.
    const untracked = path.join(repo, 'prompts', 'new.prompt.yml');
    fs.writeFileSync(untracked, 'model: y\n');
    assert.equal((await gitInfo(untracked))?.dirty, true);
  });

  void it('is undefined outside a repository and in a repository without commits', async () => {
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'a.prompt.yml'), 'x');
    assert.equal(await gitInfo(path.join(plain, 'a.prompt.yml')), undefined);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    git(empty, 'init', '-q');
    fs.writeFileSync(path.join(empty, 'a.prompt.yml'), 'x');
    assert.equal(await gitInfo(path.join(empty, 'a.prompt.yml')), undefined);
  });
});
