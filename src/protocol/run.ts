// The run panel's message contract: host → webview and webview → host, each a discriminated
// union on `type`, each validated on receipt (isRunHostMessage / isRunViewMessage).
// The view types mirror core's run types structurally (protocol may not import core), so the
// host can post core objects as they are.

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

export interface TokenUsageView {
  prompt: number;
  completion: number;
  total: number;
}

export interface JudgeTraceView {
  model: string;
  reply: string;
  reason?: string;
}

export interface EvaluationView {
  evaluatorName: string;
  score: number;
  passed: boolean;
  details: string;
  error?: boolean;
  judge?: JudgeTraceView;
}

export interface SentMessageView {
  role: string;
  content: string;
}

export interface SampleView {
  sample: number;
  output: string;
  evaluations: EvaluationView[];
  passed: boolean;
  error?: string;
  usage?: TokenUsageView;
  ttftMs?: number;
  latencyMs: number;
  latencyIsLookup?: boolean;
  costUsd: number | null;
  cached: boolean;
  finishReason?: string;
}

export interface CaseResultView {
  caseIndex: number;
  caseKey: string;
  vars: Record<string, unknown>;
  /** The rendered messages sent for this case (absent in runs recorded before they were kept). */
  messages?: SentMessageView[];
  samples: SampleView[];
  passRate: number;
  passed: boolean;
  error?: string;
}

/** Core's RunSummary: every sum shown in the panel comes from here, never from the webview. */
export interface SummaryView {
  totalTests: number;
  passedTests: number;
  failedTests: number;
  erroredTests: number;
  passRate: number;
  meanScore: number | null;
  tokens: TokenUsageView;
  costUsd: number | null;
  durationMs: number;
  meanLatencyMs: number | null;
  latency?: LatencyDistributionView;
  cachedSamples: number;
  cachedCostUsd?: number | null;
}

export interface LatencyDistributionView {
  p50: number;
  p90: number;
  max: number;
  bins: number[];
}

export interface RunHeaderView {
  runId: string;
  promptFile: string;
  promptName?: string;
  model: string;
  endpointOrigin: string;
  provider: string;
  repeat: number;
  caseCount: number;
  startedAt: string;
  label?: string;
  approximate?: boolean;
  /** Where the model's price came from. */
  priceSource?: string;
}

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
  | { type: 'progress'; started: CaseStart[]; deltas: Delta[]; finished: CaseResultView[]; summary: SummaryView }
  | { type: 'run-finished'; summary: SummaryView; cancelled: boolean; runId: string; runFile?: string }
  /** A stored run (restore after reload, or "open run"). */
  | { type: 'run-loaded'; header: RunHeaderView; results: CaseResultView[]; summary: SummaryView; warnings: string[] }
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

const isTokenUsage = objectOf({ prompt: isNumber, completion: isNumber, total: isNumber });
const isVars: Guard<Record<string, unknown>> = recordOf(isUnknown);

const isJudgeTraceView: Guard<JudgeTraceView> = objectOf({
  model: isString,
  reply: isString,
  reason: optional(isString),
});
const isSentMessageView: Guard<SentMessageView> = objectOf({ role: isString, content: isString });

export const isEvaluationView: Guard<EvaluationView> = objectOf({
  evaluatorName: isString,
  score: isNumber,
  passed: isBoolean,
  details: isString,
  error: optional(isBoolean),
  judge: optional(isJudgeTraceView),
});

export const isSampleView: Guard<SampleView> = objectOf({
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
  finishReason: optional(isString),
});

export const isCaseResultView: Guard<CaseResultView> = objectOf({
  caseIndex: isIndex,
  caseKey: isString,
  vars: isVars,
  messages: optional(arrayOf(isSentMessageView)),
  samples: arrayOf(isSampleView),
  passRate: isNumber,
  passed: isBoolean,
  error: optional(isString),
});

export const isSummaryView: Guard<SummaryView> = objectOf({
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
