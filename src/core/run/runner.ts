// Runs a prompt file's cases against a model: a pool of `concurrency` requests, `repeat`
// samples per case, evaluation, a run file line per finished case, events for the UIs.
//
// Guarantees:
// - a failed request never stops the run: its sample gets `error`, the case fails;
// - a finished case is appended to the run file (one writeSync) before its event is emitted;
// - cancelling (AbortSignal) aborts in-flight requests, keeps finished cases, discards the rest;
// - per-case work is O(size of the case): nothing re-serialises or re-scans the whole run.
import { setMaxListeners } from 'node:events';
import { DEFAULT_EMBEDDING_MODEL, DEFAULT_JUDGE_MODEL, type EvaluationContext, evaluateAll } from '../evaluators';
import { BudgetExceededError } from '../cost/budget';
import { errorMessage, PromptLabError } from '../errors';
import type { ModelParameters, PromptFile, TestCase } from '../model';
import { costUsd as priceUsage } from '../providers/pricing';
import type { ChatMessage, ModelResolver, ResolvedModel } from '../providers/types';
import { WaitBudget } from '../schedule/failure';
import { DEFAULT_MAX_WAIT_MS } from '../schedule/scheduler';
import { type ResponseCache, responseCacheKey } from '../store/cache';
import type { RunWriter } from '../store/runStore';
import { renderMessages } from './render';
import { caseKey } from './canonical';
import type { CaseResult, RunEvent, SampleResult, TokenUsage } from './types';

export const DEFAULT_CONCURRENCY = 4;

export interface CaseRunnerOptions {
  prompt: PromptFile;
  resolved: ResolvedModel;
  resolver: ModelResolver;
  cases: readonly TestCase[];
  repeat: number;
  /** Share of a case's samples that must pass (`repeat: {passRate}`); default 1: every sample. */
  passRate?: number;
  concurrency: number;
  cache?: ResponseCache;
  writer?: RunWriter;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  judgeModel?: string;
  embeddingModel?: string;
  /** Called when a cache write fails (the run goes on without that entry). */
  onWarning?: (message: string) => void;
  /** How long each case may wait on rate limits and retries (its requests share it). Default 10 min. */
  maxWaitMs?: number;
  /** Start no new case once one has errored (cases in flight still finish). */
  failFast?: boolean;
  /**
   * Samples that already have a reply, by caseIndex (a resume): they are kept as they are and only
   * the other samples of those cases are requested.
   */
  keptSamples?: ReadonlyMap<number, readonly SampleResult[]>;
}

export interface CaseRunnerResult {
  /** Finished cases in finishing order. */
  cases: CaseResult[];
  cancelled: boolean;
  /** Set when `failFast` stopped the run: the case that errored first. */
  stoppedBy?: CaseResult;
}

interface CaseState {
  testCase: TestCase;
  key: string;
  messages: ChatMessage[];
  samples: (SampleResult | undefined)[];
  remaining: number;
  /** Shared by the case's samples, judge and embedding calls; created when the case starts. */
  waitBudget?: WaitBudget;
}

export { renderMessages };

/** Samples that must pass out of `total` for a pass rate threshold (counts, so 4 of 5 meets 0.8 exactly). */
export function samplesNeeded(total: number, passRate = 1): number {
  return Math.max(1, Math.ceil(passRate * total - 1e-9));
}

export function caseResultOf(
  state: Pick<CaseState, 'testCase' | 'key' | 'messages' | 'samples'>,
  passRate: number | undefined,
): CaseResult {
  const samples = state.samples as SampleResult[];
  const passedSamples = samples.filter((s) => s.passed).length;
  const result: CaseResult = {
    caseIndex: state.testCase.index,
    caseKey: state.key,
    vars: state.testCase.vars,
    messages: state.messages,
    samples,
    passRate: samples.length === 0 ? 0 : passedSamples / samples.length,
    passed: samples.length > 0 && passedSamples >= samplesNeeded(samples.length, passRate),
  };
  const firstError = samples[0]?.error;
  if (firstError !== undefined && samples.every((s) => s.error !== undefined)) result.error = firstError;
  if (samples.length > 0 && samples.every((s) => s.notRun === 'budget')) result.notRun = 'budget';
  return result;
}

