import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns, matchCases, shouldFail } from '../../../../src/core/compare/compare';
import { buildMatrix } from '../../../../src/core/compare/matrix';
import { formatComparisonMarkdown, formatComparisonText, formatMatrixText } from '../../../../src/core/compare/format';
import { evaluation, kase, run, sample } from '../../support/runBuilders';

void test('matchCases pairs by caseKey, repeats in order, leftovers listed apart', () => {
  const a = [kase(0, 'k1', [true]), kase(1, 'k2', [true]), kase(2, 'k2', [false]), kase(3, 'only-a', [true])];
  const b = [kase(0, 'k2', [true]), kase(1, 'k1', [false]), kase(2, 'only-b', [true]), kase(3, 'k2', [true])];
  const m = matchCases(a, b);
  assert.deepEqual(
    m.pairs.map((p) => [p.a.caseIndex, p.b.caseIndex]),
    [
      [0, 1],
      [1, 0],
      [2, 3],
    ],
  );
  assert.deepEqual(
    m.onlyInA.map((c) => c.caseKey),
    ['only-a'],
  );
  assert.deepEqual(
    m.onlyInB.map((c) => c.caseKey),
    ['only-b'],
  );
});

void test('rows: regressions first (pass→fail before score drops), then improvements, then unchanged', () => {
  const a = run('A', [
    kase(0, 'same', [true]),
    kase(1, 'improves', [false]),
    kase(2, 'score-drop-small', [true], 'x', [0.9]),
    kase(3, 'breaks', [true]),
    kase(4, 'score-drop-big', [true], 'x', [1]),
    kase(5, 'breaks-too', [true]),
  ]);
  const b = run('B', [
    kase(0, 'same', [true]),
    kase(1, 'improves', [true]),
    kase(2, 'score-drop-small', [true], 'x', [0.8]),
    kase(3, 'breaks', [false]),
    kase(4, 'score-drop-big', [true], 'x', [0.5]),
    kase(5, 'breaks-too', [false]),
  ]);
  const c = compareRuns(a, b);
  assert.deepEqual(
    c.rows.map((r) => [r.caseKey, r.class]),
    [
      ['breaks', 'regression'],
      ['breaks-too', 'regression'],
      ['score-drop-big', 'regression'],
      ['score-drop-small', 'regression'],
      ['improves', 'improvement'],
      ['same', 'unchanged'],
    ],
  );
  assert.deepEqual(c.rows[0]?.reasons, ['pass-to-fail', 'score-down']);
  assert.deepEqual(c.rows[2]?.reasons, ['score-down']);
  assert.equal(c.rows[2]?.scoreDelta, -0.5);
  assert.deepEqual(c.counts, { regressions: 4, improvements: 1, unchanged: 1, regressionsBeyondNoise: 4 });
  assert.equal(c.rows[0]?.label, 'case 4');
  const broke = c.rows[0]?.evaluators[0];
  assert.equal(broke?.change, 'broke');
  assert.equal(broke?.passRateA, 1);
  assert.equal(broke?.passRateB, 0);
  assert.equal(c.rows.find((r) => r.caseKey === 'improves')?.evaluators[0]?.change, 'fixed');
});

void test('summary and deltas for A and B', () => {
  const a = run('A', [kase(0, 'k1', [true]), kase(1, 'k2', [false])]);
  const b = run('B', [kase(0, 'k1', [true]), kase(1, 'k2', [true])], { model: 'openai/gpt-4o-mini' });
  b.cases[0]!.samples[0]!.latencyMs = 300;
  b.cases[1]!.samples[0]!.costUsd = 0.003;
  const c = compareRuns(a, b);
  assert.equal(c.a.passRate, 50);
  assert.equal(c.b.passRate, 100);
  assert.equal(c.deltas.passRate, 50);
  assert.equal(c.a.meanScore, 0.5);
  assert.equal(c.deltas.meanScore, 0.5);
  assert.equal(c.a.tokens.total, 30);
  assert.equal(c.deltas.tokens, 0);
  assert.ok(Math.abs((c.deltas.costUsd ?? NaN) - 0.002) < 1e-12);
  assert.equal(c.deltas.meanLatencyMs, 100);
  assert.equal(c.a.label, 'openai/gpt-4o');
  assert.equal(c.b.label, 'openai/gpt-4o-mini');
  // No summary lines: warned, totals computed from cases.
  assert.equal(c.warnings.filter((w) => w.includes('no summary line')).length, 2);
});

