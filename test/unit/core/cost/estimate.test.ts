import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ASSUMED_OUTPUT_TOKENS, estimatePrompt } from '../../../../src/core/cost/estimate';
import { runPrompt } from '../../../../src/core/engine';
import { RunStore } from '../../../../src/core/store/runStore';
import { casesYaml, promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

void describe('estimatePrompt', () => {
  // The stand-in counts usage with o200k_base as OpenAI does for gpt-4o-mini.
  const fixture = standinFixture('cli-estimate', { tokenizer: 'o200k_base' });

  void it("counts the same input tokens as the provider's prompt_tokens, and sends nothing", async () => {
    const yaml = [
      'model: openai/gpt-4o-mini',
      'messages:',
      '  - role: system',
      "    content: 'You are a careful assistant. Answer in one sentence; cite nothing.'",
      '  - role: user',
      "    content: 'Question: {{input}} — explain why, with an example (émigré, naïve, 東京).'",
      'testData:',
      casesYaml(25, (i) => `what is ${i} times ${i * 7}?`),
      '',
    ].join('\n');
    const prompt = await promptFrom(fixture.dir, 'tokens.prompt.yml', yaml);
    const resolver = standinResolver(fixture.standin.url, { price: { inputPerMTok: 0.15, outputPerMTok: 0.6 } });
    fixture.standin.resetStats();
    const estimate = await estimatePrompt({ prompt, resolver });
    assert.equal(fixture.standin.stats.requests, 0, 'an estimate sends nothing');
    assert.equal(estimate.tokenizer, 'o200k_base');
    assert.equal(estimate.requests, 25);
    const outcome = await runPrompt({ prompt, resolver });
    const promptTokens = outcome.cases.reduce((n, c) => n + (c.samples[0]?.usage?.prompt ?? 0), 0);
    assert.ok(promptTokens > 25 * 20);
    assert.equal(estimate.inputTokens, promptTokens);
  });

  void it('counts only the cases and samples a resume still sends (caseSamples)', async () => {
    const yaml = `model: openai/gpt-4o-mini\nrepeat: 3\nmodelParameters: { maxTokens: 5 }\nmessages:\n  - role: user\n    content: '{{input}}'\ntestData:\n${casesYaml(6)}\n`;
    const prompt = await promptFrom(fixture.dir, 'resume.prompt.yml', yaml);
    const resolver = standinResolver(fixture.standin.url, { price: { inputPerMTok: 1, outputPerMTok: 1 } });
    const whole = await estimatePrompt({ prompt, resolver });
    assert.equal(whole.requests, 18);
    // Case 1 lacks all 3 samples, case 4 one of them: 4 requests; the others are not counted.
    const pending = await estimatePrompt({
      prompt,
      resolver,
      caseSamples: new Map([
        [1, 3],
        [4, 1],
      ]),
    });
    assert.equal(pending.requests, 4);
    assert.equal(pending.cases, 2);
    const perRequest = (e: typeof whole) => (e.costUsdHigh ?? NaN) / e.requests;
    assert.ok(Math.abs(perRequest(pending) - perRequest(whole)) < 1e-12, 'each request is priced as in a whole run');
  });

  void it('adds judge and embedding requests, bounds output by maxTokens, past runs, or an assumption', async () => {
    const resolver = standinResolver(fixture.standin.url, { price: { inputPerMTok: 1, outputPerMTok: 2 } });
    const store = new RunStore(path.join(fixture.dir, 'runs'));
    const evaluators = [
      'evaluators:',
      '  - name: judged',
      '    uses: github/coherence',
      '  - name: close',
      '    similarity: { threshold: 0.1 }',
    ].join('\n');
    const base = (params: string) =>
      `model: standin\n${params}messages:\n  - role: user\n    content: '{{input}}'\ntestData:\n${casesYaml(4)}\n${evaluators}\n`;
    const capped = await estimatePrompt({
      prompt: await promptFrom(fixture.dir, 'capped.prompt.yml', base('modelParameters: { maxTokens: 7 }\n')),
      resolver,
      repeat: 2,
    });
    assert.equal(capped.requests, 4 * 2 * 3, 'model + judge + embedding per sample');
    assert.deepEqual(
      capped.groups.map((g) => [g.role, g.requests]),
      [
        ['model', 8],
        ['judge', 8],
        ['embedding', 8],
      ],
    );
    assert.deepEqual(capped.outputBound, { tokens: 7, source: 'maxTokens' });
    assert.equal(capped.tokenizer, 'approximate (o200k_base)');
    assert.ok(capped.costUsdLow !== null && capped.costUsdHigh !== null && capped.costUsdLow < capped.costUsdHigh);

    const free = await promptFrom(
      fixture.dir,
      'free.prompt.yml',
      `model: standin\nmessages:\n  - role: user\n    content: '[[lorem: 30]] {{input}}'\ntestData:\n${casesYaml(3)}\n`,
    );
    assert.deepEqual((await estimatePrompt({ prompt: free, resolver, store })).outputBound, {
      tokens: ASSUMED_OUTPUT_TOKENS,
      source: 'assumed',
    });
    const past = await runPrompt({ prompt: free, resolver, store });
    const longest = Math.max(...past.cases.map((c) => c.samples[0]?.usage?.completion ?? 0));
    assert.ok(longest >= 30, 'a reply of 30 lorem words');
    const learned = await estimatePrompt({ prompt: free, resolver, store });
    assert.equal(learned.outputBound.source, 'past runs');
    assert.equal(learned.outputBound.tokens, longest, 'the longest reply of the past run');
  });

  void it('leaves the cost unknown, not zero, when a model has no price', async () => {
    const prompt = await promptFrom(
      fixture.dir,
      'u.prompt.yml',
      `model: standin\nmessages:\n  - role: user\n    content: hi\ntestData:\n  - x: 1\n`,
    );
    const estimate = await estimatePrompt({ prompt, resolver: standinResolver(fixture.standin.url) });
    assert.equal(estimate.costUsdHigh, null);
    assert.equal(estimate.priceSource, 'no price known');
  });
});
