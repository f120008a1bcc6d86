// Where a file sits in git: commit, dirty flag, repository root and path inside it.
// Uses the `git` executable; tolerant: no git, not a repo, or no commit yet → undefined.
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';

export interface GitInfo {
  /** HEAD commit (full sha). */
  commit: string;
  /** True when the file differs from HEAD (modified, staged or untracked). */
  dirty: boolean;
  /** Absolute path of the repository's top-level directory. */
  root: string;
  /** The file's path relative to `root`, with forward slashes. */
  relativePath: string;
}

const GIT_TIMEOUT_MS = 5000;

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      args,
      { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        resolve(error ? undefined : stdout.trim());
      },
    );
  });
}

export async function gitInfo(file: string): Promise<GitInfo | undefined> {
  const absolute = path.resolve(file);
  const dir = path.dirname(absolute);
  // Two git processes side by side: root + HEAD (fails outside a repo or before the first
  // commit), and the file's own status (only it matters for matching runs to revisions).
  const [revParse, status] = await Promise.all([
    git(dir, ['rev-parse', '--show-toplevel', 'HEAD']),
    git(dir, ['status', '--porcelain', '--', absolute]),
  ]);
  const [root, commit] = revParse?.split('\n') ?? [];
  if (!root || !commit || !/^[0-9a-f]{40,64}$/.test(commit)) return undefined;
  const relativePath = path
    .relative(await real(root), await real(absolute))
    .split(path.sep)
    .join('/');
  return { commit, dirty: status === undefined ? true : status !== '', root, relativePath };
}

// git prints the root with symlinks resolved; resolve the file the same way before relating them.
async function real(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch {
    return p;
  }
}

/** `git config user.name` / `user.email` as seen from `dir`; empty when git or the settings are missing. */
export async function gitUser(dir: string): Promise<{ name?: string; email?: string }> {
  const [name, email] = await Promise.all([git(dir, ['config', 'user.name']), git(dir, ['config', 'user.email'])]);
  const user: { name?: string; email?: string } = {};
  if (name) user.name = name;
  if (email) user.email = email;
  return user;
}
