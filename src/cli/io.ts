// The process surface the commands use, and the one place errors become messages.
import { formatLocation, PromptLabError } from '../core/errors';
import type { Diagnostic } from '../core/model';
import { displayPath } from './files';
import { pickStyle, type Style } from './format/table';

export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Styles for stdout and stderr separately (one may be a terminal, the other a pipe). */
  out: Style;
  err: Style;
}

export function processIo(): CliIo {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    out: pickStyle(process.stdout, process.env),
    err: pickStyle(process.stderr, process.env),
  };
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CANNOT_RUN = 2;
export const EXIT_INTERRUPTED = 130;

/** `file:line:col: severity: message [code]` with a 1-based position. */
export function formatDiagnostic(diagnostic: Diagnostic, cwd: string, style: Style): string {
  const where = formatLocation(displayPath(diagnostic.file, cwd), diagnostic.range);
  const paint =
    diagnostic.severity === 'error' ? style.red : diagnostic.severity === 'warning' ? style.yellow : style.cyan;
  return `${where}: ${paint(diagnostic.severity)}: ${diagnostic.message} [${diagnostic.code}]`;
}

/** Runs a command's body; whatever it throws is printed by describeError and exits EXIT_CANNOT_RUN. */
export async function reportErrors(io: CliIo, debug: boolean, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    io.stderr.write(`${describeError(error, io, debug)}\n`);
    return EXIT_CANNOT_RUN;
  }
}

/**
 * One message for any error that reaches the top: PromptLabError says what and where;
 * anything else is a bug, reported as such. Stack traces only with --debug.
 */
export function describeError(error: unknown, io: CliIo, debug: boolean): string {
  const style = io.err;
  const lines: string[] = [];
  if (error instanceof PromptLabError) {
    const where = error.location
      ? `${formatLocation(displayPath(error.location.file, io.cwd), error.location.range)}: `
      : '';
    lines.push(`promptlab: ${where}${style.red('error')}: ${error.message}`);
    if (error.hint)
      lines.push(
        `  hint: ${error.hint
          .split('\n')
          .map((line, i) => (i === 0 || line === '' ? line : `        ${line}`))
          .join('\n')}`,
      );
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`promptlab: ${style.red('internal error')}: ${message}`);
    if (!debug) lines.push('  (this is a bug in promptlab; run again with --debug for the stack trace)');
  }
  if (debug && error instanceof Error && error.stack) lines.push(style.dim(error.stack));
  return lines.join('\n');
}
