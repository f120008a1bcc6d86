// Canonical JSON (object keys sorted, recursively) and the stable case key built from it.
import crypto from 'node:crypto';

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

/** One-shot `crypto.hash` (Node ≥ 20.12) costs about a third of a Hash object per call; older hosts get the object. */
const oneShotHash = typeof crypto.hash === 'function' ? crypto.hash : undefined;

export function sha256Hex(text: string): string {
  return oneShotHash ? oneShotHash('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

function sha256Bytes(text: string): Buffer {
  return oneShotHash ? oneShotHash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();
}

/**
 * Stable key of a case: a hash of its canonicalised variables. The same variables give the same
 * key in any run, model or revision, so compare can pair cases even when their order changes.
 */
export function caseKey(vars: Record<string, unknown>): string {
  // Hex of the first 8 bytes: a slice of the 64-character hex would keep that alive too (every result holds its key).
  return sha256Bytes(canonicalJson(vars)).toString('hex', 0, 8);
}
