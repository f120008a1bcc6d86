// Resume: complete a stored run in its own file, paying only for what is missing.
//
// Entry points:
// - planResume(run, prompt, options): checks that the run belongs to this prompt (same content,
//   model, repeat, cases) and says which cases are kept and which samples still need a reply.
//   Pure: reads nothing, sends nothing. Other ways of completing a run (a provider batch) start here.
// - resumeRun(options): plans, appends a `resume` record to the run file, runs the pending samples
//   through the normal runner (which appends each finished case: the last line for a case wins),
//   then appends a summary over the whole run.
//
// A case is kept when every one of its samples has a reply (an evaluator error is a reply: it is
// kept). A sample whose request failed, and a case with no line at all, is run again.
//
// A cost cap (`budget`, `eval --resume RUN --max-cost USD`) is the run's total budget: what the
// run file records as already spent on its requests counts against it before this resume sends
// anything, so a run that was stopped at $5 and resumed with --max-cost 8 spends at most $3 more.
import { type CostBudget, promptBudgetedResolver, unpricedCapError } from '../cost/budget';
import { SchedulerPool } from '../schedule/pool';
import { version as toolVersion } from '../../../package.json';
import { type RunOutcome, guardedEmitter, noVariablesCase } from '../engine';
import { PromptLabError } from '../errors';
import type { PromptFile, TestCase } from '../model';
import { type LoadedRun, type RunStore, RunWriter } from '../store/runStore';
import { originOf } from '../providers/origin';
import { contentHashOf } from './identity';
import { type CaseRunnerOptions, DEFAULT_CONCURRENCY, runCases } from './runner';
import { summarize } from './summary';
import type { CaseResult, SampleResult } from './types';

/** The record a resume appends before its first case line. */
export const RESUME_RECORD = 'resume';

export interface ResumePlan {
  run: LoadedRun;
  /** Cases with a reply for every sample, as stored. */
  kept: CaseResult[];
  /** Cases still to run, in case order. */
  pending: TestCase[];
  /** Samples of pending cases that already have a reply, by caseIndex. */
  keptSamples: Map<number, SampleResult[]>;
  /** Requests the plan still needs (pending samples; judges not counted). */
  pendingSamples: number;
}

export interface ResumeCheckOptions {
  /** A model the user asked for (`--model`): must be the run's. */
  model?: string;
  /** A repeat the user asked for (`--repeat`): must be the run's. */
  repeat?: number;
}

function refuse(message: string, file: string, hint?: string): PromptLabError {
  return new PromptLabError(message, 'input', { file }, hint);
}

/** The cases the run covers, as the prompt file has them now. */
function coveredCases(run: LoadedRun, prompt: PromptFile): TestCase[] {
  const { header } = run;
  if (header.noTestData) return [noVariablesCase()];
  if (!header.caseIndexes) {
    if (header.caseCount !== prompt.testData.length) {
      throw refuse(
        `run ${run.id} covers ${header.caseCount} of the file's ${prompt.testData.length} test cases and does not record which; it cannot be resumed`,
        run.file,
      );
    }
    return prompt.testData;
  }
  const byIndex = new Map(prompt.testData.map((c) => [c.index, c]));
  return header.caseIndexes.map((index) => {
    const found = byIndex.get(index);
    if (!found)
      throw refuse(`run ${run.id} covers test case ${index + 1}, which ${prompt.path} does not have`, run.file);
    return found;
  });
}

