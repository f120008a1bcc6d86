// The plain-language verdict, per-case evidence and the prompt's own diff (src/core/compare/verdict.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareRuns, MIN_BOOTSTRAP_PAIRS } from '../../../../src/core/compare/compare';
import { formatComparisonMarkdown, promptChangeLines } from '../../../../src/core/compare/format';
import { kase, run } from '../../support/runBuilders';

void test('four of four cases worse, one sample each: says so, says it could be chance, and why', () => {
  const a = run(
    'A',
    [0, 1, 2, 3].map((i) => kase(i, `k${i}`, [true], 'x', [1])),
  );
  const b = run(
    'B',
    [0, 1, 2, 3].map((i) => kase(i, `k${i}`, [false], 'y', [0])),
  );
  const c = compareRuns(a, b);
  // Exact McNemar with 4 discordant pairs, all one way: p = 2 / 2^4.
  assert.equal(c.noise.mcnemar.pValue, 0.125);
  assert.equal(c.noise.verdict, 'within-noise');
  assert.equal(
    c.noise.headline,
    'B is worse on 4 of 4 cases; with 4 cases that could be chance — p = 0.13; run more cases or repeats to be sure.',
  );
  // No row claims significance one sample cannot have.
  assert.deepEqual(
    c.rows.map((r) => r.evidence),
    ['single-sample', 'single-sample', 'single-sample', 'single-sample'],
  );
  // The test details are still there, one click away in the views.
  assert.match(c.noise.explanation, /^Within noise at α=0\.05: exact McNemar p=0\.125 \(4 pass→fail, 0 fail→pass\)/);
});

void test('a bootstrap over fewer than the minimum scored pairs is reported but never decides', () => {
  const few = MIN_BOOTSTRAP_PAIRS - 1;
  const a = run(
    'A',
    Array.from({ length: few }, (_, i) => kase(i, `k${i}`, [true], 'x', [0.9])),
  );
  const b = run(
    'B',
    Array.from({ length: few }, (_, i) => kase(i, `k${i}`, [true], 'x', [0.6])),
  );
  const c = compareRuns(a, b);
  assert.ok((c.noise.bootstrap?.high ?? 0) < 0, 'the interval itself excludes 0');
  assert.equal(c.noise.verdict, 'within-noise');
  assert.match(c.noise.explanation, /too few for it to decide/);
  assert.equal(
    c.noise.headline,
    `B is worse on ${few} of ${few} cases; with ${few} cases that could be chance — ${few} cases are too few for the score test to decide; run more cases or repeats to be sure.`,
  );
});

void test('a clear McNemar result is stated as unlikely to be chance', () => {
  const casesA = [];
  const casesB = [];
  for (let i = 0; i < 30; i++) {
    casesA.push(kase(i, `k${i}`, [i < 12]));
    casesB.push(kase(i, `k${i}`, [i === 0]));
  }
  const c = compareRuns(run('A', casesA), run('B', casesB));
  assert.equal(c.noise.verdict, 'worse');
  assert.equal(
    c.noise.headline,
    'B is worse on 11 of 30 cases; 11 went from pass to fail and 0 the other way, unlikely to be chance (p < 0.001).',
  );
});

void test('nothing changed and mixed changes read plainly', () => {
  const same = compareRuns(run('A', [kase(0, 'k', [true])]), run('B', [kase(0, 'k', [true])]));
  assert.equal(same.noise.headline, 'A and B give the same verdicts and scores on all 1 case.');
  const mixed = compareRuns(
    run('A', [kase(0, 'a', [true]), kase(1, 'b', [false])]),
    run('B', [kase(0, 'a', [false]), kase(1, 'b', [true])]),
  );
  assert.equal(mixed.noise.headline, 'B is worse on 1 and better on 1 of 2 cases: no clear difference (p = 1.00).');
});

void test('with repeats, rows say whether the change is beyond the case’s own noise', () => {
  const a = run('A', [kase(0, 'k1', [true, true, true]), kase(1, 'k2', [true, true, true])]);
  const b = run('B', [kase(0, 'k1', [false, false, false]), kase(1, 'k2', [true, false, true])]);
  const c = compareRuns(a, b);
  const byKey = new Map(c.rows.map((r) => [r.caseKey, r.evidence]));
  assert.equal(byKey.get('k1'), 'beyond-noise');
  assert.equal(byKey.get('k2'), 'within-noise');
  assert.match(c.noise.headline, /run more cases to be sure\.$/);
});

