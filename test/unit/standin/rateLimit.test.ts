// The stand-in's token-bucket rate limit, over real sockets: OpenAI's headers on every answer,
// 429 with retry-after-ms beyond the limit, refill over time, and the bucket-free random knobs.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { formatResetDuration, RateLimiter } from '../../../src/standin/rateLimit';
import { type Standin } from '../../../src/standin/server';
import { parseResetDuration, readRateLimitSignals } from '../../../src/core/schedule/headers';
import { standinFixture } from '../support/standinSetup';

async function chat(standin: Standin, content: string, extra: Record<string, unknown> = {}): Promise<Response> {
  const response = await fetch(`${standin.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'standin', messages: [{ role: 'user', content }], ...extra }),
  });
  await response.arrayBuffer();
  return response;
}

void describe('stand-in rate limit', () => {
  const fixture = standinFixture('standin-ratelimit');
  beforeEach(() => {
    fixture.standin.setOptions({
      requestsPerSecond: 0,
      burst: undefined,
      tokensPerSecond: 0,
      tokenBurst: undefined,
      fail429Rate: 0,
    });
    fixture.standin.resetStats();
  });

  void it('sends no rate-limit headers when no limit is set', async () => {
    const response = await chat(fixture.standin, 'hi');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), null);
  });

  void it('answers within the burst with x-ratelimit-* headers, then 429 with retry-after-ms', async () => {
    // Slow refill (one request per 5 s), so a loaded machine cannot refill the bucket between requests.
    fixture.standin.setOptions({ requestsPerSecond: 0.2, burst: 3 });
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await chat(fixture.standin, `q${i}`);
      statuses.push(last.status);
      if (i === 0) {
        assert.equal(last.headers.get('x-ratelimit-limit-requests'), '3');
        assert.equal(last.headers.get('x-ratelimit-remaining-requests'), '2');
        assert.match(
          last.headers.get('x-ratelimit-reset-requests') ?? '',
          /^[\d.]+s$/,
          'about 5 s until the bucket is full',
        );
      }
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    const retryAfterMs = Number(last?.headers.get('retry-after-ms'));
    // One request refills in 5 s at 0.2/s; some of it has passed since the bucket emptied.
    assert.ok(retryAfterMs > 0 && retryAfterMs <= 5000, `retry-after-ms ${retryAfterMs}`);
    assert.equal(last?.headers.get('retry-after'), String(Math.ceil(retryAfterMs / 1000)));
    assert.equal(last?.headers.get('x-ratelimit-remaining-requests'), '0');
    assert.equal(fixture.standin.stats.rateLimited, 1);
    assert.deepEqual(fixture.standin.stats.byStatus, { 200: 3, 429: 1 });
    // The core reads what the stand-in writes.
    const signals = readRateLimitSignals(last?.headers);
    assert.equal(signals?.requests?.remaining, 0);
    assert.equal(signals?.requests?.limit, 3);
    assert.equal(signals?.retryAfterMs, retryAfterMs);
  });

  void it('refills: after the wait it asked for, the request is answered', async () => {
    fixture.standin.setOptions({ requestsPerSecond: 1, burst: 1 });
    assert.equal((await chat(fixture.standin, 'a')).status, 200);
    const limited = await chat(fixture.standin, 'b');
    assert.equal(limited.status, 429);
    await new Promise((resolve) => setTimeout(resolve, Number(limited.headers.get('retry-after-ms')) + 5));
    assert.equal((await chat(fixture.standin, 'b')).status, 200);
  });

  void it('limits tokens too: prompt tokens plus max_tokens, with the tokens headers', async () => {
    fixture.standin.setOptions({ tokensPerSecond: 1, tokenBurst: 30 });
    const first = await chat(fixture.standin, 'one two three four five', { max_tokens: 10 });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('x-ratelimit-limit-tokens'), '30');
    assert.equal(first.headers.get('x-ratelimit-remaining-tokens'), '15');
    const second = await chat(fixture.standin, 'one two three four five', { max_tokens: 20 });
    assert.equal(second.status, 429);
    assert.ok(Number(second.headers.get('retry-after-ms')) > 0);
  });

  void it('a rejected request takes nothing from the bucket (requests over the limit do not pile up)', () => {
    let now = 0;
    const limiter = new RateLimiter(() => now);
    limiter.configure({ requestsPerSecond: 10, burst: 1 });
    assert.equal(limiter.admit(0).ok, true);
    for (let i = 0; i < 5; i++) assert.equal(limiter.admit(0).ok, false);
    now = 100;
    assert.equal(limiter.admit(0).ok, true);
  });

  void it('writes resets as OpenAI does, and the core reads them back', () => {
    for (const [ms, text] of [
      [20, '20ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [360_000, '6m0s'],
    ] as const) {
      assert.equal(formatResetDuration(ms), text);
      assert.equal(parseResetDuration(text), ms);
    }
    assert.equal(parseResetDuration('2'), 2000);
    assert.equal(parseResetDuration('soon'), undefined);
  });
});