/** Checks that `run` can be completed with `prompt` and works out what is left to do. */
export function planResume(run: LoadedRun, prompt: PromptFile, options: ResumeCheckOptions = {}): ResumePlan {
  const { header } = run;
  const restart = `start a new run of the file instead (promptlab eval ${prompt.path}, or "Run prompt" in the editor)`;
  if (header.promptFile !== prompt.path && contentHashOf(prompt) !== header.contentHash) {
    throw refuse(
      `run ${run.id} belongs to another prompt file (${header.promptFile}), not ${prompt.path}`,
      run.file,
      `resume it with its own file: promptlab eval --resume ${run.file} ${header.promptFile}`,
    );
  }
  if (contentHashOf(prompt) !== header.contentHash) {
    const revision = header.git?.revision ? ` (the run used its text at ${header.git.revision})` : '';
    throw refuse(
      `${prompt.path} is not the revision run ${run.id} was made with${revision}: its content changed, and resuming would mix the results of two versions of the prompt`,
      prompt.path,
      restart,
    );
  }
  if (options.model !== undefined && options.model !== header.model) {
    throw refuse(
      `run ${run.id} was made with model ${header.model}; --model ${options.model} would mix two models in one run`,
      run.file,
      restart,
    );
  }
  if (options.repeat !== undefined && options.repeat !== header.repeat) {
    throw refuse(
      `run ${run.id} takes ${header.repeat} sample${header.repeat === 1 ? '' : 's'} per case; --repeat ${options.repeat} does not fit it`,
      run.file,
      restart,
    );
  }

  const stored = new Map(run.cases.map((c) => [c.caseIndex, c]));
  const kept: CaseResult[] = [];
  const pending: TestCase[] = [];
  const keptSamples = new Map<number, SampleResult[]>();
  let pendingSamples = 0;
  for (const testCase of coveredCases(run, prompt)) {
    const result = stored.get(testCase.index);
    const replied = (result?.samples ?? []).filter((s) => s.error === undefined && s.sample < header.repeat);
    if (result && replied.length === header.repeat) {
      kept.push(result);
      continue;
    }
    pending.push(testCase);
    if (replied.length > 0) keptSamples.set(testCase.index, replied);
    pendingSamples += header.repeat - replied.length;
  }
  return { run, kept, pending, keptSamples, pendingSamples };
}

/** What a resume passes on to the case runner as a run would. */
type ResumedRunnerOptions = Pick<
  CaseRunnerOptions,
  'resolver' | 'maxWaitMs' | 'cache' | 'signal' | 'onEvent' | 'judgeModel' | 'embeddingModel' | 'onWarning'
>;

export interface ResumeOptions extends ResumeCheckOptions, ResumedRunnerOptions {
  run: LoadedRun;
  /** The prompt file as it is now (must be the run's revision). */
  prompt: PromptFile;
  concurrency?: number;
  /**
   * The run's cost cap: what the run file records as spent counts against it first (see the top
   * of this file); requests that no longer fit are recorded as `notRun: 'budget'`.
   */
  budget?: CostBudget;
  /** Where past runs of the file are read for the output bound a request without maxTokens reserves. */
  store?: RunStore;
}

export interface ResumeOutcome extends RunOutcome {
  /** Cases taken from the run file as they were. */
  kept: number;
  /** Cases run (again) by this resume. */
  ran: number;
  /** False when the run was already complete: nothing was sent or written. */
  resumed: boolean;
  /** With a budget: USD the run file recorded as spent before this resume (counted against the cap). */
  spentBeforeUsd?: number;
}

/** Samples each pending case still needs (by case index): what a resume sends, for its estimate. */
export function pendingSampleCounts(plan: ResumePlan): Map<number, number> {
  const counts = new Map<number, number>();
  for (const testCase of plan.pending)
    counts.set(testCase.index, plan.run.header.repeat - (plan.keptSamples.get(testCase.index)?.length ?? 0));
  return counts;
}

/**
 * USD the run file records as spent by its requests (cached replies cost nothing). Throws when
 * some request's cost is unknown: a cap could not count what the run already spent.
 */
export function recordedSpendUsd(run: LoadedRun): number {
  const spent = summarize(run.cases, 0).costUsd;
  if (spent === null)
    throw new PromptLabError(
      `run ${run.id} has replies whose cost is unknown (no price for its model when they ran), so a cost cap cannot count what the run already spent`,
      'config',
      { file: run.file },
      'resume without --max-cost, or add the model under pricing: in the config and start a new run',
    );
  return spent;
}