void test('the prompt diff names the model, the parameters and the changed messages', () => {
  const messagesA = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Summarise {{text}}' },
  ];
  const messagesB = [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Summarise {{text}} in one line' },
    { role: 'user', content: 'Thanks' },
  ];
  const a = run('A', [kase(0, 'k', [true])], {
    contentHash: 'h1',
    messages: messagesA,
    parameters: { temperature: 0.2, maxTokens: 100 },
  });
  const b = run('B', [kase(0, 'k', [true])], {
    contentHash: 'h2',
    model: 'openai/gpt-4o-mini',
    messages: messagesB,
    parameters: { temperature: 0.7, maxTokens: 100 },
  });
  const c = compareRuns(a, b);
  assert.equal(c.prompt.sameContent, false);
  assert.deepEqual(c.prompt.model, { a: 'openai/gpt-4o', b: 'openai/gpt-4o-mini' });
  assert.deepEqual(c.prompt.parameters, [{ name: 'temperature', a: 0.2, b: 0.7 }]);
  assert.equal(c.prompt.messagesKnown, true);
  assert.deepEqual(
    c.prompt.messages.map((m) => [m.index, m.roleA, m.roleB, m.change]),
    [
      [1, 'user', 'user', 'content'],
      [2, undefined, 'user', 'added'],
    ],
  );
  assert.deepEqual(
    c.prompt.messages[0]?.segments.filter((s) => s.op !== 'equal'),
    [{ op: 'insert', text: ' in one line' }],
  );
  assert.deepEqual(promptChangeLines(c), [
    'model: openai/gpt-4o → openai/gpt-4o-mini',
    'temperature: 0.2 → 0.7',
    'message 2 (user): changed',
    'message 3 (user): added',
  ]);
  // In Markdown the same lines, escaped (model ids and values come from the files).
  assert.match(formatComparisonMarkdown(c), /^Prompt changes: model.*openai\\\/gpt\\-4o\\-mini; temperature/m);
  // The other way round: B drops a message and turns the system prompt into a user message.
  const back = compareRuns(
    run('B', [kase(0, 'k', [true])], { contentHash: 'h2', messages: messagesB }),
    run('A', [kase(0, 'k', [true])], {
      contentHash: 'h1',
      messages: [{ role: 'user', content: 'You are terse.' }, messagesB[1]!],
    }),
  );
  assert.deepEqual(
    back.prompt.messages.map((m) => [m.index, m.roleA, m.roleB, m.change]),
    [
      [0, 'system', 'user', 'role'],
      [2, 'user', undefined, 'removed'],
    ],
  );
  assert.deepEqual(promptChangeLines(back), ['message 1 (system): role system → user', 'message 3 (user): removed']);
  // Runs recorded before messages were kept: said so, not guessed.
  const old = compareRuns(
    run('A', [kase(0, 'k', [true])], { contentHash: 'h1' }),
    run('B', [kase(0, 'k', [true])], { contentHash: 'h2' }),
  );
  assert.equal(old.prompt.messagesKnown, false);
  assert.deepEqual(promptChangeLines(old), ['the prompt file differs (its messages were not recorded in these runs)']);
});

void test('a cached side shows the cost first paid and $0 now, and the same latency as the run that paid', () => {
  const paid = run('A', [kase(0, 'k', [true])]);
  const cachedCase = kase(0, 'k', [true]);
  cachedCase.samples = cachedCase.samples.map((s) => ({ ...s, cached: true }));
  const c = compareRuns(paid, run('B', [cachedCase]));
  assert.equal(c.a.costUsd, 0.001);
  assert.equal(c.b.costUsd, 0.001);
  assert.equal(c.b.costNowUsd, 0);
  assert.equal(c.b.cachedSamples, 1);
  assert.equal(c.b.meanLatencyMs, c.a.meanLatencyMs);
  assert.equal(c.rows[0]?.b.costUsd, c.b.costUsd);
});
