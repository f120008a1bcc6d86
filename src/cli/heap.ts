// How fast the CLI's heap grows between full garbage collections. V8 lets a small heap grow to up
// to four times what survived the last mark-compact, so a run's short-lived garbage (replies,
// events, run-file lines) pushed the 10,000-case benchmark to ≈ 250 MB RSS with ≈ 30 MB live
// (docs/performance.md, (h)). A growth factor of 2 keeps that to ≈ 190 MB at the same CPU. It is
// not a cap: a suite that needs more memory still gets it, only collected a little more often.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWTH_FLAG = '--heap-growing-percent=100';

/**
 * The V8 flag to set, or undefined when the user already chose one on node's command line. (Node
 * refuses this flag in NODE_OPTIONS, exit 9, so the command line is the only place it can be.)
 */
export function heapGrowthFlag(execArgv: readonly string[]): string | undefined {
  const chosen = execArgv.some((arg) => /^--heap[-_]growing[-_]percent(=|$)/.test(arg));
  return chosen ? undefined : HEAP_GROWTH_FLAG;
}

export function limitHeapGrowth(): void {
  const flag = heapGrowthFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}
