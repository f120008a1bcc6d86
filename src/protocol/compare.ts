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
import * as v from './common';
import { isGradeInputFields, isOutputGradeView, type GradeInput, type OutputGradeView } from './grades';

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

export const isDiffSegment: v.Guard<DiffSegment> = v.objectOf({
  op: v.literal('equal', 'insert', 'delete'),
  text: v.isString,
});
export const isOutputDiff: v.Guard<OutputDiff> = v.objectOf({
  segments: v.arrayOf(isDiffSegment),
  truncated: v.isBoolean,
  coarse: v.isBoolean,
});

const isCaseSide: v.Guard<CaseSide> = v.objectOf({
  caseIndex: v.isIndex,
  passed: v.isBoolean,
  passRate: v.isNumber,
  score: v.isNullableNumber,
  samples: v.isIndex,
  flaky: v.isBoolean,
  output: v.isString,
  outputTruncated: v.isBoolean,
  outputLength: v.isIndex,
  error: v.isOptionalString,
  latencyMs: v.isNullableNumber,
  costUsd: v.isNullableNumber,
  tokens: v.isNullableNumber,
});

const isEvaluatorChange: v.Guard<EvaluatorChange> = v.objectOf({
  evaluatorName: v.isString,
  passRateA: v.isNullableNumber,
  passRateB: v.isNullableNumber,
  meanScoreA: v.isNullableNumber,
  meanScoreB: v.isNullableNumber,
  change: v.literal('broke', 'fixed', 'score-down', 'score-up', 'added', 'removed', 'same'),
  detailsA: v.isOptionalString,
  detailsB: v.isOptionalString,
});

const isChangeReason: v.Guard<ChangeReason> = v.literal(
  'pass-to-fail',
  'fail-to-pass',
  'pass-rate-down',
  'pass-rate-up',
  'score-down',
  'score-up',
);

export const isRow: v.Guard<CompareRow> = v.objectOf({
  caseKey: v.isString,
  label: v.isString,
  vars: v.isVars,
  a: isCaseSide,
  b: isCaseSide,
  class: v.literal('regression', 'improvement', 'unchanged'),
  reasons: v.arrayOf(isChangeReason),
  scoreDelta: v.isNullableNumber,
  beyondNoise: v.isBoolean,
  evidence: v.literal('single-sample', 'beyond-noise', 'within-noise', 'none'),
  outputChanged: v.isBoolean,
  diff: v.optional(isOutputDiff),
  evaluators: v.arrayOf(isEvaluatorChange),
});

const isUnmatched: v.Guard<UnmatchedCase> = v.objectOf({
  caseKey: v.isString,
  caseIndex: v.isIndex,
  label: v.isString,
  passed: v.isBoolean,
});

const isSideSummary: v.Guard<SideSummary> = v.objectOf({
  runId: v.isString,
  label: v.isString,
  model: v.isString,
  revision: v.isOptionalString,
  startedAt: v.isString,
  cases: v.isIndex,
  passRate: v.isNumber,
  meanScore: v.isNullableNumber,
  tokens: v.isTokenUsage,
  costUsd: v.isNullableNumber,
  costNowUsd: v.isNullableNumber,
  cachedSamples: v.isIndex,
  meanLatencyMs: v.isNullableNumber,
  flakyCases: v.isIndex,
  flakeRate: v.isNumber,
  repeat: v.isIndex,
});

const isNoise: v.Guard<NoiseAssessment> = v.objectOf({
  verdict: v.literal('better', 'worse', 'within-noise'),
  alpha: v.isNumber,
  decidedBy: v.literal('mcnemar-exact', 'paired-bootstrap', 'none'),
  mcnemar: v.objectOf({
    test: v.literal('mcnemar-exact'),
    passToFail: v.isIndex,
    failToPass: v.isIndex,
    pValue: v.isNumber,
  }),
  bootstrap: v.optional(
    v.objectOf({
      test: v.literal('paired-bootstrap'),
      pairs: v.isIndex,
      meanDifference: v.isNumber,
      low: v.isNumber,
      high: v.isNumber,
      confidence: v.isNumber,
      resamples: v.isIndex,
      seed: v.isNumber,
    }),
  ),
  explanation: v.isString,
  headline: v.isString,
});

const isPromptChange: v.Guard<PromptChange> = v.objectOf({
  sameContent: v.isBoolean,
  model: v.optional(v.objectOf({ a: v.isString, b: v.isString })),
  parameters: v.arrayOf(v.objectOf({ name: v.isString }), 100),
  messagesKnown: v.isBoolean,
  messages: v.arrayOf(
    v.objectOf({
      index: v.isIndex,
      roleA: v.isOptionalString,
      roleB: v.isOptionalString,
      change: v.literal('added', 'removed', 'role', 'content'),
      segments: v.arrayOf(isDiffSegment),
    }),
    1000,
  ),
});

