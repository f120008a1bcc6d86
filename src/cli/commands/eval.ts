// `promptlab eval`: load → check → run each file through core → print → exit code.
// Verdicts and sums come from core (CaseResult.passed, summarize); this file only wires and prints.
import { setMaxListeners } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  checkBudget,
  CostBudget,
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_JUDGE_MODEL,
  loadPromptFile,
  loadProviderConfig,
  resumeRun,
  runPrompt,
  summarize,
  type ModelResolver,
  type PromptFile,
  type ProviderConfig,
  type Range,
  type RunEvent,
  type LoadedRun,
  type RunOutcome,
  type RunSummary,
  hasPendingBatches,
  resumeBatchRun,
} from '../../core';
import { formatLocation, PromptLabError } from '../../core/errors';
import type { EvalCommand } from '../args';
import { cacheOf, displayPath, expandInputs, runReference, runStoreOf } from '../files';
import { formatCost, type FileRun } from '../format/common';
import { formatJson } from '../format/json';
import { formatJunit } from '../format/junit';
import { formatMarkdown } from '../format/markdown';
import { formatRunTable, summaryLine } from '../format/table';
import {
  describeError,
  EXIT_CANNOT_RUN,
  EXIT_FAILED,
  EXIT_INTERRUPTED,
  EXIT_OK,
  formatDiagnostic,
  processIo,
  reportErrors,
  type CliIo,
} from '../io';
import { Progress } from '../progress';
import { cliResolver } from '../resolver';

interface LoadedFile {
  file: string;
  prompt: PromptFile;
  /** Undefined only for a file with no test cases and no model (it runs 0 tests, as in gh-models). */
  model: string | undefined;
}

/**
 * Loads one file and prints its diagnostics. Returns undefined when the file cannot run (the
 * reason is printed as file:line:col); the other files still run.
 */
async function loadOne(
  file: string,
  command: EvalCommand,
  defaultModel: string | undefined,
  io: CliIo,
): Promise<LoadedFile | undefined> {
  const { prompt, diagnostics } = await loadPromptFile(file);
  for (const diagnostic of diagnostics) {
    // Info notes are for the editor and `validate`; a run shows only what may change its result.
    if (diagnostic.severity === 'error' || (diagnostic.severity === 'warning' && !command.quiet))
      io.stderr.write(`${formatDiagnostic(diagnostic, io.cwd, io.err)}\n`);
  }
  if (!prompt || diagnostics.some((d) => d.severity === 'error')) return undefined;
  const model = command.model ?? prompt.model ?? defaultModel;
  if (model === undefined && prompt.testData.length > 0) {
    const where = formatLocation(displayPath(file, io.cwd), {
      start: { line: 0, column: 0 },
      end: { line: 0, column: 0 },
    });
    io.stderr.write(
      `${where}: ${io.err.red('error')}: the file has no \`model\`; add one, or pass --default-model (or set defaultModel in the config)\n`,
    );
    return undefined;
  }
  return { file, prompt, model };
}

/**
 * Resolve every model a run will call before any request goes out — each file's model and its
 * judge and embedding models, chosen as the engine chooses them — so an unmapped model is a
 * configuration error (exit 2) pointing at the line that names it, not a column of failed cases.
 */
function checkModels(
  { file, prompt, model }: LoadedFile,
  resolver: ModelResolver,
  command: EvalCommand,
  defaults: { judgeModel?: string; embeddingModel?: string },
  needPrices: boolean,
): void {
  const judgeModel = defaults.judgeModel ?? DEFAULT_JUDGE_MODEL;
  const embeddingModel = defaults.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
  if (model === undefined) return;
  const wanted: { id: string; range: Range | undefined; role: string }[] = [
    { id: model, range: command.model === undefined ? prompt.keyRanges.model : undefined, role: 'model' },
  ];
  for (const spec of prompt.evaluators) {
    if (spec.kind === 'builtin')
      wanted.push({ id: judgeModel, range: spec.range, role: `judge model of evaluator "${spec.name}"` });
    if (spec.kind === 'llm')
      wanted.push({
        id: spec.modelId.trim() || judgeModel,
        range: spec.range,
        role: `judge model of evaluator "${spec.name}"`,
      });
    if (spec.kind === 'similarity')
      wanted.push({
        id: spec.modelId?.trim() || embeddingModel,
        range: spec.range,
        role: `embedding model of evaluator "${spec.name}"`,
      });
  }
  const seen = new Set<string>();
  for (const { id, range, role } of wanted) {
    if (seen.has(id)) continue;
    seen.add(id);
    try {
      const resolved = resolver.resolve(id);
      if (needPrices && !resolved.price)
        throw new PromptLabError(
          `${role === 'model' ? '' : `${role}: `}no price is known for model '${id}', so --max-cost cannot be kept; add it under pricing: in the config`,
          'config',
          range ? { file, range } : { file },
        );
    } catch (error) {
      if (error instanceof PromptLabError && !error.location) {
        const message = role === 'model' ? error.message : `${role}: ${error.message}`;
        throw new PromptLabError(message, error.kind, range ? { file, range } : { file }, error.hint);
      }
      throw error;
    }
  }
}

