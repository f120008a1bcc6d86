// `promptlab` entry point. Only argument parsing and help live in the eagerly loaded part:
// each command (and with it the engine, `openai`, `yaml`, `ajv`) is imported on first use so
// `--version` and `--help` stay fast.
import { version } from '../../package.json';
import { parseCommandLine, UsageError } from './args';
import { limitHeapGrowth } from './heap';
import { helpText } from './help';

async function main(argv: readonly string[]): Promise<number> {
  // `compare` and `eval --baseline` have their own flag sets (src/cli/compare.ts).
  const [first, ...rest] = argv;
  if (first === 'compare' || (first === 'help' && rest[0] === 'compare')) {
    const { runCompareCommand } = await import('./compare');
    return runCompareCommand(first === 'help' ? ['--help'] : rest);
  }
  // `init` and `generate` parse their own flags (src/cli/commands/init.ts, generate.ts).
  if (first === 'init' || (first === 'help' && rest[0] === 'init')) {
    const { runInitCommand } = await import('./commands/init');
    return runInitCommand(first === 'help' ? ['--help'] : rest);
  }
  if (first === 'generate' || (first === 'help' && rest[0] === 'generate')) {
    const { runGenerateCommand } = await import('./commands/generate');
    return runGenerateCommand(first === 'help' ? ['--help'] : rest);
  }
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
    // Each command's module is loaded only when it runs, so `--help` and `--version` start fast.
    case 'eval':
      return (await import('./commands/eval')).runEvalCommand(parsed);
    case 'run':
      return (await import('./commands/run')).runRunCommand(parsed);
    case 'estimate':
      return (await import('./commands/estimate')).runEstimateCommand(parsed);
    case 'agreement':
      return (await import('./commands/agreement')).runAgreementCommand(parsed);
    case 'validate':
      return (await import('./commands/validate')).runValidateCommand(parsed);
    case 'merge':
      return (await import('./commands/merge')).runMergeCommand(parsed);
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
