// The nine gh-models example files, run end to end on the stand-in with gh-models verdict rules.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import { loadPromptFile } from '../../../../src/core/promptfile';
import { type Standin, startStandin } from '../../../../src/standin/server';
import { standinResolver } from '../../support/standinSetup';
import { REPO_ROOT } from '../../support/repoRoot';

const examples = path.join(REPO_ROOT, 'test', 'fixtures', 'gh-models-examples');
let standin: Standin;

before(async () => {
  standin = await startStandin();
});
after(async () => {
  await standin.close();
});

async function run(name: string) {
  const { prompt, diagnostics } = await loadPromptFile(path.join(examples, name));
  assert.ok(prompt, `${name} did not load: ${JSON.stringify(diagnostics)}`);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return runPrompt({ prompt, resolver: standinResolver(standin.url), concurrency: 2 });
}

void describe('gh-models example files on the stand-in', () => {
  void it('files without testData run no case and pass (100%)', async () => {
    for (const name of [
      'advanced_template_prompt.prompt.yml',
      'template_variables_prompt.prompt.yml',
      'test_generate.prompt.yml',
    ]) {
      const outcome = await run(name);
      assert.equal(outcome.summary.totalTests, 0, name);
      assert.equal(outcome.summary.passRate, 100, name);
    }
  });

  void it('failing_test_prompt fails every case (contains / startsWith that never match)', async () => {
    const outcome = await run('failing_test_prompt.prompt.yml');
    assert.equal(outcome.summary.totalTests, 2);
    assert.equal(outcome.summary.passedTests, 0);
    assert.equal(outcome.summary.passRate, 0);
    assert.deepEqual(
      outcome.cases[0]?.samples[0]?.evaluations.map((e) => [e.evaluatorName, e.score, e.passed]),
      [
        ['contains-impossible', 0, false],
        ['starts-with-wrong', 0, false],
      ],
    );
  });

  void it('json_response_prompt and json_schema_prompt pass with JSON replies', async () => {
    const json = await run('json_response_prompt.prompt.yml');
    assert.equal(json.summary.passedTests, 2);
    assert.ok(json.cases.every((c) => c.samples[0]?.output.startsWith('{')));
    const schema = await run('json_schema_prompt.prompt.yml');
    assert.equal(schema.summary.passedTests, 3);
    assert.deepEqual(Object.keys(JSON.parse(schema.cases[0]?.samples[0]?.output ?? '{}') as object).sort(), [
      'characteristics',
      'diet',
      'habitat',
      'name',
    ]);
  });

  void it('sample_prompt templates the string criterion per case and judges similarity', async () => {
    const outcome = await run('sample_prompt.prompt.yml');
    assert.equal(outcome.summary.passedTests, 2);
    assert.equal(outcome.cases[1]?.samples[0]?.evaluations[0]?.details, "Expected to contain: 'goodbye'");
    assert.equal(outcome.cases[0]?.samples[0]?.evaluations[1]?.score, 0.75);
  });

  void it('test_builtins and test_single_evaluator run every built-in judge on the default judge model', async () => {
    standin.resetStats();
    const builtins = await run('test_builtins.prompt.yml');
    const evaluations = builtins.cases[0]?.samples[0]?.evaluations ?? [];
    assert.deepEqual(
      evaluations.map((e) => e.evaluatorName),
      ['similarity test', 'coherence test', 'fluency test', 'relevance test', 'groundedness test'],
    );
    assert.ok(evaluations.every((e) => e.score === 0.75 && e.passed && !e.error));
    // One reply + five judge requests, the judges on gpt-4o (gh-models' judge model).
    assert.equal(standin.stats.chatRequests, 6);
    const judgeModels = standin.requests.slice(1).map((r) => (r.body as { model: string }).model);
    assert.deepEqual(judgeModels, ['gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-4o', 'gpt-4o']);
    assert.ok(standin.requests.slice(1).every((r) => r.rule === 'judge'));
    const single = await run('test_single_evaluator.prompt.yml');
    assert.equal(single.summary.passRate, 100);
  });
});