async function writeReport(file: string, text: string, io: CliIo): Promise<void> {
  const target = path.resolve(io.cwd, file);
  try {
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, text, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PromptLabError(`cannot write ${file}: ${reason}`, 'input', { file });
  }
}

export async function runEvalCommand(command: EvalCommand, io: CliIo = processIo()): Promise<number> {
  const controller = new AbortController();
  // Every request in flight listens on this signal (and removes its listener when done): with
  // --concurrency above ~8 Node's default limit of 10 would print a false leak warning.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT_INTERRUPTED);
    io.stderr.write('\npromptlab: interrupted; finishing the cases in flight (Ctrl+C again to quit now)\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    return await reportErrors(io, command.debug, () => evaluate(command, io, controller.signal));
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** One stderr line per batch state change (a batch can take hours: the log shows where it is). */
function batchLine(event: Extract<RunEvent, { type: 'batch-status' }>, io: CliIo): void {
  const { completed, failed, total } = event.counts;
  const stage = event.stage === 0 ? 'cases' : `evaluators ${event.stage}`;
  io.stderr.write(
    `promptlab: batch ${event.batchId} (${stage}): ${event.status} ${completed}/${total}${failed ? `, ${failed} failed` : ''}\n`,
  );
}

/** Run events to the progress line, and batch states to stderr. */
function progressEvents(progress: Progress, command: EvalCommand, io: CliIo): (event: RunEvent) => void {
  return (event) => {
    progress.onEvent(event);
    if (event.type === 'batch-status' && !command.quiet) batchLine(event, io);
  };
}

/** A batch run whose wait stopped: its batches go on at the provider; say how to pick it up. */
function reportDetached(outcome: RunOutcome, io: CliIo): void {
  const file = outcome.runFile ? displayPath(outcome.runFile, io.cwd) : outcome.header.runId;
  io.stderr.write(
    `promptlab: stopped waiting; batch${(outcome.pendingBatches?.length ?? 0) > 1 ? 'es' : ''} ${outcome.pendingBatches?.join(', ')} ` +
      `still run${(outcome.pendingBatches?.length ?? 0) > 1 ? '' : 's'} at the provider.\nResume (here or on another machine): promptlab eval --resume ${file}\n`,
  );
}

async function evaluate(command: EvalCommand, io: CliIo, signal: AbortSignal): Promise<number> {
  // A bad cap is refused before any file is read or any request sent.
  const budget =
    command.maxCostUsd === undefined ? undefined : new CostBudget(checkBudget(command.maxCostUsd, '--max-cost'));
  if (command.resume !== undefined) return resumeEval({ ...command, resume: command.resume }, io, signal, budget);
  const files = await expandInputs(command.inputs, io.cwd);
  const config = await loadProviderConfig(io.cwd, command.config);
  const resolver = cliResolver(config, command, io);
  const defaultModel = command.defaultModel ?? config.defaultModel;

  // One bad file never stops the others: each is reported (file:line:col) and skipped.
  const loaded: LoadedFile[] = [];
  let badFiles = 0;
  for (const file of files) {
    const one = await loadOne(file, command, defaultModel, io);
    try {
      if (one) checkModels(one, resolver, command, config, budget !== undefined);
    } catch (error) {
      io.stderr.write(`${describeError(error, io, command.debug)}\n`);
      badFiles++;
      continue;
    }
    if (one) loaded.push(one);
    else badFiles++;
  }

  const store = runStoreOf(command, io);
  const cache = cacheOf(command, io);
  const progress = new Progress(io.stderr, !command.quiet);
  const runs: FileRun[] = [];
  const started = performance.now();

  for (const { file, prompt, model } of loaded) {
    if (signal.aborted) break;
    if (command.failFast && runs.some((r) => r.outcome.stoppedBy)) break;
    progress.begin(prompt.name ?? displayPath(file, io.cwd));
    const outcome = await runPrompt({
      prompt,
      resolver,
      ...(model !== undefined ? { model } : {}),
      ...(command.concurrency !== undefined ? { concurrency: command.concurrency } : {}),
      ...(command.repeat !== undefined ? { repeat: command.repeat } : {}),
      ...(command.maxWaitMs !== undefined ? { maxWaitMs: command.maxWaitMs } : {}),
      ...(command.failFast ? { failFast: true } : {}),
      maxWaitHint: 'raise it with --max-wait',
      ...(cache ? { cache } : {}),
      store,
      signal,
      workspaceRoot: io.cwd,
      ...engineDefaults(config, command, io),
      ...(budget ? { budget } : {}),
      ...(command.batch ? { batch: {} } : {}),
      ...(command.shard ? { shard: command.shard } : {}),
      onEvent: progressEvents(progress, command, io),
    }).finally(() => progress.end());
    if (outcome.pendingBatches) {
      // A detached batch run has no results yet: its report comes with --resume.
      reportDetached(outcome, io);
      return EXIT_INTERRUPTED;
    }
    runs.push(showRun({ file, prompt, model }, outcome, command, io));
  }
  return report(runs, { asked: files.length, bad: badFiles }, command, io, signal, started, budget);
}

/** Judge and embedding defaults from the config, and warnings on stderr. */
function engineDefaults(
  config: ProviderConfig,
  command: EvalCommand,
  io: CliIo,
): { judgeModel?: string; embeddingModel?: string; onWarning: (message: string) => void } {
  return {
    ...(config.judgeModel !== undefined ? { judgeModel: config.judgeModel } : {}),
    ...(config.embeddingModel !== undefined ? { embeddingModel: config.embeddingModel } : {}),
    onWarning: (message: string) => {
      if (!command.quiet) io.stderr.write(`promptlab: ${io.err.yellow('warning')}: ${message}\n`);
    },
  };
}

/** The FileRun of one finished file; its table is printed at once unless --json. */
function showRun({ file, prompt, model }: LoadedFile, outcome: RunOutcome, command: EvalCommand, io: CliIo): FileRun {
  const run: FileRun = { displayPath: displayPath(file, io.cwd), model: model ?? '', outcome };
  if (prompt.name !== undefined) run.name = prompt.name;
  if (prompt.description !== undefined) run.description = prompt.description;
  if (outcome.stoppedBy) {
    const notRun = outcome.header.caseCount - outcome.cases.length;
    io.stderr.write(
      `promptlab: ${io.err.red('error')}: ${run.displayPath}: stopped at the first failure (--fail-fast): case ${outcome.stoppedBy.caseIndex + 1}: ${outcome.stoppedBy.error ?? 'failed'}; ${notRun} case${notRun === 1 ? '' : 's'} not run\n`,
    );
  }
  if (!command.json) printRunTable(run, io);
  return run;
}

/** Prints the overall results and reports; returns the exit code of the worst outcome. */
async function report(
  runs: FileRun[],
  files: { asked: number; bad: number },
  command: EvalCommand,
  io: CliIo,
  signal: AbortSignal,
  started: number,
  budget?: CostBudget,
): Promise<number> {
  const badFiles = files.bad;
  const overall =
    runs.length === 1 && runs[0]
      ? runs[0].outcome.summary
      : summarize(
          runs.flatMap((r) => r.outcome.cases),
          performance.now() - started,
        );
  await printReports(runs, overall, command, io, files.asked > 1);
  const allCases = runs.flatMap((r) => r.outcome.cases);
  const notRun = allCases.filter((c) => c.notRun === 'budget').length;
  if (budget && (notRun > 0 || budget.refused > 0)) {
    io.stderr.write(
      `promptlab: ${io.err.yellow('budget reached')}: --max-cost ${formatCost(budget.capUsd)}, spent ${formatCost(budget.spentUsd)}; ` +
        `${notRun} case${notRun === 1 ? '' : 's'} not run (listed as "not run: budget")\n`,
    );
  }
  if (signal.aborted || runs.some((r) => r.outcome.cancelled)) return EXIT_INTERRUPTED;
  if (badFiles > 0) {
    io.stderr.write(
      `promptlab: ${io.err.red('error')}: ${badFiles} of ${files.asked} file${files.asked === 1 ? '' : 's'} could not run (see above)\n`,
    );
    return EXIT_CANNOT_RUN;
  }
  if (runs.some((r) => r.outcome.stoppedBy)) return EXIT_CANNOT_RUN;
  return exitCodeOf(runs, overall, signal.aborted, io);
}

/** eval's exit code (merge uses the same rules): interrupted, could not run, some test failed, all passed. */
export function exitCodeOf(runs: readonly FileRun[], overall: RunSummary, aborted: boolean, io: CliIo): number {
  if (aborted || runs.some((r) => r.outcome.cancelled)) return EXIT_INTERRUPTED;
  // Nothing could be evaluated at all (every case's request failed): that is the endpoint or
  // the configuration, not the prompt — report it as "could not run". Cases the budget kept
  // from running are not failures of the endpoint.
  // (core sets CaseResult.error only when every sample's request failed).
  const attempted = runs.flatMap((r) => r.outcome.cases).filter((c) => c.notRun === undefined);
  if (attempted.length > 0 && attempted.every((c) => c.error !== undefined)) {
    io.stderr.write(
      `promptlab: ${io.err.red('error')}: every test case failed to get a reply: ${attempted[0]?.error ?? ''}\n`,
    );
    return EXIT_CANNOT_RUN;
  }
  return overall.failedTests > 0 ? EXIT_FAILED : EXIT_OK;
}

/** Writes the reports a run asked for (table or JSON on stdout, JUnit and Markdown files). */
export async function printReports(
  runs: FileRun[],
  overall: RunSummary,
  command: Pick<EvalCommand, 'json' | 'junit' | 'markdown' | 'quiet'>,
  io: CliIo,
  manyFiles = false,
): Promise<void> {
  if (command.json && runs.length > 0) io.stdout.write(formatJson(runs, manyFiles));
  else if (runs.length > 1) io.stdout.write(`${io.out.bold('All files')}: ${summaryLine(overall, io.out)}\n`);
  if (command.junit) await writeReport(command.junit, formatJunit(runs, overall), io);
  if (command.markdown) await writeReport(command.markdown, formatMarkdown(runs, overall), io);
  if (command.json && !command.quiet) {
    for (const run of runs)
      if (run.outcome.runFile) io.stderr.write(`run stored in ${displayPath(run.outcome.runFile, io.cwd)}\n`);
  }
}

/** The table of one file's run, and where its run file is. */
export function printRunTable(run: FileRun, io: CliIo): void {
  io.stdout.write(`${formatRunTable(run, io.out)}\n`);
  if (run.outcome.runFile)
    io.stdout.write(`  ${io.out.dim(`run stored in ${displayPath(run.outcome.runFile, io.cwd)}`)}\n`);
  io.stdout.write('\n');
}

/** The prompt file of a run: where it was, else (another machine) its repository-relative path here. */
async function promptFileOf(header: RunOutcome['header'], io: CliIo): Promise<string> {
  const candidates = [
    header.promptFile,
    ...(header.promptFileRelative ? [path.resolve(io.cwd, header.promptFileRelative)] : []),
  ];
  for (const candidate of candidates) {
    try {
      await fs.access(candidate);
      return candidate;
    } catch {
      // try the next place
    }
  }
  throw new PromptLabError(
    `the run's prompt file is neither at ${header.promptFile} nor at ${candidates[1] ?? '(no relative path recorded)'}`,
    'input',
  );
}

/** `eval --resume <run>` of a run with pending provider batches: reattach to them and finish the run. */
async function resumeBatches(command: EvalCommand, run: LoadedRun, io: CliIo, signal: AbortSignal): Promise<number> {
  const given = command.inputs[0];
  const file = given !== undefined ? path.resolve(io.cwd, given) : await promptFileOf(run.header, io);
  const { prompt, diagnostics } = await loadPromptFile(file);
  if (!prompt || diagnostics.some((d) => d.severity === 'error')) {
    for (const diagnostic of diagnostics)
      if (diagnostic.severity === 'error') io.stderr.write(`${formatDiagnostic(diagnostic, io.cwd, io.err)}\n`);
    return EXIT_CANNOT_RUN;
  }
  const config = await loadProviderConfig(io.cwd, command.config);
  const resolver = cliResolver(config, command, io);
  const cache = cacheOf(command, io);
  const progress = new Progress(io.stderr, !command.quiet);
  progress.begin(prompt.name ?? displayPath(file, io.cwd));
  const outcome = await resumeBatchRun({
    run,
    prompt,
    resolver,
    store: runStoreOf(command, io),
    signal,
    ...(cache ? { cache } : {}),
    ...(command.maxWaitMs !== undefined ? { maxWaitMs: command.maxWaitMs } : {}),
    ...engineDefaults(config, command, io),
    onEvent: progressEvents(progress, command, io),
  }).finally(() => progress.end());
  if (outcome.pendingBatches) {
    reportDetached(outcome, io);
    return EXIT_INTERRUPTED;
  }
  const fileRun = showRun({ file, prompt, model: run.header.model }, outcome, command, io);
  await printReports([fileRun], outcome.summary, command, io);
  return exitCodeOf([fileRun], outcome.summary, signal.aborted, io);
}

/**
 * `eval --resume RUN [file]`: completes a stored run in its own file (core: resumeRun). The prompt
 * file is the run's own unless one is given; nothing is sent when the run does not fit it.
 */
async function resumeEval(
  command: EvalCommand & { resume: string },
  io: CliIo,
  signal: AbortSignal,
  budget: CostBudget | undefined,
): Promise<number> {
  const run = await runStoreOf(command, io).load(runReference(command.resume, io));
  // One --resume: a run whose provider batches are still pending is reattached to them (never
  // submitted again); any other run is completed live.
  if (hasPendingBatches(run)) {
    if (budget)
      throw new PromptLabError(
        `run ${run.id} waits on provider batches, which the provider runs whole: --max-cost cannot be kept; resume without it`,
        'input',
        { file: run.file },
      );
    return resumeBatches(command, run, io, signal);
  }
  const given = command.inputs[0];
  const file = given !== undefined ? path.resolve(io.cwd, given) : run.header.promptFile;
  try {
    await fs.access(file);
  } catch {
    throw new PromptLabError(
      `the prompt file of run ${run.id} is not at ${file}`,
      'input',
      { file: run.file },
      `pass its path: promptlab eval --resume ${command.resume} path/to/file.prompt.yml`,
    );
  }
  const config = await loadProviderConfig(io.cwd, command.config);
  const resolver = cliResolver(config, command, io);
  const one = await loadOne(file, { ...command, model: run.header.model }, undefined, io);
  if (!one) return EXIT_CANNOT_RUN;
  checkModels(one, resolver, command, config, budget !== undefined);
  const started = performance.now();
  const progress = new Progress(io.stderr, !command.quiet);
  progress.begin(one.prompt.name ?? displayPath(file, io.cwd));
  const cache = cacheOf(command, io);
  const outcome = await resumeRun({
    run,
    prompt: one.prompt,
    resolver,
    ...(command.model !== undefined ? { model: command.model } : {}),
    ...(command.repeat !== undefined ? { repeat: command.repeat } : {}),
    ...(command.concurrency !== undefined ? { concurrency: command.concurrency } : {}),
    ...(command.maxWaitMs !== undefined ? { maxWaitMs: command.maxWaitMs } : {}),
    ...(cache ? { cache } : {}),
    ...(budget ? { budget, store: runStoreOf(command, io) } : {}),
    signal,
    ...engineDefaults(config, command, io),
    onEvent: (event: RunEvent) => progress.onEvent(event),
  }).finally(() => progress.end());
  if (!command.quiet) {
    const note = outcome.resumed
      ? `resumed run ${run.id}: kept ${outcome.kept} case${outcome.kept === 1 ? '' : 's'}, ran ${outcome.ran}`
      : `run ${run.id} is already complete; nothing was sent`;
    const spent =
      outcome.spentBeforeUsd !== undefined
        ? ` (--max-cost is the run's total: ${formatCost(outcome.spentBeforeUsd)} it had already spent counted first)`
        : '';
    io.stderr.write(`promptlab: ${note}${spent}\n`);
  }
  return report([showRun(one, outcome, command, io)], { asked: 1, bad: 0 }, command, io, signal, started, budget);
}
