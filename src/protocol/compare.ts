// The compare view's message contract: host → webview and webview → host, each a discriminated union
// on `type`, each validated on receipt (isCompareHostMessage / isCompareViewMessage).
// The host posts core's comparison objects as they are, so the shapes are core's own types
// (`import type` from a types-only core file: erased, no core code reaches the webview; see
// docs/architecture.md); the guards below still check every message.

import type {
  CaseSide,
  ChangeReason,
  CompareMatrix,
  CompareRow,
  Comparison,
  DiffSegment,
  EvaluatorChange,
  MatrixCell,
  MatrixRow,
  MessageChange,
  NoiseAssessment,
  OutputDiff,
  PromptChange,
  QualityPoint,
  SideSummary,
  UnmatchedCase,
} from '../core/compare/types';
import type { TokenUsage } from '../core/run/types';
import {
  arrayOf,
  isBoolean,
  isIndex,
  isNumber,
  isString,
  isUnknown,
  literal,
  nullable,
  objectOf,
  optional,
  recordOf,
  unionByType,
  type Guard,
} from './common';
import { isGradeInputFields, type GradeInput, type VerdictView } from './grades';

export const COMPARE_VIEW_TYPE = 'promptlab.compare';

export type {
  CaseSide as CaseSideView,
  CompareMatrix as CompareMatrixView,
  CompareRow as CompareRowView,
  Comparison as ComparisonView,
  DiffSegment as DiffSegmentView,
  EvaluatorChange as EvaluatorChangeView,
  MatrixCell as MatrixCellView,
  MatrixRow as MatrixRowView,
  MessageChange as MessageChangeView,
  OutputDiff as OutputDiffView,
  QualityPoint as QualityPointView,
  SideSummary as SideSummaryView,
};

/**
 * `runFiles`: the run files compared, in order (saved with the view state so a restored panel can reload
 * them). `rowCount`: how many rows the comparison has; `show` carries the first ones and `more-rows`
 * messages bring the rest, so the first screen paints without waiting for a thousand rows.
 */
export type CompareContent =
  | {
      kind: 'pair';
      title: string;
      runFiles: string[];
      rowCount: number;
      comparison: Comparison;
      points: QualityPoint[];
    }
  | {
      kind: 'matrix';
      title: string;
      runFiles: string[];
      rowCount: number;
      matrix: CompareMatrix;
      points: QualityPoint[];
    };

/** Host → webview. */
export type CompareHostMessage =
  | { type: 'show'; content: CompareContent }
  /** The next rows of the content last shown (pair rows or matrix rows, by its kind). */
  | { type: 'more-rows'; pairRows?: CompareRow[]; matrixRows?: MatrixRow[] }
  | { type: 'progress'; message: string }
  | { type: 'diff'; caseKey: string; diff: OutputDiff }
  | { type: 'error'; message: string }
  /**
   * The person's grades of the compared runs' outputs: one list per compared run (A, B or the matrix
   * columns, in order); replaces earlier ones. `appliedSeq`: the last grade from this view that is saved.
   */
  | { type: 'grades'; columns: ComparedCaseGradeView[][]; appliedSeq: number };

/** Webview → host. */
export type CompareViewMessage =
  | { type: 'ready' }
  /** Rows past the first screen get their word diff on demand. */
  | { type: 'request-diff'; caseKey: string }
  /** Open the two outputs of a case in VS Code's diff editor. */
  | { type: 'open-diff'; caseKey: string }
  /** Matrix: open two columns' outputs of a case in the diff editor. */
  | { type: 'open-matrix-diff'; caseKey: string; left: number; right: number }
  /**
   * The person graded the output shown for a case of one compared run (`column`: 0 = A, 1 = B, or the
   * matrix column): the case's first sample, the one the view shows. All empty removes the grade.
   */
  | ({ type: 'grade'; column: number } & Omit<GradeInput, 'sample'>);

/** What the webview saves with setState (small: the host recomputes the comparison from the runs). */
export interface CompareViewState {
  filter: 'all' | 'changed' | 'regressions' | 'graded';
  expanded: string[];
  runFiles?: string[];
}

// ---- guards ----

const isNullableNumber = nullable(isNumber);
const isOptionalString = optional(isString);

export const isDiffSegment: Guard<DiffSegment> = objectOf({
  op: literal('equal', 'insert', 'delete'),
  text: isString,
});
export const isOutputDiff: Guard<OutputDiff> = objectOf({
  segments: arrayOf(isDiffSegment),
  truncated: isBoolean,
  coarse: isBoolean,
});

