// The results grid's ordering: sort by any column, text search, verdict / evaluator filters and
// the next / previous failure walk, on real result shapes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseResultView, EvaluationView } from '../../../../src/protocol/run';
import { type GridQuery, GridRow, evaluatorNames, nextFailure, orderRows } from '../../../../src/webview/grid/model';

const evaluation = (name: string, score: number, extra: Partial<EvaluationView> = {}): EvaluationView => ({
  evaluatorName: name,
  score,
  passed: score >= 0.5,
  details: `${name} said ${score}`,
  ...extra,
});

function row(
  caseIndex: number,
  question: string,
  evaluations: EvaluationView[],
  figures: { latencyMs: number; costUsd: number | null; tokens: number },
  output = 'reply',
): GridRow {
  const passed = evaluations.every((e) => e.passed);
  const result: CaseResultView = {
    caseIndex,
    caseKey: `k${caseIndex}`,
    vars: { question },
    samples: [
      {
        sample: 0,
        output,
        evaluations,
        passed,
        latencyMs: figures.latencyMs,
        costUsd: figures.costUsd,
        cached: false,
        usage: { prompt: 1, completion: figures.tokens - 1, total: figures.tokens },
      },
    ],
    passRate: passed ? 1 : 0,
    passed,
  };
  const r = new GridRow(caseIndex, result.vars);
  r.finish(result);
  return r;
}

const rows = [
  row(0, 'alpha', [evaluation('exact', 1), evaluation('judge', 0.75)], { latencyMs: 300, costUsd: 0.002, tokens: 30 }),
  row(
    1,
    'bravo',
    [evaluation('exact', 0), evaluation('judge', 0.9)],
    { latencyMs: 100, costUsd: 0.001, tokens: 10 },
    'Paris is the capital',
  ),
  row(2, 'charlie', [evaluation('exact', 1), evaluation('judge', 0, { error: true, passed: false })], {
    latencyMs: 200,
    costUsd: null,
    tokens: 20,
  }),
  row(3, 'delta', [evaluation('exact', 1), evaluation('judge', 0.6)], { latencyMs: 50, costUsd: 0.004, tokens: 40 }),
];
const idle = new GridRow(4, { question: 'echo' });
const all = [...rows, idle];
const query = (overrides: Partial<GridQuery> = {}): GridQuery => ({
  sort: { column: 'index', descending: false },
  search: '',
  verdict: 'all',
  ...overrides,
});
const order = (q: Partial<GridQuery>) => orderRows(all, query(q)).map((r) => r.caseIndex);

void describe('results grid model', () => {
  void it('derives statuses and evaluator columns from the results', () => {
    assert.deepEqual(
      all.map((r) => r.status),
      ['passed', 'failed', 'errored', 'passed', 'idle'],
    );
    assert.deepEqual(evaluatorNames(all), ['exact', 'judge']);
    assert.deepEqual(rows[2]?.evaluatorCells().get('judge'), { verdict: 'error', score: null, passed: 0, total: 1 });
  });

  void it('sorts by any column, both directions; rows without a value always last', () => {
    assert.deepEqual(order({}), [0, 1, 2, 3, 4]);
    assert.deepEqual(order({ sort: { column: 'index', descending: true } }), [4, 3, 2, 1, 0]);
    assert.deepEqual(order({ sort: { column: 'latency', descending: false } }), [3, 1, 2, 0, 4]);
    assert.deepEqual(order({ sort: { column: 'latency', descending: true } }), [0, 2, 1, 3, 4]);
    // Unknown cost (null) has no value: last either way.
    assert.deepEqual(order({ sort: { column: 'cost', descending: false } }), [1, 0, 3, 2, 4]);
    assert.deepEqual(order({ sort: { column: 'cost', descending: true } }), [3, 0, 1, 2, 4]);
    assert.deepEqual(order({ sort: { column: 'tokens', descending: true } }), [3, 0, 2, 1, 4]);
    // Status ascending: errors, then failures, ..., passes.
    assert.deepEqual(order({ sort: { column: 'status', descending: false } }), [2, 1, 4, 0, 3]);
    // An evaluator column: evaluator errors below every score, so ascending shows the worst first.
    assert.deepEqual(order({ sort: { column: 'eval:judge', descending: false } }), [2, 3, 0, 1, 4]);
    assert.deepEqual(order({ sort: { column: 'case', descending: true } }), [4, 3, 2, 1, 0]);
  });

  void it('searches variables, replies and verdict details, case-insensitively', () => {
    assert.deepEqual(order({ search: 'CHARLIE' }), [2]);
    assert.deepEqual(order({ search: 'paris' }), [1]);
    assert.deepEqual(order({ search: 'judge said 0.6' }), [3]);
    assert.deepEqual(order({ search: '#5' }), [4]);
    assert.deepEqual(order({ search: 'nothing like this' }), []);
  });

  void it('filters by verdict and by a failing evaluator, combined with search', () => {
    assert.deepEqual(order({ verdict: 'passed' }), [0, 3]);
    assert.deepEqual(order({ verdict: 'failed' }), [1, 2]);
    assert.deepEqual(order({ verdict: 'errors' }), [2]);
    assert.deepEqual(order({ failingEvaluator: 'exact' }), [1]);
    assert.deepEqual(order({ failingEvaluator: 'judge' }), [2]);
    assert.deepEqual(order({ verdict: 'failed', search: 'bravo' }), [1]);
  });

  void it('walks failures in the shown order, wrapping, from nothing focused too', () => {
    const shown = orderRows(all, query({ sort: { column: 'latency', descending: false } })); // 3 1 2 0 4
    assert.equal(nextFailure(shown, -1, 1), 1);
    assert.equal(nextFailure(shown, 1, 1), 2);
    assert.equal(nextFailure(shown, 2, 1), 1);
    assert.equal(nextFailure(shown, -1, -1), 2);
    assert.equal(nextFailure(shown, 1, -1), 2);
    assert.equal(nextFailure(orderRows(all, query({ verdict: 'passed' })), -1, 1), -1);
  });

  void it('a new result refreshes the row and its search text', () => {
    const r = new GridRow(9, { question: 'x' });
    const before = r.version;
    assert.equal(r.matches('fresh'), false);
    r.finish({
      caseIndex: 9,
      caseKey: 'k',
      vars: { question: 'x' },
      samples: [
        { sample: 0, output: 'fresh text', evaluations: [], passed: true, latencyMs: 1, costUsd: 0, cached: false },
      ],
      passRate: 1,
      passed: true,
    });
    assert.ok(r.version > before);
    assert.equal(r.matches('fresh'), true);
    assert.equal(r.status, 'passed');
  });
});
