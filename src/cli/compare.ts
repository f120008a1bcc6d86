// `promptlab compare <runA> <runB> [<runC>…]` and `promptlab eval --baseline <rev> <files…>`.
// Thin: parses flags, calls core (compareRuns / buildMatrix / compareRevisions), prints, sets the exit code.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildMatrix,
  compareRevisions,
  compareRuns,
  DEFAULT_ALPHA,
  formatComparisonMarkdown,
  formatComparisonText,
  formatMatrixText,
  loadProviderConfig,
  RunStore,
  shouldFail,
  type Comparison,
  type FailOn,
  type LoadedRun,
} from '../core';
import { PromptLabError } from '../core/errors';
import { cacheOf, DEFAULT_RUNS_DIR, displayPath, expandInputs, runReference, runStoreOf } from './files';
import { describeError, EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, processIo, type CliIo } from './io';
import { CASE_RUN_FLAGS, MODEL_FLAGS } from './args';
import { cliResolver } from './resolver';

const FAIL_ON: readonly FailOn[] = ['regressions', 'any', 'none'];

export const compareHelp = `Usage: promptlab compare <runA> <runB> [<runC>…] [options]

Compares stored runs case by case (cases are matched by their variables). Runs are given by id
(from .promptlab/runs) or by run-file path. Two runs: summary with deltas, regressions first,
improvements, per-evaluator verdict changes and a noise verdict (exact McNemar test on pass/fail,
paired bootstrap on scores). Three or more runs: a case × run matrix.

Options:
  --json                print the comparison as JSON
  --markdown [FILE]     print Markdown (or write it to FILE) — for PR comments
  --fail-on MODE        regressions (default): exit 1 when a case got worse beyond its own noise
                        or the whole run is significantly worse; any: exit 1 on any regression;
                        none: never exit 1 for regressions
  --alpha A             significance level for the noise verdict (default ${DEFAULT_ALPHA})
  --runs-dir DIR        where run files are stored (default ${DEFAULT_RUNS_DIR})
  --debug               print stack traces for errors

Exit codes: 0 no regression (per --fail-on), 1 regressions, 2 could not compare.`;

export const baselineHelp = `Usage: promptlab eval --baseline <git-rev> <files…> [options]

Runs each prompt file as it was at <git-rev> (read with git show; the working tree is not touched)
and as it is now, on the same test cases (the working copy's), then compares the two runs.

Options:
  --baseline REV        the revision to compare with (HEAD, HEAD~1, a tag, a commit)
  --baseline-cases WHICH  working (default): both versions run today's test cases;
                        revision: each version runs its own test cases
  --fail-on MODE        regressions (default) | any | none — see promptlab compare --help
  --alpha A             significance level for the noise verdict (default ${DEFAULT_ALPHA})
  --json                print the comparisons as JSON
  --markdown [FILE]     print Markdown (or write it to FILE)
  -c, --concurrency N   requests in flight at once (default 4)
  --repeat N            samples per test case (more samples separate noise from change)
  --runs-dir DIR        where run files are stored (default ${DEFAULT_RUNS_DIR})
  --no-cache            neither read nor write the response cache
  --config FILE         provider config (default: promptlab.config.yaml)
  --model ID            use this model for both versions
  --allow-key VAR=HOST  let the key in env variable VAR go to HOST (see docs/providers.md, Keys)
  --debug               print stack traces for errors
  -q, --quiet           print only results and errors

Exit codes: 0 no regression (per --fail-on), 1 regressions, 2 could not run.`;

class CompareUsageError extends Error {}

interface Output {
  json: boolean;
  /** `true`: print Markdown to stdout; a string: write it to that file. */
  markdown: boolean | string;
  failOn: FailOn;
  alpha: number;
}

type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
type FlagValues = Record<string, string | string[] | boolean | undefined>;

function parse(argv: readonly string[], options: FlagSpec): { values: FlagValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as FlagValues, positionals };
  } catch (error) {
    throw new CompareUsageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error),
    );
  }
}

