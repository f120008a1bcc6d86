// The engine's front door: run a prompt file and get its verdicts, with the run file written
// as it goes. CLI, extension and benchmarks all call runPrompt.
import path from 'node:path';
import { version as toolVersion } from '../../package.json';
import { PromptLabError } from './errors';
import { gitInfo } from './git';
import type { PromptFile, TestCase } from './model';
import { originOf } from './providers/origin';
import type { ModelResolver, ResolvedModel } from './providers/types';
import {
  type BatchRunnerResult,
  type BatchSettings,
  checkBatchModels,
  runBatchCases,
  unbatchedSubmissions,
} from './run/batchRunner';
import { contentHashOf } from './run/identity';
import { type CostBudget, promptBudgetedResolver, unpricedCapError } from './cost/budget';
import { describePriceSource } from './providers/pricing';
import { DEFAULT_CONCURRENCY, runCases } from './run/runner';
import { inShard, type Shard } from './run/shard';
import { SchedulerPool } from './schedule/pool';
import type { RequestGate } from './schedule/scheduler';
import { summarize } from './run/summary';
import { caseKey } from './run/canonical';
import type { CaseResult, RunEvent, RunHeader, RunSummary } from './run/types';
import type { ResponseCache } from './store/cache';
import { type LoadedRun, type RunStore, type RunWriter, newRunId } from './store/runStore';

export interface RunOptions {
  prompt: PromptFile;
  resolver: ModelResolver;
  /** Model id that overrides the file's `model`. */
  model?: string;
  /** Requests in flight at once. Default 4. */
  concurrency?: number;
  /** Samples per case; default the file's `repeat` (1). */
  repeat?: number;
  /** Run only these cases (0-based indexes into the test data). */
  caseIndexes?: number[];
  /** Pass a cache to reuse responses (`--no-cache`: pass none). */
  cache?: ResponseCache;
  /** Pass a store to write the run file. */
  store?: RunStore;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  label?: string;
  /** Root for `promptFileRelative` when the file is not in a git repository. */
  workspaceRoot?: string;
  /** Judge for `uses: github/*` and `llm` evaluators without a model (config `judgeModel`); default `openai/gpt-4o`. */
  judgeModel?: string;
  /** Embedding model for `similarity` evaluators that name none. */
  embeddingModel?: string;
  /**
   * gh-models runs no case when `testData` is empty (0 tests, pass rate 100). Set this to run one
   * case with no variables instead (the editor's "Run prompt" on a file without test data).
   */
  runWithoutTestData?: boolean;
  /** Non-fatal problems (e.g. a cache write failed). */
  onWarning?: (message: string) => void;
  /**
   * How long one case may wait on rate limits and retries before it is reported as failed
   * (its requests, judge and embedding calls share it). Default 10 minutes.
   */
  maxWaitMs?: number;
  /** Said when the wait budget runs out, e.g. "raise it with --max-wait". */
  maxWaitHint?: string;
  /** No retries, and no new case starts once one has errored (cases in flight still finish). */
  failFast?: boolean;
  /**
   * Called right before every request (and retry) is sent; throw to refuse it. The run's single
   * "a request is about to start" point (see RequestGate in src/core/schedule/scheduler.ts).
   */
  requestGate?: RequestGate;
  /**
   * A spending cap shared by every run it is passed to (`eval --max-cost`): each request reserves
   * its worst case before it starts; requests that do not fit are not sent and their cases are
   * recorded as `notRun: 'budget'`.
   */
  budget?: CostBudget;
  /**
   * Set when `prompt` holds the file's text from an earlier git revision (compare with revision):
   * the header then records that commit instead of the working copy's state.
   */
  revision?: { commit: string; revision: string };
  /** Send the requests through the provider's Batch API (`eval --batch`) instead of live calls. */
  batch?: BatchSettings;
  /** Run only the cases whose key falls in this slice (`eval --shard i/n`). */
  shard?: Shard;
}

