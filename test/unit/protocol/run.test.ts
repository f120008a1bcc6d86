// The run panel's message guards: well-formed messages pass, malformed ones are rejected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRejected } from '../../../src/protocol/common';
import {
  isRunHostMessage,
  isRunPanelState,
  isRunViewMessage,
  type CaseResultView,
  type SummaryView,
} from '../../../src/protocol/run';

const summary: SummaryView = {
  totalTests: 1,
  passedTests: 1,
  failedTests: 0,
  erroredTests: 0,
  passRate: 100,
  meanScore: 1,
  tokens: { prompt: 1, completion: 2, total: 3 },
  costUsd: null,
  durationMs: 12,
  meanLatencyMs: 10,
  cachedSamples: 0,
};
const result: CaseResultView = {
  caseIndex: 0,
  caseKey: 'k',
  vars: { name: 'Ada', n: 3 },
  samples: [
    {
      sample: 0,
      output: '<img src=x>',
      evaluations: [{ evaluatorName: 'e', score: 1, passed: true, details: '' }],
      passed: true,
      latencyMs: 10,
      costUsd: null,
      cached: false,
    },
  ],
  passRate: 1,
  passed: true,
};

void test('host messages: each kind is accepted when well formed', () => {
  assert.ok(
    isRunHostMessage({ type: 'init', promptFile: '/a.prompt.yml', cases: [{ caseIndex: 0, vars: {} }], trusted: true }),
  );
  assert.ok(
    isRunHostMessage({
      type: 'progress',
      started: [{ caseIndex: 0, sample: 0 }],
      deltas: [{ caseIndex: 0, sample: 0, text: 'x' }],
      finished: [result],
      summary,
    }),
  );
  assert.ok(isRunHostMessage({ type: 'run-finished', summary, cancelled: false, runId: 'r' }));
  assert.ok(isRunHostMessage({ type: 'run-failed', message: 'boom' }));
});

void test('host messages: wrong shapes are rejected', () => {
  assert.equal(isRunHostMessage({ type: 'nope' }), false);
  assert.equal(isRunHostMessage({ type: 'run-failed' }), false);
  assert.equal(
    isRunHostMessage({
      type: 'progress',
      started: [],
      deltas: [{ caseIndex: -1, sample: 0, text: 'x' }],
      finished: [],
      summary,
    }),
    false,
  );
  assert.equal(
    isRunHostMessage({
      type: 'progress',
      started: [],
      deltas: [],
      finished: [{ ...result, samples: [{ ...result.samples[0], latencyMs: Number.NaN }] }],
      summary,
    }),
    false,
  );
  assert.equal(
    isRunHostMessage({ type: 'run-finished', summary: { ...summary, costUsd: '1' }, cancelled: false, runId: 'r' }),
    false,
  );
  assert.equal(isRunHostMessage(null), false);
  assert.equal(isRunHostMessage('init'), false);
  // A key that only exists on Object.prototype is not a message type.
  assert.equal(isRunHostMessage({ type: 'toString' }), false);
});

void test('view messages: commands from the webview are validated', () => {
  assert.ok(isRunViewMessage({ type: 'ready' }));
  assert.ok(isRunViewMessage({ type: 'rerun-case', caseIndex: 2 }));
  assert.ok(isRunViewMessage({ type: 'export', format: 'csv' }));
  assert.equal(isRunViewMessage({ type: 'export', format: 'html' }), false);
  assert.equal(isRunViewMessage({ type: 'rerun-case', caseIndex: 1.5 }), false);
  assert.equal(isRunViewMessage({ type: 'open-output', caseIndex: 0 }), false);
});

void test('panel state and rejection descriptions', () => {
  assert.ok(isRunPanelState({ promptFile: '/a', runId: 'r' }));
  assert.equal(isRunPanelState({ runId: 'r' }), false);
  assert.equal(describeRejected({ type: 'x', a: 1 }), 'message of type "x" with keys [type, a]');
  assert.equal(describeRejected(null), 'non-object message (null)');
});

void test('results carry the rendered messages and the judge trace, both validated', () => {
  const judged: CaseResultView = {
    ...result,
    messages: [{ role: 'user', content: 'Hi Ada' }],
    samples: [
      {
        ...result.samples[0]!,
        evaluations: [
          {
            evaluatorName: 'j',
            score: 0,
            passed: false,
            details: 'x',
            judge: { model: 'm', reply: '1', reason: 'bad' },
          },
        ],
      },
    ],
  };
  const progress = (finished: unknown[]) => ({ type: 'progress', started: [], deltas: [], finished, summary });
  assert.ok(isRunHostMessage(progress([judged])));
  assert.equal(isRunHostMessage(progress([{ ...judged, messages: [{ role: 'user' }] }])), false);
  const badJudge = {
    ...judged,
    samples: [
      {
        ...judged.samples[0],
        evaluations: [{ evaluatorName: 'j', score: 0, passed: false, details: '', judge: { model: 'm', reply: 3 } }],
      },
    ],
  };
  assert.equal(isRunHostMessage(progress([badJudge])), false);
});

void test("core's optional run fields are validated too: cached prompt tokens, retries, budget skips, repeats", () => {
  const sample = result.samples[0]!;
  const full: CaseResultView = {
    ...result,
    notRun: 'budget',
    samples: [
      { ...sample, usage: { prompt: 5, completion: 1, total: 6, cachedPrompt: 4 }, retries: 2 },
      { ...sample, sample: 1, notRun: 'budget' },
    ],
  };
  const repeats = { k: 2, passAtK: 1, passHatK: 0.5, meanSamplePassRate: 0.75, passRateThreshold: 1 };
  const progress = (finished: unknown, withSummary: unknown = summary) => ({
    type: 'progress',
    started: [],
    deltas: [],
    finished: [finished],
    summary: withSummary,
  });
  assert.ok(isRunHostMessage(progress(full, { ...summary, repeats })));
  const withSample = (patch: Record<string, unknown>) => ({ ...full, samples: [{ ...sample, ...patch }] });
  assert.equal(
    isRunHostMessage(progress(withSample({ usage: { prompt: 5, completion: 1, total: 6, cachedPrompt: '4' } }))),
    false,
  );
  assert.equal(isRunHostMessage(progress(withSample({ retries: -1 }))), false);
  assert.equal(isRunHostMessage(progress(withSample({ notRun: 'later' }))), false);
  assert.equal(isRunHostMessage(progress({ ...full, notRun: true })), false);
  assert.equal(isRunHostMessage(progress(full, { ...summary, repeats: { ...repeats, k: 'two' } })), false);
});
