// Resume over the stand-in (real `openai` client, real sockets): only the missing and errored
// samples are requested again — the stand-in's request log proves it — and the run file ends
// complete. Bad input is refused before anything is sent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import { PromptLabError } from '../../../../src/core/errors';
import { isIncomplete, planResume, resumeRun } from '../../../../src/core/run/resume';
import { parseRunText, RunStore } from '../../../../src/core/store/runStore';
import { startStandin } from '../../../../src/standin/server';
import { casesYaml, promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

const fixture = standinFixture('resume');

const yaml = (count: number, extra = ''): string => `name: Resume test
model: openai/standin
messages:
  - role: user
    content: '{{input}}'
testData:
${casesYaml(count)}
evaluators:
  - name: echoes
    string:
      contains: '{{expected}}'
${extra}`;

/** The user message of every chat request the stand-in received since the last reset. */
function requestedInputs(): string[] {
  return fixture.standin.requests
    .filter((r) => r.path.endsWith('/chat/completions'))
    .map((r) => ((r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? '').toString());
}

async function expectRefusal(action: () => Promise<unknown>, message: RegExp): Promise<void> {
  fixture.standin.resetStats();
  await assert.rejects(action, (e: unknown) => e instanceof PromptLabError && message.test(e.message));
  assert.equal(fixture.standin.stats.requests, 0, `nothing sent for ${message}`);
}

void describe('resumeRun', () => {
  void it('runs only the errored cases again, appends them, and ends with a complete run', async () => {
    const prompt = await promptFrom(fixture.dir, 'errored.prompt.yml', yaml(5));
    const store = new RunStore(path.join(fixture.dir, 'runs-errored'));
    const resolver = standinResolver(fixture.standin.url);
    fixture.standin.setOptions({ failNext: [{ status: 500 }, { status: 500 }] });
    const first = await runPrompt({ prompt, resolver, store, concurrency: 1 });
    assert.deepEqual(
      first.cases.filter((c) => c.error !== undefined).map((c) => c.caseIndex),
      [0, 1],
    );
    assert.ok(first.runFile);
    const before = await store.load(first.runFile);
    assert.equal(isIncomplete(before), true);

    fixture.standin.resetStats();
    const resumed = await resumeRun({ run: before, prompt, resolver });
    assert.deepEqual(requestedInputs().sort(), ['question 0', 'question 1'], 'only the errored cases were requested');
    assert.equal(resumed.kept, 3);
    assert.equal(resumed.ran, 2);
    assert.equal(resumed.summary.passedTests, 5);
    assert.equal(resumed.summary.erroredTests, 0);

    const after = await store.load(first.runFile);
    assert.equal(after.finished, true);
    assert.equal(after.cases.length, 5, 'one case per index: the new lines replaced the errored ones');
    assert.ok(after.cases.every((c) => c.passed));
    assert.deepEqual(
      after.records.map((r) => [r.type, r.kept, r.pending]),
      [['resume', 3, [0, 1]]],
    );
    assert.equal(after.summary.passedTests, 5);
    assert.equal(isIncomplete(after), false);
    // Kept cases are exactly the stored ones (not requested, not rewritten).
    for (const c of before.cases.filter((r) => r.error === undefined))
      assert.deepEqual(
        after.cases.find((r) => r.caseIndex === c.caseIndex),
        c,
      );

    fixture.standin.resetStats();
    const completeText = fs.readFileSync(first.runFile, 'utf8');
    const again = await resumeRun({ run: after, prompt, resolver });
    assert.equal(again.resumed, false);
    assert.equal(fixture.standin.stats.requests, 0, 'a complete run sends nothing');
    assert.equal(fs.readFileSync(first.runFile, 'utf8'), completeText, 'and writes nothing');
  });

  void it('completes a run cut short (as kill -9 leaves it), requesting only the cases with no line', async () => {
    const prompt = await promptFrom(fixture.dir, 'killed.prompt.yml', yaml(6));
    const store = new RunStore(path.join(fixture.dir, 'runs-killed'));
    const resolver = standinResolver(fixture.standin.url);
    const full = await runPrompt({ prompt, resolver, store, concurrency: 1 });
    assert.ok(full.runFile);
    // Keep the header and the first two case lines, then half a line: what a kill mid-write leaves.
    const lines = fs.readFileSync(full.runFile, 'utf8').split('\n');
    fs.writeFileSync(full.runFile, `${lines.slice(0, 3).join('\n')}\n${(lines[3] ?? '').slice(0, 30)}`);
    const cut = await store.load(full.runFile);
    assert.equal(cut.cases.length, 2);
    assert.equal(cut.finished, false);

    fixture.standin.resetStats();
    const resumed = await resumeRun({ run: cut, prompt, resolver, concurrency: 2 });
    const kept = cut.cases.map((c) => `question ${c.caseIndex}`);
    assert.equal(requestedInputs().length, 4);
    assert.ok(
      requestedInputs().every((input) => !kept.includes(input)),
      'no finished case was requested again',
    );
    assert.equal(resumed.summary.totalTests, 6);
    const loaded = await store.load(full.runFile);
    assert.equal(loaded.finished, true);
    assert.deepEqual(loaded.cases.map((c) => c.caseIndex).sort(), [0, 1, 2, 3, 4, 5]);
    assert.ok(
      loaded.warnings.some((w) => /not valid JSON/.test(w)),
      'the torn line was ended and skipped, not glued to the resume record',
    );
  });

  void it('with repeat, keeps the samples that replied and requests only the failed sample', async () => {
    const prompt = await promptFrom(fixture.dir, 'repeat.prompt.yml', yaml(2, 'repeat: 3\n'));
    const store = new RunStore(path.join(fixture.dir, 'runs-repeat'));
    const resolver = standinResolver(fixture.standin.url);
    fixture.standin.setOptions({ failNext: [{ status: 500 }] });
    const first = await runPrompt({ prompt, resolver, store, concurrency: 1 });
    const partial = first.cases.find((c) => c.samples.some((s) => s.error !== undefined));
    assert.ok(partial && first.runFile);
    const run = await store.load(first.runFile);
    const plan = planResume(run, prompt);
    assert.equal(plan.pendingSamples, 1);

    fixture.standin.resetStats();
    const resumed = await resumeRun({ run, prompt, resolver });
    assert.equal(fixture.standin.stats.chatRequests, 1);
    const completed = resumed.cases.find((c) => c.caseIndex === partial.caseIndex);
    assert.ok(completed);
    assert.deepEqual(
      completed.samples.map((s) => s.sample),
      [0, 1, 2],
    );
    assert.ok(completed.samples.every((s) => s.error === undefined));
    for (const s of partial.samples.filter((x) => x.error === undefined))
      assert.deepEqual(completed.samples[s.sample], s, 'kept samples unchanged');
  });

  void it('refuses, sending nothing, a run of another prompt, of another revision, or with another model, repeat or endpoint', async () => {
    const prompt = await promptFrom(fixture.dir, 'owner.prompt.yml', yaml(3));
    const store = new RunStore(path.join(fixture.dir, 'runs-refuse'));
    const resolver = standinResolver(fixture.standin.url);
    fixture.standin.setOptions({ failNext: [{ status: 500 }] });
    const first = await runPrompt({ prompt, resolver, store, concurrency: 1 });
    assert.ok(first.runFile);
    const run = await store.load(first.runFile);

    const other = await promptFrom(fixture.dir, 'other.prompt.yml', yaml(3, '# another prompt\n'));
    await expectRefusal(
      () => resumeRun({ run, prompt: other, resolver }),
      /belongs to another prompt file \(.*owner\.prompt\.yml\)/,
    );
    const edited = await promptFrom(fixture.dir, 'owner.prompt.yml', yaml(3, '# edited since\n'));
    await expectRefusal(
      () => resumeRun({ run, prompt: edited, resolver }),
      /owner\.prompt\.yml is not the revision run .* was made with: its content changed/,
    );
    const original = await promptFrom(fixture.dir, 'owner.prompt.yml', yaml(3));
    await expectRefusal(
      () => resumeRun({ run, prompt: original, resolver, model: 'openai/other' }),
      /was made with model openai\/standin; --model openai\/other/,
    );
    await expectRefusal(
      () => resumeRun({ run, prompt: original, resolver, repeat: 2 }),
      /takes 1 sample per case; --repeat 2/,
    );
    const elsewhere = await startStandin();
    try {
      await expectRefusal(
        () => resumeRun({ run, prompt: original, resolver: standinResolver(elsewhere.url) }),
        /was made against http:\/\/127\.0\.0\.1:\d+; openai\/standin now goes to/,
      );
      assert.equal(elsewhere.stats.requests, 0);
    } finally {
      await elsewhere.close();
    }
    assert.throws(
      () => parseRunText('/x/notes.jsonl', '{"hello":1}\n'),
      (e: unknown) =>
        e instanceof PromptLabError &&
        /^not a PromptLab run file/.test(e.message) &&
        e.location?.file === '/x/notes.jsonl',
    );
    // The run file is untouched by the refusals.
    assert.equal((await store.load(first.runFile)).records.length, 0);
  });

  void it('resumes a run of selected cases with those cases only', async () => {
    const prompt = await promptFrom(fixture.dir, 'subset.prompt.yml', yaml(5));
    const store = new RunStore(path.join(fixture.dir, 'runs-subset'));
    const resolver = standinResolver(fixture.standin.url);
    fixture.standin.setOptions({ failNext: [{ status: 500 }] });
    const first = await runPrompt({ prompt, resolver, store, concurrency: 1, caseIndexes: [3, 1] });
    assert.ok(first.runFile);
    assert.deepEqual(first.header.caseIndexes, [1, 3]);
    fixture.standin.resetStats();
    const resumed = await resumeRun({ run: await store.load(first.runFile), prompt, resolver });
    assert.deepEqual(requestedInputs(), ['question 1']);
    assert.deepEqual(
      resumed.cases.map((c) => c.caseIndex),
      [1, 3],
    );
  });
});
