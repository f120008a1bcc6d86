// `promptlab init [dir]`: write a promptlab.config.yaml that routes every model the prompt files
// call to one provider. The plan (ids, names, comments) comes from core; this file asks, prints
// and writes. Own flag set, like compare (main.ts routes here before its own parsing).
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createTwoFilesPatch } from 'diff';
import {
  collectModelUses,
  CONFIG_FILE_NAMES,
  INIT_PROVIDERS,
  loadPromptFile,
  planInitConfig,
  suggestDefaultModel,
  type InitProvider,
  type PromptFile,
} from '../../core';
import { PromptLabError } from '../../core/errors';
import { displayPath, expandInputs } from '../files';
import { describeError, EXIT_CANNOT_RUN, EXIT_OK, processIo, type CliIo } from '../io';
import { writeFileAtomically } from '../../core/store/atomicWrite';

export const INIT_HELP = `Usage: promptlab init [dir] [--provider NAME] [options]

Finds the prompt files under dir (default: the current directory), lists every model id they
call (each file's model, judge and embedding models) and writes dir/promptlab.config.yaml routing
each one to the chosen provider under that provider's name for the same model, from PromptLab's
table of the retired GitHub Models catalog. Ids the table does not know are left as commented
placeholders that say so. Asks on a terminal; with flags (or --yes) it asks nothing.

Options:
  --provider NAME       openai, azure, openrouter, ollama, lmstudio or custom
  --base-url URL        the provider's base URL (Azure: the resource endpoint; required for custom)
  --api-key-env NAME    environment variable holding the key (the key itself is never written)
  --default-model ID    defaultModel for files without a model (default: the model most files use)
  --yes                 do not ask; take the defaults
  --force               overwrite an existing config (the diff is printed)
  --debug               print stack traces for errors
  -q, --quiet           print only errors

Exit codes: 0 written, 2 not written (bad usage, no prompt files, existing config without --force).`;

export interface Asker {
  ask(question: string, fallback: string): Promise<string>;
  close(): void;
}

function terminalAsker(): Asker {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return {
    async ask(question, fallback) {
      const answer = (await rl.question(`${question} [${fallback}] `)).trim();
      return answer === '' ? fallback : answer;
    },
    close: () => rl.close(),
  };
}

interface InitFlags {
  dir: string;
  provider?: InitProvider;
  baseURL?: string;
  apiKeyEnv?: string;
  defaultModel?: string;
  yes: boolean;
  force: boolean;
  debug: boolean;
  quiet: boolean;
  help: boolean;
}

class InitUsageError extends Error {}

function isProvider(value: string): value is InitProvider {
  return (INIT_PROVIDERS as readonly string[]).includes(value);
}

function parseInitArgs(argv: string[]): InitFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        provider: { type: 'string' },
        'base-url': { type: 'string' },
        'api-key-env': { type: 'string' },
        'default-model': { type: 'string' },
        yes: { type: 'boolean', short: 'y' },
        force: { type: 'boolean' },
        debug: { type: 'boolean' },
        quiet: { type: 'boolean', short: 'q' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new InitUsageError(error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new InitUsageError('init takes at most one directory');
  const flags: InitFlags = {
    dir: positionals[0] ?? '.',
    yes: values.yes === true,
    force: values.force === true,
    debug: values.debug === true,
    quiet: values.quiet === true,
    help: values.help === true,
  };
  if (values.provider !== undefined) {
    if (!isProvider(values.provider))
      throw new InitUsageError(`unknown provider '${values.provider}' (expected ${INIT_PROVIDERS.join(', ')})`);
    flags.provider = values.provider;
  }
  if (values['base-url'] !== undefined) flags.baseURL = values['base-url'];
  if (values['api-key-env'] !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(values['api-key-env']))
      throw new InitUsageError(
        `--api-key-env must name an environment variable, got '${values['api-key-env']}' (the key itself never goes in the config)`,
      );
    flags.apiKeyEnv = values['api-key-env'];
  }
  if (values['default-model'] !== undefined) flags.defaultModel = values['default-model'];
  return flags;
}

