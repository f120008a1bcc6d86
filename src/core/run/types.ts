// Run results and events: what the runner emits, the store writes, and every UI shows.
// Sums and verdicts are computed here in core (summarize), never in a view.

import type { ModelParameters, ResponseFormat } from '../model';
import type { ThrottleState } from '../schedule/types';

export interface TokenUsage {
  prompt: number;
  completion: number;
  total: number;
  /** Prompt tokens the provider served from its prompt cache (billed at the cached-input price). */
  cachedPrompt?: number;
}

export interface EvaluationResult {
  evaluatorName: string;
  /** 0..1 */
  score: number;
  passed: boolean;
  details: string;
  /** True when the evaluator itself failed (judge unreachable, unparsable judge reply, bad regex …). */
  error?: boolean;
  /** For judge evaluators (`llm`, `uses: github/*`): what the judge model itself answered. */
  judge?: JudgeTrace;
}

/** The judge's side of an evaluation, kept so a reader can see why it decided (untrusted text). */
export interface JudgeTrace {
  /** The judge model id as requested. */
  model: string;
  /** The judge's reply, verbatim. */
  reply: string;
  /** The reason a structured judge gave, when it gave one. */
  reason?: string;
}

/** One rendered message as it was sent to the model. */
export interface SentMessage {
  role: string;
  content: string;
}

/** One sample (one request) of one case. */
export interface SampleResult {
  sample: number;
  output: string;
  evaluations: EvaluationResult[];
  passed: boolean;
  /** Set when the request failed; the sample then has no evaluations and counts as failed. */
  error?: string;
  usage?: TokenUsage;
  /** Milliseconds from request start to the first streamed token. */
  ttftMs?: number;
  /** The request's latency, ms. A cached sample reports the latency of the request that filled the cache. */
  latencyMs: number;
  /** Cached sample from an entry that did not record its request's latency: latencyMs is only the lookup time. */
  latencyIsLookup?: boolean;
  /** USD; `null` when the model's price is unknown (never 0 for unknown). */
  costUsd: number | null;
  cached: boolean;
  /** Retries the provider needed (absent when none). */
  retries?: number;
  /** `stop`, `length`, `content_filter` … when the endpoint reported it (`length`: the reply was cut by maxTokens). */
  finishReason?: string;
  /** Set when the request was never sent: `budget` (the run's cost cap, `--max-cost`, was reached). */
  notRun?: 'budget';
}

/** A finished case: one record in the run file. */
export interface CaseResult {
  caseIndex: number;
  /** Stable key that matches the same case across runs (hash of its variables). */
  caseKey: string;
  vars: Record<string, unknown>;
  /** The prompt's messages with this case's variables filled in: what every sample sent. */
  messages?: SentMessage[];
  samples: SampleResult[];
  /** Fraction of samples that passed (1 sample: 0 or 1). */
  passRate: number;
  /** A case passes when every sample passed, or with `repeat: {passRate}` when that share of samples passed. */
  passed: boolean;
  /** Set when every sample errored. */
  error?: string;
  /** Set when no sample's request was sent (see SampleResult.notRun). */
  notRun?: 'budget';
}

export interface RunHeader {
  kind: 'promptlab-run';
  formatVersion: 1;
  runId: string;
  promptFile: string;
  /** Path relative to the workspace / git root when known (to match across revisions). */
  promptFileRelative?: string;
  promptName?: string;
  contentHash: string;
  git?: { commit: string; dirty: boolean; revision?: string };
  /** The model id as requested (file `model` or the override). */
  model: string;
  /** The id sent to the endpoint (e.g. without `publisher/`, or an Azure deployment), when it differs. */
  endpointModel?: string;
  endpointOrigin: string;
  provider: string;
  parameters: ModelParameters;
  responseFormat?: ResponseFormat;
  repeat: number;
  /** `repeat: {passRate}`: share of samples a case needs to pass. Absent: every sample (pass^k). */
  repeatPassRate?: number;
  caseCount: number;
  /** The test cases (0-based) the run covers when it is not every case of the file; a resume runs only these. */
  caseIndexes?: number[];
  /** The run is the single no-variable case of a file without test data (the editor's "Run prompt"). */
  noTestData?: boolean;
  startedAt: string;
  toolVersion: string;
  /** Free-form label (e.g. "baseline HEAD~1", "compare gpt-4o-mini"). */
  label?: string;
  /** vscode.lm results are approximate (system prompt folded, parameters may be ignored). */
  approximate?: boolean;
  /** `batch`: the requests went through the provider's Batch API (`eval --batch`). */
  mode?: 'batch';
  /** `eval --shard i/n`: this run holds the cases whose key falls in slice `index` (1-based) of `count`. */
  shard?: { index: number; count: number };
  /** Where the model's price came from (`@pydantic/genai-prices 0.1.8: OpenAI gpt-4o (prices as of …)`); absent when unknown. */
  priceSource?: string;
  /** The run's cost cap in USD (`--max-cost`), when it had one. */
  maxCostUsd?: number;
  /** The prompt's messages as written (templates, before variables), so a compare can show what changed. */
  messages?: SentMessage[];
}

