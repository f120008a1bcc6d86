// Shared helpers for the prompt-file tests (bundled into each test file).
import * as path from 'node:path';
import { parsePromptFile } from '../../../../src/core/promptfile';
import type { Diagnostic, LoadResult } from '../../../../src/core/model';
import { REPO_ROOT } from '../../support/repoRoot';

export const repoRoot = REPO_ROOT;
export const fixture = (...parts: string[]) => path.join(repoRoot, 'test', 'fixtures', ...parts);

/** Parse inline text as if it were a prompt file in test/fixtures/extensions/. */
export function parseText(text: string, name = 'inline.prompt.yml'): Promise<LoadResult> {
  return parsePromptFile(fixture('extensions', name), text);
}

export const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => d.code);
export const errors = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 'error');

/** The one diagnostic with `code`, failing when there are none or several. */
export function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = diagnostics.filter((d) => d.code === code);
  if (found.length !== 1)
    throw new Error(
      `expected exactly one '${code}' diagnostic, got ${found.length}: ${JSON.stringify(diagnostics, null, 1)}`,
    );
  return found[0] as Diagnostic;
}

/** 0-based [line, column, endLine, endColumn] of a diagnostic, for compact assertions. */
export const at = (d: Diagnostic) => [d.range.start.line, d.range.start.column, d.range.end.line, d.range.end.column];

/** The text a diagnostic's range covers in `text`. */
export function textAt(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  const offset = (line: number, column: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + column;
  return text.slice(offset(d.range.start.line, d.range.start.column), offset(d.range.end.line, d.range.end.column));
}
