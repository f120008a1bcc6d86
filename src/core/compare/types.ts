// The comparison model: what compareRuns returns and every front end (CLI, compare view) shows.
// Everything here is plain JSON so it crosses the webview boundary and `--json` unchanged.

import type { CaseResult, RunHeader, RunSummary, TokenUsage } from '../run/types';

/** A run as loaded from the store or returned by runPrompt (both shapes fit). */
export interface RunData {
  header: RunHeader;
  cases: CaseResult[];
  summary?: RunSummary;
  /** False when the run file has no summary line (interrupted run; the summary was recomputed). */
  finished?: boolean;
  /** Problems found while loading the run file (torn last line …). */
  warnings?: string[];
}

/** One piece of a word-level diff; concatenating `equal`+`delete` gives A, `equal`+`insert` gives B. */
export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface OutputDiff {
  segments: DiffSegment[];
  /** True when an output was longer than the display limit and only its start was diffed. */
  truncated: boolean;
  /** True when the texts were too different to diff word by word within the edit budget (shown as replaced). */
  coarse: boolean;
}

export type RowClass = 'regression' | 'improvement' | 'unchanged';

/**
 * - single-sample: a side has one sample, so nothing can be said about this case's own noise;
 * - beyond-noise / within-noise: with repeats, whether every sample on one side beats every one on the other;
 * - none: the row did not change.
 */
export type CaseEvidence = 'single-sample' | 'beyond-noise' | 'within-noise' | 'none';

/** What changed in the prompt itself between two runs. */
export interface PromptChange {
  /** Both runs ran byte-identical prompt files. */
  sameContent: boolean;
  model?: { a: string; b: string };
  /** Parameters that differ (absent value: not set on that side). */
  parameters: { name: string; a?: unknown; b?: unknown }[];
  /** False when a run was recorded before runs kept their messages. */
  messagesKnown: boolean;
  /** Messages that differ, by position, with a word diff of their content. */
  messages: MessageDiff[];
}

/**
 * What happened to a prompt message from A to B: only in B, only in A, its role changed (its content
 * may have too: the segments say), or only its content changed.
 */
export type MessageChange = 'added' | 'removed' | 'role' | 'content';

export interface MessageDiff {
  index: number;
  /** The message's role in A / B; absent on the side that does not have it. */
  roleA?: string;
  roleB?: string;
  change: MessageChange;
  segments: DiffSegment[];
}

/** Why a row got its class, most important first. */
export type ChangeReason =
  'pass-to-fail' | 'fail-to-pass' | 'pass-rate-down' | 'pass-rate-up' | 'score-down' | 'score-up';

export interface EvaluatorChange {
  evaluatorName: string;
  /** Fraction of samples this evaluator passed in A / B; null when the evaluator did not run on that side. */
  passRateA: number | null;
  passRateB: number | null;
  meanScoreA: number | null;
  meanScoreB: number | null;
  change: 'broke' | 'fixed' | 'score-down' | 'score-up' | 'added' | 'removed' | 'same';
  /** Judge details from the first sample on each side (why it passed / failed). */
  detailsA?: string;
  detailsB?: string;
}

/** The view of one case on one side of a comparison. */
export interface CaseSide {
  caseIndex: number;
  passed: boolean;
  passRate: number;
  /** Mean evaluator score over samples (errored samples count 0); null when no evaluator ran. */
  score: number | null;
  samples: number;
  /** 0 < passRate < 1 over repeated samples. */
  flaky: boolean;
  /** Output of the first sample, cut to the display limit. */
  output: string;
  outputTruncated: boolean;
  outputLength: number;
  error?: string;
  latencyMs: number | null;
  costUsd: number | null;
  tokens: number | null;
}

export interface CompareRow {
  caseKey: string;
  /** Short human label, e.g. `case 3` (1-based A index) plus the first variable values. */
  label: string;
  vars: Record<string, unknown>;
  a: CaseSide;
  b: CaseSide;
  class: RowClass;
  reasons: ChangeReason[];
  /** Score B − A (null when either side has no score). */
  scoreDelta: number | null;
  /**
   * True when the change is larger than the case's own sample-to-sample noise: every sample on the
   * worse side is worse than every sample on the better side. With one sample per side there is no
   * noise estimate, so any change counts.
   */
  beyondNoise: boolean;
  /** What the view may say about this row's significance (never "beyond noise" from one sample). */
  evidence: CaseEvidence;
  outputChanged: boolean;
  diff?: OutputDiff;
  evaluators: EvaluatorChange[];
}

