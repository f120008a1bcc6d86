// `eval --shard i/n`: a stable slice of a suite by case key, so each CI machine runs its own
// cases whatever the order of the file, and the n slices together hold every case exactly once.

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parses `i/n` (1 ≤ i ≤ n); undefined when the text is not of that form. */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  return count >= 1 && index >= 1 && index <= count ? { index, count } : undefined;
}

/** The case key (16 hex digits of a SHA-256) picks the slice: uniform, and independent of the other cases. */
export function shardOf(caseKey: string, count: number): number {
  return (Number.parseInt(caseKey.slice(0, 8), 16) % count) + 1;
}

export function inShard(caseKey: string, shard: Shard): boolean {
  return shardOf(caseKey, shard.count) === shard.index;
}
