// scripts/check-layers.mjs on small trees of its own: src/protocol may name core's shapes only with
// `import type` from a core types.ts that declares nothing but types; every other crossing fails.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../support/repoRoot';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-layers-'));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

const CORE_TYPES = [
  "import type { Role } from '../model';",
  'export interface Side {',
  '  passed: boolean;',
  '  role: Role;',
  '}',
  "export type Kind = 'a' | 'b';",
  '',
].join('\n');

let trees = 0;
/** Writes `files` (path under src/ → text) next to a core with a types.ts and a runner, and checks it. */
function checkLayers(files: Record<string, string>): { ok: boolean; output: string } {
  const root = path.join(scratch, `tree${trees++}`);
  const tree: Record<string, string> = {
    'core/model.ts': "export type Role = 'user';\nexport const ROLES = ['user'] as const;\n",
    'core/run/types.ts': CORE_TYPES,
    'core/run/runner.ts': 'export function run(): void {}\n',
    ...files,
  };
  for (const [file, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(root, 'src', file)), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', file), text);
  }
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/check-layers.mjs'), root], {
    encoding: 'utf8',
  });
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

/** The check failed and named each of `lines` (among others, maybe). */
function assertFailsWith(result: { ok: boolean; output: string }, lines: string[]): void {
  assert.equal(result.ok, false, result.output);
  for (const line of lines) assert.ok(result.output.includes(line), `${line}\nin\n${result.output}`);
}

void test('protocol may `import type` (or `export type … from`) a core types.ts that declares only types', () => {
  const result = checkLayers({
    'protocol/run.ts': [
      'import type {',
      '  Kind,',
      '  Side,',
      "} from '../core/run/types';",
      "export type { Side as SideView } from '../core/run/types';",
      'export const isKind = (v: unknown): v is Kind => v === "a";',
      'export type Both = [Kind, Side];',
      '',
    ].join('\n'),
  });
  assert.deepEqual(result, { ok: true, output: 'layer check: ok\n' });
});

void test('a value import from core in protocol fails, one line or several', () => {
  const result = checkLayers({
    'protocol/a.ts': "import { Side } from '../core/run/types';\nexport type A = Side;\n",
    'protocol/b.ts':
      "import {\n  type Side,\n  type Kind,\n} from '../core/run/types';\nexport type B = [Side, Kind];\n",
    'protocol/c.ts': "import '../core/run/types';\n",
    'protocol/d.ts': "export { run } from '../core/run/runner';\n",
  });
  assertFailsWith(result, [
    "src/protocol/a.ts:1: 'protocol' may import from src/core only with `import type` (../core/run/types)",
    "src/protocol/b.ts:4: 'protocol' may import from src/core only with `import type` (../core/run/types)",
    "src/protocol/c.ts:1: 'protocol' may import from src/core only with `import type` (../core/run/types)",
    "src/protocol/d.ts:1: 'protocol' may import from src/core only with `import type` (../core/run/runner)",
  ]);
});

void test('a type import from a core file that is not a types-only types.ts fails, and says what is in the way', () => {
  const notTypes = checkLayers({
    'protocol/a.ts': "import type { run } from '../core/run/runner';\nexport type R = typeof run;\n",
  });
  assertFailsWith(notTypes, [
    'src/protocol/a.ts:1: src/core/run/runner.ts is not a core types.ts file (../core/run/runner)',
  ]);

  const withCode = checkLayers({
    'core/run/types.ts': `${CORE_TYPES}export const LIMIT = 3;\nexport function helper(): void {}\nimport { ROLES } from '../model';\n`,
    'protocol/a.ts': "import type { Side } from '../core/run/types';\nexport type A = Side;\n",
  });
  assert.equal(withCode.ok, false);
  const found = withCode.output.split('\n').filter((line) => line.includes('may declare only types'));
  assert.deepEqual(
    found.map((line) => line.replace(/^.*src\/core\/run\/types\.ts:(\d+): .*\(found (.*)\) \(.*$/, '$1: $2')),
    ['7: a variable', '8: a function', '9: an import that is not `import type`'],
  );
});

void test('the other layer lines still hold, multi-line imports included', () => {
  const result = checkLayers({
    'webview/view.ts': "import type {\n  Side,\n} from '../core/run/types';\nexport type V = Side;\n",
    'core/uses.ts': "import {\n  x,\n} from '../protocol/run';\nexport const y = x;\n",
    'protocol/run.ts': 'export const x = 1;\n',
    'cli/main.ts': "import * as vscode from 'vscode';\nexport const v = vscode;\n",
    'protocol/dom.ts': 'export const w = document.title;\n',
  });
  assertFailsWith(result, [
    "src/webview/view.ts:3: 'webview' must not import from src/core (../core/run/types)",
    "src/core/uses.ts:3: 'core' must not import from src/protocol (../protocol/run)",
    "src/cli/main.ts:1: 'cli' must not import 'vscode'",
    "src/protocol/dom.ts:1: 'protocol' must not use DOM globals",
  ]);
});

void test('the repository itself passes', () => {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts/check-layers.mjs')], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
});