export async function runCases(options: CaseRunnerOptions): Promise<CaseRunnerResult> {
  const { prompt, resolved, onEvent, cache, writer } = options;
  // One signal for everything in flight: the caller's cancellation, or our own stop when the run
  // file can no longer be written (results that cannot be kept must not be produced).
  const stop = new AbortController();
  // Every request in flight (and its judge calls) listens on this one signal; more than the
  // default 10 listeners is expected, not a leak.
  setMaxListeners(0, stop.signal);
  const userSignal = options.signal;
  const onUserAbort = (): void => stop.abort(userSignal?.reason);
  if (userSignal?.aborted) stop.abort(userSignal.reason);
  else userSignal?.addEventListener('abort', onUserAbort, { once: true });
  const signal = stop.signal;
  let writeFailure: unknown;
  const emit = onEvent ?? ((): void => {});
  const parameters: ModelParameters = prompt.modelParameters;
  const finished: CaseResult[] = [];
  // Only the writes still in flight: settled ones leave, so nothing here grows with the suite.
  const pendingCacheWrites = new Set<Promise<void>>();

  const embedWithin = async (
    budget: WaitBudget,
    texts: string[],
    modelId: string | undefined,
    embedSignal?: AbortSignal,
  ): Promise<number[][]> => {
    const target = options.resolver.resolve(modelId ?? options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL);
    if (!target.provider.embed) throw new Error(`the endpoint of '${target.requestedId}' offers no embeddings`);
    return target.provider.embed(target.model, texts, embedSignal, budget);
  };
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  let stoppedBy: CaseResult | undefined;
  const judge = { resolver: options.resolver, defaultModel: options.judgeModel ?? DEFAULT_JUDGE_MODEL };

  // A case's state (rendered messages, samples) exists from its first sample's start to its
  // finish, not for the whole run: memory follows the requests in flight, not the suite.
  // Samples kept from an earlier attempt (a resume) are filled in and not requested again.
  const stateOf = (testCase: TestCase): CaseState => {
    const samples = new Array<SampleResult | undefined>(options.repeat).fill(undefined);
    for (const kept of options.keptSamples?.get(testCase.index) ?? [])
      if (kept.sample < options.repeat) samples[kept.sample] = kept;
    const remaining = samples.filter((s) => s === undefined).length;
    return {
      testCase,
      key: caseKey(testCase.vars),
      messages: renderMessages(prompt, testCase.vars),
      samples,
      remaining,
    };
  };
  for (const testCase of options.cases) emit({ type: 'case-queued', caseIndex: testCase.index });

  const runSample = async (state: CaseState, sample: number): Promise<SampleResult | undefined> => {
    const caseIndex = state.testCase.index;
    const waitBudget = (state.waitBudget ??= new WaitBudget(maxWaitMs));
    emit({ type: 'case-started', caseIndex, sample });
    const started = performance.now();
    let text: string;
    let usage: TokenUsage | undefined;
    let ttftMs: number | undefined;
    let latencyMs: number;
    let cached = false;
    let latencyIsLookup = false;
    let retries: number | undefined;
    let finishReason: string | undefined;
    const key = cache
      ? responseCacheKey({
          endpointOrigin: resolved.provider.endpointOrigin,
          model: resolved.model,
          parameters,
          messages: state.messages,
          ...(prompt.responseFormat ? { responseFormat: prompt.responseFormat } : {}),
          ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
          sample,
        })
      : undefined;
    const hit = cache && key ? await cache.get(key) : undefined;
    if (hit) {
      text = hit.text;
      usage = hit.usage;
      finishReason = hit.finishReason;
      // One latency definition everywhere: the request's, as measured when it was made. Entries
      // written before the cache kept it only have the lookup time, said so in the result.
      latencyMs = hit.latencyMs ?? performance.now() - started;
      if (hit.latencyMs === undefined) latencyIsLookup = true;
      ttftMs = hit.ttftMs;
      cached = true;
      emit({ type: 'case-delta', caseIndex, sample, text });
    } else {
      try {
        const response = await resolved.provider.chat({
          model: resolved.model,
          messages: state.messages,
          parameters,
          ...(prompt.responseFormat ? { responseFormat: prompt.responseFormat } : {}),
          ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
          signal,
          waitBudget,
          onDelta: (delta) => emit({ type: 'case-delta', caseIndex, sample, text: delta }),
          onRetry: (info) => emit({ type: 'case-retry', caseIndex, sample, ...info }),
        });
        text = response.text;
        usage = response.usage;
        ttftMs = response.ttftMs;
        latencyMs = response.latencyMs;
        if (response.retries) retries = response.retries;
        finishReason = response.finishReason;
      } catch (error) {
        if (signal.aborted) return undefined;
        const failed: SampleResult = {
          sample,
          output: '',
          evaluations: [],
          passed: false,
          error: errorMessage(error),
          latencyMs: performance.now() - started,
          costUsd: null,
          cached: false,
        };
        if (error instanceof BudgetExceededError) failed.notRun = 'budget';
        return failed;
      }
      if (cache && key) {
        const write = cache
          .set(key, {
            text,
            ...(usage ? { usage } : {}),
            ...(finishReason !== undefined ? { finishReason } : {}),
            latencyMs,
            ...(ttftMs !== undefined ? { ttftMs } : {}),
          })
          .catch((error: unknown) => options.onWarning?.(`cache write failed: ${errorMessage(error)}`))
          .finally(() => pendingCacheWrites.delete(write));
        pendingCacheWrites.add(write);
      }
    }
    if (signal.aborted) return undefined;
    const output = text.trim();
    const costUsd = priceUsage(usage, resolved.price);
    const context: EvaluationContext = {
      vars: state.testCase.vars,
      output,
      latencyMs,
      costUsd,
      judge,
      embed: (texts, modelId, embedSignal) => embedWithin(waitBudget, texts, modelId, embedSignal),
      waitBudget,
      ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
      signal,
    };
    const evaluations = prompt.evaluators.length === 0 ? [] : await evaluateAll(prompt.evaluators, context);
    if (signal.aborted) return undefined;
    const result: SampleResult = {
      sample,
      output,
      evaluations,
      passed: evaluations.every((e) => e.passed),
      latencyMs,
      costUsd,
      cached,
    };
    if (usage) result.usage = usage;
    if (ttftMs !== undefined) result.ttftMs = ttftMs;
    if (retries !== undefined) result.retries = retries;
    if (finishReason !== undefined) result.finishReason = finishReason;
    if (latencyIsLookup) result.latencyIsLookup = true;
    return result;
  };

  const finishCase = (state: CaseState): void => {
    const result = caseResultOf(state, options.passRate);
    try {
      writer?.appendCase(result);
    } catch (error) {
      writeFailure ??= error;
      stop.abort(error);
      return;
    }
    finished.push(result);
    if (result.error !== undefined && options.failFast) stoppedBy ??= result;
    emit(result.error !== undefined ? { type: 'case-failed', result } : { type: 'case-finished', result });
  };

  // Work items are (case, sample) pairs in case order; `next` walks them without building a list.
  // A case's samples are handed out one after another, so only the latest case's state is looked up.
  const totalItems = options.cases.length * options.repeat;
  let next = 0;
  let current: CaseState | undefined;
  const worker = async (): Promise<void> => {
    while (next < totalItems && !signal.aborted && stoppedBy === undefined) {
      const item = next++;
      const sample = item % options.repeat;
      if (sample === 0 || current === undefined) {
        current = stateOf(options.cases[Math.floor(item / options.repeat)] as TestCase);
        if (current.remaining === 0) finishCase(current); // every sample was kept
      }
      const state = current;
      if (state.samples[sample] !== undefined) continue; // kept from an earlier attempt
      const result = await runSample(state, sample);
      if (result === undefined || signal.aborted) return;
      state.samples[sample] = result;
      if (--state.remaining === 0) finishCase(state);
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, totalItems));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
    while (pendingCacheWrites.size > 0) await Promise.all([...pendingCacheWrites]);
  } finally {
    userSignal?.removeEventListener('abort', onUserAbort);
  }
  if (writeFailure !== undefined) {
    const file = writer ? ` ${writer.file}` : '';
    throw new PromptLabError(
      `Cannot write the run file${file}: ${errorMessage(writeFailure)}; the run was stopped`,
      'internal',
    );
  }
  return { cases: finished, cancelled: userSignal?.aborted === true, ...(stoppedBy ? { stoppedBy } : {}) };
}
