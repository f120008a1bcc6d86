// compareRuns: match two runs case by case (by caseKey = hash of the variables), classify each pair,
// and decide whether the difference as a whole is beyond noise.

import type { CaseResult, EvaluationResult, RunHeader, RunSummary, SampleResult } from '../run/types';
import { DEFAULT_DISPLAY_LIMIT, diffOutputs, truncateForDisplay } from './diff';
import { mcnemarExact, pairedBootstrap } from './stats';
import { caseEvidence, promptChange, verdictHeadline } from './verdict';
import type {
  CaseSide,
  ChangeReason,
  CompareOptions,
  CompareRow,
  Comparison,
  EvaluatorChange,
  NoiseAssessment,
  OutputDiff,
  RowClass,
  RunData,
  SideSummary,
  SummaryDeltas,
  UnmatchedCase,
} from './types';

export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_DIFF_LIMIT = 20;
/** Fewer scored pairs than this and the bootstrap is reported but never decides (its interval is too optimistic). */
export const MIN_BOOTSTRAP_PAIRS = 10;
const DEFAULT_SCORE_TOLERANCE = 1e-9;

export interface MatchedPair {
  a: CaseResult;
  b: CaseResult;
}

export interface CaseMatch {
  pairs: MatchedPair[];
  onlyInA: CaseResult[];
  onlyInB: CaseResult[];
}

/**
 * Pair cases with the same caseKey. When a key repeats (the same variables twice in the test data),
 * occurrences pair up in order. Pairs follow A's case order.
 */
export function matchCases(a: readonly CaseResult[], b: readonly CaseResult[]): CaseMatch {
  const waiting = new Map<string, CaseResult[]>();
  for (const c of [...b].sort((x, y) => x.caseIndex - y.caseIndex)) {
    const queue = waiting.get(c.caseKey);
    if (queue) queue.push(c);
    else waiting.set(c.caseKey, [c]);
  }
  const pairs: MatchedPair[] = [];
  const onlyInA: CaseResult[] = [];
  for (const c of [...a].sort((x, y) => x.caseIndex - y.caseIndex)) {
    const partner = waiting.get(c.caseKey)?.shift();
    if (partner) pairs.push({ a: c, b: partner });
    else onlyInA.push(c);
  }
  const onlyInB = [...waiting.values()].flat().sort((x, y) => x.caseIndex - y.caseIndex);
  return { pairs, onlyInA, onlyInB };
}

/** Mean evaluator score of one sample; an errored sample scores 0; null when no evaluator ran. */
export function sampleScore(sample: SampleResult): number | null {
  if (sample.error !== undefined && sample.evaluations.length === 0) return 0;
  if (sample.evaluations.length === 0) return null;
  return sample.evaluations.reduce((s, e) => s + e.score, 0) / sample.evaluations.length;
}

export function caseScore(c: CaseResult): number | null {
  const scores = c.samples.map(sampleScore).filter((s): s is number => s !== null);
  return scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : null;
}

export function isFlaky(c: CaseResult): boolean {
  return c.samples.length > 1 && c.passRate > 0 && c.passRate < 1;
}

