// Revision and model comparisons end to end: real git repositories in temp folders, real runs through
// runPrompt and the openai client against the stand-in server (two "models" with different replies).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { compareRevisions, loadRevisionPrompt } from '../../../../src/core/compare/revisions';
import { runOnModels } from '../../../../src/core/compare/models';
import { compareRuns, shouldFail } from '../../../../src/core/compare/compare';
import { buildMatrix } from '../../../../src/core/compare/matrix';
import { PromptLabError } from '../../../../src/core/errors';
import { parsePromptFile } from '../../../../src/core/promptfile';
import { RunStore } from '../../../../src/core/store/runStore';
import { standinResolver, standinFixture } from '../../support/standinSetup';
import { makeRepo, tempDir } from '../../support/gitRepo';

const promptYaml = (instruction: string, names = ['Ann', 'Bob', 'Cy']): string => `name: Greeter
model: openai/standin
messages:
  - role: user
    content: '${instruction} {{name}}'
testData:
${names.map((n) => `  - name: ${n}`).join('\n')}
evaluators:
  - name: says hello
    string:
      contains: Hello
`;

void describe('compare with the stand-in', () => {
  const fixture = standinFixture('compare-engine', { latencyMs: 0 });

  void it('compares a revision (renamed since) with the working copy on the working copy’s cases', async () => {
    const repo = makeRepo();
    try {
      repo.write('prompts/old-greeter.prompt.yml', promptYaml('Say Hello to'));
      const first = repo.commit('greeter v1');
      repo.git('mv', 'prompts/old-greeter.prompt.yml', 'prompts/greeter.prompt.yml');
      repo.commit('rename');
      // Working copy: a worse instruction and one more case.
      const file = repo.write('prompts/greeter.prompt.yml', promptYaml('Say Bye to', ['Ann', 'Bob', 'Cy', 'Dee']));
      const store = new RunStore(path.join(repo.root, '.promptlab', 'runs'));
      const result = await compareRevisions({
        file,
        revision: 'HEAD~1',
        run: { resolver: standinResolver(fixture.standin.url), store, workspaceRoot: repo.root },
      });

      assert.equal(result.revision.commit, first);
      assert.equal(result.revision.relativePath, 'prompts/old-greeter.prompt.yml');
      assert.equal(result.base.header.git?.commit, first);
      assert.equal(result.base.header.git?.revision, 'HEAD~1');
      assert.equal(result.base.header.git?.dirty, false);
      assert.match(result.base.header.label ?? '', /^HEAD~1 \([0-9a-f]{7,}\)$/);
      assert.equal(result.working.header.label, 'working copy');
      // Both versions ran the working copy's four cases.
      assert.equal(result.base.cases.length, 4);
      assert.equal(result.base.cases[3]?.samples[0]?.output, 'Echo: Say Hello to Dee');
      assert.equal(result.working.cases[3]?.samples[0]?.output, 'Echo: Say Bye to Dee');

      const c = result.comparison;
      assert.equal(c.warnings.length, 0, c.warnings.join('\n'));
      assert.equal(c.counts.regressions, 4);
      assert.equal(c.rows[0]?.class, 'regression');
      assert.deepEqual(c.rows[0]?.diff?.segments, [
        { op: 'equal', text: 'Echo: Say ' },
        { op: 'delete', text: 'Hello' },
        { op: 'insert', text: 'Bye' },
        { op: 'equal', text: ' to Ann' },
      ]);
      assert.equal(c.rows[0]?.evaluators[0]?.change, 'broke');
      assert.equal(shouldFail(c, 'regressions'), true);
      // Both runs were stored and load back to the same comparison.
      const [loadedA, loadedB] = await Promise.all([
        store.load(result.base.runFile as string),
        store.load(result.working.runFile as string),
      ]);
      assert.deepEqual(compareRuns(loadedA, loadedB).counts, c.counts);
      // The working tree is untouched.
      assert.equal(repo.git('status', '--porcelain', '--', 'prompts'), ' M prompts/greeter.prompt.yml\n');
    } finally {
      repo.remove();
    }
  });

  void it('revision cases: each version runs its own test data, read at that revision', async () => {
    const repo = makeRepo();
    try {
      repo.write('p/cases.jsonl', '{"name":"Ann"}\n');
      repo.write(
        'p/g.prompt.yml',
        promptYaml('Say Hello to').replace(/testData:[\s\S]*?evaluators:/, 'testData: cases.jsonl\nevaluators:'),
      );
      repo.commit('v1');
      repo.write('p/cases.jsonl', '{"name":"Ann"}\n{"name":"Zed"}\n');
      const file = path.join(repo.root, 'p/g.prompt.yml');
      const base = await loadRevisionPrompt(file, 'HEAD');
      assert.deepEqual(
        base.prompt.testData.map((t) => t.vars),
        [{ name: 'Ann' }],
      );
      assert.equal(base.prompt.path, file);
      const result = await compareRevisions({
        file,
        cases: 'revision',
        run: { resolver: standinResolver(fixture.standin.url) },
      });
      assert.equal(result.base.cases.length, 1);
      assert.equal(result.working.cases.length, 2);
      assert.deepEqual(
        result.comparison.onlyInB.map((u) => u.label),
        ['case 2'],
      );
      assert.equal(result.comparison.counts.unchanged, 1);
    } finally {
      repo.remove();
    }
  });

  void it('a revision with errors is reported with its location, not run', async () => {
    const repo = makeRepo();
    try {
      repo.write('bad.prompt.yml', 'name: x\nmessages: 3\n');
      repo.commit('broken');
      const file = repo.write('bad.prompt.yml', promptYaml('Say Hello to'));
      await assert.rejects(
        compareRevisions({ file, run: { resolver: standinResolver(fixture.standin.url) } }),
        (e: unknown) =>
          e instanceof PromptLabError &&
          /bad\.prompt\.yml at HEAD \([0-9a-f]+\) has errors/.test(e.message) &&
          e.location?.range !== undefined,
      );
    } finally {
      repo.remove();
    }
  });

  void it('compares two models with different replies, and three as a matrix', async () => {
    const dir = tempDir('promptlab-models-');
    try {
      const file = path.join(dir, 'greeter.prompt.yml');
      const text = promptYaml('Say Hello to');
      fs.writeFileSync(file, text);
      const { prompt } = await parsePromptFile(file, text);
      assert.ok(prompt);
      const resolver = standinResolver(fixture.standin.url);
      const [good, bad, upper] = await runOnModels({
        prompt,
        models: ['openai/standin', 'openai/standin-bad', 'openai/standin-upper'],
        run: { resolver },
      });
      assert.ok(good && bad && upper);
      assert.equal(bad.cases[0]?.samples[0]?.output, 'Sorry, I cannot help with that.');
      const c = compareRuns(good, bad);
      assert.deepEqual(c.counts, { regressions: 3, improvements: 0, unchanged: 0, regressionsBeyondNoise: 3 });
      assert.equal(c.a.label, 'openai/standin');
      assert.equal(c.b.label, 'openai/standin-bad');
      assert.equal(c.deltas.passRate, -100);
      const m = buildMatrix([good, bad, upper]);
      assert.deepEqual(
        m.columns.map((col) => col.model),
        ['openai/standin', 'openai/standin-bad', 'openai/standin-upper'],
      );
      // standin-upper says "ECHO: SAY HELLO TO ANN": string checks ignore case (gh-models), so it passes.
      assert.equal(upper.cases[0]?.samples[0]?.output, 'ECHO: SAY HELLO TO ANN');
      assert.deepEqual(
        m.rows[0]?.cells.map((cell) => cell?.passed),
        [true, false, true],
      );
      assert.equal(m.rows[0]?.disagreement, true);
      await assert.rejects(
        runOnModels({ prompt, models: ['openai/standin', ' openai/standin '], run: { resolver } }),
        /at least two different models/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
