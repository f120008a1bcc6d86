// What a server says about its rate limit, read from response headers: `retry-after-ms`,
// `retry-after` (seconds or an HTTP date) and OpenAI's `x-ratelimit-{limit,remaining,reset}-
// {requests,tokens}` (Azure OpenAI sends the same names).

export interface LimitWindow {
  limit?: number;
  remaining?: number;
  /** Milliseconds until this limit is back to its full `limit`. */
  resetMs?: number;
}

export interface RateLimitSignals {
  /** The wait the server asked for (`retry-after-ms`, else `retry-after`). */
  retryAfterMs?: number;
  requests?: LimitWindow;
  tokens?: LimitWindow;
}

interface HeaderSource {
  get(name: string): string | null;
}

const DURATION_PART = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;

/** `6m0s`, `1s`, `20ms`, `1h2m`, or a bare number of seconds; undefined when unreadable. */
export function parseResetDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  let total = 0;
  let consumed = 0;
  for (const match of trimmed.matchAll(DURATION_PART)) {
    const value = Number(match[1]);
    const unit = match[2];
    total += unit === 'h' ? value * 3_600_000 : unit === 'm' ? value * 60_000 : unit === 's' ? value * 1000 : value;
    consumed += match[0].length;
  }
  return consumed === trimmed.length && consumed > 0 ? total : undefined;
}

function nonNegative(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The wait asked for by the server: `retry-after-ms`, then `retry-after` in seconds or as an HTTP date. */
export function retryAfterMs(headers: HeaderSource | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = nonNegative(headers.get('retry-after-ms'));
  if (ms !== undefined) return ms;
  const raw = headers.get('retry-after');
  if (!raw) return undefined;
  const seconds = nonNegative(raw);
  if (seconds !== undefined) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function limitWindow(headers: HeaderSource, kind: 'requests' | 'tokens'): LimitWindow | undefined {
  const limit = nonNegative(headers.get(`x-ratelimit-limit-${kind}`));
  const remaining = nonNegative(headers.get(`x-ratelimit-remaining-${kind}`));
  const reset = headers.get(`x-ratelimit-reset-${kind}`);
  const resetMs = reset === null ? undefined : parseResetDuration(reset);
  if (limit === undefined && remaining === undefined && resetMs === undefined) return undefined;
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetMs !== undefined ? { resetMs } : {}),
  };
}

export function readRateLimitSignals(headers: HeaderSource | undefined): RateLimitSignals | undefined {
  if (!headers) return undefined;
  const signals: RateLimitSignals = {};
  const asked = retryAfterMs(headers);
  if (asked !== undefined) signals.retryAfterMs = asked;
  const requests = limitWindow(headers, 'requests');
  if (requests) signals.requests = requests;
  const tokens = limitWindow(headers, 'tokens');
  if (tokens) signals.tokens = tokens;
  return Object.keys(signals).length > 0 ? signals : undefined;
}

/** True when the server says one of its limits is used up (as opposed to a one-off 429). */
export function isExhausted(signals: RateLimitSignals | undefined): boolean {
  return signals?.requests?.remaining === 0 || signals?.tokens?.remaining === 0;
}

/**
 * How long until one more request fits, from `x-ratelimit-*` alone: a limit that refills
 * evenly brings back one request every reset / (limit − remaining). Undefined when unknown.
 */
export function waitFromLimits(signals: RateLimitSignals | undefined): number | undefined {
  let wait: number | undefined;
  for (const w of [signals?.requests, signals?.tokens]) {
    if (!w || w.remaining !== 0 || w.resetMs === undefined) continue;
    const used = w.limit !== undefined && w.limit > 0 ? w.limit : 1;
    const oneSlot = w === signals?.requests ? w.resetMs / used : w.resetMs;
    wait = Math.max(wait ?? 0, oneSlot);
  }
  return wait;
}
