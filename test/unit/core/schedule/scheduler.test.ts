// The scheduler's decisions, driven by attempts that fail the way providers fail (ProviderError
// with a retry hint). Socket-level runs are in rateLimitRun.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromptLabError } from '../../../../src/core/errors';
import { ProviderError, WaitBudget, formatWait } from '../../../../src/core/schedule/failure';
import type { RateLimitSignals } from '../../../../src/core/schedule/headers';
import {
  EndpointScheduler,
  describeThrottle,
  type RequestStart,
  type ThrottleState,
} from '../../../../src/core/schedule/scheduler';

const START = () => ({ kind: 'chat' as const, model: 'm', texts: ['hi'] });

function rateLimited(signals?: RateLimitSignals): ProviderError {
  return new ProviderError('endpoint at http://x is rate limiting requests (429): slow down', {
    retryClass: 'rate-limit',
    reason: '429 rate limited',
    ...(signals ? { signals } : {}),
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An attempt that throws `failure` the first time and answers `answer` every time after. */
function failingOnce<T = string>(failure: Error, answer: T = 'ok' as T): () => Promise<T> {
  let failed = false;
  return async () => {
    if (failed) return answer;
    failed = true;
    throw failure;
  };
}

/** An attempt that always throws a fresh `failure()`; `count` says how many times it was called. */
function alwaysFailing(failure: () => Error): { attempt: () => Promise<never>; count: number } {
  const calls = {
    count: 0,
    attempt: async (): Promise<never> => {
      calls.count++;
      throw failure();
    },
  };
  return calls;
}

const serverError = () => new ProviderError('failed with 500', { retryClass: 'server', reason: '500 server error' });

void describe('EndpointScheduler', () => {
  void it('starts at the ceiling, halves on a 429 saying the limit is used up, grows back with successes', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 8, random: () => 1 });
    assert.equal(scheduler.state().concurrency, 8);
    await scheduler.run({
      start: START,
      attempt: failingOnce(rateLimited({ retryAfterMs: 1, requests: { limit: 100, remaining: 0 } })),
    });
    // One cut (8 → 4), then one success grows it by 1/4.
    assert.equal(scheduler.state().concurrency, 4);
    for (let i = 0; i < 40; i++) await scheduler.run({ start: START, attempt: async () => 'ok' });
    assert.equal(scheduler.state().concurrency, 8, 'back at the ceiling, never above it');
    assert.equal(scheduler.state().rateLimited, 1);
  });

  void it('never has more requests in flight than its limit', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 3 });
    let inFlight = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 12 }, () =>
        scheduler.run({
          start: START,
          attempt: async () => {
            peak = Math.max(peak, ++inFlight);
            await delay(5);
            inFlight--;
            return 'ok';
          },
        }),
      ),
    );
    assert.equal(peak, 3);
  });

  void it('a 429 saying the limit is used up holds back every request (shared cool-down)', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 4 });
    const startedAt: number[] = [];
    const t0 = performance.now();
    let first = true;
    const attempt = async (): Promise<string> => {
      startedAt.push(performance.now() - t0);
      if (first) {
        first = false;
        throw rateLimited({ retryAfterMs: 600, requests: { limit: 10, remaining: 0, resetMs: 1000 } });
      }
      return 'ok';
    };
    const one = scheduler.run({ start: START, attempt });
    await delay(20);
    assert.ok(scheduler.state().waitMs > 0, 'cool-down in force');
    assert.equal(describeThrottle(scheduler.state()).startsWith('rate limited, 0 in flight, waiting'), true);
    const other = scheduler.run({ start: START, attempt });
    await Promise.all([one, other]);
    assert.ok((startedAt[1] ?? 0) >= 590, `the other request waited for the cool-down (started at ${startedAt[1]} ms)`);
  });

  void it('a one-off 429 (limit not used up) holds back only its own request', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 4 });
    const one = scheduler.run({
      start: START,
      attempt: failingOnce(rateLimited({ retryAfterMs: 1000, requests: { limit: 10, remaining: 7 } }), 'late'),
    });
    await delay(10);
    const t0 = performance.now();
    await scheduler.run({ start: START, attempt: async () => 'now' });
    assert.ok(performance.now() - t0 < 700, 'the other request did not wait');
    assert.equal(scheduler.state().waitMs, 0);
    assert.equal((await one).value, 'late');
    assert.equal(scheduler.state().concurrency, 4, 'nor lowered the concurrency');
  });

  void it('without x-ratelimit headers, treats mostly-429 answers as a used-up limit', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 8 });
    const bare = async (): Promise<string> => {
      throw rateLimited({ retryAfterMs: 400 });
    };
    const calls = [0, 1, 2].map(() =>
      scheduler.run({ start: START, attempt: bare, budget: new WaitBudget(300) }).catch(() => 'gave up'),
    );
    await Promise.all(calls);
    // The first 429 alone is a one-off; from the second, most answers are 429s: pause and cut.
    assert.ok(scheduler.state().waitMs > 0, 'a shared pause');
    assert.ok(scheduler.state().concurrency < 8, 'fewer in flight');
  });

  void it('keeps retrying 429s until the wait budget is spent, then says so', async () => {
    const scheduler = new EndpointScheduler('http://x', {
      maxConcurrency: 2,
      maxWaitMs: 200,
      maxWaitHint: 'raise it with --max-wait',
    });
    const limited = alwaysFailing(() => rateLimited({ retryAfterMs: 30 }));
    await assert.rejects(
      scheduler.run({ start: START, attempt: limited.attempt }),
      (error: unknown) =>
        error instanceof PromptLabError &&
        /rate limiting requests \(429\).* still rate limited after waiting \d+ ms: the 200 ms a case may wait on rate limits and retries are used up; raise it with --max-wait/.test(
          error.message,
        ),
    );
    assert.ok(limited.count >= 2 && limited.count <= 8, `${limited.count} attempts in 200 ms of 30 ms waits`);
  });

  void it('one budget is shared by the requests of a case', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 2 });
    const budget = new WaitBudget(100);
    let n = 0;
    const flaky = async (): Promise<string> => {
      if (n++ % 2 === 0) throw rateLimited({ retryAfterMs: 60 });
      return 'ok';
    };
    await scheduler.run({ start: START, attempt: flaky, budget });
    assert.ok(budget.spentMs >= 55, `spent ${budget.spentMs} ms`);
    await assert.rejects(
      scheduler.run({ start: START, attempt: flaky, budget }),
      /still rate limited after waiting \d+ ms: the 100 ms a case may wait on rate limits and retries are used up/,
    );
  });

  void it('bounds retries of server errors and does not retry what a retry cannot cure', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 2, maxRetries: 2, backoffBaseMs: 1 });
    const server = alwaysFailing(serverError);
    await assert.rejects(
      scheduler.run({ start: START, attempt: server.attempt }),
      /failed with 500 \(gave up after 2 retries\)/,
    );
    assert.equal(server.count, 3);
    const refused = alwaysFailing(() => new ProviderError('rejected the API key (401)'));
    await assert.rejects(scheduler.run({ start: START, attempt: refused.attempt }), /401/);
    assert.equal(refused.count, 1);
  });

  void it('jitters backoff between half and all of the exponential step', async () => {
    const delays: number[] = [];
    for (const random of [() => 0, () => 1]) {
      const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 1, backoffBaseMs: 40, random });
      await scheduler.run({
        start: START,
        attempt: failingOnce(
          new ProviderError('dropped', { retryClass: 'connection', reason: 'connection dropped during the reply' }),
        ),
        onRetry: (info) => delays.push(info.delayMs),
      });
    }
    assert.deepEqual(delays, [20, 40]);
  });

  void it('fail fast: the first failure is final', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 2, failFast: true });
    const limited = alwaysFailing(() => rateLimited({ retryAfterMs: 1 }));
    await assert.rejects(scheduler.run({ start: START, attempt: limited.attempt }), /\(not retried: fail fast\)/);
    assert.equal(limited.count, 1);
  });

  void it('calls the gate right before every attempt; a refusal fails the request without sending it', async () => {
    const seen: RequestStart[] = [];
    const ended: boolean[] = [];
    let allow = true;
    const scheduler = new EndpointScheduler('http://x', {
      maxConcurrency: 2,
      random: () => 1,
      gate: (start) => {
        seen.push(start);
        if (!allow) throw new PromptLabError('not run: budget', 'input');
        return (end) => ended.push(end.ok);
      },
    });
    let sent = 0;
    const limitedOnce = failingOnce(rateLimited({ retryAfterMs: 1 }));
    await scheduler.run({
      start: () => ({ ...START(), maxTokens: 50 }),
      attempt: () => {
        sent++;
        return limitedOnce();
      },
    });
    assert.deepEqual(
      seen.map((s) => [s.attempt, s.endpointOrigin, s.maxTokens]),
      [
        [1, 'http://x', 50],
        [2, 'http://x', 50],
      ],
    );
    assert.deepEqual(ended, [false, true]);
    allow = false;
    await assert.rejects(scheduler.run({ start: START, attempt: async () => String(++sent) }), /not run: budget/);
    assert.equal(sent, 2, 'the refused request was never sent');
    assert.equal(scheduler.state().inFlight, 0, 'its slot was given back');
  });

  void it('a call without `start` (a Batch API upload, poll or download) is retried like any other but never shown to the gate', async () => {
    let gated = 0;
    const scheduler = new EndpointScheduler('http://x', {
      maxConcurrency: 1,
      random: () => 1,
      backoffBaseMs: 1,
      gate: () => {
        gated++;
        throw new PromptLabError('not run: budget', 'input');
      },
    });
    let attempts = 0;
    const { value, retries } = await scheduler.run({
      attempt: async () => {
        if (++attempts === 1) throw rateLimited({ retryAfterMs: 1 });
        if (attempts === 2)
          throw new ProviderError('500 at http://x', { retryClass: 'server', reason: '500 server error' });
        return 'downloaded';
      },
    });
    assert.equal(value, 'downloaded');
    assert.equal(retries, 2);
    assert.equal(gated, 0);
  });

  void it('a success reporting the limit used up pauses starts until one request fits', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 4 });
    await scheduler.run({
      start: START,
      attempt: async () => 'ok',
      signalsOf: () => ({ requests: { limit: 10, remaining: 0, resetMs: 1000 } }),
    });
    const wait = scheduler.state().waitMs;
    assert.ok(wait > 0 && wait <= 100, `one slot of a 10-per-second limit: ${wait} ms`);
  });

  void it('reports state changes, at once when the run becomes limited', async () => {
    const states: ThrottleState[] = [];
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 4, onState: (s) => states.push(s) });
    await scheduler.run({
      start: START,
      attempt: failingOnce(rateLimited({ retryAfterMs: 5, requests: { remaining: 0 } })),
    });
    scheduler.dispose();
    assert.ok(states.some((s) => s.limited && s.rateLimited === 1));
    assert.equal(describeThrottle({ ...states[0]!, limited: false }), '');
    assert.equal(
      describeThrottle({
        endpointOrigin: 'x',
        limited: true,
        inFlight: 12,
        concurrency: 12,
        ceiling: 16,
        waitMs: 800,
        waiting: 3,
        rateLimited: 9,
        retries: 9,
      }),
      'rate limited, 12 in flight, waiting 0.8 s',
    );
  });

  void it('formats waits for messages', () => {
    assert.deepEqual(
      [formatWait(850), formatWait(12_500), formatWait(600_000), formatWait(3_900_000)],
      ['850 ms', '12.5 s', '10 min', '1 h 5 min'],
    );
  });
});

