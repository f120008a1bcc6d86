// One scheduler per endpoint: every request of a run to that endpoint (cases, repeats, judge and
// embedding calls) starts here. Rate limits are flow control, not failures:
// - when the server says its limit is used up (`x-ratelimit-remaining-*: 0`, or most recent
//   answers are 429s when it sends no such header):
//   - adaptive concurrency (AIMD): the limit on requests in flight starts at the ceiling
//     (`--concurrency`), is halved (at most once per round trip) and grows back by one per
//     limit's worth of successes;
//   - a shared cool-down: no request starts before the wait it asked for (`retry-after-ms`,
//     `retry-after`, or one slot's worth of `x-ratelimit-reset-*`);
//   a one-off 429 (the limit not used up) only holds back its own request;
// - 429s are retried for as long as the case's wait budget (`--max-wait`) lasts; 5xx and dropped
//   connections get a bounded number of retries with jittered exponential backoff;
// - `failFast`: nothing is retried.
// This is the only retry loop: providers make single attempts (the `openai` client's own retries
// are off) and classify their failures (ProviderError).
import { PromptLabError } from '../errors';
import type { TokenUsage } from '../run/types';
import { ProviderError, type RetryHint, WaitBudget, formatWait } from './failure';
import { type RateLimitSignals, isExhausted, waitFromLimits } from './headers';
import type { ThrottleState } from './types';

export type { ThrottleState } from './types';

export const DEFAULT_MAX_WAIT_MS = 600_000;
const DEFAULT_MAX_RETRIES = 3;
const DEFAULT_BACKOFF_BASE_MS = 500;
const MAX_BACKOFF_MS = 8_000;
/** A run counts as "rate limited" for this long after its last 429 or cool-down. */
const LIMITED_LINGER_MS = 2_000;
const STATE_INTERVAL_MS = 100;
const RECENT_OUTCOMES = 10;

/** What is about to be sent: the budget gate (`--max-cost`) decides from this whether it may start. */
export interface RequestStart {
  endpointOrigin: string;
  kind: 'chat' | 'embedding';
  model: string;
  /** Chat messages, or the texts to embed. */
  texts: readonly string[];
  /** The reply's token limit when the request sets one (chat). */
  maxTokens?: number;
  /** 1 for the first attempt, 2 for the first retry … */
  attempt: number;
}

export interface RequestEnd {
  ok: boolean;
  usage?: TokenUsage;
}

/**
 * Called once right before each attempt is sent, after the scheduler has let it start. Throw to
 * refuse it (the request then fails with that error and is not retried). May return a callback
 * that is called when the attempt ends.
 */
export type RequestGate = (start: RequestStart) => ((end: RequestEnd) => void) | void;

/** "rate limited, 12 in flight, waiting 0.8 s"; empty when the provider is not holding the run back. */
export function describeThrottle(state: ThrottleState | undefined): string {
  if (!state?.limited) return '';
  const parts = ['rate limited', `${state.inFlight} in flight`];
  if (state.waitMs > 0) parts.push(`waiting ${(state.waitMs / 1000).toFixed(1)} s`);
  else if (state.waiting > 0) parts.push(`${state.waiting} waiting`);
  return parts.join(', ');
}

export interface SchedulerOptions {
  /** Ceiling of requests in flight at once (the run's concurrency). */
  maxConcurrency: number;
  /** Per case: the longest it may wait on rate limits and retries. Default 10 minutes. */
  maxWaitMs?: number;
  /** Retries for 5xx and dropped connections. Default 3. */
  maxRetries?: number;
  backoffBaseMs?: number;
  /** No retries at all: the first failure is final. */
  failFast?: boolean;
  gate?: RequestGate;
  /** Told when the state changes (at most every 100 ms, at once when `limited` flips). */
  onState?: (state: ThrottleState) => void;
  /** Appended to "wait budget used up" messages, e.g. "raise it with --max-wait". */
  maxWaitHint?: string;
  /** Jitter source (tests). */
  random?: () => number;
}

