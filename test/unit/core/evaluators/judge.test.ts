import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_JUDGES, evaluate, matchChoice, parseStructuredReply } from '../../../../src/core/evaluators';
import type { EvaluationContext } from '../../../../src/core/evaluators';
import type { LlmChoice } from '../../../../src/core/model';

const range = { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } };

void describe('llm choices mode (gh-models substring semantics)', () => {
  const choices: LlmChoice[] = [
    { choice: 'good', score: 1 },
    { choice: 'bad', score: 0 },
  ];

  void it('the reply is trimmed and lower-cased; a choice anywhere in it wins', () => {
    const result = matchChoice('judge', choices, '  After thinking: GOOD overall.  ');
    assert.deepEqual(result, {
      evaluatorName: 'judge',
      score: 1,
      passed: true,
      details: "LLM evaluation matched choice: 'good'",
    });
  });

  void it('the first choice in list order wins, not the first in the reply', () => {
    assert.equal(matchChoice('judge', choices, 'bad, not good').score, 1);
    assert.equal(matchChoice('judge', [...choices].reverse(), 'good, not bad').score, 0);
  });

  void it('choice text is compared case-insensitively', () => {
    assert.equal(matchChoice('judge', [{ choice: 'YES', score: 1 }], 'yes').passed, true);
  });

  void it('passed means score > 0', () => {
    assert.equal(matchChoice('judge', [{ choice: 'meh', score: 0.1 }], 'meh').passed, true);
    assert.equal(matchChoice('judge', [{ choice: 'meh', score: 0 }], 'meh').passed, false);
  });

  void it('no matching choice scores 0 and fails, quoting the reply', () => {
    const result = matchChoice('judge', choices, 'Undecided');
    assert.equal(result.score, 0);
    assert.equal(result.passed, false);
    assert.match(result.details, /'undecided' did not match any defined choices/);
  });

  void it('the star scale keeps the gh-models weakness: a digit in the reasoning can win', () => {
    const builtinChoices = [
      { choice: '1', score: 0 },
      { choice: '2', score: 0.25 },
      { choice: '3', score: 0.5 },
      { choice: '4', score: 0.75 },
      { choice: '5', score: 1 },
    ];
    assert.equal(matchChoice('b', builtinChoices, '5').score, 1);
    assert.equal(matchChoice('b', builtinChoices, '2').passed, true);
    assert.equal(matchChoice('b', builtinChoices, 'Among 3 criteria I give 5').score, 0.5);
  });
});

void describe('structured judge replies', () => {
  void it('accepts {score, reason} with score in 0..1, also inside a code fence', () => {
    assert.deepEqual(parseStructuredReply('{"score": 0.8, "reason": "mostly right"}'), {
      ok: true,
      score: 0.8,
      reason: 'mostly right',
    });
    assert.deepEqual(parseStructuredReply('```json\n{"score": 1, "reason": "ok"}\n```'), {
      ok: true,
      score: 1,
      reason: 'ok',
    });
  });

  void it('rejects anything else with the reason', () => {
    const problemOf = (reply: string): string => {
      const parsed = parseStructuredReply(reply);
      assert.equal(parsed.ok, false, `expected '${reply}' to be rejected`);
      return parsed.ok ? '' : parsed.problem;
    };
    assert.match(problemOf('I think 4/5'), /not JSON/);
    assert.match(problemOf('[1]'), /not a JSON object/);
    assert.match(problemOf('{"score": "high"}'), /not a number/);
    assert.match(problemOf('{"reason": "no score"}'), /missing/);
    assert.match(problemOf('{"score": 4}'), /outside 0\.\.1/);
    assert.match(problemOf('{"score": 0.5, "reason": 3}'), /"reason"/);
  });
});

void describe('judges without a reachable model', () => {
  const unresolvable: EvaluationContext = {
    vars: { input: 'q' },
    output: 'a',
    latencyMs: 1,
    costUsd: null,
    judge: {
      defaultModel: 'openai/gpt-4o',
      resolver: {
        resolve(id: string): never {
          throw new Error(`no endpoint for ${id}`);
        },
      },
    },
  };

  void it('an unknown `uses` scores 0 and fails with "not found" (no judge call)', async () => {
    const result = await evaluate({ kind: 'builtin', name: 'x', range, uses: 'github/nonsense' }, unresolvable);
    assert.deepEqual(result, {
      evaluatorName: 'x',
      score: 0,
      passed: false,
      details: "Plugin evaluator 'github/nonsense' not found",
    });
    assert.equal(
      (await evaluate({ kind: 'builtin', name: 'x', range, uses: 'acme/similarity' }, unresolvable)).details,
      "Plugin evaluator 'acme/similarity' not found",
    );
    assert.equal(
      (await evaluate({ kind: 'builtin', name: 'x', range, uses: 'github/toString' }, unresolvable)).details,
      "Plugin evaluator 'github/toString' not found",
    );
  });

  void it('a judge that cannot be resolved is an evaluator error naming the model', async () => {
    const result = await evaluate({ kind: 'builtin', name: 'coh', range, uses: 'github/coherence' }, unresolvable);
    assert.equal(result.error, true);
    assert.equal(result.passed, false);
    assert.match(result.details, /judge model 'openai\/gpt-4o' cannot be resolved: no endpoint/);
  });

  void it('the five builtins exist and their prompts use the gh-models variables', () => {
    assert.deepEqual(Object.keys(BUILTIN_JUDGES).sort(), [
      'coherence',
      'fluency',
      'groundedness',
      'relevance',
      'similarity',
    ]);
    for (const judge of Object.values(BUILTIN_JUDGES)) assert.match(judge.prompt, /\{\{completion\}\}/);
    assert.match(BUILTIN_JUDGES.similarity?.prompt ?? '', /\{\{expected\}\}/);
    assert.match(BUILTIN_JUDGES.groundedness?.prompt ?? '', /CONTEXT: \{\{expected\}\}/);
  });
});