/** `--markdown` takes an optional file: a following positional ending in .md is taken as the file. */
function splitMarkdownFlag(argv: readonly string[]): { argv: string[]; markdown: boolean | string } {
  const rest: string[] = [];
  let markdown: boolean | string = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--markdown') {
      const next = argv[i + 1];
      if (next !== undefined && /\.(md|markdown)$/i.test(next)) {
        markdown = next;
        i++;
      } else markdown = true;
    } else if (arg.startsWith('--markdown=')) markdown = arg.slice('--markdown='.length) || true;
    else rest.push(arg);
  }
  return { argv: rest, markdown };
}

function outputOptions(values: FlagValues, markdown: boolean | string): Output {
  const failOn = (values['fail-on'] as string | undefined) ?? 'regressions';
  if (!FAIL_ON.includes(failOn as FailOn))
    throw new CompareUsageError(`--fail-on must be one of ${FAIL_ON.join(', ')}, got '${failOn}'`);
  const alphaText = values.alpha as string | undefined;
  const alpha = alphaText === undefined ? DEFAULT_ALPHA : Number(alphaText);
  if (!(alpha > 0 && alpha < 1))
    throw new CompareUsageError(`--alpha must be a number between 0 and 1, got '${alphaText}'`);
  return { json: values.json === true, markdown, failOn: failOn as FailOn, alpha };
}

async function emit(comparisons: Comparison[], out: Output, io: CliIo): Promise<void> {
  if (out.json)
    io.stdout.write(`${JSON.stringify(comparisons.length === 1 ? comparisons[0] : comparisons, null, 2)}\n`);
  const markdown = comparisons.map((c) => formatComparisonMarkdown(c)).join('\n');
  if (out.markdown === true && !out.json) io.stdout.write(markdown);
  else if (typeof out.markdown === 'string') {
    const target = path.resolve(io.cwd, out.markdown);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.writeFile(target, markdown, 'utf8');
    } catch (error) {
      throw new PromptLabError(
        `cannot write ${out.markdown}: ${error instanceof Error ? error.message : String(error)}`,
        'input',
        { file: target },
      );
    }
  }
  if (!out.json && out.markdown !== true) io.stdout.write(comparisons.map((c) => formatComparisonText(c)).join('\n'));
}

function exitCode(comparisons: Comparison[], failOn: FailOn): number {
  return comparisons.some((c) => shouldFail(c, failOn)) ? EXIT_FAILED : EXIT_OK;
}

async function loadRun(store: RunStore, idOrPath: string, io: CliIo): Promise<LoadedRun> {
  try {
    return await store.load(runReference(idOrPath, io));
  } catch (error) {
    if (error instanceof PromptLabError && /not found/i.test(error.message))
      throw new PromptLabError(
        `No run '${idOrPath}' (looked in ${displayPath(store.dir, io.cwd)}).`,
        'input',
        undefined,
        'List runs with `ls .promptlab/runs`, or pass a run file path.',
      );
    throw error;
  }
}

function usage(io: CliIo, message: string, help: string): number {
  io.stderr.write(`promptlab: ${io.err.red('error')}: ${message}\n\n${help}\n`);
  return EXIT_CANNOT_RUN;
}

export async function runCompareCommand(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let debug = argv.includes('--debug');
  try {
    const split = splitMarkdownFlag(argv);
    const { values, positionals } = parse(split.argv, {
      json: { type: 'boolean' },
      'fail-on': { type: 'string' },
      alpha: { type: 'string' },
      'runs-dir': { type: 'string' },
      debug: { type: 'boolean' },
    });
    debug = values.debug === true;
    if (values.help === true) {
      io.stdout.write(`${compareHelp}\n`);
      return EXIT_OK;
    }
    const out = outputOptions(values, split.markdown);
    if (positionals.length < 2)
      throw new CompareUsageError(`compare needs at least two runs, got ${positionals.length}`);
    const store = runStoreOf({ runsDir: values['runs-dir'] as string | undefined }, io);
    const runs = await Promise.all(positionals.map((p) => loadRun(store, p, io)));
    if (runs.length > 2) {
      const matrix = buildMatrix(runs);
      if (out.json) io.stdout.write(`${JSON.stringify(matrix, null, 2)}\n`);
      else io.stdout.write(formatMatrixText(matrix));
      return EXIT_OK;
    }
    const comparison = compareRuns(runs[0] as LoadedRun, runs[1] as LoadedRun, { alpha: out.alpha });
    await emit([comparison], out, io);
    return exitCode([comparison], out.failOn);
  } catch (error) {
    if (error instanceof CompareUsageError) return usage(io, error.message, compareHelp);
    io.stderr.write(`${describeError(error, io, debug)}\n`);
    return EXIT_CANNOT_RUN;
  }
}

