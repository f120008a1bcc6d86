import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRuns } from '../../../src/core/compare/compare';
import { buildMatrix, qualityPoints } from '../../../src/core/compare/matrix';
import { isCompareHostMessage, isCompareViewMessage, isCompareViewState } from '../../../src/protocol/compare';
import { kase, run } from '../support/runBuilders';

const a = run('A', [kase(0, 'k1', [true], 'the cat'), kase(1, 'k2', [false])]);
const b = run('B', [kase(0, 'k1', [false], 'the dog'), kase(1, 'k2', [true])], { model: 'm2' });
const comparison = compareRuns(a, b);
const points = qualityPoints([comparison.a, comparison.b]);

void test('host messages built from core objects pass validation (pair, matrix, more rows, diff)', () => {
  assert.ok(
    isCompareHostMessage({
      type: 'show',
      content: { kind: 'pair', title: 't', runFiles: ['a', 'b'], rowCount: 2, comparison, points },
    }),
  );
  const matrix = buildMatrix([a, b, run('C', [kase(0, 'k1', [true])])]);
  assert.ok(
    isCompareHostMessage({
      type: 'show',
      content: { kind: 'matrix', title: 't', runFiles: ['a', 'b', 'c'], rowCount: 2, matrix, points },
    }),
  );
  assert.ok(isCompareHostMessage({ type: 'more-rows', pairRows: comparison.rows }));
  assert.ok(isCompareHostMessage({ type: 'more-rows', matrixRows: matrix.rows }));
  assert.ok(isCompareHostMessage({ type: 'diff', caseKey: 'k1', diff: comparison.rows[0]?.diff }));
});

void test('malformed host messages are rejected', () => {
  const show = (patch: (c: Record<string, unknown>) => void): unknown => {
    const copy = JSON.parse(JSON.stringify(comparison)) as Record<string, unknown>;
    patch(copy);
    return { type: 'show', content: { kind: 'pair', title: 't', runFiles: [], rowCount: 2, comparison: copy, points } };
  };
  assert.equal(isCompareHostMessage(show((c) => ((c.rows as Record<string, unknown>[])[0]!.class = 'worse'))), false);
  assert.equal(isCompareHostMessage(show((c) => ((c.a as Record<string, unknown>).passRate = 'NaN'))), false);
  assert.equal(isCompareHostMessage(show((c) => delete c.noise)), false);
  // Fields typed by core's types are checked by their values, not only their kinds.
  assert.equal(
    isCompareHostMessage(show((c) => ((c.rows as Record<string, unknown>[])[0]!.reasons = ['worse']))),
    false,
  );
  assert.equal(isCompareHostMessage(show((c) => delete (c.b as Record<string, unknown>).cachedSamples)), false);
  const message = { index: 0, roleA: 'user', roleB: 'user', change: 'content', segments: [] };
  const withMessage = (m: unknown) => show((c) => ((c.prompt as Record<string, unknown>).messages = [m]));
  assert.ok(isCompareHostMessage(withMessage(message)));
  assert.equal(isCompareHostMessage(withMessage({ ...message, change: 'moved' })), false);
  assert.equal(isCompareHostMessage(withMessage({ ...message, change: undefined })), false);
  assert.equal(
    isCompareHostMessage({
      type: 'diff',
      caseKey: 'k',
      diff: { segments: [{ op: 'html', text: '<b>' }], truncated: false, coarse: false },
    }),
    false,
  );
  assert.equal(isCompareHostMessage({ type: 'explode' }), false);
  assert.equal(isCompareHostMessage(null), false);
});

void test('view messages and saved state are validated', () => {
  assert.ok(isCompareViewMessage({ type: 'ready' }));
  assert.ok(isCompareViewMessage({ type: 'open-diff', caseKey: 'k1' }));
  assert.ok(isCompareViewMessage({ type: 'open-matrix-diff', caseKey: 'k1', left: 0, right: 2 }));
  assert.equal(isCompareViewMessage({ type: 'open-matrix-diff', caseKey: 'k1', left: -1, right: 2 }), false);
  assert.equal(isCompareViewMessage({ type: 'request-diff' }), false);
  assert.ok(isCompareViewState({ filter: 'regressions', expanded: [], runFiles: ['/a.jsonl', '/b.jsonl'] }));
  assert.equal(isCompareViewState({ filter: 'some', expanded: [] }), false);
});

void test('grades of compared outputs: the host message per compared run and the view grade are validated', () => {
  const grades = (columns: unknown, appliedSeq: unknown = 0): unknown => ({ type: 'grades', columns, appliedSeq });
  assert.ok(
    isCompareHostMessage(
      grades([
        [{ caseIndex: 0, shown: { verdict: 'pass', score: 4, note: 'ok', by: 'Ada', at: 'now' }, gradedSamples: 1 }],
        [{ caseIndex: 3, gradedSamples: 2 }],
        [],
      ]),
    ),
  );
  assert.equal(isCompareHostMessage(grades([[{ caseIndex: 0, shown: { score: 6 }, gradedSamples: 1 }]])), false);
  assert.equal(
    isCompareHostMessage(grades([[{ caseIndex: 0, shown: { verdict: 'maybe' }, gradedSamples: 1 }]])),
    false,
  );
  assert.equal(isCompareHostMessage(grades([[{ caseIndex: -1, gradedSamples: 1 }]])), false);
  assert.equal(isCompareHostMessage(grades([[{ caseIndex: 0 }]])), false, 'gradedSamples is required');
  assert.equal(isCompareHostMessage(grades([[]], -1)), false);
  assert.equal(isCompareHostMessage({ type: 'grades', rows: [] }), false, 'the old per-row form');

  const grade = (patch: Record<string, unknown>): unknown => ({
    type: 'grade',
    seq: 1,
    column: 2,
    caseIndex: 0,
    verdict: 'fail',
    score: 3,
    note: 'wrong',
    ...patch,
  });
  assert.ok(isCompareViewMessage(grade({})));
  assert.ok(isCompareViewMessage(grade({ verdict: null, score: null, note: '' })), 'clearing');
  assert.equal(isCompareViewMessage(grade({ column: -1 })), false);
  assert.equal(isCompareViewMessage(grade({ column: 1.5 })), false);
  assert.equal(isCompareViewMessage(grade({ column: undefined })), false, 'column is required');
  assert.equal(isCompareViewMessage(grade({ verdict: 'maybe' })), false);
  assert.equal(isCompareViewMessage(grade({ score: 0 })), false);
  assert.equal(isCompareViewMessage(grade({ note: 'x'.repeat(2001) })), false);
  assert.equal(isCompareViewMessage(grade({ seq: undefined })), false, 'seq is required');
});

void test('matrix cells say which case of their run they show (grades are per run and case)', () => {
  const matrix = buildMatrix([a, b, run('C', [kase(4, 'k2', [true]), kase(5, 'k1', [true])])]);
  const k1 = matrix.rows.find((r) => r.caseKey === 'k1');
  assert.deepEqual(
    k1?.cells.map((cell) => cell?.caseIndex),
    [0, 0, 5],
  );
  const copy = JSON.parse(JSON.stringify(matrix)) as { rows: { cells: Record<string, unknown>[] }[] };
  delete copy.rows[0]!.cells[0]!.caseIndex;
  assert.equal(
    isCompareHostMessage({
      type: 'show',
      content: { kind: 'matrix', title: 't', runFiles: [], rowCount: 2, matrix: copy, points },
    }),
    false,
  );
});
