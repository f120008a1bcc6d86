// Flag parsing for every command. Kept free of core imports so `--version` and `--help`
// never load the engine (see main.ts).
import { parseArgs, type ParseArgsConfig } from 'node:util';
// A dependency-free module: importing it does not load the engine.
import { parseShard, type Shard } from '../core/run/shard';

/** A mistake in how the CLI was called: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type CommandName = 'eval' | 'run' | 'validate' | 'agreement' | 'estimate' | 'merge';

export interface CommonOptions {
  config?: string;
  model?: string;
  /** Model for files that name none (`--default-model`); `model` overrides every file. */
  defaultModel?: string;
  /** `VAR=host` pairs from `--allow-key` (parsed by core: keyPolicy.parseKeyGrants). */
  allowKeys: string[];
  debug: boolean;
  quiet: boolean;
}

export interface EvalCommand extends CommonOptions {
  command: 'eval';
  inputs: string[];
  json: boolean;
  noCache: boolean;
  junit?: string;
  markdown?: string;
  concurrency?: number;
  repeat?: number;
  runsDir?: string;
  /** Send the requests through the provider's Batch API. */
  batch: boolean;
  /** Per case: the longest wait on rate limits and retries, ms (`--max-wait`). */
  maxWaitMs?: number;
  /** `--fail-fast`: no retries; stop at the first case whose request fails. */
  failFast: boolean;
  /** Run id or run file to complete (`--resume`): pending batches are reattached, a live run is resumed. */
  resume?: string;
  shard?: Shard;
  /** `--max-cost`: USD cap for every request of the invocation (validated by the command). */
  maxCostUsd?: number;
}

export interface MergeCommand {
  command: 'merge';
  runs: string[];
  json: boolean;
  junit?: string;
  markdown?: string;
  runsDir?: string;
  debug: boolean;
  quiet: boolean;
}

export interface EstimateCommand extends CommonOptions {
  command: 'estimate';
  inputs: string[];
  json: boolean;
  repeat?: number;
  runsDir?: string;
}

export interface RunCommand extends CommonOptions {
  command: 'run';
  file: string;
  vars: Record<string, string>;
  /** 0-based test case to take the variables from (given 1-based on the command line). */
  caseIndex?: number;
}

export interface ValidateCommand {
  command: 'validate';
  inputs: string[];
  debug: boolean;
  quiet: boolean;
}

export interface AgreementCommand {
  command: 'agreement';
  /** Run id or run file path. */
  run: string;
  grades?: string;
  runsDir?: string;
  json: boolean;
  debug: boolean;
  quiet: boolean;
}

export type ParsedCommand =
  | EvalCommand
  | EstimateCommand
  | AgreementCommand
  | RunCommand
  | ValidateCommand
  | MergeCommand
  | { command: 'version' }
  | { command: 'help'; topic?: CommandName };

type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags of every command that calls models (eval, run, estimate, generate, eval --baseline). */
export const MODEL_FLAGS = {
  config: { type: 'string' },
  model: { type: 'string' },
  'allow-key': { type: 'string', multiple: true },
  debug: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
} as const satisfies Options;

/** Flags of running a suite's cases and storing the run, shared by eval and eval --baseline. */
export const CASE_RUN_FLAGS = {
  json: { type: 'boolean' },
  'no-cache': { type: 'boolean' },
  concurrency: { type: 'string', short: 'c' },
  repeat: { type: 'string' },
  'runs-dir': { type: 'string' },
} as const satisfies Options;