/** True when an `eval` command line asks for a baseline comparison (main.ts routes it here). */
export function wantsBaseline(argv: readonly string[]): boolean {
  return argv.some((a) => a === '--baseline' || a.startsWith('--baseline='));
}

function positiveInteger(flag: string, raw: unknown, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new CompareUsageError(`--${flag} must be a whole number from 1 to ${max}, got '${String(raw)}'`);
  return Number(raw);
}

/** `promptlab eval --baseline REV files…` (argv without the leading `eval`). */
export async function runBaselineCommand(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let debug = argv.includes('--debug');
  const controller = new AbortController();
  const onSigint = (): void => {
    io.stderr.write('\npromptlab: interrupted; finishing the cases in flight\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const split = splitMarkdownFlag(argv);
    const { values, positionals } = parse(split.argv, {
      baseline: { type: 'string' },
      'baseline-cases': { type: 'string' },
      'fail-on': { type: 'string' },
      alpha: { type: 'string' },
      ...CASE_RUN_FLAGS,
      ...MODEL_FLAGS,
    });
    debug = values.debug === true;
    if (values.help === true) {
      io.stdout.write(`${baselineHelp}\n`);
      return EXIT_OK;
    }
    const out = outputOptions(values, split.markdown);
    const revision = values.baseline as string | undefined;
    if (!revision) throw new CompareUsageError('--baseline needs a git revision (e.g. HEAD, HEAD~1, main)');
    const cases = (values['baseline-cases'] as string | undefined) ?? 'working';
    if (cases !== 'working' && cases !== 'revision')
      throw new CompareUsageError(`--baseline-cases must be working or revision, got '${cases}'`);
    if (positionals.length === 0) throw new CompareUsageError('eval --baseline needs at least one prompt file');
    const concurrency = positiveInteger('concurrency', values.concurrency, 256);
    const repeat = positiveInteger('repeat', values.repeat, 100);
    const model = values.model as string | undefined;

    const files = await expandInputs(positionals, io.cwd);
    const config = await loadProviderConfig(io.cwd, values.config as string | undefined);
    const resolver = cliResolver(
      config,
      { ...(model !== undefined ? { model } : {}), allowKeys: (values['allow-key'] as string[] | undefined) ?? [] },
      io,
    );
    const store = runStoreOf({ runsDir: values['runs-dir'] as string | undefined }, io);
    const cache = cacheOf({ noCache: values['no-cache'] === true }, io);
    const comparisons: Comparison[] = [];
    for (const file of files) {
      if (controller.signal.aborted) break;
      if (values.quiet !== true)
        io.stderr.write(`promptlab: ${displayPath(file, io.cwd)}: running ${revision} and the working copy…\n`);
      const result = await compareRevisions({
        file,
        revision,
        cases,
        run: {
          resolver,
          store,
          signal: controller.signal,
          workspaceRoot: io.cwd,
          ...(cache ? { cache } : {}),
          ...(model !== undefined ? { model } : {}),
          ...(concurrency !== undefined ? { concurrency } : {}),
          ...(repeat !== undefined ? { repeat } : {}),
          onWarning: (message) => io.stderr.write(`promptlab: warning: ${message}\n`),
        },
        compare: { alpha: out.alpha },
      });
      comparisons.push(result.comparison);
    }
    await emit(comparisons, out, io);
    return exitCode(comparisons, out.failOn);
  } catch (error) {
    if (error instanceof CompareUsageError) return usage(io, error.message, baselineHelp);
    io.stderr.write(`${describeError(error, io, debug)}\n`);
    return EXIT_CANNOT_RUN;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