void describe('EndpointScheduler retry counting', () => {
  void it('does not count 429s against the bound on server-error retries', async () => {
    const scheduler = new EndpointScheduler('http://x', { maxConcurrency: 1, maxRetries: 1, backoffBaseMs: 1 });
    // 500, 429, 429, 429, then success: one server-error retry, within maxRetries 1.
    const script: (ProviderError | undefined)[] = [
      serverError(),
      rateLimited({ retryAfterMs: 1 }),
      rateLimited({ retryAfterMs: 1 }),
      rateLimited({ retryAfterMs: 1 }),
    ];
    const { value, retries } = await scheduler.run({
      start: START,
      attempt: async () => {
        const next = script.shift();
        if (next) throw next;
        return 'ok';
      },
    });
    assert.equal(value, 'ok');
    assert.equal(retries, 4);
  });
});

void describe('SchedulerPool', () => {
  void it('gives every provider object of one endpoint the same scheduler, and keeps its retry limits', async () => {
    const { SchedulerPool } = await import('../../../../src/core/schedule/pool');
    const pool = new SchedulerPool({ maxConcurrency: 2 });
    const provider = (origin: string) => ({
      kind: 'custom',
      endpointOrigin: origin,
      retryLimits: { maxRetries: 0 },
      chat: async () => ({ text: 'x', latencyMs: 0 }),
    });
    const a = pool.schedulerFor(provider('http://a'));
    assert.equal(
      pool.schedulerFor(provider('http://a')),
      a,
      'a wrapper made per resolve shares the endpoint scheduler',
    );
    assert.notEqual(pool.schedulerFor(provider('http://b')), a);
    const server = alwaysFailing(serverError);
    await assert.rejects(a.run({ start: START, attempt: server.attempt }), /gave up after 0 retries/);
    assert.equal(server.count, 1);
  });
});
