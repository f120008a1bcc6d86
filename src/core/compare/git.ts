// Read-only git access for revision comparisons: history of a file (following renames) and its text
// at a revision. Only `git log`, `git show`, `git rev-parse`, `git ls-files`, `git rev-list`: the
// working tree and index are never touched.

import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { PromptLabError } from '../errors';
import type { FileReader } from '../model';

export interface FileRevision {
  commit: string;
  shortCommit: string;
  author: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
  /** The file's path (relative to the repository root, `/`-separated) in that commit. */
  path: string;
}

export interface GitFileLocation {
  root: string;
  /** Relative to root, `/`-separated. */
  relativePath: string;
}

const MAX_OUTPUT = 256 * 1024 * 1024;

class GitFailure extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim()}`);
  }
}

/** Runs git with quoting off and a C locale so messages and paths parse the same everywhere. */
export function runGit(cwd: string, args: readonly string[], options: { timeoutMs?: number } = {}): Promise<string> {
  const fullArgs = ['-c', 'core.quotePath=false', ...args];
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      fullArgs,
      {
        cwd,
        maxBuffer: MAX_OUTPUT,
        timeout: options.timeoutMs ?? 30_000,
        env: { ...process.env, LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT')
          return reject(
            new PromptLabError(
              'git was not found on PATH; install git to compare with revisions.',
              'config',
              undefined,
              'Install git (https://git-scm.com) or add it to PATH.',
            ),
          );
        reject(new GitFailure(args, String(stderr), typeof code === 'number' ? code : null));
      },
    );
  });
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Repository root and the file's repository-relative path; clear errors for "no repo" and "untracked". */
export async function locateInRepository(
  file: string,
  options: { requireTracked?: boolean } = {},
): Promise<GitFileLocation> {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  let root: string;
  try {
    root = (await runGit(dir, ['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    if (error instanceof GitFailure && /not a git repository/i.test(error.stderr))
      throw new PromptLabError(
        `${absolute} is not inside a git repository, so it has no revisions to compare with.`,
        'input',
        { file: absolute },
        'Run `git init` and commit the file first.',
      );
    if (error instanceof GitFailure)
      throw new PromptLabError(`git could not read the repository of ${absolute}: ${error.stderr.trim()}`, 'input', {
        file: absolute,
      });
    throw error;
  }
  const realRoot = await realpathOr(root);
  const realFile = await realpathOr(absolute);
  const relativePath = toPosix(path.relative(realRoot, realFile));
  if (options.requireTracked ?? true) {
    try {
      await runGit(root, ['ls-files', '--error-unmatch', '--', relativePath]);
    } catch (error) {
      if (error instanceof GitFailure)
        throw new PromptLabError(
          `${relativePath} is not tracked by git yet, so it has no earlier revision.`,
          'input',
          { file: absolute },
          `Commit it first: git add "${relativePath}" && git commit`,
        );
      throw error;
    }
  }
  return { root, relativePath };
}

async function realpathOr(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p;
  }
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** The file's commits, newest first, following renames; `path` is the name the file had in each commit. */
export async function fileHistory(file: string, options: { maxCount?: number } = {}): Promise<FileRevision[]> {
  const { root, relativePath } = await locateInRepository(file);
  const format = [RECORD + '%H', '%h', '%an', '%aI', '%s'].join(FIELD);
  const out = await runGit(root, [
    'log',
    '--follow',
    `--max-count=${options.maxCount ?? 200}`,
    `--format=${format}`,
    '--name-only',
    '--',
    relativePath,
  ]);
  const revisions: FileRevision[] = [];
  for (const record of out.split(RECORD).slice(1)) {
    const [meta = '', ...rest] = record.split('\n');
    const [commit = '', shortCommit = '', author = '', date = '', subject = ''] = meta.split(FIELD);
    const names = rest.map((l) => l.trim()).filter(Boolean);
    revisions.push({ commit, shortCommit, author, date, subject, path: names[names.length - 1] ?? relativePath });
  }
  return revisions;
}

/** Full commit id of a revision expression (`HEAD~1`, a tag, a short hash). */
export async function resolveRevision(root: string, revision: string): Promise<string> {
  if (revision.startsWith('-')) throw new PromptLabError(`'${revision}' is not a git revision.`, 'input');
  try {
    return (
      await runGit(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])
    ).trim();
  } catch (error) {
    if (error instanceof GitFailure)
      throw new PromptLabError(
        `Unknown git revision '${revision}'.`,
        'input',
        undefined,
        'Use a commit hash, branch, tag or HEAD~N.',
      );
    throw error;
  }
}

export interface FileAtRevision {
  text: string;
  commit: string;
  shortCommit: string;
  /** The file's name as of that revision (differs from today's after a rename). */
  relativePath: string;
  root: string;
}

/**
 * The file's text at a revision, under the name it had then: the newest commit of the file's
 * (rename-following) history that the revision contains tells which name to ask `git show` for.
 */
export async function readFileAtRevision(file: string, revision: string): Promise<FileAtRevision> {
  const { root, relativePath } = await locateInRepository(file);
  const commit = await resolveRevision(root, revision);
  const shortCommit = (await runGit(root, ['rev-parse', '--short', commit])).trim();
  const history = await fileHistory(file, { maxCount: 10_000 });
  let pathThen: string | undefined = history.find((h) => h.commit === commit)?.path;
  if (!pathThen && history.length) {
    const ancestors = new Set(
      (await runGit(root, ['rev-list', '--max-count=100000', commit])).split('\n').filter(Boolean),
    );
    pathThen = history.find((h) => ancestors.has(h.commit))?.path;
  }
  if (!pathThen)
    throw new PromptLabError(
      `${relativePath} did not exist at revision ${revision} (${shortCommit}).`,
      'input',
      { file: path.resolve(file) },
      'Pick a revision from the file’s history.',
    );
  try {
    const text = await runGit(root, ['show', `${commit}:${pathThen}`]);
    return { text, commit, shortCommit, relativePath: pathThen, root };
  } catch (error) {
    if (error instanceof GitFailure)
      throw new PromptLabError(
        `${pathThen} did not exist at revision ${revision} (${shortCommit}) — it was deleted there.`,
        'input',
        { file: path.resolve(file) },
      );
    throw error;
  }
}

/** Reads files referenced by a prompt file (test data, content files) as they were at a commit. */
export function revisionReader(root: string, commit: string): FileReader {
  return {
    async readFile(absolutePath: string): Promise<string> {
      const relative = toPosix(path.relative(root, absolutePath));
      if (relative.startsWith('..'))
        throw new PromptLabError(
          `${absolutePath} is outside the repository, so it has no revision ${commit.slice(0, 7)}.`,
          'input',
          { file: absolutePath },
        );
      try {
        return await runGit(root, ['show', `${commit}:${relative}`]);
      } catch (error) {
        if (error instanceof GitFailure)
          throw new PromptLabError(`${relative} does not exist at revision ${commit.slice(0, 7)}.`, 'input', {
            file: absolutePath,
          });
        throw error;
      }
    },
  };
}
