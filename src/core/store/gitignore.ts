// `.promptlab/` keeps runs and the response cache out of git by default: the first time PromptLab
// writes into a `.promptlab` folder it adds `.promptlab/.gitignore`. The file is the user's after
// that: PromptLab never rewrites or deletes it, so deleting its `runs/` line commits runs on purpose.
import fs from 'node:fs';
import path from 'node:path';

export const PROMPTLAB_GITIGNORE = [
  '# Written once by PromptLab: run files and the response cache stay out of git.',
  '# To commit runs on purpose, delete the "runs/" line; PromptLab never rewrites this file.',
  'runs/',
  'cache/',
  '',
].join('\n');

/** Adds `.gitignore` to `dir`'s `.promptlab` folder (dir itself or its parent) when it has none. */
export function ensurePromptlabGitignore(dir: string): void {
  const resolved = path.resolve(dir);
  const folder =
    path.basename(resolved) === '.promptlab'
      ? resolved
      : path.basename(path.dirname(resolved)) === '.promptlab'
        ? path.dirname(resolved)
        : undefined;
  if (!folder) return;
  try {
    fs.mkdirSync(folder, { recursive: true });
    // 'wx': never overwrite a file the user may have edited.
    fs.writeFileSync(path.join(folder, '.gitignore'), PROMPTLAB_GITIGNORE, { flag: 'wx' });
  } catch {
    // Exists already, or the folder is read-only: either way nothing to do (runs still work).
  }
}
