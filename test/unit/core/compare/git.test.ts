import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PromptLabError } from '../../../../src/core/errors';
import {
  fileHistory,
  locateInRepository,
  readFileAtRevision,
  resolveRevision,
  revisionReader,
} from '../../../../src/core/compare/git';
import { makeRepo, tempDir } from '../../support/gitRepo';

void describe('git access for revision comparisons', () => {
  const repo = makeRepo();
  repo.write('prompts/old.prompt.yml', 'name: v1\n');
  repo.write('prompts/data.jsonl', '{"x":1}\n');
  const c1 = repo.commit('first');
  repo.write('prompts/old.prompt.yml', 'name: v2\n');
  const c2 = repo.commit('second');
  repo.git('mv', 'prompts/old.prompt.yml', 'prompts/new.prompt.yml');
  const c3 = repo.commit('rename');
  const file = repo.write('prompts/new.prompt.yml', 'name: v3\n');
  const c4 = repo.commit('third');
  repo.write('prompts/new.prompt.yml', 'name: working\n');
  after(() => repo.remove());

  void it('lists history newest first, following the rename, with each commit’s path', async () => {
    const history = await fileHistory(file);
    assert.deepEqual(
      history.map((h) => h.commit),
      [c4, c3, c2, c1],
    );
    assert.deepEqual(
      history.map((h) => h.subject),
      ['third', 'rename', 'second', 'first'],
    );
    assert.deepEqual(
      history.map((h) => h.path),
      ['prompts/new.prompt.yml', 'prompts/new.prompt.yml', 'prompts/old.prompt.yml', 'prompts/old.prompt.yml'],
    );
    assert.equal(history[0]?.author, 'PromptLab Test');
    assert.match(history[0]?.date ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.equal(history[0]?.shortCommit, c4.slice(0, history[0]?.shortCommit.length));
  });

  void it('reads the file at a revision under the name it had then, never touching the working tree', async () => {
    const atHead = await readFileAtRevision(file, 'HEAD');
    assert.equal(atHead.text, 'name: v3\n');
    const beforeRename = await readFileAtRevision(file, 'HEAD~2');
    assert.equal(beforeRename.text, 'name: v2\n');
    assert.equal(beforeRename.relativePath, 'prompts/old.prompt.yml');
    assert.equal(beforeRename.commit, c2);
    assert.equal((await readFileAtRevision(file, c1.slice(0, 8))).text, 'name: v1\n');
    assert.equal(fs.readFileSync(file, 'utf8'), 'name: working\n');
    assert.equal(repo.git('status', '--porcelain'), ' M prompts/new.prompt.yml\n');
  });

  void it('reads referenced files at the revision', async () => {
    repo.write('prompts/data.jsonl', '{"x":2}\n');
    const reader = revisionReader(repo.root, c1);
    assert.equal(await reader.readFile(path.join(repo.root, 'prompts/data.jsonl')), '{"x":1}\n');
    await assert.rejects(reader.readFile(path.join(repo.root, 'prompts/missing.jsonl')), /does not exist at revision/);
    repo.git('checkout', '-q', '--', 'prompts/data.jsonl');
  });

  void it('explains unknown revisions and revisions before the file existed', async () => {
    await assert.rejects(
      resolveRevision(repo.root, 'no-such-branch'),
      (e: unknown) => e instanceof PromptLabError && /Unknown git revision 'no-such-branch'/.test(e.message),
    );
    await assert.rejects(resolveRevision(repo.root, '--output=x'), /is not a git revision/);
    const other = repo.write('later.prompt.yml', 'name: later\n');
    repo.commit('later file');
    await assert.rejects(readFileAtRevision(other, 'HEAD~1'), /later\.prompt\.yml did not exist at revision HEAD~1/);
  });

  void it('says so when the file is untracked', async () => {
    const untracked = repo.write('prompts/fresh.prompt.yml', 'name: fresh\n');
    await assert.rejects(
      locateInRepository(untracked),
      (e: unknown) =>
        e instanceof PromptLabError && /is not tracked by git yet/.test(e.message) && /git add/.test(e.hint ?? ''),
    );
    await assert.rejects(fileHistory(untracked), /not tracked/);
  });

  void it('says so when the file is not in a repository', async () => {
    const dir = tempDir('promptlab-norepo-');
    try {
      const loose = path.join(dir, 'loose.prompt.yml');
      fs.writeFileSync(loose, 'name: x\n');
      await assert.rejects(
        readFileAtRevision(loose, 'HEAD'),
        (e: unknown) => e instanceof PromptLabError && /is not inside a git repository/.test(e.message),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  void it('says so when git is missing', async () => {
    const saved = process.env.PATH;
    const empty = tempDir('promptlab-nogit-');
    process.env.PATH = empty;
    try {
      await assert.rejects(
        locateInRepository(file),
        (e: unknown) => e instanceof PromptLabError && /git was not found on PATH/.test(e.message),
      );
    } finally {
      process.env.PATH = saved;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