const isCaseSide: Guard<CaseSide> = objectOf({
  caseIndex: isIndex,
  passed: isBoolean,
  passRate: isNumber,
  score: isNullableNumber,
  samples: isIndex,
  flaky: isBoolean,
  output: isString,
  outputTruncated: isBoolean,
  outputLength: isIndex,
  error: isOptionalString,
  latencyMs: isNullableNumber,
  costUsd: isNullableNumber,
  tokens: isNullableNumber,
});

const isEvaluatorChange: Guard<EvaluatorChange> = objectOf({
  evaluatorName: isString,
  passRateA: isNullableNumber,
  passRateB: isNullableNumber,
  meanScoreA: isNullableNumber,
  meanScoreB: isNullableNumber,
  change: literal('broke', 'fixed', 'score-down', 'score-up', 'added', 'removed', 'same'),
  detailsA: isOptionalString,
  detailsB: isOptionalString,
});

const isChangeReason: Guard<ChangeReason> = literal(
  'pass-to-fail',
  'fail-to-pass',
  'pass-rate-down',
  'pass-rate-up',
  'score-down',
  'score-up',
);

export const isRow: Guard<CompareRow> = objectOf({
  caseKey: isString,
  label: isString,
  vars: recordOf(isUnknown),
  a: isCaseSide,
  b: isCaseSide,
  class: literal('regression', 'improvement', 'unchanged'),
  reasons: arrayOf(isChangeReason),
  scoreDelta: isNullableNumber,
  beyondNoise: isBoolean,
  evidence: literal('single-sample', 'beyond-noise', 'within-noise', 'none'),
  outputChanged: isBoolean,
  diff: optional(isOutputDiff),
  evaluators: arrayOf(isEvaluatorChange),
});

const isUnmatched: Guard<UnmatchedCase> = objectOf({
  caseKey: isString,
  caseIndex: isIndex,
  label: isString,
  passed: isBoolean,
});
const isTokens: Guard<TokenUsage> = objectOf({
  prompt: isNumber,
  completion: isNumber,
  total: isNumber,
  cachedPrompt: optional(isNumber),
});

const isSideSummary: Guard<SideSummary> = objectOf({
  runId: isString,
  label: isString,
  model: isString,
  revision: isOptionalString,
  startedAt: isString,
  cases: isIndex,
  passRate: isNumber,
  meanScore: isNullableNumber,
  tokens: isTokens,
  costUsd: isNullableNumber,
  costNowUsd: isNullableNumber,
  cachedSamples: isIndex,
  meanLatencyMs: isNullableNumber,
  flakyCases: isIndex,
  flakeRate: isNumber,
  repeat: isIndex,
});

const isNoise: Guard<NoiseAssessment> = objectOf({
  verdict: literal('better', 'worse', 'within-noise'),
  alpha: isNumber,
  decidedBy: literal('mcnemar-exact', 'paired-bootstrap', 'none'),
  mcnemar: objectOf({ test: literal('mcnemar-exact'), passToFail: isIndex, failToPass: isIndex, pValue: isNumber }),
  bootstrap: optional(
    objectOf({
      test: literal('paired-bootstrap'),
      pairs: isIndex,
      meanDifference: isNumber,
      low: isNumber,
      high: isNumber,
      confidence: isNumber,
      resamples: isIndex,
      seed: isNumber,
    }),
  ),
  explanation: isString,
  headline: isString,
});

const isPromptChange: Guard<PromptChange> = objectOf({
  sameContent: isBoolean,
  model: optional(objectOf({ a: isString, b: isString })),
  parameters: arrayOf(objectOf({ name: isString }), 100),
  messagesKnown: isBoolean,
  messages: arrayOf(
    objectOf({
      index: isIndex,
      roleA: isOptionalString,
      roleB: isOptionalString,
      change: literal('added', 'removed', 'role', 'content'),
      segments: arrayOf(isDiffSegment),
    }),
    1000,
  ),
});

export const isComparison: Guard<Comparison> = objectOf({
  a: isSideSummary,
  b: isSideSummary,
  deltas: objectOf({
    passRate: isNumber,
    meanScore: isNullableNumber,
    tokens: isNumber,
    costUsd: isNullableNumber,
    meanLatencyMs: isNullableNumber,
  }),
  rows: arrayOf(isRow),
  counts: objectOf({
    regressions: isIndex,
    improvements: isIndex,
    unchanged: isIndex,
    regressionsBeyondNoise: isIndex,
  }),
  onlyInA: arrayOf(isUnmatched),
  onlyInB: arrayOf(isUnmatched),
  noise: isNoise,
  prompt: isPromptChange,
  warnings: arrayOf(isString),
});

