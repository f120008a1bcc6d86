// The run panel's message contract: host → webview and webview → host, each a discriminated
// union on `type`, each validated on receipt (isRunHostMessage / isRunViewMessage).
// The host posts core's run objects as they are, so the shapes are core's own types (`import type`
// from a types-only core file: erased, no core code reaches the webview; see docs/architecture.md);
// the guards below still check every message.

import type {
  CaseResult,
  EvaluationResult,
  JudgeTrace,
  RunHeader,
  RunSummary,
  SampleResult,
  SentMessage,
} from '../core/run/types';
import * as v from './common';
import {
  isGradeInputFields,
  isGradesPayload,
  type EvaluatorTrustView,
  type GradeInput,
  type GradeView,
} from './grades';

export type { EvaluatorTrustView, GradeInput, GradeView, VerdictView } from './grades';

export type {
  CaseResult as CaseResultView,
  EvaluationResult as EvaluationView,
  RunSummary as SummaryView,
  SampleResult as SampleView,
  SentMessage as SentMessageView,
};

/**
 * The header fields the panel shows. Unlike the other shapes this one is narrower than core's
 * RunHeader: the host posts the whole header, and only these fields are checked and may be read.
 */
export type RunHeaderView = Pick<
  RunHeader,
  | 'runId'
  | 'promptFile'
  | 'promptName'
  | 'model'
  | 'endpointOrigin'
  | 'provider'
  | 'repeat'
  | 'caseCount'
  | 'startedAt'
  | 'label'
  | 'approximate'
  | 'priceSource'
>;

/** A test case as the file declares it, before any run. */
export interface CaseInfo {
  caseIndex: number;
  vars: Record<string, unknown>;
}

export interface CaseStart {
  caseIndex: number;
  sample: number;
}

export interface Delta {
  caseIndex: number;
  sample: number;
  text: string;
}

