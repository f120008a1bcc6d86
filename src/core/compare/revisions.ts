// Compare a prompt file with an earlier revision of itself: run both texts on the same test cases
// and compare the two runs. Git is only read (git show); the working tree is never touched.

import path from 'node:path';
import { runPrompt, type RunOptions, type RunOutcome } from '../engine';
import { PromptLabError } from '../errors';
import type { Diagnostic, FileReader, PromptFile } from '../model';
import { defaultFileReader, parsePromptFile } from '../promptfile';
import { compareRuns } from './compare';
import { readFileAtRevision, revisionReader } from './git';
import type { CompareOptions, Comparison } from './types';

export interface RevisionCompareOptions {
  /** The prompt file (working copy path). */
  file: string;
  /** Revision expression for the baseline. Default `HEAD`. */
  revision?: string;
  /** The working copy's text when it differs from disk (an editor's unsaved buffer). */
  workingText?: string;
  /** How the working copy's referenced files are read (the editor passes one that sees unsaved buffers). */
  reader?: FileReader;
  /** Which test cases both versions run: the working copy's (default) or each revision's own. */
  cases?: 'working' | 'revision';
  /** Everything else runPrompt needs (resolver, model, cache, store, events …). */
  run: Omit<RunOptions, 'prompt' | 'label' | 'revision'>;
  compare?: CompareOptions;
}

export interface RevisionCompareResult {
  base: RunOutcome;
  working: RunOutcome;
  revision: { expression: string; commit: string; shortCommit: string; relativePath: string };
  comparison: Comparison;
}

function firstError(diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  return diagnostics.find((d) => d.severity === 'error');
}

function failOnErrors(
  prompt: PromptFile | undefined,
  diagnostics: readonly Diagnostic[],
  what: string,
  file: string,
): PromptFile {
  const error = firstError(diagnostics);
  if (error)
    throw new PromptLabError(`${what} has errors: ${error.message}`, 'input', { file: error.file, range: error.range });
  if (!prompt)
    throw new PromptLabError(`${what} is not a YAML mapping, so it is not a prompt file.`, 'input', { file });
  return prompt;
}

/** The baseline's label in run files and views: `HEAD (abc1234)`, or just the short hash. */
export function revisionLabel(expression: string, shortCommit: string): string {
  return shortCommit.startsWith(expression) || expression.startsWith(shortCommit)
    ? `revision ${shortCommit}`
    : `${expression} (${shortCommit})`;
}

export async function loadRevisionPrompt(
  file: string,
  revision: string,
): Promise<{ prompt: PromptFile; commit: string; shortCommit: string; relativePath: string; root: string }> {
  const absolute = path.resolve(file);
  const atRevision = await readFileAtRevision(absolute, revision);
  // Parse under the name the file had then, so its relative `content: {file}` / `testData` paths
  // resolve to that revision's files; afterwards it stands for today's file (same identity in runs).
  const pathThen = path.join(atRevision.root, ...atRevision.relativePath.split('/'));
  const loaded = await parsePromptFile(pathThen, atRevision.text, revisionReader(atRevision.root, atRevision.commit));
  const prompt = failOnErrors(
    loaded.prompt,
    loaded.diagnostics,
    `${atRevision.relativePath} at ${revision} (${atRevision.shortCommit})`,
    pathThen,
  );
  return {
    prompt: { ...prompt, path: absolute },
    commit: atRevision.commit,
    shortCommit: atRevision.shortCommit,
    relativePath: atRevision.relativePath,
    root: atRevision.root,
  };
}

export async function compareRevisions(options: RevisionCompareOptions): Promise<RevisionCompareResult> {
  const file = path.resolve(options.file);
  const expression = options.revision ?? 'HEAD';
  const base = await loadRevisionPrompt(file, expression);
  const reader = options.reader ?? defaultFileReader;
  const workingText = options.workingText ?? (await reader.readFile(file));
  const loaded = await parsePromptFile(file, workingText, reader);
  const working = failOnErrors(loaded.prompt, loaded.diagnostics, `${path.basename(file)} (working copy)`, file);
  const basePrompt: PromptFile =
    (options.cases ?? 'working') === 'working' ? { ...base.prompt, testData: working.testData } : base.prompt;

  const baseRun = await runPrompt({
    ...options.run,
    prompt: basePrompt,
    label: revisionLabel(expression, base.shortCommit),
    revision: { commit: base.commit, revision: expression },
  });
  if (options.run.signal?.aborted) throw new PromptLabError('Comparison cancelled.', 'input');
  const workingRun = await runPrompt({ ...options.run, prompt: working, label: 'working copy' });
  return {
    base: baseRun,
    working: workingRun,
    revision: { expression, commit: base.commit, shortCommit: base.shortCommit, relativePath: base.relativePath },
    comparison: compareRuns(baseRun, workingRun, options.compare),
  };
}
