// `promptlab` entry point. Only argument parsing and help live in the eagerly loaded part:
// each command (and with it the engine, `openai`, `yaml`, `ajv`) is imported on first use so
// `--version` and `--help` stay fast.
import { version } from '../../package.json';
import { parseCommandLine, UsageError, type CommandName, type ParsedCommand } from './args';
import { limitHeapGrowth } from './heap';
import { helpText } from './help';

/** Commands that parse their own flags (src/cli/compare.ts, commands/init.ts, commands/generate.ts). */
const SELF_PARSING_COMMANDS = {
  compare: async () => (await import('./compare')).runCompareCommand,
  init: async () => (await import('./commands/init')).runInitCommand,
  generate: async () => (await import('./commands/generate')).runGenerateCommand,
} satisfies Record<string, () => Promise<(argv: string[]) => Promise<number>>>;

/** The parsed form of each command `parseCommandLine` knows. */
type CommandOf = { [Name in CommandName]: Extract<ParsedCommand, { command: Name }> };

/**
 * Each command's runner, loaded only when it runs so that `--help` and `--version` start fast;
 * typed by `CommandName` (src/cli/args.ts), so a command added there must be added here.
 */
const COMMANDS: { [Name in CommandName]: () => Promise<(command: CommandOf[Name]) => Promise<number>> } = {
  eval: async () => (await import('./commands/eval')).runEvalCommand,
  run: async () => (await import('./commands/run')).runRunCommand,
  estimate: async () => (await import('./commands/estimate')).runEstimateCommand,
  agreement: async () => (await import('./commands/agreement')).runAgreementCommand,
  validate: async () => (await import('./commands/validate')).runValidateCommand,
  merge: async () => (await import('./commands/merge')).runMergeCommand,
};

async function runCommand<Name extends CommandName>(name: Name, command: CommandOf[Name]): Promise<number> {
  return (await COMMANDS[name]())(command);
}

async function main(argv: readonly string[]): Promise<number> {
  const [first, ...rest] = argv;
  // `compare`, `init` and `generate` (and `help <one of them>`) go straight to their own parser.
  const selfParsing = first === 'help' ? rest[0] : first;
  if (selfParsing !== undefined && Object.hasOwn(SELF_PARSING_COMMANDS, selfParsing)) {
    const run = await SELF_PARSING_COMMANDS[selfParsing as keyof typeof SELF_PARSING_COMMANDS]();
    return run(first === 'help' ? ['--help'] : rest);
  }
  // `eval --baseline` has the flag set of `compare` (src/cli/compare.ts).
  if (first === 'eval' && rest.some((a) => a === '--baseline' || a.startsWith('--baseline='))) {
    const { runBaselineCommand } = await import('./compare');
    return runBaselineCommand(rest);
  }
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const more = error.command ? `promptlab ${error.command} --help` : 'promptlab --help';
    process.stderr.write(`promptlab: ${error.message}\nRun '${more}' for usage.\n`);
    return 2;
  }
  switch (parsed.command) {
    case 'version':
      process.stdout.write(`${version}\n`);
      return 0;
    case 'help':
      process.stdout.write(`${helpText(parsed.topic)}\n`);
      return 0;
    default:
      return runCommand(parsed.command, parsed);
  }
}

limitHeapGrowth();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Commands report their own errors; reaching here means a bug. Still no raw crash.
    const debug = process.argv.includes('--debug');
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`promptlab: internal error: ${message}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    else process.stderr.write('  (this is a bug in promptlab; run again with --debug for the stack trace)\n');
    process.exitCode = 2;
  },
);