export const EXPORT_FORMATS = ['json', 'csv', 'markdown'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type RunHostMessage =
  /** The prompt file and its cases; sent after `ready` and whenever the file changes. */
  | { type: 'init'; promptFile: string; promptName?: string; model?: string; cases: CaseInfo[]; trusted: boolean }
  /** A run began; only `caseIndexes` are reset (re-running one case keeps the others). */
  | { type: 'run-started'; header: RunHeaderView; caseIndexes: number[] }
  /** Everything that happened since the previous batch (sent at most every ~50 ms). */
  | { type: 'progress'; started: CaseStart[]; deltas: Delta[]; finished: CaseResult[]; summary: RunSummary }
  | { type: 'run-finished'; summary: RunSummary; cancelled: boolean; runId: string; runFile?: string }
  /** A stored run (restore after reload, or "open run"). */
  | { type: 'run-loaded'; header: RunHeaderView; results: CaseResult[]; summary: RunSummary; warnings: string[] }
  /** `actions`: labels of the buttons that fix the failure (the panel sends one back as `fix`). */
  | { type: 'run-failed'; message: string; actions?: string[] }
  /** The stored grades of the results shown, and each evaluator's agreement with them (replaces earlier ones). */
  | { type: 'grades'; grades: GradeView[]; trust: EvaluatorTrustView[]; appliedSeq: number }
  /** Select and scroll to one output (the Agreement view's "show disagreements"). */
  | { type: 'focus-case'; caseIndex: number; sample: number }
  /** Core's estimate of the run about to start (requests, tokens, cost range, price source). */
  | { type: 'estimate'; text: string };

export type RunViewMessage =
  | { type: 'ready' }
  | { type: 'run' }
  | { type: 'cancel' }
  | { type: 'rerun-case'; caseIndex: number }
  | { type: 'open-output'; caseIndex: number; sample: number }
  | { type: 'reveal-case'; caseIndex: number }
  | { type: 'export'; format: ExportFormat }
  /** Maximise the panel's editor group (or restore it): the grid's full-width option. */
  | { type: 'toggle-full-width' }
  /** A button of a failed run's message (an action label the host offered). */
  | { type: 'fix'; action: string }
  /** The person graded (or un-graded) one output. */
  | ({ type: 'grade' } & GradeInput)
  /** The webview rejected a host message; the host logs it. */
  | { type: 'rejected'; detail: string };

const isNotRun = v.literal('budget');

const isJudgeTrace: v.Guard<JudgeTrace> = v.objectOf({
  model: v.isString,
  reply: v.isString,
  reason: v.isOptionalString,
});
const isSentMessage: v.Guard<SentMessage> = v.objectOf({ role: v.isString, content: v.isString });

export const isEvaluationView: v.Guard<EvaluationResult> = v.objectOf({
  evaluatorName: v.isString,
  score: v.isNumber,
  passed: v.isBoolean,
  details: v.isString,
  error: v.optional(v.isBoolean),
  judge: v.optional(isJudgeTrace),
});

export const isSampleView: v.Guard<SampleResult> = v.objectOf({
  sample: v.isIndex,
  output: v.isString,
  evaluations: v.arrayOf(isEvaluationView),
  passed: v.isBoolean,
  error: v.isOptionalString,
  usage: v.optional(v.isTokenUsage),
  ttftMs: v.optional(v.isNumber),
  latencyMs: v.isNumber,
  latencyIsLookup: v.optional(v.isBoolean),
  costUsd: v.isNullableNumber,
  cached: v.isBoolean,
  retries: v.optional(v.isIndex),
  finishReason: v.isOptionalString,
  notRun: v.optional(isNotRun),
});

export const isCaseResultView: v.Guard<CaseResult> = v.objectOf({
  caseIndex: v.isIndex,
  caseKey: v.isString,
  vars: v.isVars,
  messages: v.optional(v.arrayOf(isSentMessage)),
  samples: v.arrayOf(isSampleView),
  passRate: v.isNumber,
  passed: v.isBoolean,
  error: v.isOptionalString,
  notRun: v.optional(isNotRun),
});

export const isSummaryView: v.Guard<RunSummary> = v.objectOf({
  totalTests: v.isIndex,
  passedTests: v.isIndex,
  failedTests: v.isIndex,
  erroredTests: v.isIndex,
  passRate: v.isNumber,
  meanScore: v.isNullableNumber,
  tokens: v.isTokenUsage,
  costUsd: v.isNullableNumber,
  durationMs: v.isNumber,
  meanLatencyMs: v.isNullableNumber,
  latency: v.optional(
    v.objectOf({ p50: v.isNumber, p90: v.isNumber, max: v.isNumber, bins: v.arrayOf(v.isIndex, 100) }),
  ),
  cachedSamples: v.isIndex,
  cachedCostUsd: v.optional(v.isNullableNumber),
  repeats: v.optional(
    v.objectOf({
      k: v.isIndex,
      passAtK: v.isNumber,
      passHatK: v.isNumber,
      meanSamplePassRate: v.isNumber,
      passRateThreshold: v.isNumber,
    }),
  ),
});

export const isRunHeaderView: v.Guard<RunHeaderView> = v.objectOf({
  runId: v.isString,
  promptFile: v.isString,
  promptName: v.isOptionalString,
  model: v.isString,
  endpointOrigin: v.isString,
  provider: v.isString,
  repeat: v.isIndex,
  caseCount: v.isIndex,
  startedAt: v.isString,
  label: v.isOptionalString,
  approximate: v.optional(v.isBoolean),
  priceSource: v.isOptionalString,
});

const isCaseInfo: v.Guard<CaseInfo> = v.objectOf({ caseIndex: v.isIndex, vars: v.isVars });
const isCaseStart: v.Guard<CaseStart> = v.objectOf({ caseIndex: v.isIndex, sample: v.isIndex });
const isDelta: v.Guard<Delta> = v.objectOf({ caseIndex: v.isIndex, sample: v.isIndex, text: v.isString });

export const isRunHostMessage: v.Guard<RunHostMessage> = v.unionByType<RunHostMessage>({
  init: v.objectOf({
    type: v.literal('init'),
    promptFile: v.isString,
    promptName: v.isOptionalString,
    model: v.isOptionalString,
    cases: v.arrayOf(isCaseInfo),
    trusted: v.isBoolean,
  }),
  'run-started': v.objectOf({
    type: v.literal('run-started'),
    header: isRunHeaderView,
    caseIndexes: v.arrayOf(v.isIndex),
  }),
  progress: v.objectOf({
    type: v.literal('progress'),
    started: v.arrayOf(isCaseStart),
    deltas: v.arrayOf(isDelta),
    finished: v.arrayOf(isCaseResultView),
    summary: isSummaryView,
  }),
  estimate: v.objectOf({ type: v.literal('estimate'), text: v.isString }),
  'run-finished': v.objectOf({
    type: v.literal('run-finished'),
    summary: isSummaryView,
    cancelled: v.isBoolean,
    runId: v.isString,
    runFile: v.isOptionalString,
  }),
  'run-loaded': v.objectOf({
    type: v.literal('run-loaded'),
    header: isRunHeaderView,
    results: v.arrayOf(isCaseResultView),
    summary: isSummaryView,
    warnings: v.arrayOf(v.isString),
  }),
  'run-failed': v.objectOf({
    type: v.literal('run-failed'),
    message: v.isString,
    actions: v.optional(v.arrayOf(v.isString)),
  }),
  grades: v.objectOf({ type: v.literal('grades'), ...isGradesPayload }),
  'focus-case': v.objectOf({ type: v.literal('focus-case'), caseIndex: v.isIndex, sample: v.isIndex }),
});

export const isRunViewMessage: v.Guard<RunViewMessage> = v.unionByType<RunViewMessage>({
  ready: v.objectOf({ type: v.literal('ready') }),
  run: v.objectOf({ type: v.literal('run') }),
  cancel: v.objectOf({ type: v.literal('cancel') }),
  'rerun-case': v.objectOf({ type: v.literal('rerun-case'), caseIndex: v.isIndex }),
  'open-output': v.objectOf({ type: v.literal('open-output'), caseIndex: v.isIndex, sample: v.isIndex }),
  'reveal-case': v.objectOf({ type: v.literal('reveal-case'), caseIndex: v.isIndex }),
  export: v.objectOf({ type: v.literal('export'), format: v.literal(...EXPORT_FORMATS) }),
  'toggle-full-width': v.objectOf({ type: v.literal('toggle-full-width') }),
  fix: v.objectOf({ type: v.literal('fix'), action: v.isString }),
  grade: v.objectOf({ type: v.literal('grade'), ...isGradeInputFields }),
  rejected: v.objectOf({ type: v.literal('rejected'), detail: v.isString }),
});

/** What the run panel keeps in `vscode.setState` so it can be restored after a reload. */
export interface RunPanelState {
  promptFile: string;
  runId?: string;
}

export const isRunPanelState: v.Guard<RunPanelState> = v.objectOf({
  promptFile: v.isString,
  runId: v.isOptionalString,
});
