// `promptlab generate <file>`: new test cases from a model, appended where the file keeps its
// test data. Core plans the new text (and checks it still loads); this file writes it atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import { GENERATED_MARKER, loadPromptFile, loadProviderConfig, MAX_GENERATE_COUNT, planGeneration } from '../../core';
import { PromptLabError } from '../../core/errors';
import { MODEL_FLAGS } from '../args';
import { displayPath } from '../files';
import { EXIT_CANNOT_RUN, EXIT_OK, formatDiagnostic, processIo, reportErrors, type CliIo } from '../io';
import { assertWritable, writeFileAtomically } from '../../core/store/atomicWrite';
import { cliResolver } from '../resolver';

export const GENERATE_HELP = `Usage: promptlab generate <file> [--count N] [--model ID] [--focus TEXT] [--expected]

Asks a model for N new test cases covering the prompt's intent, edge cases and likely failures
(structured output with a JSON schema made from the file's {{variables}}) and appends them to
the file's testData, or to its external test-data file, keeping comments, order and formatting.
New rows carry a \`${GENERATED_MARKER}\` field (date and model), which the runner ignores.
Rows that repeat an existing one are dropped and listed.

Options:
  --count N             how many test cases to ask for, 1–${MAX_GENERATE_COUNT} (default 5)
  --model ID            the model that writes them (default: the file's model, else defaultModel)
  --focus TEXT          what the new cases should concentrate on
  --expected            also propose values for variables only evaluators read ({{expected}})
  --dry-run             print the diff, write nothing
  --config FILE         provider config (default: promptlab.config.yaml in the current directory)
  --allow-key VAR=HOST  let the key in env variable VAR go to HOST, which the config names
  --debug               print stack traces for errors
  -q, --quiet           print only errors

Exit codes: 0 written (or nothing new), 2 could not generate (bad input, config, reply).`;

interface GenerateFlags {
  file: string;
  count: number;
  model?: string;
  focus?: string;
  config?: string;
  expected: boolean;
  dryRun: boolean;
  allowKeys: string[];
  debug: boolean;
  quiet: boolean;
}

function parseGenerateArgs(argv: string[]): GenerateFlags | 'help' {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...MODEL_FLAGS,
      count: { type: 'string', short: 'n' },
      focus: { type: 'string' },
      expected: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new Error('generate takes exactly one prompt file');
  const rawCount = values.count ?? '5';
  if (!/^\d+$/.test(rawCount) || Number(rawCount) < 1 || Number(rawCount) > MAX_GENERATE_COUNT)
    throw new Error(`--count must be a whole number from 1 to ${MAX_GENERATE_COUNT}, got '${rawCount}'`);
  const flags: GenerateFlags = {
    file: positionals[0] as string,
    count: Number(rawCount),
    expected: values.expected === true,
    dryRun: values['dry-run'] === true,
    allowKeys: values['allow-key'] ?? [],
    debug: values.debug === true,
    quiet: values.quiet === true,
  };
  if (values.model !== undefined) flags.model = values.model;
  if (values.focus !== undefined) flags.focus = values.focus;
  if (values.config !== undefined) flags.config = values.config;
  return flags;
}

export async function runGenerateCommand(argv: string[], io: CliIo = processIo()): Promise<number> {
  let flags: GenerateFlags | 'help';
  try {
    flags = parseGenerateArgs(argv);
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    io.stderr.write(`promptlab: ${message}\nRun 'promptlab generate --help' for usage.\n`);
    return EXIT_CANNOT_RUN;
  }
  if (flags === 'help') {
    io.stdout.write(`${GENERATE_HELP}\n`);
    return EXIT_OK;
  }
  return reportErrors(io, flags.debug, () => generate(flags, io));
}

async function generate(flags: GenerateFlags, io: CliIo): Promise<number> {
  const say = (line: string): void => {
    if (!flags.quiet) io.stderr.write(`${line}\n`);
  };
  const file = path.resolve(io.cwd, flags.file);
  const { prompt, diagnostics } = await loadPromptFile(file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of errors) io.stderr.write(`${formatDiagnostic(d, io.cwd, io.err)}\n`);
  if (!prompt || errors.length)
    throw new PromptLabError(
      `${displayPath(file, io.cwd)} has errors; fix them before generating test cases`,
      'input',
      { file },
    );

  const config = await loadProviderConfig(io.cwd, flags.config);
  const model = flags.model ?? prompt.model ?? config.defaultModel;
  if (!model)
    throw new PromptLabError(
      'no model to write the test cases: the file has no `model`; pass --model (or set defaultModel in the config)',
      'input',
      { file },
    );
  const resolver = cliResolver(config, { allowKeys: flags.allowKeys }, io);
  resolver.resolve(model);
  // Fail before paying for a reply that could not be written.
  const target = prompt.testDataFile !== undefined ? path.resolve(path.dirname(file), prompt.testDataFile) : file;
  await assertWritable(target, displayPath(target, io.cwd));

  const plan = await planGeneration({
    prompt,
    resolver,
    model,
    count: flags.count,
    expected: flags.expected,
    ...(flags.focus !== undefined ? { focus: flags.focus } : {}),
  });
  const shown = displayPath(plan.targetFile, io.cwd);
  for (const duplicate of plan.duplicates) say(`  dropped duplicate of an existing row: ${JSON.stringify(duplicate)}`);
  for (const note of plan.notes) say(`  note: ${note}`);
  if (plan.added.length === 0) {
    say(`nothing new to add to ${shown} (every proposed row repeats an existing one)`);
    return EXIT_OK;
  }
  if (flags.dryRun) {
    io.stdout.write(createTwoFilesPatch(shown, shown, plan.oldText, plan.newText, 'now', 'with generated rows'));
    return EXIT_OK;
  }
  // The file may have changed while the model was thinking (an editor save): never overwrite that.
  const current = await fs.readFile(plan.targetFile, 'utf8').catch(() => undefined);
  if (current?.replace(/^\uFEFF/, '') !== plan.oldText)
    throw new PromptLabError(`${shown} changed while generating; nothing was written (run again)`, 'input', {
      file: plan.targetFile,
    });
  await writeFileAtomically(plan.targetFile, plan.newText);
  say(
    `added ${plan.added.length} test case${plan.added.length === 1 ? '' : 's'} from ${model} to ${shown} (marked ${GENERATED_MARKER})${plan.duplicates.length ? `; ${plan.duplicates.length} duplicate${plan.duplicates.length === 1 ? '' : 's'} dropped` : ''}`,
  );
  return EXIT_OK;
}
