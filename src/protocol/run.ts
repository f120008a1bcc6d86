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
  TokenUsage,
} from '../core/run/types';
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

const isTokenUsage: Guard<TokenUsage> = objectOf({
  prompt: isNumber,
  completion: isNumber,
  total: isNumber,
  cachedPrompt: optional(isNumber),
});
const isVars: Guard<Record<string, unknown>> = recordOf(isUnknown);
const isNotRun = literal('budget');

const isJudgeTrace: Guard<JudgeTrace> = objectOf({
  model: isString,
  reply: isString,
  reason: optional(isString),
});
const isSentMessage: Guard<SentMessage> = objectOf({ role: isString, content: isString });

export const isEvaluationView: Guard<EvaluationResult> = objectOf({
  evaluatorName: isString,
  score: isNumber,
  passed: isBoolean,
  details: isString,
  error: optional(isBoolean),
  judge: optional(isJudgeTrace),
});

export const isSampleView: Guard<SampleResult> = objectOf({
  sample: isIndex,
  output: isString,
  evaluations: arrayOf(isEvaluationView),
  passed: isBoolean,
  error: optional(isString),
  usage: optional(isTokenUsage),
  ttftMs: optional(isNumber),
  latencyMs: isNumber,
  latencyIsLookup: optional(isBoolean),
  costUsd: nullable(isNumber),
  cached: isBoolean,
  retries: optional(isIndex),
  finishReason: optional(isString),
  notRun: optional(isNotRun),
});

export const isCaseResultView: Guard<CaseResult> = objectOf({
  caseIndex: isIndex,
  caseKey: isString,
  vars: isVars,
  messages: optional(arrayOf(isSentMessage)),
  samples: arrayOf(isSampleView),
  passRate: isNumber,
  passed: isBoolean,
  error: optional(isString),
  notRun: optional(isNotRun),
});

export const isSummaryView: Guard<RunSummary> = objectOf({
  totalTests: isIndex,
  passedTests: isIndex,
  failedTests: isIndex,
  erroredTests: isIndex,
  passRate: isNumber,
  meanScore: nullable(isNumber),
  tokens: isTokenUsage,
  costUsd: nullable(isNumber),
  durationMs: isNumber,
  meanLatencyMs: nullable(isNumber),
  latency: optional(objectOf({ p50: isNumber, p90: isNumber, max: isNumber, bins: arrayOf(isIndex, 100) })),
  cachedSamples: isIndex,
  cachedCostUsd: optional(nullable(isNumber)),
  repeats: optional(
    objectOf({
      k: isIndex,
      passAtK: isNumber,
      passHatK: isNumber,
      meanSamplePassRate: isNumber,
      passRateThreshold: isNumber,
    }),
  ),
});

export const isRunHeaderView: Guard<RunHeaderView> = objectOf({
  runId: isString,
  promptFile: isString,
  promptName: optional(isString),
  model: isString,
  endpointOrigin: isString,
  provider: isString,
  repeat: isIndex,
  caseCount: isIndex,
  startedAt: isString,
  label: optional(isString),
  approximate: optional(isBoolean),
  priceSource: optional(isString),
});

const isCaseInfo: Guard<CaseInfo> = objectOf({ caseIndex: isIndex, vars: isVars });
const isCaseStart: Guard<CaseStart> = objectOf({ caseIndex: isIndex, sample: isIndex });
const isDelta: Guard<Delta> = objectOf({ caseIndex: isIndex, sample: isIndex, text: isString });

export const isRunHostMessage: Guard<RunHostMessage> = unionByType<RunHostMessage>({
  init: objectOf({
    type: literal('init'),
    promptFile: isString,
    promptName: optional(isString),
    model: optional(isString),
    cases: arrayOf(isCaseInfo),
    trusted: isBoolean,
  }),
  'run-started': objectOf({ type: literal('run-started'), header: isRunHeaderView, caseIndexes: arrayOf(isIndex) }),
  progress: objectOf({
    type: literal('progress'),
    started: arrayOf(isCaseStart),
    deltas: arrayOf(isDelta),
    finished: arrayOf(isCaseResultView),
    summary: isSummaryView,
  }),
  estimate: objectOf({ type: literal('estimate'), text: isString }),
  'run-finished': objectOf({
    type: literal('run-finished'),
    summary: isSummaryView,
    cancelled: isBoolean,
    runId: isString,
    runFile: optional(isString),
  }),
  'run-loaded': objectOf({
    type: literal('run-loaded'),
    header: isRunHeaderView,
    results: arrayOf(isCaseResultView),
    summary: isSummaryView,
    warnings: arrayOf(isString),
  }),
  'run-failed': objectOf({ type: literal('run-failed'), message: isString, actions: optional(arrayOf(isString)) }),
  grades: objectOf({ type: literal('grades'), ...isGradesPayload }),
  'focus-case': objectOf({ type: literal('focus-case'), caseIndex: isIndex, sample: isIndex }),
});

export const isRunViewMessage: Guard<RunViewMessage> = unionByType<RunViewMessage>({
  ready: objectOf({ type: literal('ready') }),
  run: objectOf({ type: literal('run') }),
  cancel: objectOf({ type: literal('cancel') }),
  'rerun-case': objectOf({ type: literal('rerun-case'), caseIndex: isIndex }),
  'open-output': objectOf({ type: literal('open-output'), caseIndex: isIndex, sample: isIndex }),
  'reveal-case': objectOf({ type: literal('reveal-case'), caseIndex: isIndex }),
  export: objectOf({ type: literal('export'), format: literal(...EXPORT_FORMATS) }),
  'toggle-full-width': objectOf({ type: literal('toggle-full-width') }),
  fix: objectOf({ type: literal('fix'), action: isString }),
  grade: objectOf({ type: literal('grade'), ...isGradeInputFields }),
  rejected: objectOf({ type: literal('rejected'), detail: isString }),
});

/** What the run panel keeps in `vscode.setState` so it can be restored after a reload. */
export interface RunPanelState {
  promptFile: string;
  runId?: string;
}

export const isRunPanelState: Guard<RunPanelState> = objectOf({ promptFile: isString, runId: optional(isString) });
