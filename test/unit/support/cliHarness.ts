// Helpers for CLI end-to-end tests: spawn the real bundle (`node dist/cli.js`) against a
// stand-in server started in the test, over real sockets.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './repoRoot';

export { REPO_ROOT };
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
export const GH_EXAMPLES = path.join(REPO_ROOT, 'test', 'fixtures', 'gh-models-examples');
export const BROKEN = path.join(REPO_ROOT, 'test', 'fixtures', 'cli', 'broken');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Env for the child: no inherited provider keys or colors, so output is predictable. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR'])
    if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, NO_COLOR: '1', ...extra };
}

export function startCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: options.env ?? childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The signal that ended `child` (null when it exited by itself); listen before killing it. */
export function exitSignal(child: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
}

/** Runs the CLI to completion; bounded by `timeoutMs` (the child is killed after it). */
export function runCli(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CliResult> {
  const child = startCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Lines of a run file that are complete (end with a newline): the header, then one per record. */
export function completeRunLines(file: string): string[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop(); // the part after the last newline: empty, or a line still being written
  return lines;
}

/**
 * Polls (bounded in count and time) until the first run file in `runsDir` holds the header and at
 * least `caseLines` more lines; returns that file (or the last one seen, or undefined, on timeout).
 */
export async function waitForRunLines(
  runsDir: string,
  caseLines: number,
  timeoutMs = 30_000,
): Promise<string | undefined> {
  let runFile: string | undefined;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; attempt < 3000 && Date.now() < deadline; attempt++) {
    const names = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((n) => n.endsWith('.jsonl')) : [];
    if (names[0]) {
      runFile = path.join(runsDir, names[0]);
      if (completeRunLines(runFile).length > caseLines) return runFile;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return runFile;
}

export interface EchoSuiteOptions {
  name?: string;
  /** The user message; `{{input}}` is the case's input. */
  message?: string;
  /** Lines appended to the `question n` cases. */
  extraCases?: string[];
  /** Text after the `echoes` evaluator (more evaluators, a comment). */
  evaluators?: string;
}

/**
 * A prompt file for openai/gpt-4o-mini whose `echoes` evaluator passes when the reply contains the
 * input (the stand-in echoes it): `cases` inline cases `question 1…n`, or the name of a test data file.
 */
export function echoSuiteText(cases: number | string, options: EchoSuiteOptions = {}): string {
  const { name = 'Batch suite', message = 'Answer {{input}}', extraCases = [], evaluators = '' } = options;
  const testData =
    typeof cases === 'string'
      ? [`testData: ${cases}`]
      : ['testData:', ...Array.from({ length: cases }, (_, i) => `  - input: "question ${i + 1}"`), ...extraCases];
  return [
    `name: ${name}`,
    'model: openai/gpt-4o-mini',
    'messages:',
    '  - role: user',
    `    content: "${message}"`,
    ...testData,
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{input}}'",
    evaluators,
    '',
  ].join('\n');
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `promptlab-cli-${prefix}-`));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A stack trace line (`    at fn (file:1:2)`): must never reach users without --debug. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