void test('the stored summary line is used when present; unknown cost stays unknown', () => {
  const a = run('A', [kase(0, 'k1', [true])]);
  a.summary = {
    totalTests: 1,
    passedTests: 1,
    failedTests: 0,
    erroredTests: 0,
    passRate: 100,
    meanScore: 1,
    tokens: { prompt: 1, completion: 2, total: 3 },
    costUsd: null,
    durationMs: 5,
    meanLatencyMs: 40,
    cachedSamples: 0,
  };
  const b = run('B', [kase(0, 'k1', [true])]);
  const c = compareRuns(a, b);
  assert.equal(c.a.tokens.total, 3);
  assert.equal(c.a.costUsd, null);
  assert.equal(c.deltas.costUsd, null);
  assert.equal(c.a.label, `openai/gpt-4o (${a.header.startedAt})`);
});

void test('different files and case sets: warned, unmatched listed apart', () => {
  const a = run('A', [kase(0, 'k1', [true]), kase(1, 'gone', [true])]);
  const b = run('B', [kase(0, 'k1', [true]), kase(1, 'new', [false])], {
    promptFileRelative: 'other.prompt.yml',
    promptFile: '/ws/other.prompt.yml',
  });
  const c = compareRuns(a, b);
  assert.equal(c.rows.length, 1);
  assert.deepEqual(
    c.onlyInA.map((u) => u.caseKey),
    ['gone'],
  );
  assert.deepEqual(
    c.onlyInB.map((u) => u.caseKey),
    ['new'],
  );
  assert.ok(c.warnings.some((w) => w.includes('different prompt files')));
  assert.ok(c.warnings.some((w) => w.includes('1 only in A, 1 only in B')));
});

void test('noise: flaky cases are not regressions beyond noise; verdict names the test', () => {
  // Case k1 passes 3/3 → 2/3: a regression, but B's samples overlap A's.
  const a = run('A', [kase(0, 'k1', [true, true, true]), kase(1, 'k2', [true, true, true])]);
  const b = run('B', [kase(0, 'k1', [true, false, true]), kase(1, 'k2', [true, true, true])]);
  const c = compareRuns(a, b);
  const row = c.rows[0]!;
  assert.equal(row.class, 'regression');
  assert.equal(row.b.flaky, true);
  assert.equal(row.beyondNoise, false);
  assert.equal(c.b.flakyCases, 1);
  assert.equal(c.b.flakeRate, 0.5);
  assert.equal(c.noise.verdict, 'within-noise');
  assert.equal(c.noise.mcnemar.passToFail, 1);
  assert.equal(c.noise.mcnemar.pValue, 1);
  assert.equal(shouldFail(c, 'regressions'), false);
  assert.equal(shouldFail(c, 'any'), true);
  assert.equal(shouldFail(c, 'none'), false);
});

void test('noise: ten consistent pass→fail flips out of twelve discordant pairs is worse by McNemar', () => {
  const casesA = [];
  const casesB = [];
  for (let i = 0; i < 30; i++) {
    const before = i < 10 ? true : i < 12 ? false : i % 2 === 0;
    const after = i < 10 ? false : i < 12 ? true : i % 2 === 0;
    casesA.push(kase(i, `k${i}`, [before]));
    casesB.push(kase(i, `k${i}`, [after]));
  }
  const c = compareRuns(run('A', casesA), run('B', casesB), { alpha: 0.05 });
  assert.equal(c.noise.verdict, 'worse');
  assert.equal(c.noise.decidedBy, 'mcnemar-exact');
  assert.ok(Math.abs(c.noise.mcnemar.pValue - 158 / 4096) < 1e-12);
  assert.match(c.noise.explanation, /McNemar p=0\.039/);
  // A stricter alpha turns the same data into noise — unless the score CI decides.
  const strict = compareRuns(run('A', casesA), run('B', casesB), { alpha: 0.01 });
  assert.notEqual(strict.noise.decidedBy, 'mcnemar-exact');
  assert.equal(shouldFail(c, 'regressions'), true);
});

void test('noise: a consistent score drop with no pass/fail change is worse by the bootstrap', () => {
  const casesA = Array.from({ length: 20 }, (_, i) => kase(i, `k${i}`, [true], 'x', [0.9]));
  const casesB = Array.from({ length: 20 }, (_, i) => kase(i, `k${i}`, [true], 'x', [i % 4 === 0 ? 0.9 : 0.7]));
  const c = compareRuns(run('A', casesA), run('B', casesB));
  assert.equal(c.noise.verdict, 'worse');
  assert.equal(c.noise.decidedBy, 'paired-bootstrap');
  assert.ok((c.noise.bootstrap?.high ?? 0) < 0);
});

