// The engine (runner, providers, store, cache, compare) is loaded on first use, not at activation:
// the language features need none of it.
type Engine = typeof import('../core');

let loading: Promise<Engine> | undefined;

export function loadEngine(): Promise<Engine> {
  loading ??= import('../core');
  return loading;
}

export type { Engine };