export interface UnmatchedCase {
  caseKey: string;
  caseIndex: number;
  label: string;
  passed: boolean;
}

export interface SideSummary {
  runId: string;
  label: string;
  model: string;
  revision?: string;
  startedAt: string;
  cases: number;
  passRate: number;
  meanScore: number | null;
  tokens: TokenUsage;
  /** What the run's requests cost at the model's price, cached samples at what they cost when first paid. */
  costUsd: number | null;
  /** What the run actually spent (cached samples cost $0 now); differs from costUsd only when some were cached. */
  costNowUsd: number | null;
  cachedSamples: number;
  meanLatencyMs: number | null;
  flakyCases: number;
  /** Fraction of cases that were flaky (only meaningful with repeat > 1). */
  flakeRate: number;
  repeat: number;
}

export interface SummaryDeltas {
  /** Percentage points. */
  passRate: number;
  meanScore: number | null;
  tokens: number;
  costUsd: number | null;
  meanLatencyMs: number | null;
}

export interface McNemarResult {
  test: 'mcnemar-exact';
  /** Pairs that passed in A and failed in B. */
  passToFail: number;
  /** Pairs that failed in A and passed in B. */
  failToPass: number;
  pValue: number;
}

export interface BootstrapResult {
  test: 'paired-bootstrap';
  pairs: number;
  meanDifference: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

export type NoiseVerdict = 'better' | 'worse' | 'within-noise';

export interface NoiseAssessment {
  verdict: NoiseVerdict;
  alpha: number;
  /** The test that decided the verdict (both are reported). */
  decidedBy: 'mcnemar-exact' | 'paired-bootstrap' | 'none';
  mcnemar: McNemarResult;
  /** Absent when fewer than two cases have scores on both sides. */
  bootstrap?: BootstrapResult;
  /** The test details in one sentence (which test, p-value or interval, α). */
  explanation: string;
  /** Plain language: how many cases got worse / better and whether that could be chance. */
  headline: string;
}

export interface Comparison {
  a: SideSummary;
  b: SideSummary;
  deltas: SummaryDeltas;
  /** Regressions first, then improvements, then unchanged. */
  rows: CompareRow[];
  counts: { regressions: number; improvements: number; unchanged: number; regressionsBeyondNoise: number };
  onlyInA: UnmatchedCase[];
  onlyInB: UnmatchedCase[];
  noise: NoiseAssessment;
  prompt: PromptChange;
  warnings: string[];
}

export interface CompareOptions {
  /** Significance level for both tests. Default 0.05. */
  alpha?: number;
  /** Score changes at or below this are ignored. Default 1e-9. */
  scoreTolerance?: number;
  bootstrapResamples?: number;
  bootstrapSeed?: number;
  /** Characters of each output kept for display and diffing. Default 20,000. */
  displayLimit?: number;
  /**
   * Rows (in display order, changed outputs only) that get their word diff computed up front; the rest
   * get theirs on demand with rowDiff (diffing totally different outputs costs ~1 ms each). Default 20.
   */
  diffLimit?: number;
}

export interface MatrixCell {
  /** The case's index in this column's run. */
  caseIndex: number;
  passed: boolean;
  passRate: number;
  score: number | null;
  output: string;
  outputTruncated: boolean;
  error?: string;
  latencyMs: number | null;
  costUsd: number | null;
}

export interface MatrixColumn {
  runId: string;
  label: string;
  model: string;
  revision?: string;
  summary: SideSummary;
}

export interface MatrixRow {
  caseKey: string;
  label: string;
  /** One cell per column; null when that run has no such case. */
  cells: (MatrixCell | null)[];
  /** Some runs passed the case and others failed it. */
  disagreement: boolean;
}

export interface CompareMatrix {
  columns: MatrixColumn[];
  /** Disagreements first, then by first appearance. */
  rows: MatrixRow[];
  warnings: string[];
}

/** One point of the quality-vs-cost / quality-vs-latency chart. */
export interface QualityPoint {
  label: string;
  passRate: number;
  meanScore: number | null;
  costUsd: number | null;
  meanLatencyMs: number | null;
}
