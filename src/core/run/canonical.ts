// Canonical JSON (object keys sorted, recursively) and the stable case key built from it.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Stable key of a case: a hash of its canonicalised variables. The same variables give the same
 * key in any run, model or revision, so compare can pair cases even when their order changes.
 */
export function caseKey(vars: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(vars)).slice(0, 16);
}
