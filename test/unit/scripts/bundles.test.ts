// The extension ships two bundles: dist/extension.js (package.json `main`, loaded at activation)
// carries the language features without the engine; dist/engine.js carries the engine and is loaded
// on first run. Both share dist/core-errors.js, so an error from the engine is the activation
// bundle's PromptLabError too. The webview bundles hold src/protocol and their own code, never src/core's
// (protocol names core's types only). Reads what `node scripts/build.mjs` wrote (it runs before the tests).
import * as assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/repoRoot';

const root = REPO_ROOT;
const requireFromRoot = createRequire(path.join(root, 'package.json'));

function packagesIn(bundle: string): Set<string> {
  const meta = JSON.parse(fs.readFileSync(path.join(root, 'dist', `${bundle}.meta.json`), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  return new Set(
    Object.keys(meta.inputs)
      .filter((i) => i.startsWith('node_modules/'))
      .map((i) => i.split('/')[1] ?? ''),
  );
}

void test('package.json main is the activation bundle, and it carries neither openai nor ajv', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
  assert.equal(path.normalize(pkg.main), path.normalize('./dist/extension.js'));
  const activation = packagesIn('extension');
  assert.ok(activation.has('yaml'), 'the language features parse YAML');
  assert.ok(!activation.has('openai'), 'openai is not in the activation bundle');
  assert.ok(!activation.has('ajv'), 'ajv is not in the activation bundle');
  assert.ok(!activation.has('diff'), 'diff is not in the activation bundle');
});

void test('the engine bundle carries the engine and loads in plain Node', () => {
  const engine = packagesIn('engine');
  for (const name of ['openai', 'ajv', 'diff']) assert.ok(engine.has(name), `${name} is in the engine bundle`);
  const loaded = requireFromRoot('./dist/engine.js') as typeof import('../../../src/core');
  assert.equal(typeof loaded.runPrompt, 'function');
  assert.equal(typeof loaded.schemaCompileError, 'function');
});

void test('both bundles share one PromptLabError class', () => {
  const engine = requireFromRoot('./dist/engine.js') as typeof import('../../../src/core');
  const shared = requireFromRoot('./dist/core-errors.js') as typeof import('../../../src/core/errors');
  assert.ok(new engine.PromptLabError('x', 'input') instanceof shared.PromptLabError);
  const activation = fs.readFileSync(path.join(root, 'dist/extension.js'), 'utf8');
  assert.match(activation, /require\("\.\/core-errors\.js"\)/);
  assert.doesNotMatch(activation, /class PromptLabError/);
});

void test('the webview bundles carry no core code: protocol names core types only, and types are erased', () => {
  const dir = path.join(root, 'dist/webview');
  const maps = fs.readdirSync(dir).filter((f) => f.endsWith('.main.js.map'));
  assert.ok(maps.length >= 2, `the run panel and compare bundles are built (${maps.join(', ')})`);
  for (const map of maps) {
    const sources = (JSON.parse(fs.readFileSync(path.join(dir, map), 'utf8')) as { sources: string[] }).sources;
    assert.ok(
      sources.some((s) => s.endsWith('src/protocol/common.ts')),
      `${map} lists its sources (the protocol's guards among them)`,
    );
    assert.deepEqual(
      sources.filter((s) => s.includes('src/core/')),
      [],
      `${map} holds no file of src/core`,
    );
  }
});