export function caseLabel(c: CaseResult): string {
  return `case ${c.caseIndex + 1}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0);
}

export function caseSide(c: CaseResult, displayLimit: number): CaseSide {
  const first = c.samples[0];
  const shown = truncateForDisplay(first?.output ?? '', displayLimit);
  const latencies = c.samples.map((s) => s.latencyMs);
  const costs = c.samples.map((s) => s.costUsd);
  const usages = c.samples.map((s) => s.usage?.total);
  const error = c.error ?? first?.error;
  return {
    caseIndex: c.caseIndex,
    passed: c.passed,
    passRate: c.passRate,
    score: caseScore(c),
    samples: c.samples.length,
    flaky: isFlaky(c),
    output: shown.text,
    outputTruncated: shown.truncated,
    outputLength: shown.length,
    ...(error !== undefined ? { error } : {}),
    latencyMs: latencies.length ? sum(latencies) / latencies.length : null,
    costUsd: costs.length && costs.every((x) => x !== null) ? sum(costs as number[]) : null,
    tokens: usages.length && usages.every((x) => x !== undefined) ? sum(usages as number[]) : null,
  };
}

function evaluationsByName(c: CaseResult): Map<string, EvaluationResult[]> {
  const byName = new Map<string, EvaluationResult[]>();
  for (const s of c.samples)
    for (const e of s.evaluations) {
      const list = byName.get(e.evaluatorName);
      if (list) list.push(e);
      else byName.set(e.evaluatorName, [e]);
    }
  return byName;
}

function evaluatorChanges(a: CaseResult, b: CaseResult, tolerance: number): EvaluatorChange[] {
  const inA = evaluationsByName(a);
  const inB = evaluationsByName(b);
  const names = [...inA.keys(), ...[...inB.keys()].filter((n) => !inA.has(n))];
  const passRate = (list?: EvaluationResult[]): number | null =>
    list ? list.filter((e) => e.passed).length / list.length : null;
  const meanScore = (list?: EvaluationResult[]): number | null =>
    list ? sum(list.map((e) => e.score)) / list.length : null;
  return names.map((evaluatorName) => {
    const la = inA.get(evaluatorName);
    const lb = inB.get(evaluatorName);
    const passRateA = passRate(la);
    const passRateB = passRate(lb);
    const meanScoreA = meanScore(la);
    const meanScoreB = meanScore(lb);
    let change: EvaluatorChange['change'] = 'same';
    if (passRateA === null) change = 'added';
    else if (passRateB === null) change = 'removed';
    else if (passRateB < passRateA) change = 'broke';
    else if (passRateB > passRateA) change = 'fixed';
    else if (meanScoreA !== null && meanScoreB !== null && meanScoreB < meanScoreA - tolerance) change = 'score-down';
    else if (meanScoreA !== null && meanScoreB !== null && meanScoreB > meanScoreA + tolerance) change = 'score-up';
    const detailsA = la?.[0]?.details;
    const detailsB = lb?.[0]?.details;
    return {
      evaluatorName,
      passRateA,
      passRateB,
      meanScoreA,
      meanScoreB,
      change,
      ...(detailsA !== undefined ? { detailsA } : {}),
      ...(detailsB !== undefined ? { detailsB } : {}),
    };
  });
}

const REGRESSION_REASONS: readonly ChangeReason[] = ['pass-to-fail', 'pass-rate-down', 'score-down'];

function classify(a: CaseSide, b: CaseSide, tolerance: number): { class: RowClass; reasons: ChangeReason[] } {
  const reasons: ChangeReason[] = [];
  if (a.passed && !b.passed) reasons.push('pass-to-fail');
  else if (!a.passed && b.passed) reasons.push('fail-to-pass');
  else if (b.passRate < a.passRate) reasons.push('pass-rate-down');
  else if (b.passRate > a.passRate) reasons.push('pass-rate-up');
  if (a.score !== null && b.score !== null) {
    if (b.score < a.score - tolerance) reasons.push('score-down');
    else if (b.score > a.score + tolerance) reasons.push('score-up');
  }
  // The pass/fail verdict outranks the score: the first reason decides the class.
  const first = reasons[0];
  const rowClass: RowClass =
    first === undefined ? 'unchanged' : REGRESSION_REASONS.includes(first) ? 'regression' : 'improvement';
  return { class: rowClass, reasons };
}

/** Every sample on the worse side is worse than every sample on the better side. */
function separated(worse: CaseResult, better: CaseResult, byPass: boolean): boolean {
  if (byPass) return worse.samples.every((s) => !s.passed) && better.samples.every((s) => s.passed);
  const w = worse.samples.map(sampleScore).filter((s): s is number => s !== null);
  const b = better.samples.map(sampleScore).filter((s): s is number => s !== null);
  return w.length > 0 && b.length > 0 && Math.max(...w) < Math.min(...b);
}

const REASON_RANK: Record<ChangeReason, number> = {
  'pass-to-fail': 0,
  'pass-rate-down': 1,
  'score-down': 2,
  'fail-to-pass': 0,
  'pass-rate-up': 1,
  'score-up': 2,
};
const CLASS_RANK: Record<RowClass, number> = { regression: 0, improvement: 1, unchanged: 2 };

/** Regressions first (hardest failures, then biggest drops), then improvements (biggest gains), then unchanged. */
export function compareRowOrder(x: CompareRow, y: CompareRow): number {
  const byClass = CLASS_RANK[x.class] - CLASS_RANK[y.class];
  if (byClass) return byClass;
  if (x.class !== 'unchanged') {
    const byReason = REASON_RANK[x.reasons[0] as ChangeReason] - REASON_RANK[y.reasons[0] as ChangeReason];
    if (byReason) return byReason;
    const dx = x.scoreDelta ?? 0;
    const dy = y.scoreDelta ?? 0;
    const byMagnitude = x.class === 'regression' ? dx - dy : dy - dx;
    if (byMagnitude) return byMagnitude;
  }
  return x.a.caseIndex - y.a.caseIndex;
}

/** The run's own label, else model (and revision). */
export function runLabel(header: RunHeader): string {
  if (header.label) return header.label;
  const revision = header.git?.revision;
  return revision ? `${header.model} @ ${revision}` : header.model;
}

/** Used only when a run has no summary line (interrupted run): same rules as the runner's summary. */
function summaryFromCases(cases: readonly CaseResult[]): RunSummary {
  const samples = cases.flatMap((c) => c.samples);
  const scores = cases.map(caseScore).filter((s): s is number => s !== null);
  const costs = samples.map((s) => s.costUsd);
  const passed = cases.filter((c) => c.passed).length;
  const errored = cases.filter((c) => c.error !== undefined).length;
  return {
    totalTests: cases.length,
    passedTests: passed,
    failedTests: cases.length - passed,
    erroredTests: errored,
    passRate: cases.length ? (passed / cases.length) * 100 : 100,
    meanScore: scores.length ? sum(scores) / scores.length : null,
    tokens: {
      prompt: sum(samples.map((s) => s.usage?.prompt ?? 0)),
      completion: sum(samples.map((s) => s.usage?.completion ?? 0)),
      total: sum(samples.map((s) => s.usage?.total ?? 0)),
    },
    costUsd:
      costs.length && costs.every((c) => c !== null)
        ? sum(samples.filter((s) => !s.cached).map((s) => s.costUsd as number))
        : null,
    durationMs: 0,
    meanLatencyMs: samples.length ? sum(samples.map((s) => s.latencyMs)) / samples.length : null,
    cachedSamples: samples.filter((s) => s.cached).length,
    cachedCostUsd:
      costs.length && costs.every((c) => c !== null)
        ? sum(samples.filter((s) => s.cached).map((s) => s.costUsd as number))
        : null,
  };
}

export function sideSummary(run: RunData): SideSummary {
  const s = run.summary ?? summaryFromCases(run.cases);
  const flakyCases = run.cases.filter(isFlaky).length;
  const revision = run.header.git?.revision;
  return {
    runId: run.header.runId,
    label: runLabel(run.header),
    model: run.header.model,
    ...(revision !== undefined ? { revision } : {}),
    startedAt: run.header.startedAt,
    cases: run.cases.length,
    passRate: s.passRate,
    meanScore: s.meanScore,
    tokens: s.tokens,
    // Cached samples count at what they cost when first paid ("cached, $0 now"), so a cached re-run
    // and the run that paid for it show the same cost.
    costUsd: s.costUsd === null || s.cachedCostUsd === null ? null : s.costUsd + (s.cachedCostUsd ?? 0),
    costNowUsd: s.costUsd,
    cachedSamples: s.cachedSamples,
    meanLatencyMs: s.meanLatencyMs,
    flakyCases,
    flakeRate: run.cases.length ? flakyCases / run.cases.length : 0,
    repeat: run.header.repeat,
  };
}

function delta(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : b - a;
}

function summaryDeltas(a: SideSummary, b: SideSummary): SummaryDeltas {
  return {
    passRate: b.passRate - a.passRate,
    meanScore: delta(a.meanScore, b.meanScore),
    tokens: b.tokens.total - a.tokens.total,
    costUsd: delta(a.costUsd, b.costUsd),
    meanLatencyMs: delta(a.meanLatencyMs, b.meanLatencyMs),
  };
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toFixed(3);
}

export function assessNoise(rows: readonly CompareRow[], options: CompareOptions = {}): NoiseAssessment {
  const tests = noiseTests(rows, options);
  return { ...tests, headline: verdictHeadline(rows, tests) };
}

function noiseTests(rows: readonly CompareRow[], options: CompareOptions): Omit<NoiseAssessment, 'headline'> {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const passToFail = rows.filter((r) => r.a.passed && !r.b.passed).length;
  const failToPass = rows.filter((r) => !r.a.passed && r.b.passed).length;
  const mcnemar = mcnemarExact(passToFail, failToPass);
  const differences = rows.filter((r) => r.scoreDelta !== null).map((r) => r.scoreDelta as number);
  const bootstrap =
    differences.length >= 2
      ? pairedBootstrap(differences, {
          alpha,
          resamples: options.bootstrapResamples ?? 2000,
          seed: options.bootstrapSeed ?? 1,
        })
      : undefined;
  const mcnemarText = `exact McNemar p=${formatP(mcnemar.pValue)} (${passToFail} pass→fail, ${failToPass} fail→pass)`;
  const confidence = `${Math.round((1 - alpha) * 100)}%`;
  const bootstrapText = bootstrap
    ? `paired bootstrap ${confidence} CI of score change [${bootstrap.low.toFixed(3)}, ${bootstrap.high.toFixed(3)}] over ${bootstrap.pairs} cases`
    : 'too few scored cases for a bootstrap';
  if (mcnemar.passToFail + mcnemar.failToPass > 0 && mcnemar.pValue < alpha) {
    const verdict = failToPass > passToFail ? 'better' : 'worse';
    return {
      verdict,
      alpha,
      decidedBy: 'mcnemar-exact',
      mcnemar,
      ...(bootstrap ? { bootstrap } : {}),
      explanation: `${mcnemarText[0]?.toUpperCase()}${mcnemarText.slice(1)} < α=${alpha}.`,
    };
  }
  if (bootstrap && bootstrap.pairs >= MIN_BOOTSTRAP_PAIRS && (bootstrap.low > 0 || bootstrap.high < 0)) {
    const verdict = bootstrap.low > 0 ? 'better' : 'worse';
    return {
      verdict,
      alpha,
      decidedBy: 'paired-bootstrap',
      mcnemar,
      bootstrap,
      explanation: `Paired bootstrap ${bootstrapText.slice('paired bootstrap '.length)} excludes 0 (${mcnemarText}).`,
    };
  }
  const bootstrapVerdict = !bootstrap
    ? bootstrapText
    : bootstrap.low > 0 || bootstrap.high < 0
      ? `${bootstrapText} excludes 0, but ${bootstrap.pairs} cases are too few for it to decide (at least ${MIN_BOOTSTRAP_PAIRS})`
      : `${bootstrapText} includes 0`;
  return {
    verdict: 'within-noise',
    alpha,
    decidedBy: 'none',
    mcnemar,
    ...(bootstrap ? { bootstrap } : {}),
    explanation: `Within noise at α=${alpha}: ${mcnemarText}; ${bootstrapVerdict}.`,
  };
}

function sameFile(a: RunHeader, b: RunHeader): boolean {
  if (a.promptFileRelative && b.promptFileRelative) return a.promptFileRelative === b.promptFileRelative;
  return a.promptFile === b.promptFile;
}

function unmatched(c: CaseResult): UnmatchedCase {
  return { caseKey: c.caseKey, caseIndex: c.caseIndex, label: caseLabel(c), passed: c.passed };
}

export function compareRuns(runA: RunData, runB: RunData, options: CompareOptions = {}): Comparison {
  const tolerance = options.scoreTolerance ?? DEFAULT_SCORE_TOLERANCE;
  const displayLimit = options.displayLimit ?? DEFAULT_DISPLAY_LIMIT;
  const diffLimit = options.diffLimit ?? DEFAULT_DIFF_LIMIT;
  const warnings: string[] = [];
  if (!sameFile(runA.header, runB.header))
    warnings.push(
      `The runs are of different prompt files (${runA.header.promptFileRelative ?? runA.header.promptFile} vs ${runB.header.promptFileRelative ?? runB.header.promptFile}); cases were matched by their variables.`,
    );
  for (const [name, run] of [
    ['A', runA],
    ['B', runB],
  ] as const) {
    if (!run.summary || run.finished === false)
      warnings.push(
        `Run ${name} (${run.header.runId}) has no summary line (interrupted?); its totals were computed from the ${run.cases.length} finished cases.`,
      );
    for (const w of run.warnings ?? [])
      if (!/summary/i.test(w)) warnings.push(`Run ${name} (${run.header.runId}): ${w}`);
  }

  const match = matchCases(runA.cases, runB.cases);
  if (match.onlyInA.length || match.onlyInB.length)
    warnings.push(
      `The runs have different case sets: ${match.pairs.length} matched, ${match.onlyInA.length} only in A, ${match.onlyInB.length} only in B (listed apart).`,
    );
  if (runA.header.repeat !== runB.header.repeat)
    warnings.push(
      `The runs took different numbers of samples per case (${runA.header.repeat} vs ${runB.header.repeat}).`,
    );

  const outputs = new Map<CompareRow, [string, string]>();
  const rows: CompareRow[] = match.pairs.map(({ a, b }) => {
    const sa = caseSide(a, displayLimit);
    const sb = caseSide(b, displayLimit);
    const { class: rowClass, reasons } = classify(sa, sb, tolerance);
    const first = reasons[0];
    const byPass =
      first === 'pass-to-fail' || first === 'fail-to-pass' || first === 'pass-rate-down' || first === 'pass-rate-up';
    const beyondNoise =
      rowClass === 'regression'
        ? separated(b, a, byPass)
        : rowClass === 'improvement'
          ? separated(a, b, byPass)
          : false;
    const outputA = a.samples[0]?.output ?? '';
    const outputB = b.samples[0]?.output ?? '';
    const outputChanged = outputA !== outputB;
    const row: CompareRow = {
      caseKey: a.caseKey,
      label: caseLabel(a),
      vars: a.vars,
      a: sa,
      b: sb,
      class: rowClass,
      reasons,
      scoreDelta: delta(sa.score, sb.score),
      beyondNoise,
      evidence: 'none',
      outputChanged,
      evaluators: evaluatorChanges(a, b, tolerance),
    };
    row.evidence = caseEvidence(row);
    outputs.set(row, [outputA, outputB]);
    return row;
  });
  rows.sort(compareRowOrder);
  let diffed = 0;
  for (const row of rows) {
    if (diffed >= diffLimit) break;
    if (!row.outputChanged) continue;
    const [outputA, outputB] = outputs.get(row) as [string, string];
    row.diff = diffOutputs(outputA, outputB, displayLimit);
    diffed++;
  }

  const a = sideSummary(runA);
  const b = sideSummary(runB);
  if (a.label === b.label) {
    a.label = `${a.label} (${runA.header.startedAt})`;
    b.label = `${b.label} (${runB.header.startedAt})`;
  }
  const count = (c: RowClass): number => rows.filter((r) => r.class === c).length;
  return {
    a,
    b,
    deltas: summaryDeltas(a, b),
    rows,
    counts: {
      regressions: count('regression'),
      improvements: count('improvement'),
      unchanged: count('unchanged'),
      regressionsBeyondNoise: rows.filter((r) => r.class === 'regression' && r.beyondNoise).length,
    },
    onlyInA: match.onlyInA.map(unmatched),
    onlyInB: match.onlyInB.map(unmatched),
    noise: assessNoise(rows, options),
    prompt: promptChange(runA.header, runB.header),
    warnings,
  };
}

function firstOutput(run: RunData, caseIndex: number): string {
  return run.cases.find((c) => c.caseIndex === caseIndex)?.samples[0]?.output ?? '';
}

/** The word diff of one row's first-sample outputs (for rows past the up-front diff limit). */
export function rowDiff(
  runA: RunData,
  runB: RunData,
  row: Pick<CompareRow, 'a' | 'b'>,
  displayLimit = DEFAULT_DISPLAY_LIMIT,
): OutputDiff {
  return diffOutputs(firstOutput(runA, row.a.caseIndex), firstOutput(runB, row.b.caseIndex), displayLimit);
}

export type FailOn = 'regressions' | 'any' | 'none';

/**
 * The CI gate. `regressions`: a case got worse beyond its own noise, or the whole run is significantly
 * worse; `any`: any case got worse at all; `none`: never.
 */
export function shouldFail(comparison: Comparison, failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  if (failOn === 'any') return comparison.counts.regressions > 0;
  return comparison.counts.regressionsBeyondNoise > 0 || comparison.noise.verdict === 'worse';
}