const isMatrixCell: Guard<MatrixCell> = objectOf({
  caseIndex: isIndex,
  passed: isBoolean,
  passRate: isNumber,
  score: isNullableNumber,
  output: isString,
  outputTruncated: isBoolean,
  error: isOptionalString,
  latencyMs: isNullableNumber,
  costUsd: isNullableNumber,
});

const isMatrixRow: Guard<MatrixRow> = objectOf({
  caseKey: isString,
  label: isString,
  cells: arrayOf(nullable(isMatrixCell), 64),
  disagreement: isBoolean,
});

export const isMatrix: Guard<CompareMatrix> = objectOf({
  columns: arrayOf(
    objectOf({ runId: isString, label: isString, model: isString, revision: isOptionalString, summary: isSideSummary }),
    64,
  ),
  rows: arrayOf(isMatrixRow),
  warnings: arrayOf(isString),
});

const isPoint: Guard<QualityPoint> = objectOf({
  label: isString,
  passRate: isNumber,
  meanScore: isNullableNumber,
  costUsd: isNullableNumber,
  meanLatencyMs: isNullableNumber,
});

const isContent: Guard<CompareContent> = (value: unknown): value is CompareContent =>
  objectOf({
    kind: literal('pair'),
    title: isString,
    runFiles: arrayOf(isString, 64),
    rowCount: isIndex,
    comparison: isComparison,
    points: arrayOf(isPoint, 64),
  })(value) ||
  objectOf({
    kind: literal('matrix'),
    title: isString,
    runFiles: arrayOf(isString, 64),
    rowCount: isIndex,
    matrix: isMatrix,
    points: arrayOf(isPoint, 64),
  })(value);

/** A person's grade of one output in a comparison. */
export interface SideGradeView {
  verdict?: VerdictView;
  /** 1–5 */
  score?: number;
  note?: string;
  /** Who graded (git user name or e-mail), when known. */
  by?: string;
  at?: string;
}

/** The grades on one case of a compared run. */
export interface ComparedCaseGradeView {
  caseIndex: number;
  /** The grade of the output the comparison shows (the case's first sample), when it is graded. */
  shown?: SideGradeView;
  /** How many of the case's samples are graded (more than the shown one only with repeats). */
  gradedSamples: number;
}

const isSideGrade: Guard<SideGradeView> = objectOf({
  verdict: optional(literal('pass', 'fail')),
  score: optional((value: unknown): value is number => isIndex(value) && value >= 1 && value <= 5),
  note: optional(isString),
  by: optional(isString),
  at: optional(isString),
});
const isComparedCaseGrade: Guard<ComparedCaseGradeView> = objectOf({
  caseIndex: isIndex,
  shown: optional(isSideGrade),
  gradedSamples: isIndex,
});

// The view grades the output it shows; the host knows which sample that is.
const { sample: _sample, ...comparedGradeFields } = isGradeInputFields;

export const isCompareHostMessage: Guard<CompareHostMessage> = unionByType<CompareHostMessage>({
  show: objectOf({ type: literal('show'), content: isContent }),
  'more-rows': objectOf({
    type: literal('more-rows'),
    pairRows: optional(arrayOf(isRow)),
    matrixRows: optional(arrayOf(isMatrixRow)),
  }),
  progress: objectOf({ type: literal('progress'), message: isString }),
  diff: objectOf({ type: literal('diff'), caseKey: isString, diff: isOutputDiff }),
  error: objectOf({ type: literal('error'), message: isString }),
  grades: objectOf({
    type: literal('grades'),
    columns: arrayOf(arrayOf(isComparedCaseGrade), 64),
    appliedSeq: isIndex,
  }),
});

export const isCompareViewMessage: Guard<CompareViewMessage> = unionByType<CompareViewMessage>({
  ready: objectOf({ type: literal('ready') }),
  'request-diff': objectOf({ type: literal('request-diff'), caseKey: isString }),
  'open-diff': objectOf({ type: literal('open-diff'), caseKey: isString }),
  'open-matrix-diff': objectOf({ type: literal('open-matrix-diff'), caseKey: isString, left: isIndex, right: isIndex }),
  grade: objectOf({ type: literal('grade'), column: isIndex, ...comparedGradeFields }),
});

export const isCompareViewState: Guard<CompareViewState> = objectOf({
  filter: literal('all', 'changed', 'regressions', 'graded'),
  expanded: arrayOf(isString, 10_000),
  runFiles: optional(arrayOf(isString, 64)),
});
