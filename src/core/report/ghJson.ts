// A run as `gh models eval --json` printed it, plus ONE extra top-level key, `promptlab`, holding
// what gh-models had no field for. Per-case extras live in `promptlab.cases[i]` (parallel to
// `testResults[i]`) so each test result keeps gh-models' key set. The CLI's --json and the editor's
// JSON export both write this shape.
import type {
  CaseResult,
  EvaluationResult,
  RepeatStats,
  RunHeader,
  RunSummary,
  SampleResult,
  TokenUsage,
} from '../run/types';
import { definedFields } from '../fields';

/** One prompt file's run as the formatters see it (structurally the engine's RunOutcome). */
export interface RunOutcomeView {
  header: RunHeader;
  cases: CaseResult[];
  summary: RunSummary;
  cancelled: boolean;
  runFile?: string;
  /** `failFast` (`--fail-fast`) stopped the run at this case. */
  stoppedBy?: CaseResult;
}

export interface FileRun {
  /** Path as shown to the user (relative to the working directory when inside it). */
  displayPath: string;
  name?: string;
  description?: string;
  /** The model id the run used, as the user wrote it (file's `model` or --model). */
  model: string;
  outcome: RunOutcomeView;
}

/**
 * The sample that stands for a case in single-response formats (gh-models JSON, JUnit):
 * the first failed sample when there is one, so its evaluations agree with the case verdict.
 */
export function representativeSample(result: CaseResult): SampleResult | undefined {
  return result.samples.find((sample) => !sample.passed) ?? result.samples[0];
}

export interface GhEvaluationResult {
  evaluatorName: string;
  score: number;
  passed: boolean;
  /** Omitted when empty, as gh-models did (`json:"details,omitempty"`). */
  details?: string;
}

export interface GhTestResult {
  testCase: Record<string, unknown>;
  modelResponse: string;
  evaluationResults: GhEvaluationResult[];
}

export interface PromptLabSampleExtras {
  sample: number;
  passed: boolean;
  latencyMs: number;
  ttftMs?: number;
  tokens?: TokenUsage;
  costUsd: number | null;
  cached: boolean;
  error?: string;
  /** `budget`: the request was never sent (`--max-cost` reached). */
  notRun?: 'budget';
}

export interface PromptLabCaseExtras {
  caseIndex: number;
  caseKey: string;
  passed: boolean;
  passRate: number;
  error?: string;
  /** `budget`: no request of this case was sent (`--max-cost` reached). */
  notRun?: 'budget';
  samples: PromptLabSampleExtras[];
}

export interface PromptLabExtras {
  runId: string;
  runFile: string | null;
  promptFile: string;
  endpoint: string;
  provider: string;
  repeat: number;
  /** `repeat: {passRate}` of the file; absent when every sample must pass. */
  repeatPassRate?: number;
  /** pass@k, pass^k and the mean sample pass rate; present when cases have more than one sample. */
  repeats?: RepeatStats;
  cancelled: boolean;
  erroredTests: number;
  meanScore: number | null;
  tokens: TokenUsage;
  costUsd: number | null;
  durationMs: number;
  meanLatencyMs: number | null;
  cachedSamples: number;
  /** Where the model's price came from (null when unknown). */
  priceSource: string | null;
  /** The `--max-cost` cap, when the run had one. */
  maxCostUsd?: number;
  /** Cases the cap kept from running (listed in testResults as "not run: budget"). */
  notRunTests: number;
  cases: PromptLabCaseExtras[];
}

export interface GhEvaluationSummary {
  name: string;
  description: string;
  model: string;
  testResults: GhTestResult[];
  summary: { totalTests: number; passedTests: number; failedTests: number; passRate: number };
  promptlab: PromptLabExtras;
}

/** The evaluator name under which a request error is reported in gh-models' shape. */
export const REQUEST_ERROR_EVALUATOR = 'promptlab:request';

function toGhEvaluation(result: EvaluationResult): GhEvaluationResult {
  const out: GhEvaluationResult = { evaluatorName: result.evaluatorName, score: result.score, passed: result.passed };
  if (result.details !== '') out.details = result.details;
  return out;
}

export function toGhJson(run: FileRun): GhEvaluationSummary {
  const { outcome } = run;
  const testResults: GhTestResult[] = outcome.cases.map((result) => {
    const sample = representativeSample(result);
    const evaluationResults = (sample?.evaluations ?? []).map(toGhEvaluation);
    const error = sample?.error ?? result.error;
    // gh-models aborted on request errors, so it had no shape for them. An errored case keeps
    // core's "failed" verdict visible to consumers that check every evaluationResult.
    if (error !== undefined && evaluationResults.length === 0)
      evaluationResults.push({ evaluatorName: REQUEST_ERROR_EVALUATOR, score: 0, passed: false, details: error });
    return { testCase: result.vars, modelResponse: sample?.output ?? '', evaluationResults };
  });
  const s = outcome.summary;
  return {
    name: run.name ?? '',
    description: run.description ?? '',
    model: run.model,
    testResults,
    summary: { totalTests: s.totalTests, passedTests: s.passedTests, failedTests: s.failedTests, passRate: s.passRate },
    promptlab: definedFields<PromptLabExtras>({
      runId: outcome.header.runId,
      runFile: outcome.runFile ?? null,
      promptFile: run.displayPath,
      endpoint: outcome.header.endpointOrigin,
      provider: outcome.header.provider,
      repeat: outcome.header.repeat,
      repeatPassRate: outcome.header.repeatPassRate,
      repeats: s.repeats,
      cancelled: outcome.cancelled,
      erroredTests: s.erroredTests,
      meanScore: s.meanScore,
      tokens: s.tokens,
      costUsd: s.costUsd,
      durationMs: s.durationMs,
      meanLatencyMs: s.meanLatencyMs,
      cachedSamples: s.cachedSamples,
      priceSource: outcome.header.priceSource ?? null,
      maxCostUsd: outcome.header.maxCostUsd,
      notRunTests: outcome.cases.filter((c) => c.notRun !== undefined).length,
      cases: outcome.cases.map((result) =>
        definedFields<PromptLabCaseExtras>({
          caseIndex: result.caseIndex,
          caseKey: result.caseKey,
          passed: result.passed,
          passRate: result.passRate,
          samples: result.samples.map((sample) =>
            definedFields<PromptLabSampleExtras>({
              sample: sample.sample,
              passed: sample.passed,
              latencyMs: sample.latencyMs,
              costUsd: sample.costUsd,
              cached: sample.cached,
              ttftMs: sample.ttftMs,
              tokens: sample.usage,
              error: sample.error,
              notRun: sample.notRun,
            }),
          ),
          error: result.error,
          notRun: result.notRun,
        }),
      ),
    }),
  };
}

/**
 * One file: the gh-models object itself. Several files: a JSON array of those objects. `asArray`
 * keeps the array when several files were asked for but only one could run, so the shape of the
 * output does not depend on which files were broken.
 */
export function formatJson(runs: FileRun[], asArray = runs.length !== 1): string {
  const objects = runs.map(toGhJson);
  return `${JSON.stringify(asArray ? objects : objects[0], null, 2)}\n`;
}