async function existingConfig(dir: string): Promise<{ file: string; text: string } | undefined> {
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(dir, name);
    try {
      return { file, text: await fs.readFile(file, 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}

export async function runInitCommand(argv: string[], io: CliIo = processIo(), asker?: Asker): Promise<number> {
  let flags: InitFlags;
  try {
    flags = parseInitArgs(argv);
  } catch (error) {
    io.stderr.write(
      `promptlab: ${error instanceof Error ? error.message : String(error)}\nRun 'promptlab init --help' for usage.\n`,
    );
    return EXIT_CANNOT_RUN;
  }
  if (flags.help) {
    io.stdout.write(`${INIT_HELP}\n`);
    return EXIT_OK;
  }
  const interactive = !flags.yes && (asker !== undefined || process.stdin.isTTY === true);
  const questions = interactive ? (asker ?? terminalAsker()) : undefined;
  try {
    return await init(flags, io, questions);
  } catch (error) {
    io.stderr.write(`${describeError(error, io, flags.debug)}\n`);
    return EXIT_CANNOT_RUN;
  } finally {
    if (questions && !asker) questions.close();
  }
}

async function init(flags: InitFlags, io: CliIo, questions: Asker | undefined): Promise<number> {
  const root = path.resolve(io.cwd, flags.dir);
  const shownRoot = path.relative(io.cwd, root) || '.';
  const say = (line: string): void => {
    if (!flags.quiet) io.stderr.write(`${line}\n`);
  };
  const files = await expandInputs([root], io.cwd);
  const prompts: PromptFile[] = [];
  for (const file of files) {
    const { prompt, diagnostics } = await loadPromptFile(file);
    // A file with errors still names its models; only one that is not a prompt file at all is skipped.
    if (prompt) prompts.push(prompt);
    else say(`promptlab: ${displayPath(file, io.cwd)}: skipped (${diagnostics[0]?.message ?? 'not a prompt file'})`);
  }
  const models = collectModelUses(prompts);
  say(`${prompts.length} prompt file${prompts.length === 1 ? '' : 's'} under ${shownRoot}; model ids they call:`);
  for (const id of models.ids) {
    const uses = models.uses.filter((u) => u.id === id);
    const roles = [...new Set(uses.map((u) => u.role))].join(', ');
    const fileCount = new Set(uses.map((u) => u.file)).size;
    say(`  ${id}  (${roles}; ${fileCount} file${fileCount === 1 ? '' : 's'})`);
  }
  if (models.filesWithoutModel.length) say(`  ${models.filesWithoutModel.length} file(s) name no model`);

  let provider = flags.provider;
  if (!provider) {
    if (!questions)
      throw new PromptLabError(`--provider is required when not asking (one of ${INIT_PROVIDERS.join(', ')})`, 'input');
    const answer = await questions.ask(`Provider (${INIT_PROVIDERS.join(', ')})?`, 'openai');
    if (!isProvider(answer))
      throw new PromptLabError(`unknown provider '${answer}' (expected ${INIT_PROVIDERS.join(', ')})`, 'input');
    provider = answer;
  }
  let baseURL = flags.baseURL;
  if (baseURL === undefined && questions && (provider === 'azure' || provider === 'custom')) {
    const answer = await questions.ask(
      provider === 'azure' ? 'Azure resource endpoint (https://….openai.azure.com)?' : 'Base URL of the server (…/v1)?',
      provider === 'azure' ? 'https://YOUR-RESOURCE.openai.azure.com' : 'http://localhost:8000/v1',
    );
    if (!answer.includes('YOUR-RESOURCE')) baseURL = answer;
  }
  if (provider === 'custom' && baseURL === undefined)
    throw new PromptLabError(
      "provider custom needs --base-url (the server's address, e.g. http://localhost:8000/v1)",
      'input',
    );
  let defaultModel = flags.defaultModel;
  if (defaultModel === undefined && models.filesWithoutModel.length > 0) {
    defaultModel = suggestDefaultModel(models);
    if (questions)
      defaultModel = await questions.ask(
        `Model for the ${models.filesWithoutModel.length} file(s) that name none?`,
        defaultModel,
      );
  }

  const plan = planInitConfig({
    provider,
    ids: models.ids,
    uses: models.uses,
    root,
    date: new Date().toISOString().slice(0, 10),
    ...(defaultModel !== undefined ? { defaultModel } : {}),
    ...(baseURL !== undefined ? { baseURL } : {}),
    ...(flags.apiKeyEnv !== undefined ? { apiKeyEnv: flags.apiKeyEnv } : {}),
  });

  say('');
  for (const route of plan.routes) {
    const shown =
      route.status === 'unknown'
        ? 'left commented (no known name)'
        : `${route.model}${route.status === 'substitute' ? '  (substitute)' : route.status === 'guess' ? '  (check the name)' : ''}`;
    say(`  ${route.id} → ${provider}: ${shown}`);
  }

  const existing = await existingConfig(root);
  // An existing .yml keeps its name; a .json is shadowed by the new .yaml (it is read first).
  const target = existing && !existing.file.endsWith('.json') ? existing.file : path.join(root, CONFIG_FILE_NAMES[0]);
  if (existing) {
    const patch = createTwoFilesPatch(
      displayPath(existing.file, io.cwd),
      displayPath(target, io.cwd),
      existing.text,
      plan.text,
      'existing',
      'promptlab init',
    );
    if (existing.text === plan.text) {
      say(`${displayPath(existing.file, io.cwd)} already says exactly this; nothing to do.`);
      return EXIT_OK;
    }
    io.stderr.write(`${patch}\n`);
    if (!flags.force) {
      throw new PromptLabError(
        `${displayPath(existing.file, io.cwd)} exists; not overwritten (the diff above shows what init would write). Run again with --force to replace it.`,
        'input',
      );
    }
  }
  if (questions) {
    const answer = await questions.ask(`Write ${displayPath(target, io.cwd)}?`, 'yes');
    if (!/^y(es)?$/i.test(answer)) {
      say('Nothing written.');
      return EXIT_CANNOT_RUN;
    }
  }
  await writeFileAtomically(target, plan.text);
  say(
    `Wrote ${displayPath(target, io.cwd)}${existing?.file.endsWith('.json') ? ` (${displayPath(existing.file, io.cwd)} is now ignored: the .yaml is read first)` : ''}.`,
  );
  for (const item of plan.todo) say(`  todo: ${item}`);
  say(`Next: promptlab eval ${shownRoot}`);
  return EXIT_OK;
}