/** Where a provider batch goes and what it holds: shared by its submit and its batch record. */
interface BatchTarget {
  stage: number;
  /** `/v1/chat/completions`, `/v1/embeddings` (Azure: without `/v1`). */
  endpoint: string;
  endpointOrigin: string;
  provider: string;
  /** The model id as requested (resolved again on resume). */
  model: string;
  /** Fingerprint of the key that created it (never the key). */
  keyFingerprint: string;
  customIds: string[];
}

/**
 * A batch about to be created: its input file is uploaded, `batches.create` not answered yet.
 * Written before the create, so a run stopped or killed between the two (or whose create lost its
 * answer) looks for a batch of this input file before creating one (never two batches).
 */
export interface BatchSubmitRecord extends BatchTarget {
  type: 'batch-submit';
  inputFileId: string;
  /** When the create was first tried (the search for its batch starts there). */
  submittedAt: string;
}

/**
 * A provider batch of this run, written the moment the provider created it, so a stopped or
 * killed run reattaches to it (`eval --resume`) instead of submitting (and paying) again.
 * Stage 0 holds the cases' requests; stage 1, 2 … the judge and embedding requests that need them.
 */
export interface BatchRecord extends BatchTarget {
  type: 'batch';
  batchId: string;
  createdAt: string;
  /** The uploaded input file (runs of PromptLab 0.x before batch-submit records lack it). */
  inputFileId?: string;
}

/** A batch's end, written once its output and error files were read. */
export interface BatchResultRecord {
  type: 'batch-result';
  batchId: string;
  status: string;
  outputFileId?: string;
  errorFileId?: string;
  counts: { total: number; completed: number; failed: number };
  finishedAt: string;
}

export interface RunSummary {
  totalTests: number;
  passedTests: number;
  failedTests: number;
  erroredTests: number;
  /** Percent, 100 when there are no tests (as gh-models). */
  passRate: number;
  meanScore: number | null;
  tokens: TokenUsage;
  costUsd: number | null;
  /** Wall time of the run, ms. */
  durationMs: number;
  meanLatencyMs: number | null;
  /** Spread of the same latencies as meanLatencyMs; absent when there are none. */
  latency?: LatencyDistribution;
  cachedSamples: number;
  /** What the cached samples cost when they were first paid for (this run paid $0 for them); null when unknown. */
  cachedCostUsd?: number | null;
  /** Present when cases have more than one sample (k = samples per case). */
  repeats?: RepeatStats;
}

/** Percentiles (nearest rank) and a histogram of request latencies, ms. */
export interface LatencyDistribution {
  p50: number;
  p90: number;
  max: number;
  /** Sample counts in LATENCY_BINS equal-width bins from 0 to max. */
  bins: number[];
}

/**
 * Repeat statistics over the finished cases, each with k samples:
 * - passAtK: share of cases where at least one sample passed (pass@k);
 * - passHatK: share of cases where every sample passed (pass^k);
 * - meanSamplePassRate: mean share of passing samples per case (pass@1 estimated from k samples).
 * Shares are 0..1; the case verdict (`passRate` above) follows the file's threshold instead.
 */
export interface RepeatStats {
  k: number;
  passAtK: number;
  passHatK: number;
  meanSamplePassRate: number;
  /** The threshold cases were judged by (1 = every sample). */
  passRateThreshold: number;
}

/**
 * Events of one run, in order per sample: case-started, case-delta*, (case-retry, case-delta*)*,
 * then per case one case-finished (it has results, passed or not: see `result.passed`) or
 * case-failed (every sample's request failed: `result.error`). A finished case is already in the
 * run file when its event is emitted. Cases cut short by cancellation get no event.
 */
export type RunEvent =
  | { type: 'run-started'; header: RunHeader }
  | { type: 'case-queued'; caseIndex: number }
  | { type: 'case-started'; caseIndex: number; sample: number }
  | { type: 'case-delta'; caseIndex: number; sample: number; text: string }
  /** The provider retries the request; when `discardPartial`, drop the text streamed so far for this sample. */
  | {
      type: 'case-retry';
      caseIndex: number;
      sample: number;
      attempt: number;
      delayMs: number;
      reason: string;
      discardPartial: boolean;
    }
  /** The endpoint's scheduler state (at most every 100 ms; at once when `state.limited` flips). */
  | { type: 'throttle'; state: ThrottleState }
  | { type: 'case-finished'; result: CaseResult }
  | { type: 'case-failed'; result: CaseResult }
  /** `eval --batch`: a provider batch changed state or counts. */
  | {
      type: 'batch-status';
      stage: number;
      batchId: string;
      status: string;
      counts: { total: number; completed: number; failed: number };
    }
  | { type: 'run-finished'; summary: RunSummary; cancelled: boolean; runFile?: string };