export interface RunOutcome {
  header: RunHeader;
  /** Finished cases sorted by caseIndex. */
  cases: CaseResult[];
  summary: RunSummary;
  cancelled: boolean;
  /** The run file, when a store was given. */
  runFile?: string;
  /**
   * Batch runs whose wait was stopped (signal): the provider batches still running. The run file
   * then has no summary line, and `resumeBatchRun` picks the run up where it stopped.
   */
  pendingBatches?: string[];
  /** Set when `failFast` stopped the run early: the first case that errored. */
  stoppedBy?: CaseResult;
}

/** The one case of a file without test data when `runWithoutTestData`: no variables. */
export function noVariablesCase(): TestCase {
  return { index: 0, vars: {}, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } };
}

/** Delivers events to `onEvent`; a listener's bug becomes a warning instead of costing the run its results. */
export function guardedEmitter(
  onEvent?: (event: RunEvent) => void,
  onWarning?: (message: string) => void,
): (event: RunEvent) => void {
  return (event) => {
    try {
      onEvent?.(event);
    } catch (error) {
      onWarning?.(`event listener failed on ${event.type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

function selectCases(prompt: PromptFile, options: RunOptions): TestCase[] {
  const all: TestCase[] =
    prompt.testData.length === 0 && options.runWithoutTestData ? [noVariablesCase()] : prompt.testData;
  if (options.shard) {
    const shard = options.shard;
    return all.filter((c) => inShard(caseKey(c.vars), shard));
  }
  if (!options.caseIndexes) return all;
  const byIndex = new Map(all.map((c) => [c.index, c]));
  return [...new Set(options.caseIndexes)]
    .sort((a, b) => a - b)
    .map((index) => {
      const found = byIndex.get(index);
      if (!found)
        throw new PromptLabError(`No test case with index ${index} (the file has ${all.length})`, 'input', {
          file: prompt.path,
        });
      return found;
    });
}

function positiveInteger(value: number | undefined, fallback: number, what: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new PromptLabError(`${what} must be a whole number ≥ 1, got ${value}`, 'input');
  return value;
}

async function buildHeader(
  options: RunOptions,
  resolved: ResolvedModel,
  repeat: number,
  cases: readonly TestCase[],
  startedAt: Date,
): Promise<RunHeader> {
  const { prompt } = options;
  const git = await gitInfo(prompt.path);
  const header: RunHeader = {
    ...headerIdentity(prompt, startedAt),
    model: resolved.requestedId,
    // A provider's origin must never carry credentials or a path into a run file.
    endpointOrigin: originOf(resolved.provider.endpointOrigin),
    provider: resolved.provider.kind,
    parameters: prompt.modelParameters,
    repeat,
    ...(options.prompt.repeatPassRate !== undefined ? { repeatPassRate: options.prompt.repeatPassRate } : {}),
    caseCount: cases.length,
    startedAt: startedAt.toISOString(),
    toolVersion,
  };
  if (git) {
    header.promptFileRelative = git.relativePath;
    header.git = { commit: git.commit, dirty: git.dirty };
  } else if (options.workspaceRoot) {
    const relative = path.relative(options.workspaceRoot, prompt.path);
    if (!relative.startsWith('..') && !path.isAbsolute(relative))
      header.promptFileRelative = relative.split(path.sep).join('/');
  }
  if (options.caseIndexes) header.caseIndexes = cases.map((c) => c.index);
  if (prompt.testData.length === 0 && options.runWithoutTestData) header.noTestData = true;
  if (resolved.model !== resolved.requestedId) header.endpointModel = resolved.model;
  if (prompt.name !== undefined) header.promptName = prompt.name;
  if (prompt.responseFormat !== undefined) header.responseFormat = prompt.responseFormat;
  if (options.revision)
    header.git = { commit: options.revision.commit, dirty: false, revision: options.revision.revision };
  if (options.label !== undefined) header.label = options.label;
  if (resolved.provider.approximate) header.approximate = true;
  if (options.batch) header.mode = 'batch';
  if (options.shard) header.shard = { ...options.shard };
  if (resolved.price?.source) header.priceSource = describePriceSource(resolved.price);
  if (options.budget) header.maxCostUsd = options.budget.capUsd;
  header.messages = prompt.messages.map((m) => ({ role: m.role, content: m.content }));
  return header;
}

/** The fields that open every run header: what the file is and which run of which prompt it holds. */
function headerIdentity(
  prompt: PromptFile,
  startedAt: Date,
): Pick<RunHeader, 'kind' | 'formatVersion' | 'runId' | 'promptFile' | 'contentHash'> {
  return {
    kind: 'promptlab-run',
    formatVersion: 1,
    runId: newRunId(prompt.path, startedAt),
    promptFile: prompt.path,
    contentHash: contentHashOf(prompt),
  };
}

/**
 * A file with no test cases and no model: gh-models ran 0 tests and passed. Nothing is resolved,
 * sent or stored (there is nothing to resume or compare).
 */
function emptyOutcome(prompt: PromptFile, repeat: number, startedAt: Date): RunOutcome {
  const header: RunHeader = {
    ...headerIdentity(prompt, startedAt),
    model: '',
    endpointOrigin: '',
    provider: 'none',
    parameters: prompt.modelParameters,
    repeat,
    caseCount: 0,
    startedAt: startedAt.toISOString(),
    toolVersion,
  };
  if (prompt.name !== undefined) header.promptName = prompt.name;
  return { header, cases: [], summary: summarize([], 0), cancelled: false };
}

export async function runPrompt(options: RunOptions): Promise<RunOutcome> {
  const { prompt } = options;
  const modelId = options.model ?? prompt.model;
  const repeat = positiveInteger(options.repeat, Math.max(1, prompt.repeat || 1), 'repeat');
  const concurrency = positiveInteger(options.concurrency, DEFAULT_CONCURRENCY, 'concurrency');
  const cases = selectCases(prompt, options);
  if (!modelId) {
    if (cases.length === 0) return emptyOutcome(prompt, repeat, new Date());
    const range = prompt.keyRanges.model;
    throw new PromptLabError('No model: the prompt file has no `model` and none was given', 'input', {
      file: prompt.path,
      ...(range ? { range } : {}),
    });
  }
  if (options.batch && options.budget) {
    throw new PromptLabError(
      'a cost cap (--max-cost) cannot be kept by a batch run yet: the provider runs the whole batch; run without one of the two',
      'input',
    );
  }
  if (options.maxWaitMs !== undefined && !(options.maxWaitMs >= 0 && Number.isFinite(options.maxWaitMs))) {
    throw new PromptLabError(
      `the maximum wait must be a number of milliseconds ≥ 0, got ${options.maxWaitMs}`,
      'input',
    );
  }
  const budgeted = await promptBudgetedResolver(options.resolver, options.budget, prompt, modelId, options.store);
  let emitState: (event: RunEvent) => void = () => {};
  // Every request of the run (cases, repeats, judge and embedding calls) goes through its endpoint's
  // scheduler; the budget check sits inside it, so it runs once per attempt, right before it is sent.
  const schedulers = new SchedulerPool({
    maxConcurrency: concurrency,
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.maxWaitHint !== undefined ? { maxWaitHint: options.maxWaitHint } : {}),
    ...(options.failFast ? { failFast: true } : {}),
    ...(options.requestGate ? { gate: options.requestGate } : {}),
    onState: (state) => emitState({ type: 'throttle', state }),
  });
  const resolver = schedulers.resolver(budgeted);
  const resolved = resolver.resolve(modelId);
  if (options.budget && !resolved.price) {
    const range = prompt.keyRanges.model;
    throw unpricedCapError(modelId, {
      file: prompt.path,
      ...(range && options.model === undefined ? { range } : {}),
    });
  }
  // A model without a Batch API is an error before anything is sent or stored.
  if (options.batch) checkBatchModels(prompt, resolved, resolver, options.judgeModel, options.embeddingModel);
  const startedAt = new Date();
  const clockStart = performance.now();
  const header = await buildHeader(options, resolved, repeat, cases, startedAt);

  let writer: RunWriter | undefined;
  try {
    writer = options.store?.create(header);
  } catch (error) {
    throw new PromptLabError(
      `Cannot create the run file in ${options.store?.dir ?? '?'}: ${error instanceof Error ? error.message : String(error)}`,
      'config',
    );
  }
  const emit = guardedEmitter(options.onEvent, options.onWarning);
  try {
    emit({ type: 'run-started', header });
    emitState = emit;
    const common = {
      prompt,
      resolved,
      resolver,
      cases,
      repeat,
      ...(prompt.repeatPassRate !== undefined ? { passRate: prompt.repeatPassRate } : {}),
      ...shared(options, emit, writer),
    };
    if (options.batch) {
      const batch = await runBatchCases({ ...common, settings: options.batch });
      schedulers.dispose();
      emitState = () => {};
      return finishBatchRun({ header, writer, emit, clockStart, passRate: prompt.repeatPassRate }, batch);
    }
    const {
      cases: finished,
      cancelled,
      stoppedBy,
    } = await runCases({
      ...common,
      concurrency,
      ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
      ...(options.failFast ? { failFast: true } : {}),
    });
    schedulers.dispose();
    emitState = () => {};
    const outcome = finishRun({
      header,
      writer,
      emit,
      clockStart,
      cases: finished,
      cancelled,
      passRate: prompt.repeatPassRate,
    });
    if (stoppedBy) outcome.stoppedBy = stoppedBy;
    return outcome;
  } finally {
    schedulers.dispose();
    writer?.close();
  }
}

/** The options every batch stage shares with the live runner. */
function shared(options: RunOptions, emit: (event: RunEvent) => void, writer: RunWriter | undefined) {
  return {
    onEvent: emit,
    ...(options.cache ? { cache: options.cache } : {}),
    ...(writer ? { writer } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.judgeModel ? { judgeModel: options.judgeModel } : {}),
    ...(options.embeddingModel ? { embeddingModel: options.embeddingModel } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  };
}

interface FinishInput {
  header: RunHeader;
  writer: RunWriter | undefined;
  emit: (event: RunEvent) => void;
  clockStart: number;
  cases: CaseResult[];
  cancelled: boolean;
  /** Cases finished before a resume (already in the run file). */
  earlier?: CaseResult[];
  /** Batches still running: the run stays open (no summary line) so it can be resumed. */
  pendingBatches?: string[];
  /** `repeat: {passRate}` of the prompt file. */
  passRate?: number | undefined;
}

function finishRun(input: FinishInput): RunOutcome {
  const { header, writer, emit } = input;
  const all = [...(input.earlier ?? []), ...input.cases].sort((a, b) => a.caseIndex - b.caseIndex);
  const summary = summarize(all, performance.now() - input.clockStart, input.passRate);
  const open = (input.pendingBatches?.length ?? 0) > 0;
  if (!open) writer?.finish(summary, input.cancelled);
  const outcome: RunOutcome = { header, cases: all, summary, cancelled: input.cancelled };
  if (writer) outcome.runFile = writer.file;
  if (open) outcome.pendingBatches = input.pendingBatches;
  emit({ type: 'run-finished', summary, cancelled: input.cancelled, ...(writer ? { runFile: writer.file } : {}) });
  return outcome;
}

/** finishRun for batch mode: a detached run is cancelled, its open batches keep the run file open. */
function finishBatchRun(
  input: Omit<FinishInput, 'cases' | 'cancelled' | 'pendingBatches'>,
  batch: BatchRunnerResult,
): RunOutcome {
  return finishRun({ ...input, cases: batch.cases, cancelled: batch.detached, pendingBatches: batch.pendingBatches });
}

export interface BatchResumeOptions extends Omit<
  RunOptions,
  'prompt' | 'model' | 'caseIndexes' | 'shard' | 'revision' | 'label' | 'store'
> {
  /** The run to go on with, as loaded from its file. */
  run: LoadedRun;
  /** The prompt file as it is now: it must be the revision the run started with. */
  prompt: PromptFile;
  store: RunStore;
}

/** True when a run has provider batches whose results were not read yet (resume reattaches to them). */
export function hasPendingBatches(run: LoadedRun): boolean {
  const done = new Set(run.batchResults.map((r) => r.batchId));
  return (
    run.header.mode === 'batch' &&
    !run.finished &&
    (run.batches.length === 0 ||
      run.batches.some((b) => !done.has(b.batchId)) ||
      unbatchedSubmissions(run.batchSubmits, run.batches).length > 0 ||
      run.cases.length < run.header.caseCount)
  );
}

/**
 * Goes on with a batch run that was stopped, killed or started on another machine: reattaches to
 * its batches (never submits them again), reads their results and finishes the run file.
 */
export async function resumeBatchRun(options: BatchResumeOptions): Promise<RunOutcome> {
  const { run, prompt } = options;
  const { header } = run;
  const clockStart = performance.now() - Math.max(0, Date.now() - Date.parse(header.startedAt));
  if (header.mode !== 'batch')
    throw new PromptLabError(`${run.file}: not a batch run (started without --batch)`, 'input', { file: run.file });
  if (run.finished)
    throw new PromptLabError(`${run.file}: the run already finished; nothing to resume`, 'input', { file: run.file });
  if (contentHashOf(prompt) !== header.contentHash) {
    throw new PromptLabError(
      `${prompt.path} changed since the run started (its content differs from the run's); resume needs the revision the batches were made from`,
      'input',
      { file: prompt.path },
    );
  }
  const resolved = options.resolver.resolve(header.model);
  if (resolved.provider.endpointOrigin !== header.endpointOrigin) {
    throw new PromptLabError(
      `the run's batches are at ${header.endpointOrigin}, but the configuration now sends '${header.model}' to ${resolved.provider.endpointOrigin}; resume with the configuration the run started with`,
      'config',
    );
  }
  const cases = selectCases(prompt, { ...(header.shard ? { shard: header.shard } : {}) } as RunOptions);
  if (cases.length !== header.caseCount) {
    throw new PromptLabError(
      `${prompt.path} has ${cases.length} cases for this run, the run expects ${header.caseCount}`,
      'input',
      { file: prompt.path },
    );
  }
  const done = new Set(run.cases.map((c) => c.caseIndex));
  // Judge and embedding calls of the resumed cases go through the endpoint schedulers like a run's.
  const schedulers = new SchedulerPool({
    maxConcurrency: positiveInteger(options.concurrency, DEFAULT_CONCURRENCY, 'concurrency'),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.maxWaitHint !== undefined ? { maxWaitHint: options.maxWaitHint } : {}),
    ...(options.requestGate ? { gate: options.requestGate } : {}),
  });
  const resolver = schedulers.resolver(options.resolver);
  // Takes the run file's lock: a second resume of the same run is refused while this one writes.
  const writer = options.store.append(run.file);
  const emit = guardedEmitter(options.onEvent, options.onWarning);
  try {
    emit({ type: 'run-started', header });
    // Cases already in the run file: announced as finished, as a live resume does (the run panel shows them).
    for (const result of [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex))
      emit({ type: result.error !== undefined ? 'case-failed' : 'case-finished', result });
    const batch = await runBatchCases({
      prompt,
      resolved: resolver.resolve(header.model),
      resolver,
      cases: cases.filter((c) => !done.has(c.index)),
      repeat: header.repeat,
      ...(prompt.repeatPassRate !== undefined ? { passRate: prompt.repeatPassRate } : {}),
      settings: options.batch ?? {},
      records: run.batches,
      results: run.batchResults,
      submissions: run.batchSubmits,
      ...shared(options, emit, writer),
    });
    return finishBatchRun(
      { header, writer, emit, clockStart, earlier: run.cases, passRate: prompt.repeatPassRate },
      batch,
    );
  } finally {
    schedulers.dispose();
    writer.close();
  }
}
