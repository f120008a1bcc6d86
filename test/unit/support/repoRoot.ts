// The repository root, found from the running bundle: each test file is bundled on its own into
// dist-test/unit/<same folders>/, so __dirname is the test's folder, at whatever depth it sits.
import fs from 'node:fs';
import path from 'node:path';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const REPO_ROOT = findRepoRoot(__dirname);
