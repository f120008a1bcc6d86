// How a provider tells the scheduler what went wrong with one attempt, so that the scheduler
// (the only place that retries) can decide: wait and retry, back off, or give up.
import { PromptLabError } from '../errors';
import type { RateLimitSignals } from './headers';

/** `rate-limit`: 429, retried while the case's wait budget lasts; `server` (5xx, 408, 409) and `connection` (reset, dropped reply): bounded retries. */
export type RetryClass = 'rate-limit' | 'server' | 'connection';

/** Why an attempt may be retried. */
export interface RetryHint {
  retryClass: RetryClass;
  /** e.g. `429 rate limited`, `500 server error`, `connection dropped during the reply`. */
  reason: string;
  /** Rate-limit headers of the failed response, when it had any. */
  signals?: RateLimitSignals;
}

export class ProviderError extends PromptLabError {
  constructor(
    message: string,
    /** Undefined: retrying cannot help (401, 404, 400, timeout, refused connection …). */
    readonly retry?: RetryHint,
  ) {
    super(message, 'provider');
    this.name = 'ProviderError';
  }
}

/**
 * How long one case may wait on rate limits and retries, shared by every request of the case
 * (its samples, judge and embedding calls). The scheduler spends it; when a wait would go past
 * it, the request fails with a message that says so.
 */
export class WaitBudget {
  spentMs = 0;

  constructor(readonly limitMs: number) {}

  get remainingMs(): number {
    return Math.max(0, this.limitMs - this.spentMs);
  }
}

/** `850 ms`, `12.5 s`, `10 min`, `1 h 5 min`. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes - hours * 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