/** Completes `run` in its own file; see the top of this file. */
export async function resumeRun(options: ResumeOptions): Promise<ResumeOutcome> {
  const { run, prompt } = options;
  const { header } = run;
  const plan = planResume(run, prompt, options);
  const sorted = (cases: Iterable<CaseResult>): CaseResult[] => [...cases].sort((a, b) => a.caseIndex - b.caseIndex);
  if (plan.pending.length === 0 && run.finished) {
    return {
      header,
      cases: sorted(run.cases),
      summary: run.summary,
      cancelled: false,
      runFile: run.file,
      kept: plan.kept.length,
      ran: 0,
      resumed: false,
    };
  }

  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const { budget } = options;
  let spentBeforeUsd: number | undefined;
  if (budget) {
    spentBeforeUsd = recordedSpendUsd(run);
    budget.addSpent(spentBeforeUsd);
  }
  const budgeted = await promptBudgetedResolver(options.resolver, budget, prompt, header.model, options.store);
  const emit = guardedEmitter(options.onEvent, options.onWarning);
  // The requests of a resume go through the endpoint's scheduler as a run's do (providers never retry).
  const schedulers = new SchedulerPool({
    maxConcurrency: concurrency,
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    onState: (state) => emit({ type: 'throttle', state }),
  });
  const resolver = schedulers.resolver(budgeted);
  const resolved = resolver.resolve(header.model);
  if (budget && !resolved.price) throw unpricedCapError(header.model, { file: run.file });
  const origin = originOf(resolved.provider.endpointOrigin);
  if (origin !== header.endpointOrigin) {
    throw new PromptLabError(
      `run ${run.id} was made against ${header.endpointOrigin}; ${header.model} now goes to ${origin}, and resuming would mix the replies of two endpoints`,
      'config',
      { file: run.file },
      `point ${header.model} at ${header.endpointOrigin} again, or start a new run`,
    );
  }
  const clockStart = performance.now();
  let writer: RunWriter;
  try {
    writer = new RunWriter(run.id, run.file);
  } catch (error) {
    if (error instanceof PromptLabError) throw error; // e.g. the run is still being written
    throw new PromptLabError(
      `Cannot append to the run file: ${error instanceof Error ? error.message : String(error)}`,
      'config',
      { file: run.file },
    );
  }
  try {
    writer.appendRecord(RESUME_RECORD, {
      resumedAt: new Date().toISOString(),
      toolVersion,
      kept: plan.kept.length,
      pending: plan.pending.map((c) => c.index),
      pendingSamples: plan.pendingSamples,
      ...(budget ? { maxCostUsd: budget.capUsd, spentBeforeUsd } : {}),
    });
    emit({ type: 'run-started', header });
    // Kept cases are already in the run file: announce them as finished, as a fresh run would.
    for (const result of sorted(plan.kept)) emit({ type: 'case-finished', result });
    const { cases: finished, cancelled } = await runCases({
      prompt,
      resolved,
      resolver,
      cases: plan.pending,
      repeat: header.repeat,
      ...(header.repeatPassRate !== undefined ? { passRate: header.repeatPassRate } : {}),
      concurrency,
      keptSamples: plan.keptSamples,
      writer,
      onEvent: emit,
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.judgeModel ? { judgeModel: options.judgeModel } : {}),
      ...(options.embeddingModel ? { embeddingModel: options.embeddingModel } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const merged = new Map(plan.kept.map((c) => [c.caseIndex, c]));
    // Cases of the run that were neither kept nor finished now (cancelled again) keep their old line.
    for (const result of run.cases) if (!merged.has(result.caseIndex)) merged.set(result.caseIndex, result);
    for (const result of finished) merged.set(result.caseIndex, result);
    const cases = sorted(merged.values());
    const summary = summarize(cases, run.summary.durationMs + (performance.now() - clockStart), header.repeatPassRate);
    writer.finish(summary, cancelled);
    emit({ type: 'run-finished', summary, cancelled, runFile: run.file });
    return {
      header,
      cases,
      summary,
      cancelled,
      runFile: run.file,
      kept: plan.kept.length,
      ran: finished.length,
      resumed: true,
      ...(spentBeforeUsd !== undefined ? { spentBeforeUsd } : {}),
    };
  } finally {
    writer.close();
  }
}

/** How far a stored run got: what a resume would do (for the editor's Run History and run panel). */
export interface RunCompleteness {
  /** Cases without a line in the run file. */
  missing: number;
  /** Cases whose request failed for some sample. */
  errored: number;
  /** The run ended with a summary line (not killed mid-run). */
  finished: boolean;
}

export function runCompleteness(run: LoadedRun): RunCompleteness {
  const errored = run.cases.filter((c) => c.samples.some((s) => s.error !== undefined)).length;
  return { missing: Math.max(0, run.header.caseCount - run.cases.length), errored, finished: run.finished };
}

/** A run a resume would change: cases missing, requests failed, or no summary line. */
export function isIncomplete(run: LoadedRun): boolean {
  const { missing, errored, finished } = runCompleteness(run);
  return missing > 0 || errored > 0 || !finished;
}
