import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../../../src/core/evaluators';
import type { EvaluationContext } from '../../../../src/core/evaluators';
import type { EvaluatorSpec, StringCriterion } from '../../../../src/core/model';

const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };
const ctx = (output: string, vars: Record<string, unknown> = {}): EvaluationContext => ({
  vars,
  output,
  latencyMs: 10,
  costUsd: null,
});
const str = (criterion: StringCriterion, value: string): EvaluatorSpec => ({
  kind: 'string',
  name: 'check',
  range,
  criterion,
  value,
});

void describe('string evaluator (gh-models semantics)', () => {
  void it('equals is exact and case-sensitive', async () => {
    assert.deepEqual(await evaluate(str('equals', 'Paris'), ctx('Paris')), {
      evaluatorName: 'check',
      score: 1,
      passed: true,
      details: "Expected exact match: 'Paris'",
    });
    const wrongCase = await evaluate(str('equals', 'Paris'), ctx('paris'));
    assert.equal(wrongCase.passed, false);
    assert.equal(wrongCase.score, 0);
    assert.equal((await evaluate(str('equals', 'Paris'), ctx('Paris.'))).passed, false);
  });

  void it('contains ignores case', async () => {
    assert.equal((await evaluate(str('contains', 'PARIS'), ctx('The capital is paris.'))).passed, true);
    assert.equal((await evaluate(str('contains', 'Lyon'), ctx('The capital is paris.'))).passed, false);
  });

  void it('startsWith and endsWith ignore case', async () => {
    assert.equal((await evaluate(str('startsWith', 'the'), ctx('THE end'))).passed, true);
    assert.equal((await evaluate(str('startsWith', 'end'), ctx('THE end'))).passed, false);
    assert.equal((await evaluate(str('endsWith', 'END'), ctx('THE end'))).passed, true);
    assert.equal((await evaluate(str('endsWith', 'the'), ctx('THE end'))).passed, false);
  });

  void it('templates the criterion with the case variables', async () => {
    const result = await evaluate(str('contains', '{{expected}}'), ctx('It is Paris', { expected: 'paris' }));
    assert.equal(result.passed, true);
    assert.equal(result.details, "Expected to contain: 'paris'");
    assert.equal((await evaluate(str('equals', '{{n}}'), ctx('42', { n: 42 }))).passed, true);
  });

  void it('notContains is the case-insensitive negation of contains', async () => {
    const spec: EvaluatorSpec = { kind: 'notContains', name: 'no apology', range, value: 'sorry' };
    assert.equal((await evaluate(spec, ctx('I am SORRY'))).passed, false);
    assert.equal((await evaluate(spec, ctx('Here you go'))).passed, true);
  });
});
