// Turns command-line inputs (files, directories, globs) into prompt-file paths, and opens the run store
// and response cache a command's flags name.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PromptLabError } from '../core/errors';
import { ResponseCache } from '../core/store/cache';
import { RunStore } from '../core/store/runStore';

/** Where run files are stored unless `--runs-dir` says otherwise. */
export const DEFAULT_RUNS_DIR = '.promptlab/runs';

/** The run store of a command's `--runs-dir` (default `.promptlab/runs`), relative to the working directory. */
export function runStoreOf(command: { runsDir?: string | undefined }, io: { cwd: string }): RunStore {
  return new RunStore(path.resolve(io.cwd, command.runsDir ?? DEFAULT_RUNS_DIR));
}

/** Where cached model responses are kept, relative to the working directory. */
const DEFAULT_CACHE_DIR = '.promptlab/cache';

/** The response cache, or none when the command was given `--no-cache`. */
export function cacheOf(command: { noCache: boolean }, io: { cwd: string }): ResponseCache | undefined {
  return command.noCache ? undefined : new ResponseCache(path.resolve(io.cwd, DEFAULT_CACHE_DIR));
}

/** A run named on the command line: a file path (relative to the working directory) or an id in the runs directory. */
export function runReference(ref: string, io: { cwd: string }): string {
  const looksLikePath = ref.endsWith('.jsonl') || ref.includes('/') || ref.includes(path.sep);
  return looksLikePath ? path.resolve(io.cwd, ref) : ref;
}

const PROMPT_FILE_GLOB = '**/*.prompt.{yml,yaml}';
const IGNORED = ['**/node_modules/**', '**/.git/**'];

async function statOrUndefined(file: string) {
  try {
    return await fs.stat(file);
  } catch {
    return undefined;
  }
}

/**
 * Files are taken as given (any name), directories expand to the prompt files below them,
 * anything else must be a glob that matches at least one file. Order is kept, duplicates dropped.
 * Throws PromptLabError('input') naming the first input that matched nothing.
 */
export async function expandInputs(inputs: readonly string[], cwd: string): Promise<string[]> {
  const seen = new Set<string>();
  const files: string[] = [];
  const add = (file: string) => {
    const absolute = path.resolve(cwd, file);
    if (!seen.has(absolute)) {
      seen.add(absolute);
      files.push(absolute);
    }
  };
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input);
    const stat = await statOrUndefined(absolute);
    if (stat?.isFile()) {
      add(absolute);
      continue;
    }
    if (stat?.isDirectory()) {
      const { glob } = await import('tinyglobby');
      const found = await glob(PROMPT_FILE_GLOB, { cwd: absolute, absolute: true, ignore: IGNORED, dot: false });
      if (found.length === 0)
        throw new PromptLabError(`no *.prompt.yml or *.prompt.yaml files in directory ${input}`, 'input', {
          file: input,
        });
      found.sort().forEach(add);
      continue;
    }
    // Loaded here, not at the top: most runs name plain files.
    const { glob, isDynamicPattern } = await import('tinyglobby');
    if (isDynamicPattern(input)) {
      const found = await glob(input, {
        cwd,
        absolute: true,
        ignore: IGNORED,
        onlyFiles: true,
        expandDirectories: false,
      });
      if (found.length === 0) throw new PromptLabError(`no files match ${input}`, 'input', { file: input });
      found.sort().forEach(add);
      continue;
    }
    throw new PromptLabError(`file not found: ${input}`, 'input', { file: input });
  }
  return files;
}

/** Path to show the user: relative to cwd when the file is inside it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
