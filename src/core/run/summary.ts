// Sums and verdicts of a run, computed once here for every front end.
import type { CaseResult, LatencyDistribution, RepeatStats, RunSummary, TokenUsage } from './types';

export const LATENCY_BINS = 12;

/**
 * - passRate: percent of cases that passed; 100 when there are no cases (as gh-models).
 * - erroredTests: cases with a failed request or an evaluator error.
 * - meanScore: mean of every evaluation score that is not an evaluator error; null when none.
 * - costUsd: money spent by this run (cached samples cost nothing); null when any sample that
 *   made a request has an unknown price.
 * - meanLatencyMs: over samples with a successful request's latency, cached ones included (they carry
 *   the latency of the request that filled the cache; not entries that only know the lookup time); null when none.
 * - cachedCostUsd: what the cached samples cost when first paid (shown as "cached, $0 now").
 * - latency: percentiles and histogram of those same latencies.
 */
/** pass@k and pass^k over cases with more than one sample; undefined when no case repeats. */
export function repeatStats(cases: readonly CaseResult[], passRateThreshold = 1): RepeatStats | undefined {
  const k = cases.reduce((most, c) => Math.max(most, c.samples.length), 0);
  if (k < 2) return undefined;
  let atLeastOne = 0;
  let every = 0;
  let rateSum = 0;
  for (const c of cases) {
    const passed = c.samples.filter((s) => s.passed).length;
    if (passed > 0) atLeastOne++;
    if (passed === c.samples.length && passed > 0) every++;
    rateSum += c.samples.length === 0 ? 0 : passed / c.samples.length;
  }
  const n = cases.length;
  return { k, passAtK: atLeastOne / n, passHatK: every / n, meanSamplePassRate: rateSum / n, passRateThreshold };
}

export function summarize(cases: readonly CaseResult[], durationMs: number, passRateThreshold?: number): RunSummary {
  const tokens: TokenUsage = { prompt: 0, completion: 0, total: 0 };
  let passedTests = 0;
  let erroredTests = 0;
  let scoreSum = 0;
  let scoreCount = 0;
  let cost = 0;
  let costKnown = true;
  let latencySum = 0;
  let latencyCount = 0;
  const latencies: number[] = [];
  let cachedSamples = 0;
  let cachedCost: number | null = 0;

  for (const result of cases) {
    if (result.passed) passedTests++;
    let errored = false;
    for (const sample of result.samples) {
      if (sample.error !== undefined) errored = true;
      for (const evaluation of sample.evaluations) {
        if (evaluation.error) {
          errored = true;
          continue;
        }
        scoreSum += evaluation.score;
        scoreCount++;
      }
      if (sample.usage) {
        tokens.prompt += sample.usage.prompt;
        tokens.completion += sample.usage.completion;
        tokens.total += sample.usage.total;
      }
      if (sample.error === undefined && !sample.latencyIsLookup) {
        latencySum += sample.latencyMs;
        latencyCount++;
        latencies.push(sample.latencyMs);
      }
      if (sample.cached) {
        cachedSamples++;
        cachedCost = cachedCost === null || sample.costUsd === null ? null : cachedCost + sample.costUsd;
        continue;
      }
      if (sample.costUsd === null) {
        // A request that failed before any usage was reported spent nothing we could price.
        if (sample.error === undefined) costKnown = false;
      } else {
        cost += sample.costUsd;
      }
    }
    if (errored) erroredTests++;
  }

  const totalTests = cases.length;
  const latency = latencyDistribution(latencies);
  const repeats = repeatStats(cases, passRateThreshold);
  const summary: RunSummary = {
    totalTests,
    passedTests,
    failedTests: totalTests - passedTests,
    erroredTests,
    passRate: totalTests === 0 ? 100 : (passedTests / totalTests) * 100,
    meanScore: scoreCount === 0 ? null : scoreSum / scoreCount,
    tokens,
    costUsd: costKnown ? cost : null,
    durationMs,
    meanLatencyMs: latencyCount === 0 ? null : latencySum / latencyCount,
    ...(latency ? { latency } : {}),
    cachedSamples,
    ...(cachedSamples > 0 ? { cachedCostUsd: cachedCost } : {}),
  };
  if (repeats) summary.repeats = repeats;
  return summary;
}

export function latencyDistribution(latencies: readonly number[]): LatencyDistribution | undefined {
  if (latencies.length === 0) return undefined;
  const sorted = Float64Array.from(latencies).sort();
  const rank = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const bins = new Array<number>(LATENCY_BINS).fill(0);
  for (const ms of sorted) {
    const bin = max === 0 ? 0 : Math.min(LATENCY_BINS - 1, Math.floor((ms / max) * LATENCY_BINS));
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return { p50: rank(0.5), p90: rank(0.9), max, bins };
}
