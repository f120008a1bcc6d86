// Judges and embeddings through the real provider to the stand-in (real sockets).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import { type EvaluationContext, evaluate } from '../../../../src/core/evaluators';
import type { EvaluatorSpec } from '../../../../src/core/model';
import { closedPortURL, promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
const fixture = standinFixture('judge');

function context(output: string, vars: Record<string, unknown> = {}): EvaluationContext {
  const resolver = standinResolver(fixture.standin.url);
  return {
    vars,
    output,
    latencyMs: 1,
    costUsd: null,
    judge: { resolver, defaultModel: 'openai/standin-judge' },
    embed: async (texts, modelId, signal) => {
      const target = resolver.resolve(modelId ?? 'openai/standin-embed');
      return target.provider.embed ? target.provider.embed(target.model, texts, signal) : [];
    },
  };
}

void describe('judges over the stand-in', () => {
  void it('builtins send our star-rating prompt and map the verdict 1..5 → 0..1', async () => {
    fixture.standin.resetStats();
    const spec: EvaluatorSpec = { kind: 'builtin', name: 'sim', range, uses: 'github/similarity' };
    const result = await evaluate(
      spec,
      context('Paris is the capital.', { input: 'Capital of France?', expected: 'Paris' }),
    );
    // The stand-in's default verdict is 4 stars.
    // The judge's own reply is kept beside the verdict so a reader can see why it decided.
    assert.deepEqual(result, {
      evaluatorName: 'sim',
      score: 0.75,
      passed: true,
      details: "LLM evaluation matched choice: '4'",
      judge: { model: 'openai/standin-judge', reply: '4' },
    });
    const body = fixture.standin.lastRequest()?.body as {
      model: string;
      messages: { role: string; content: string }[];
    };
    assert.equal(body.model, 'standin-judge');
    const prompt = body.messages.at(-1)?.content ?? '';
    assert.match(prompt, /QUESTION: Capital of France\?/);
    assert.match(prompt, /REFERENCE: Paris\n/);
    assert.match(prompt, /ANSWER: Paris is the capital\./);

    const oneStar = await evaluate(spec, context('nonsense [[judge: 1]]', { input: 'q', expected: 'e' }));
    assert.equal(oneStar.score, 0);
    assert.equal(oneStar.passed, false);
    const twoStars = await evaluate(
      { ...spec, uses: 'github/groundedness' },
      context('meh [[judge: 2]]', { input: 'q', expected: 'context' }),
    );
    // gh-models' weak mapping: two stars still passes.
    assert.equal(twoStars.score, 0.25);
    assert.equal(twoStars.passed, true);
  });

  void it('llm choices mode templates the prompt with vars and {{completion}}', async () => {
    const spec: EvaluatorSpec = {
      kind: 'llm',
      name: 'tone',
      range,
      modelId: 'openai/standin-judge',
      prompt: 'Is this reply about {{topic}} polite? {{completion}} Answer yes or no.',
      systemPrompt: 'You judge tone.',
      choices: [
        { choice: 'yes', score: 1 },
        { choice: 'no', score: 0 },
      ],
      mode: 'choices',
    };
    const result = await evaluate(spec, context('Thanks a lot! [[judge: Yes, polite]]', { topic: 'weather' }));
    assert.equal(result.passed, true);
    assert.equal(result.score, 1);
    const body = fixture.standin.lastRequest()?.body as { messages: { role: string; content: string }[] };
    assert.deepEqual(body.messages[0], { role: 'system', content: 'You judge tone.' });
    assert.equal(
      body.messages[1]?.content,
      'Is this reply about weather polite? Thanks a lot! [[judge: Yes, polite]] Answer yes or no.',
    );
  });

  void it('structured mode asks for JSON, applies the threshold, and an unusable reply is an evaluator error', async () => {
    const spec: EvaluatorSpec = {
      kind: 'llm',
      name: 'quality',
      range,
      modelId: 'openai/standin-judge',
      prompt: 'Rate: {{completion}}',
      choices: [],
      mode: 'structured',
      threshold: 0.7,
    };
    const good = await evaluate(spec, context('fine [[judge: 0.9]]'));
    assert.equal(good.passed, true);
    assert.equal(good.score, 0.9);
    assert.match(good.details, /stand-in verdict/);
    assert.equal(good.judge?.model, 'openai/standin-judge');
    assert.match(good.judge?.reason ?? '', /stand-in verdict/);
    assert.match(good.judge?.reply ?? '', /"score":\s*0\.9/);
    assert.deepEqual((fixture.standin.lastRequest()?.body as { response_format?: unknown }).response_format, {
      type: 'json_object',
    });
    const low = await evaluate(spec, context('weak [[judge: 0.5]]'));
    assert.equal(low.passed, false);
    assert.equal(low.error, undefined);
    const garbage = await evaluate(spec, context('odd [[judge-reply: {not json]]'));
    assert.equal(garbage.error, true);
    assert.equal(garbage.passed, false);
    assert.match(garbage.details, /Unusable judge reply: reply is not JSON .*'\{not json'/);
    assert.equal(garbage.judge?.reply, '{not json', 'an unusable reply is still shown verbatim');
    const outOfRange = await evaluate(spec, context('odd [[judge: 4]]'));
    assert.equal(outOfRange.error, true);
    assert.match(outOfRange.details, /outside 0\.\.1/);
  });

  void it('an unreachable judge is an evaluator error', async () => {
    const closed = await closedPortURL();
    const ctx = context('x');
    ctx.judge = { resolver: standinResolver(closed), defaultModel: 'openai/gpt-4o' };
    const result = await evaluate({ kind: 'builtin', name: 'flu', range, uses: 'github/fluency' }, ctx);
    assert.equal(result.error, true);
    assert.match(result.details, /judge model 'openai\/gpt-4o' could not be reached: .*connection refused/);
  });

  void it('embedding similarity uses the endpoint embeddings', async () => {
    const spec: EvaluatorSpec = {
      kind: 'similarity',
      name: 'sim',
      range,
      expected: '{{expected}}',
      threshold: 0.8,
      modelId: 'openai/standin-embed',
    };
    const same = await evaluate(spec, context('the cat sat on the mat', { expected: 'The cat sat on the mat' }));
    assert.equal(same.passed, true);
    assert.ok(same.score > 0.99);
    const different = await evaluate(spec, context('quarterly revenue grew', { expected: 'The cat sat on the mat' }));
    assert.equal(different.passed, false);
  });

  void it('in a run, a judge failure fails the case but the run and the other evaluators go on', async () => {
    const closed = await closedPortURL();
    const prompt = await promptFrom(
      fixture.dir,
      'judged.prompt.yml',
      `model: openai/standin
messages:
  - role: user
    content: '{{input}}'
testData:
  - input: 'Hello there'
evaluators:
  - name: coherent
    uses: github/coherence
  - name: says hello
    string:
      contains: hello
`,
    );
    const outcome = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url, { elsewhere: { 'openai/gpt-4o': closed } }),
    });
    const evaluations = outcome.cases[0]?.samples[0]?.evaluations ?? [];
    assert.equal(evaluations[0]?.error, true);
    assert.deepEqual(evaluations[1], {
      evaluatorName: 'says hello',
      score: 1,
      passed: true,
      details: "Expected to contain: 'hello'",
    });
    assert.equal(outcome.cases[0]?.passed, false);
    assert.equal(outcome.summary.erroredTests, 1);

    const judged = await runPrompt({
      prompt,
      resolver: standinResolver(fixture.standin.url),
      judgeModel: 'openai/standin-judge',
    });
    assert.equal(judged.cases[0]?.samples[0]?.evaluations[0]?.score, 0.75);
    assert.deepEqual(judged.cases[0]?.samples[0]?.evaluations[0]?.judge, { model: 'openai/standin-judge', reply: '4' });
    // The record keeps the rendered messages actually sent.
    assert.deepEqual(judged.cases[0]?.messages, [{ role: 'user', content: 'Hello there' }]);
    assert.equal(judged.cases[0]?.passed, true);
  });
});
