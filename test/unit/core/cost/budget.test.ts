import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetExceededError, CostBudget, checkBudget, NOT_RUN_BUDGET } from '../../../../src/core/cost/budget';
import { runPrompt } from '../../../../src/core/engine';
import { PromptLabError } from '../../../../src/core/errors';
import { casesYaml, promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

void describe('CostBudget', () => {
  void it('refuses caps that are negative, not numbers or absurd, with what was given', () => {
    assert.throws(
      () => checkBudget(-1, '--max-cost'),
      (e: unknown) =>
        e instanceof PromptLabError && /--max-cost must be an amount of US dollars ≥ 0, got -1/.test(e.message),
    );
    assert.throws(() => checkBudget(Number.NaN, '--max-cost'), /got NaN/);
    assert.throws(() => checkBudget(5e9, '--max-cost'), /above \$1,000,000; that looks like a typo/);
    assert.equal(checkBudget(0, '--max-cost'), 0);
  });

  void it('starts a request only while spent + reserved + its worst case fits, and settles with the real cost', async () => {
    const budget = new CostBudget(1);
    const a = await budget.reserve(0.4);
    const b = await budget.reserve(0.4);
    // 0.8 reserved: a third 0.4 waits until one settles, then fits because the real cost was lower.
    const third = budget.reserve(0.4);
    let started = false;
    void third.then(() => (started = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(started, false, 'waits while requests in flight hold the room');
    budget.settle(a, 0.1);
    const c = await third;
    assert.equal(budget.spentUsd, 0.1);
    budget.settle(b, 0.4);
    budget.settle(c, 0.4);
    assert.ok(Math.abs(budget.spentUsd - 0.9) < 1e-12);
    await assert.rejects(
      budget.reserve(0.2),
      (e: unknown) => e instanceof BudgetExceededError && e.message === NOT_RUN_BUDGET,
    );
    assert.equal(budget.closed, true);
    await assert.rejects(budget.reserve(0.01), BudgetExceededError, 'closed: nothing starts after the cap was reached');
    assert.equal(budget.refused, 2);
  });

  void it('counts an unknown real cost as the worst case', async () => {
    const budget = new CostBudget(1);
    budget.settle(await budget.reserve(0.3), null);
    assert.equal(budget.spentUsd, 0.3);
  });
});

void describe('runPrompt with a budget (stand-in over a real socket)', () => {
  const fixture = standinFixture('cli-budget');

  void it('sends no request past the cap and records the rest as not run: budget', async () => {
    // $1 per token; the stand-in counts words: prompt "question N" = 2, reply "Echo: question N" cut to 3.
    const prompt = await promptFrom(
      fixture.dir,
      'b.prompt.yml',
      `model: standin\nmodelParameters: { maxTokens: 3 }\nmessages:\n  - role: user\n    content: '{{input}}'\ntestData:\n${casesYaml(10)}\n`,
    );
    const resolver = standinResolver(fixture.standin.url, {
      price: { inputPerMTok: 1_000_000, outputPerMTok: 1_000_000 },
    });
    fixture.standin.resetStats();
    const budget = new CostBudget(26);
    const outcome = await runPrompt({ prompt, resolver, concurrency: 1, budget });
    const sent = fixture.standin.stats.chatRequests;
    // Worst case per request: o200k chat count 3 + 4 + 3 = 10 tokens, ×1.2 → 12, + 3 output = $15.
    // Real cost (stand-in counts words): 2 prompt + 3 completion = $5. Spent before each start:
    // 0 → 5 → 10 → 15, and 15 + 15 > 26: the fourth request never starts.
    assert.equal(sent, 3);
    assert.equal(budget.spentUsd, 15);
    const notRun = outcome.cases.filter((c) => c.notRun === 'budget');
    assert.equal(notRun.length, 10 - sent);
    assert.equal(outcome.cases.length, 10, 'every case is listed');
    for (const c of notRun) assert.equal(c.error, NOT_RUN_BUDGET);
    assert.equal(outcome.header.maxCostUsd, 26);
  });

  void it('refuses to start when the model has no price, before anything is sent', async () => {
    const prompt = await promptFrom(
      fixture.dir,
      'u.prompt.yml',
      `model: standin\nmessages:\n  - role: user\n    content: hi\ntestData:\n  - x: 1\n`,
    );
    fixture.standin.resetStats();
    await assert.rejects(
      runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), budget: new CostBudget(1) }),
      /no price is known for model 'standin'/,
    );
    assert.equal(fixture.standin.stats.requests, 0);
  });
});