export const isComparison: v.Guard<Comparison> = v.objectOf({
  a: isSideSummary,
  b: isSideSummary,
  deltas: v.objectOf({
    passRate: v.isNumber,
    meanScore: v.isNullableNumber,
    tokens: v.isNumber,
    costUsd: v.isNullableNumber,
    meanLatencyMs: v.isNullableNumber,
  }),
  rows: v.arrayOf(isRow),
  counts: v.objectOf({
    regressions: v.isIndex,
    improvements: v.isIndex,
    unchanged: v.isIndex,
    regressionsBeyondNoise: v.isIndex,
  }),
  onlyInA: v.arrayOf(isUnmatched),
  onlyInB: v.arrayOf(isUnmatched),
  noise: isNoise,
  prompt: isPromptChange,
  warnings: v.arrayOf(v.isString),
});

const isMatrixCell: v.Guard<MatrixCell> = v.objectOf({
  caseIndex: v.isIndex,
  passed: v.isBoolean,
  passRate: v.isNumber,
  score: v.isNullableNumber,
  output: v.isString,
  outputTruncated: v.isBoolean,
  error: v.isOptionalString,
  latencyMs: v.isNullableNumber,
  costUsd: v.isNullableNumber,
});

const isMatrixRow: v.Guard<MatrixRow> = v.objectOf({
  caseKey: v.isString,
  label: v.isString,
  cells: v.arrayOf(v.nullable(isMatrixCell), 64),
  disagreement: v.isBoolean,
});

export const isMatrix: v.Guard<CompareMatrix> = v.objectOf({
  columns: v.arrayOf(
    v.objectOf({
      runId: v.isString,
      label: v.isString,
      model: v.isString,
      revision: v.isOptionalString,
      summary: isSideSummary,
    }),
    64,
  ),
  rows: v.arrayOf(isMatrixRow),
  warnings: v.arrayOf(v.isString),
});

const isPoint: v.Guard<QualityPoint> = v.objectOf({
  label: v.isString,
  passRate: v.isNumber,
  meanScore: v.isNullableNumber,
  costUsd: v.isNullableNumber,
  meanLatencyMs: v.isNullableNumber,
});

const isContent: v.Guard<CompareContent> = (value: unknown): value is CompareContent =>
  v.objectOf({
    kind: v.literal('pair'),
    title: v.isString,
    runFiles: v.arrayOf(v.isString, 64),
    rowCount: v.isIndex,
    comparison: isComparison,
    points: v.arrayOf(isPoint, 64),
  })(value) ||
  v.objectOf({
    kind: v.literal('matrix'),
    title: v.isString,
    runFiles: v.arrayOf(v.isString, 64),
    rowCount: v.isIndex,
    matrix: isMatrix,
    points: v.arrayOf(isPoint, 64),
  })(value);

/** A person's grade of one output in a comparison. */
export type SideGradeView = OutputGradeView;

/** The grades on one case of a compared run. */
export interface ComparedCaseGradeView {
  caseIndex: number;
  /** The grade of the output the comparison shows (the case's first sample), when it is graded. */
  shown?: SideGradeView;
  /** How many of the case's samples are graded (more than the shown one only with repeats). */
  gradedSamples: number;
}

const isComparedCaseGrade: v.Guard<ComparedCaseGradeView> = v.objectOf({
  caseIndex: v.isIndex,
  shown: v.optional(isOutputGradeView),
  gradedSamples: v.isIndex,
});

// The view grades the output it shows; the host knows which sample that is.
const { sample: _sample, ...comparedGradeFields } = isGradeInputFields;

export const isCompareHostMessage: v.Guard<CompareHostMessage> = v.unionByType<CompareHostMessage>({
  show: v.objectOf({ type: v.literal('show'), content: isContent }),
  'more-rows': v.objectOf({
    type: v.literal('more-rows'),
    pairRows: v.optional(v.arrayOf(isRow)),
    matrixRows: v.optional(v.arrayOf(isMatrixRow)),
  }),
  progress: v.objectOf({ type: v.literal('progress'), message: v.isString }),
  diff: v.objectOf({ type: v.literal('diff'), caseKey: v.isString, diff: isOutputDiff }),
  error: v.objectOf({ type: v.literal('error'), message: v.isString }),
  grades: v.objectOf({
    type: v.literal('grades'),
    columns: v.arrayOf(v.arrayOf(isComparedCaseGrade), 64),
    appliedSeq: v.isIndex,
  }),
});

export const isCompareViewMessage: v.Guard<CompareViewMessage> = v.unionByType<CompareViewMessage>({
  ready: v.objectOf({ type: v.literal('ready') }),
  'request-diff': v.objectOf({ type: v.literal('request-diff'), caseKey: v.isString }),
  'open-diff': v.objectOf({ type: v.literal('open-diff'), caseKey: v.isString }),
  'open-matrix-diff': v.objectOf({
    type: v.literal('open-matrix-diff'),
    caseKey: v.isString,
    left: v.isIndex,
    right: v.isIndex,
  }),
  grade: v.objectOf({ type: v.literal('grade'), column: v.isIndex, ...comparedGradeFields }),
});

export const isCompareViewState: v.Guard<CompareViewState> = v.objectOf({
  filter: v.literal('all', 'changed', 'regressions', 'graded'),
  expanded: v.arrayOf(v.isString, 10_000),
  runFiles: v.optional(v.arrayOf(v.isString, 64)),
});