const common: Options = {
  ...MODEL_FLAGS,
  'default-model': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const commandOptions: Record<CommandName, Options> = {
  eval: {
    ...common,
    ...CASE_RUN_FLAGS,
    junit: { type: 'string' },
    markdown: { type: 'string' },
    batch: { type: 'boolean' },
    'max-wait': { type: 'string' },
    'fail-fast': { type: 'boolean' },
    resume: { type: 'string' },
    shard: { type: 'string' },
    'max-cost': { type: 'string' },
  },
  merge: {
    json: { type: 'boolean' },
    junit: { type: 'string' },
    markdown: { type: 'string' },
    'runs-dir': { type: 'string' },
    debug: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
  estimate: {
    ...common,
    json: { type: 'boolean' },
    repeat: { type: 'string' },
    'runs-dir': { type: 'string' },
  },
  run: {
    ...common,
    var: { type: 'string', multiple: true },
    case: { type: 'string' },
  },
  agreement: {
    grades: { type: 'string' },
    'runs-dir': { type: 'string' },
    json: { type: 'boolean' },
    debug: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
  validate: {
    debug: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  },
};

const COMMANDS: readonly string[] = ['eval', 'run', 'validate', 'agreement', 'estimate', 'merge'];

function isCommandName(value: string | undefined): value is CommandName {
  return value !== undefined && COMMANDS.includes(value);
}

function positiveInteger(flag: string, raw: string | undefined, command: CommandName, max: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max)
    throw new UsageError(`--${flag} must be a whole number from 1 to ${max}, got '${raw}'`, command);
  return Number(raw);
}

const MAX_WAIT_LIMIT_MS = 24 * 3_600_000;
const WAIT_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `--max-wait 600`, `90s`, `10m`, `1h`, `500ms` (a bare number is seconds); 0 … 24 h. */
export function parseMaxWait(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?$/.exec(raw.trim());
  const value = match ? Number(match[1]) * (WAIT_UNITS[match[2] ?? 's'] ?? 1000) : Number.NaN;
  if (!Number.isFinite(value) || value > MAX_WAIT_LIMIT_MS) {
    throw new UsageError(`--max-wait must be a duration from 0 to 24h (e.g. 600, 90s, 10m, 1h), got '${raw}'`, 'eval');
  }
  return value;
}

/** `--max-cost 0.50`, `--max-cost=$2`: a plain amount of US dollars (range checks are core's). */
function usdAmount(flag: string, raw: string | undefined, command: CommandName): number | undefined {
  if (raw === undefined) return undefined;
  const text = raw.trim().replace(/^\$/, '');
  const value = Number(text);
  if (text === '' || !/^[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$/i.test(text) || !Number.isFinite(value))
    throw new UsageError(`--${flag} must be an amount of US dollars such as 0.50, got '${raw}'`, command);
  return value;
}

function parseVars(raw: string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const entry of raw ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var expects name=value, got '${entry}'`, 'run');
    vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}

// node:util parseArgs errors carry a code and a message naming the flag; keep the message only.
function parseCommandArgs(command: CommandName, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: commandOptions[command], allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
    throw new UsageError(message, command);
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function bool(value: unknown): boolean {
  return value === true;
}

/** Sets the fields that have a value: a flag that was not given stays absent (not `undefined`). */
function withDefined<T extends object>(target: T, fields: Partial<T>): T {
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  return target;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommandName(topic)) throw new UsageError(`unknown command '${topic}'`);
    return topic !== undefined ? { command: 'help', topic } : { command: 'help' };
  }
  if (first === '--version' || first === '-v' || first === 'version') return { command: 'version' };
  if (!isCommandName(first)) {
    throw new UsageError(
      first.startsWith('-') ? `unknown option '${first}' (a command comes first)` : `unknown command '${first}'`,
    );
  }
  const { values, positionals } = parseCommandArgs(first, [...rest]);
  if (bool(values.help)) return { command: 'help', topic: first };
  const debug = bool(values.debug);
  const quiet = bool(values.quiet);
  if (first === 'validate') {
    if (positionals.length === 0) throw new UsageError('validate needs at least one file, directory or glob', first);
    return { command: 'validate', inputs: positionals, debug, quiet };
  }
  if (first === 'merge') {
    if (positionals.length === 0) throw new UsageError('merge needs the run files of the shards', first);
    return withDefined<MergeCommand>(
      { command: 'merge', runs: positionals, json: bool(values.json), debug, quiet },
      { junit: str(values.junit), markdown: str(values.markdown), runsDir: str(values['runs-dir']) },
    );
  }
  if (first === 'agreement') {
    if (positionals.length !== 1) throw new UsageError('agreement takes exactly one run (its id or run file)', first);
    return withDefined<AgreementCommand>(
      { command: 'agreement', run: positionals[0] as string, json: bool(values.json), debug, quiet },
      { grades: str(values.grades), runsDir: str(values['runs-dir']) },
    );
  }
  const shared = withDefined<CommonOptions>(
    { debug, quiet, allowKeys: (values['allow-key'] as string[] | undefined) ?? [] },
    { config: str(values.config), model: str(values.model), defaultModel: str(values['default-model']) },
  );
  if (first === 'run') {
    if (positionals.length !== 1) throw new UsageError('run takes exactly one prompt file', first);
    const caseNumber = positiveInteger('case', str(values.case), first, Number.MAX_SAFE_INTEGER);
    const parsed: RunCommand = {
      ...shared,
      command: 'run',
      file: positionals[0] as string,
      vars: parseVars(values.var as string[] | undefined),
    };
    if (caseNumber !== undefined) parsed.caseIndex = caseNumber - 1;
    return parsed;
  }
  if (first === 'estimate') {
    if (positionals.length === 0) throw new UsageError('estimate needs at least one file, directory or glob', first);
    return withDefined<EstimateCommand>(
      { ...shared, command: 'estimate', inputs: positionals, json: bool(values.json) },
      { repeat: positiveInteger('repeat', str(values.repeat), first, 100), runsDir: str(values['runs-dir']) },
    );
  }
  const resume = str(values.resume);
  if (positionals.length === 0 && resume === undefined)
    throw new UsageError('eval needs at least one file, directory or glob (or --resume RUN)', first);
  if (resume !== undefined && positionals.length > 1)
    throw new UsageError('--resume completes one run: give at most its prompt file', first);
  const parsed: EvalCommand = {
    ...shared,
    command: 'eval',
    inputs: positionals,
    json: bool(values.json),
    noCache: bool(values['no-cache']),
    batch: bool(values.batch),
    failFast: bool(values['fail-fast']),
  };
  const shardText = str(values.shard);
  if (shardText !== undefined) {
    const shard = parseShard(shardText);
    if (!shard) throw new UsageError(`--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/3), got '${shardText}'`, first);
    if (resume !== undefined)
      throw new UsageError('--shard does not apply to --resume (the run keeps its shard)', first);
    parsed.shard = shard;
  }
  const maxWait = str(values['max-wait']);
  return withDefined(parsed, {
    maxWaitMs: maxWait !== undefined ? parseMaxWait(maxWait) : undefined,
    junit: str(values.junit),
    markdown: str(values.markdown),
    runsDir: str(values['runs-dir']),
    concurrency: positiveInteger('concurrency', str(values.concurrency), first, 256),
    repeat: positiveInteger('repeat', str(values.repeat), first, 100),
    maxCostUsd: usdAmount('max-cost', str(values['max-cost']), first),
    resume,
  });
}
