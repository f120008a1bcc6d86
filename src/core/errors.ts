// One error type for every user-facing failure: what went wrong and where.
import type { Range } from './model';

export type ErrorKind = 'input' | 'config' | 'provider' | 'internal';

export class PromptLabError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly location?: { file: string; range?: Range },
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PromptLabError';
  }
}

/** `file:line:col` (1-based) for messages. */
export function formatLocation(file: string, range?: Range): string {
  return range ? `${file}:${range.start.line + 1}:${range.start.column + 1}` : file;
}

/** The message of anything thrown (an Error's message, else the value as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
