import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, caseKey } from '../../../../src/core/run/canonical';
import { summarize } from '../../../../src/core/run/summary';
import type { CaseResult, SampleResult } from '../../../../src/core/run/types';

function sample(overrides: Partial<SampleResult> = {}): SampleResult {
  return {
    sample: 0,
    output: 'x',
    evaluations: [],
    passed: true,
    latencyMs: 100,
    costUsd: 0.01,
    cached: false,
    usage: { prompt: 10, completion: 2, total: 12 },
    ...overrides,
  };
}

function result(caseIndex: number, samples: SampleResult[]): CaseResult {
  const passed = samples.every((s) => s.passed);
  return {
    caseIndex,
    caseKey: String(caseIndex),
    vars: {},
    samples,
    passRate: samples.filter((s) => s.passed).length / samples.length,
    passed,
  };
}

void describe('summarize', () => {
  void it('no cases: pass rate 100 as gh-models', () => {
    const s = summarize([], 0);
    assert.equal(s.totalTests, 0);
    assert.equal(s.passRate, 100);
    assert.equal(s.meanScore, null);
    assert.equal(s.meanLatencyMs, null);
    assert.equal(s.costUsd, 0);
  });

  void it('counts, percentages, mean score, tokens, cost and latency', () => {
    const evalPass = { evaluatorName: 'a', score: 1, passed: true, details: '' };
    const evalHalf = { evaluatorName: 'b', score: 0.5, passed: true, details: '' };
    const evalFail = { evaluatorName: 'a', score: 0, passed: false, details: '' };
    const evalError = { evaluatorName: 'j', score: 0, passed: false, details: 'judge down', error: true };
    const cases = [
      result(0, [sample({ evaluations: [evalPass, evalHalf] })]),
      result(1, [sample({ evaluations: [evalFail], passed: false, latencyMs: 300 })]),
      result(2, [sample({ evaluations: [evalError], passed: false })]),
      result(3, [sample({ error: 'HTTP 500', passed: false, usage: undefined, costUsd: null, latencyMs: 5 })]),
      result(4, [sample({ cached: true, costUsd: 0.01, latencyMs: 1, latencyIsLookup: true })]),
    ];
    const s = summarize(cases, 999);
    assert.equal(s.totalTests, 5);
    assert.equal(s.passedTests, 2);
    assert.equal(s.failedTests, 3);
    assert.equal(s.erroredTests, 2);
    assert.equal(s.passRate, 40);
    // Evaluator errors are not scores: (1 + 0.5 + 0) / 3.
    assert.equal(s.meanScore, 0.5);
    assert.deepEqual(s.tokens, { prompt: 40, completion: 8, total: 48 });
    // The cached sample cost nothing in this run; the failed request had no usage to price.
    assert.ok(Math.abs((s.costUsd ?? NaN) - 0.03) < 1e-12);
    // Latency over successful requests' latencies only (the old cache entry knows just its lookup time): (100 + 300 + 100) / 3.
    assert.ok(Math.abs((s.meanLatencyMs ?? NaN) - 500 / 3) < 1e-9);
    assert.equal(s.cachedSamples, 1);
    // ... and what it cost when first paid is kept apart ("cached, $0 now").
    assert.equal(s.cachedCostUsd, 0.01);
    assert.equal(s.durationMs, 999);
    // Distribution of the same three latencies (nearest-rank percentiles, 12 bins from 0 to max).
    assert.deepEqual(s.latency, { p50: 100, p90: 300, max: 300, bins: [0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 1] });
  });

  void it('latency percentiles by nearest rank', () => {
    const cases = Array.from({ length: 10 }, (_, i) => result(i, [sample({ latencyMs: (i + 1) * 10 })]));
    const s = summarize(cases, 1);
    assert.equal(s.latency?.p50, 50);
    assert.equal(s.latency?.p90, 90);
    assert.equal(s.latency?.max, 100);
    assert.equal(
      s.latency?.bins.reduce((a, b) => a + b, 0),
      10,
    );
    assert.equal(summarize([], 1).latency, undefined);
    assert.equal(summarize([result(0, [sample({ cached: true, latencyIsLookup: true })])], 1).latency, undefined);
  });

  void it('a cached sample reports the latency of the request that filled the cache, and costs $0 now', () => {
    const s = summarize(
      [
        result(0, [sample({ cached: true, latencyMs: 250, costUsd: 0.002 })]),
        result(1, [sample({ latencyMs: 150, costUsd: 0.001 })]),
      ],
      1,
    );
    assert.equal(s.meanLatencyMs, 200);
    assert.equal(s.latency?.max, 250);
    assert.equal(s.costUsd, 0.001);
    assert.equal(s.cachedCostUsd, 0.002);
  });

  void it('cost is null (unknown), never 0, when a request has no price', () => {
    assert.equal(summarize([result(0, [sample({ costUsd: null })])], 1).costUsd, null);
  });
});

void describe('caseKey', () => {
  void it('is stable across key order and distinguishes values and types', () => {
    assert.equal(caseKey({ a: 1, b: { c: [1, 2], d: 'x' } }), caseKey({ b: { d: 'x', c: [1, 2] }, a: 1 }));
    assert.notEqual(caseKey({ a: 1 }), caseKey({ a: '1' }));
    assert.notEqual(caseKey({ a: [1, 2] }), caseKey({ a: [2, 1] }));
    assert.match(caseKey({}), /^[0-9a-f]{16}$/);
    assert.equal(canonicalJson({ z: 1, a: [{ y: 2, b: 3 }] }), '{"a":[{"b":3,"y":2}],"z":1}');
  });
});