export interface ScheduledCall<T> {
  /**
   * What the gate is told; built only when there is a gate. Absent for calls that are not model
   * requests (a Batch API's upload, create, poll, download): the gate is not asked about them.
   */
  start?: () => Omit<RequestStart, 'attempt' | 'endpointOrigin'>;
  /** One attempt; throws ProviderError (or anything else: not retried). */
  attempt: () => Promise<T>;
  signal?: AbortSignal;
  budget?: WaitBudget;
  /** Told before each retry; `discardPartial` when the failed attempt had streamed text. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string; discardPartial: boolean }) => void;
  /** Whether the current attempt already delivered text (streaming). */
  delivered?: () => boolean;
  /** Rate-limit headers and usage of a successful attempt. */
  signalsOf?: (value: T) => RateLimitSignals | undefined;
  usageOf?: (value: T) => TokenUsage | undefined;
}

interface Waiter {
  resolve: (granted: boolean) => void;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class EndpointScheduler {
  readonly #origin: string;
  readonly #options: SchedulerOptions;
  readonly #ceiling: number;
  readonly #maxWaitMs: number;
  #limit: number;
  #inFlight = 0;
  #coolUntil = 0;
  /** Why the cool-down was set (for messages to requests that cannot wait that long). */
  #coolCause = '';
  readonly #queue: Waiter[] = [];
  #drainTimer: ReturnType<typeof setTimeout> | undefined;
  #lastCut = Number.NEGATIVE_INFINITY;
  #lastLimitedAt = Number.NEGATIVE_INFINITY;
  #smoothedLatencyMs = 0;
  readonly #recent: boolean[] = [];
  #rateLimited = 0;
  #retries = 0;
  #sleeping = 0;
  #stateTimer: ReturnType<typeof setTimeout> | undefined;
  #lastStateAt = Number.NEGATIVE_INFINITY;
  #lastLimited = false;
  #disposed = false;

  constructor(endpointOrigin: string, options: SchedulerOptions) {
    this.#origin = endpointOrigin;
    this.#options = options;
    this.#ceiling = Math.max(1, Math.floor(options.maxConcurrency));
    this.#limit = this.#ceiling;
    this.#maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  get maxWaitMs(): number {
    return this.#maxWaitMs;
  }

  state(now = performance.now()): ThrottleState {
    return {
      endpointOrigin: this.#origin,
      limited: this.#isLimited(now),
      inFlight: this.#inFlight,
      concurrency: Math.floor(this.#limit),
      ceiling: this.#ceiling,
      waitMs: Math.max(0, Math.round(this.#coolUntil - now)),
      waiting: this.#queue.length + this.#sleeping,
      rateLimited: this.#rateLimited,
      retries: this.#retries,
    };
  }

  /** Stops state reports (the run is over). */
  dispose(): void {
    this.#disposed = true;
    clearTimeout(this.#stateTimer);
    clearTimeout(this.#drainTimer);
  }

  async run<T>(call: ScheduledCall<T>): Promise<{ value: T; retries: number }> {
    const budget = call.budget ?? new WaitBudget(this.#maxWaitMs);
    let notBefore = 0;
    let lastError: ProviderError | undefined;
    // Retries of 5xx and dropped connections are bounded; 429s are not counted against that bound.
    const failures = { rateLimit: 0, server: 0 };
    for (let attempt = 1; ; attempt++) {
      await this.#acquire(notBefore, budget, call.signal, lastError);
      let end: ((end: RequestEnd) => void) | void;
      try {
        // The single place where a request is about to start.
        end = call.start ? this.#options.gate?.({ ...call.start(), endpointOrigin: this.#origin, attempt }) : undefined;
      } catch (error) {
        this.#release();
        throw error;
      }
      const started = performance.now();
      let value: T;
      try {
        value = await call.attempt();
      } catch (error) {
        this.#release();
        end?.({ ok: false });
        if (call.signal?.aborted) throw call.signal.reason ?? error;
        if (!(error instanceof ProviderError) || error.retry === undefined) throw error;
        const count = error.retry.retryClass === 'rate-limit' ? ++failures.rateLimit : ++failures.server;
        const delayMs = this.#retryDelay(error, error.retry, count, budget);
        lastError = error;
        this.#retries++;
        call.onRetry?.({
          attempt,
          delayMs: Math.round(delayMs),
          reason: error.retry.reason,
          discardPartial: call.delivered?.() ?? false,
        });
        notBefore = performance.now() + delayMs;
        this.#changed();
        continue;
      }
      this.#onSuccess(performance.now() - started, call.signalsOf?.(value));
      this.#release();
      end?.({ ok: true, ...(call.usageOf?.(value) ? { usage: call.usageOf(value) as TokenUsage } : {}) });
      return { value, retries: attempt - 1 };
    }
  }

  /** Waits until the request may start (its retry time, the shared cool-down, a free slot). */
  async #acquire(
    notBefore: number,
    budget: WaitBudget,
    signal: AbortSignal | undefined,
    lastError: ProviderError | undefined,
  ): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      const until = Math.max(notBefore, this.#coolUntil);
      if (until > now) {
        const wait = until - now;
        if (wait > budget.remainingMs) throw this.#outOfBudget(lastError, wait, budget);
        this.#sleeping++;
        this.#changed();
        try {
          await sleep(wait, signal);
        } finally {
          this.#sleeping--;
          budget.spentMs += performance.now() - now;
        }
        continue;
      }
      if (this.#queue.length === 0 && this.#inFlight < Math.floor(this.#limit)) {
        this.#inFlight++;
        this.#changed();
        return;
      }
      const granted = await new Promise<boolean>((resolve, reject) => {
        const waiter: Waiter = { resolve };
        const onAbort = (): void => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(signal?.reason as Error);
        };
        waiter.resolve = (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        };
        this.#queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
        this.#changed();
      });
      if (granted) return;
    }
  }

  #release(): void {
    this.#inFlight--;
    this.#drain();
    this.#changed();
  }

  /** Hands free slots to waiters in order; during a cool-down, wakes them all to wait on their own budget. */
  #drain(): void {
    const now = performance.now();
    if (this.#coolUntil > now) {
      for (const waiter of this.#queue.splice(0)) waiter.resolve(false);
      return;
    }
    while (this.#queue.length > 0 && this.#inFlight < Math.floor(this.#limit)) {
      this.#inFlight++;
      this.#queue.shift()?.resolve(true);
    }
  }

  #coolDown(ms: number, cause: string): void {
    const until = performance.now() + ms;
    if (until <= this.#coolUntil) return;
    this.#coolUntil = until;
    this.#coolCause = cause;
    this.#lastLimitedAt = performance.now();
    this.#drain();
    clearTimeout(this.#drainTimer);
    this.#drainTimer = setTimeout(() => this.#drain(), ms + 1);
    this.#drainTimer.unref?.();
  }

  #record(rateLimited: boolean): void {
    this.#recent.push(rateLimited);
    if (this.#recent.length > RECENT_OUTCOMES) this.#recent.shift();
  }

  #onSuccess(latencyMs: number, signals: RateLimitSignals | undefined): void {
    this.#record(false);
    this.#smoothedLatencyMs =
      this.#smoothedLatencyMs === 0 ? latencyMs : this.#smoothedLatencyMs * 0.8 + latencyMs * 0.2;
    this.#limit = Math.min(this.#ceiling, this.#limit + 1 / this.#limit);
    // The server says its limit is used up: hold off until one more request fits, instead of
    // sending requests that can only come back 429.
    if (isExhausted(signals)) {
      const wait = waitFromLimits(signals);
      if (wait !== undefined && wait > 0)
        this.#coolDown(Math.min(wait, this.#maxWaitMs), `${this.#origin} reported its rate limit used up`);
    }
  }

  /**
   * The wait before the next attempt, or throws the request's final error. `failureCount`: how
   * many times this request failed with this kind of failure (429s, or 5xx and drops together).
   */
  #retryDelay(error: ProviderError, retry: RetryHint, failureCount: number, budget: WaitBudget): number {
    if (this.#options.failFast) throw new PromptLabError(`${error.message} (not retried: fail fast)`, 'provider');
    const random = this.#options.random ?? Math.random;
    const backoff = Math.min(
      (this.#options.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS) * 2 ** (failureCount - 1),
      MAX_BACKOFF_MS,
    );
    // Equal jitter: half fixed, half random, so retries of many requests spread out.
    const jittered = backoff / 2 + (random() * backoff) / 2;
    if (retry.retryClass !== 'rate-limit') {
      const maxRetries = this.#options.maxRetries ?? DEFAULT_MAX_RETRIES;
      if (failureCount > maxRetries)
        throw new PromptLabError(
          `${error.message} (gave up after ${maxRetries} ${maxRetries === 1 ? 'retry' : 'retries'})`,
          'provider',
        );
      const wait = retry.signals?.retryAfterMs ?? jittered;
      if (wait > budget.remainingMs) throw this.#outOfBudget(error, wait, budget);
      return wait;
    }
    const now = performance.now();
    this.#rateLimited++;
    this.#lastLimitedAt = now;
    this.#record(true);
    // A 429 that says the limit is used up (or most recent answers being 429s, when the server
    // sends no x-ratelimit-remaining) is congestion: fewer requests in flight and a shared pause.
    // A one-off 429 only delays its own request.
    const congested = isExhausted(retry.signals) || (!this.#hasRemainingInfo(retry.signals) && this.#mostlyLimited());
    // Multiplicative decrease, at most once per round trip: one burst of 429s is one signal.
    if (congested && now - this.#lastCut > Math.max(100, this.#smoothedLatencyMs)) {
      this.#limit = Math.max(1, this.#limit / 2);
      this.#lastCut = now;
    }
    const asked = retry.signals?.retryAfterMs ?? waitFromLimits(retry.signals);
    const wait = asked ?? jittered;
    // The server's pause applies to every request, whether or not this one can afford to wait.
    if (congested) this.#coolDown(wait, error.message);
    if (wait > budget.remainingMs) throw this.#outOfBudget(error, wait, budget);
    return wait;
  }

  #hasRemainingInfo(signals: RateLimitSignals | undefined): boolean {
    return signals?.requests?.remaining !== undefined || signals?.tokens?.remaining !== undefined;
  }

  #mostlyLimited(): boolean {
    const limited = this.#recent.filter(Boolean).length;
    return limited >= 2 && limited * 2 >= this.#recent.length;
  }

  #outOfBudget(error: ProviderError | undefined, wait: number, budget: WaitBudget): PromptLabError {
    const what = error?.message ?? this.#coolCause;
    const hint = this.#options.maxWaitHint ? `; ${this.#options.maxWaitHint}` : '';
    const limit = formatWait(budget.limitMs);
    const message =
      budget.spentMs > 0 && wait <= budget.limitMs
        ? `${what} — still rate limited after waiting ${formatWait(budget.spentMs)}: the ${limit} a case may wait on rate limits and retries are used up${hint}`
        : `${what} — the server asked to wait ${formatWait(wait)}, longer than the ${formatWait(budget.remainingMs)} this case may still wait (max wait ${limit}); not waiting${hint}`;
    return new PromptLabError(message, 'provider');
  }

  #isLimited(now: number): boolean {
    return this.#coolUntil > now || now - this.#lastLimitedAt < LIMITED_LINGER_MS;
  }

  /** Reports the state at most every STATE_INTERVAL_MS, and at once when `limited` flips. */
  #changed(): void {
    const onState = this.#options.onState;
    if (!onState || this.#disposed) return;
    const now = performance.now();
    const limited = this.#isLimited(now);
    if (limited !== this.#lastLimited || now - this.#lastStateAt >= STATE_INTERVAL_MS) {
      clearTimeout(this.#stateTimer);
      this.#stateTimer = undefined;
      this.#report(now);
      return;
    }
    this.#stateTimer ??= setTimeout(
      () => {
        this.#stateTimer = undefined;
        if (!this.#disposed) this.#report(performance.now());
      },
      STATE_INTERVAL_MS - (now - this.#lastStateAt),
    );
    this.#stateTimer.unref?.();
  }

  #report(now: number): void {
    const state = this.state(now);
    this.#lastStateAt = now;
    this.#lastLimited = state.limited;
    this.#options.onState?.(state);
  }
}