void test('diffs and outputs: changed output gets segments; huge output is truncated with a flag', () => {
  const a = run('A', [kase(0, 'k1', [true], 'the cat sat'), kase(1, 'k2', [true], 'big '.repeat(10_000))]);
  const b = run('B', [kase(0, 'k1', [true], 'the dog sat'), kase(1, 'k2', [true], 'big '.repeat(10_000))]);
  const c = compareRuns(a, b, { displayLimit: 100 });
  const r1 = c.rows.find((r) => r.caseKey === 'k1')!;
  assert.equal(r1.class, 'unchanged');
  assert.equal(r1.outputChanged, true);
  assert.deepEqual(
    r1.diff?.segments.map((s) => s.op),
    ['equal', 'delete', 'insert', 'equal'],
  );
  const r2 = c.rows.find((r) => r.caseKey === 'k2')!;
  assert.equal(r2.outputChanged, false);
  assert.equal(r2.diff, undefined);
  assert.equal(r2.a.output.length, 100);
  assert.equal(r2.a.outputTruncated, true);
  assert.equal(r2.a.outputLength, 40_000);
});

void test('errored samples count as failed with score 0 and carry the error', () => {
  const a = run('A', [kase(0, 'k1', [true])]);
  const errored = { ...kase(0, 'k1', [false]), error: 'HTTP 500' };
  errored.samples = [{ ...sample('', []), passed: false, error: 'HTTP 500' }];
  const c = compareRuns(a, run('B', [errored]));
  const row = c.rows[0]!;
  assert.equal(row.class, 'regression');
  assert.equal(row.b.error, 'HTTP 500');
  assert.equal(row.b.score, 0);
  assert.equal(row.evaluators[0]?.change, 'removed');
  assert.match(formatComparisonText(c), /error: HTTP 500/);
});

void test('text and markdown renderings show the summary, verdict and changed rows', () => {
  const a = run('A', [kase(0, 'k1', [true], 'alpha'), kase(1, 'k2', [false], 'beta|x')]);
  const b = run('B', [kase(0, 'k1', [false], 'gamma'), kase(1, 'k2', [true], 'beta|y')], {
    model: 'openai/gpt-4o-mini',
  });
  const c = compareRuns(a, b);
  const text = formatComparisonText(c);
  assert.match(text, /pass rate\s+50%\s+50%\s+0\.0 pp/);
  // One sample per case: no per-case noise claim at all.
  assert.match(text, /^1 regression\(s\), 1 improvement\(s\), 0 unchanged$/m);
  assert.match(text, /^prompt changes:\n {2}model: openai\/gpt-4o → openai\/gpt-4o-mini$/m);
  assert.ok(text.indexOf('✗ case 1') < text.indexOf('✓ case 2'));
  const md = formatComparisonMarkdown(c);
  assert.match(md, /\| pass rate \| 50% \| 50% \| 0\.0 pp \|/);
  assert.match(md, /beta\\\|x/);
});

void test('N-way matrix: one column per run, disagreements first, missing cells null', () => {
  const r1 = run('R1', [kase(0, 'k1', [true]), kase(1, 'k2', [true]), kase(2, 'k3', [true])], { model: 'm1' });
  const r2 = run('R2', [kase(0, 'k1', [true]), kase(1, 'k2', [false]), kase(2, 'k3', [true])], { model: 'm2' });
  const r3 = run('R3', [kase(0, 'k1', [true]), kase(1, 'k2', [true])], { model: 'm3' });
  const m = buildMatrix([r1, r2, r3]);
  assert.deepEqual(
    m.columns.map((c) => c.label),
    ['m1', 'm2', 'm3'],
  );
  assert.deepEqual(
    m.rows.map((r) => [r.caseKey, r.disagreement]),
    [
      ['k2', true],
      ['k1', false],
      ['k3', false],
    ],
  );
  assert.equal(m.rows[2]?.cells[2], null);
  assert.equal(m.rows[0]?.cells[1]?.passed, false);
  assert.ok(m.warnings.some((w) => w.includes('missing from some runs')));
  assert.match(formatMatrixText(m), /case 2\s+pass\s+FAIL\s+pass\s+← disagree/);
});

void test('per-evaluator verdict changes cover added and removed evaluators', () => {
  const a = run('A', [kase(0, 'k1', [true])]);
  const bCase = kase(0, 'k1', [true]);
  bCase.samples[0]!.evaluations.push(evaluation('is-json', false));
  bCase.samples[0]!.passed = false;
  bCase.passed = false;
  bCase.passRate = 0;
  const c = compareRuns(a, run('B', [bCase]));
  assert.deepEqual(
    c.rows[0]?.evaluators.map((e) => [e.evaluatorName, e.change]),
    [
      ['has-answer', 'same'],
      ['is-json', 'added'],
    ],
  );
});
