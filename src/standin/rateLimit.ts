// The stand-in's rate limit: token buckets for requests and (optionally) tokens, answered the way
// OpenAI answers: every chat/embedding response carries `x-ratelimit-*` headers, and a request
// beyond the limit gets 429 with `retry-after-ms` / `retry-after` (the wait until it would fit).
// A rejected request takes nothing from the buckets (as with OpenAI).

export interface RateLimitSettings {
  /** Requests per second the request bucket refills; 0 or absent: no request limit. */
  requestsPerSecond?: number;
  /** Request bucket capacity (default: one second's worth, at least 1). */
  burst?: number;
  /** Tokens per second the token bucket refills (prompt tokens + max_tokens of each request). */
  tokensPerSecond?: number;
  /** Token bucket capacity (default: one second's worth). */
  tokenBurst?: number;
}

export type Admission =
  { ok: true; headers: Record<string, string> } | { ok: false; retryAfterMs: number; headers: Record<string, string> };

/** OpenAI writes resets as Go durations: `1s`, `6m0s`, `20ms`. */
export function formatResetDuration(ms: number): string {
  if (ms < 1000) return `${Math.ceil(ms)}ms`;
  const totalSeconds = ms / 1000;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds - minutes * 60;
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/0+$/, '')}s`;
  return minutes > 0 ? `${minutes}m${secondsText}` : secondsText;
}

class Bucket {
  private level: number;
  private updated: number;

  constructor(
    readonly perSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.updated = now;
  }

  private refill(now: number): void {
    this.level = Math.min(this.capacity, this.level + ((now - this.updated) / 1000) * this.perSecond);
    this.updated = now;
  }

  /** Milliseconds until `amount` fits (0 when it fits now). */
  waitFor(amount: number, now: number): number {
    this.refill(now);
    const needed = Math.min(amount, this.capacity) - this.level;
    return needed <= 0 ? 0 : Math.ceil((needed / this.perSecond) * 1000);
  }

  take(amount: number): void {
    this.level -= Math.min(amount, this.capacity);
  }

  headers(kind: 'requests' | 'tokens'): Record<string, string> {
    return {
      [`x-ratelimit-limit-${kind}`]: String(this.capacity),
      [`x-ratelimit-remaining-${kind}`]: String(Math.max(0, Math.floor(this.level))),
      [`x-ratelimit-reset-${kind}`]: formatResetDuration(((this.capacity - this.level) / this.perSecond) * 1000),
    };
  }
}

export class RateLimiter {
  private requests: Bucket | undefined;
  private tokens: Bucket | undefined;
  private key = '';

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Applies settings; buckets are rebuilt (full) only when their settings change. */
  configure(settings: RateLimitSettings): void {
    const key = JSON.stringify([
      settings.requestsPerSecond,
      settings.burst,
      settings.tokensPerSecond,
      settings.tokenBurst,
    ]);
    if (key === this.key) return;
    this.key = key;
    this.reset(settings);
  }

  reset(settings: RateLimitSettings): void {
    const now = this.clock();
    const rps = settings.requestsPerSecond ?? 0;
    const tps = settings.tokensPerSecond ?? 0;
    this.requests = rps > 0 ? new Bucket(rps, Math.max(1, settings.burst ?? rps), now) : undefined;
    this.tokens = tps > 0 ? new Bucket(tps, Math.max(1, settings.tokenBurst ?? tps), now) : undefined;
  }

  get active(): boolean {
    return this.requests !== undefined || this.tokens !== undefined;
  }

  /** Takes one request and `tokenCost` tokens when both fit; otherwise says how long to wait. */
  admit(tokenCost: number): Admission {
    const now = this.clock();
    const wait = Math.max(this.requests?.waitFor(1, now) ?? 0, this.tokens?.waitFor(tokenCost, now) ?? 0);
    if (wait === 0) {
      this.requests?.take(1);
      this.tokens?.take(tokenCost);
    }
    const headers = { ...this.requests?.headers('requests'), ...this.tokens?.headers('tokens') };
    if (wait === 0) return { ok: true, headers };
    return { ok: false, retryAfterMs: wait, headers };
  }
}

/** What a request takes from the token bucket: its prompt tokens plus the most it may generate. */
export function requestTokenCost(body: Record<string, unknown>, countTokens: (text: string) => number): number {
  const text = (value: unknown): string =>
    typeof value === 'string' ? value : Array.isArray(value) ? value.map(text).join(' ') : '';
  const messages = Array.isArray(body.messages)
    ? body.messages.map((m: unknown) => text((m as { content?: unknown } | null)?.content)).join(' ')
    : '';
  const maxTokens =
    typeof body.max_completion_tokens === 'number'
      ? body.max_completion_tokens
      : typeof body.max_tokens === 'number'
        ? body.max_tokens
        : 0;
  return countTokens(`${messages} ${text(body.input)}`) + maxTokens;
}
