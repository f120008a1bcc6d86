// The engine (runner, providers with the `openai` client, Ajv, store, cache, compare, diff) is a
// second bundle, dist/engine.js, loaded on first use: the activation bundle (dist/extension.js)
// carries the language features only. Both bundles share one copy of core's errors
// (dist/core-errors.js, see scripts/build.mjs), so `instanceof PromptLabError` holds across them.
import * as path from 'node:path';

type Engine = typeof import('../core');

/** Next to dist/extension.js; scripts/build.mjs bundles src/core/index.ts there. */
const ENGINE_BUNDLE = 'engine.js';

let loading: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  // A computed path: esbuild leaves the require alone instead of inlining the engine.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loading ??= Promise.resolve().then(() => require(path.join(__dirname, ENGINE_BUNDLE)) as Engine);
  return loading;
}

export type { Engine };
