import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { PromptLabError } from '../../../../src/core/errors';
import { OpenAICompatibleProvider, type OpenAICompatibleOptions } from '../../../../src/core/providers/openai';
import type { ChatRequest, Provider, RetryInfo } from '../../../../src/core/providers/types';
import { SchedulerPool } from '../../../../src/core/schedule/pool';
import type { SchedulerOptions } from '../../../../src/core/schedule/scheduler';
import { keyDigest, startStandin, type Standin } from '../../../../src/standin/server';

function request(content: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { model: 'standin', messages: [{ role: 'user', content }], parameters: {}, ...extra };
}

async function freePortWithNothingListening(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp, kind = 'provider'): Promise<PromptLabError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PromptLabError, `expected PromptLabError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail('expected a rejection');
}

void describe('OpenAICompatibleProvider against the stand-in', () => {
  let standin: Standin;
  let provider: OpenAICompatibleProvider;
  const make = (options: Partial<OpenAICompatibleOptions> = {}): OpenAICompatibleProvider =>
    new OpenAICompatibleProvider({
      kind: 'custom',
      baseURL: standin.url,
      apiKey: 'sk-test-key-000',
      backoffBaseMs: 5,
      ...options,
    });
  /** The provider as a run uses it: through a scheduler (the only place that retries); no jitter. */
  const scheduled = (
    options: Partial<OpenAICompatibleOptions> = {},
    scheduler: Partial<SchedulerOptions> = {},
  ): Provider => new SchedulerPool({ maxConcurrency: 4, random: () => 1, ...scheduler }).wrap(make(options));

  before(async () => {
    standin = await startStandin();
    provider = make();
  });
  after(async () => {
    await standin.close();
  });
  beforeEach(() => {
    standin.resetStats();
    standin.setOptions({
      failNext: [],
      requireKey: undefined,
      knownModels: undefined,
      perTokenDelayMs: 0,
      latencyMs: 0,
    });
  });

  void it('streams deltas, asks for usage and measures ttft and latency', async () => {
    const deltas: string[] = [];
    const response = await provider.chat(request('one two three', { onDelta: (t) => deltas.push(t) }));
    assert.equal(response.text, 'Echo: one two three');
    assert.deepEqual(deltas, ['Echo: ', 'one ', 'two ', 'three']);
    assert.deepEqual(response.usage, { prompt: 3, completion: 4, total: 7 });
    assert.equal(response.finishReason, 'stop');
    assert.equal(response.retries, undefined);
    assert.ok(response.ttftMs !== undefined && response.ttftMs >= 0 && response.ttftMs <= response.latencyMs);
    const body = standin.lastRequest()?.body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(standin.stats.streamed, 1);
  });

  void it('passes an exception from onDelta through without retrying', async () => {
    const failure = new Error('view went away');
    await assert.rejects(
      provider.chat(
        request('a b c', {
          onDelta: () => {
            throw failure;
          },
        }),
      ),
      (error: unknown) => error === failure,
    );
    assert.equal(standin.stats.chatRequests, 1);
  });

  void it('keeps a custom Authorization header on a keyless provider', async () => {
    await make({ apiKey: undefined, headers: { Authorization: 'Bearer from-header' } }).chat(request('hi'));
    assert.equal(standin.lastRequest()?.keyDigest, keyDigest('from-header'));
  });

  void it('does not stream without onDelta', async () => {
    const response = await provider.chat(request('hello'));
    assert.equal(response.text, 'Echo: hello');
    assert.deepEqual(response.usage, { prompt: 1, completion: 2, total: 3 });
    assert.equal(response.ttftMs, undefined);
    assert.notEqual((standin.lastRequest()?.body as Record<string, unknown>).stream, true);
    assert.equal(standin.stats.streamed, 0);
  });

  void it('maps model parameters to the wire names', async () => {
    await provider.chat(
      request('a b c d e', {
        parameters: {
          maxTokens: 2,
          temperature: 0.2,
          topP: 0.9,
          presencePenalty: 0.5,
          frequencyPenalty: -0.5,
          stop: ['END'],
          seed: 7,
        },
      }),
    );
    const body = standin.lastRequest()?.body as Record<string, unknown>;
    assert.deepEqual(
      {
        max_tokens: body.max_tokens,
        temperature: body.temperature,
        top_p: body.top_p,
        presence_penalty: body.presence_penalty,
        frequency_penalty: body.frequency_penalty,
        stop: body.stop,
        seed: body.seed,
      },
      {
        max_tokens: 2,
        temperature: 0.2,
        top_p: 0.9,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        stop: ['END'],
        seed: 7,
      },
    );
    const reasoning = make({ kind: 'openai' });
    await reasoning.chat(request('x', { model: 'o4-mini', parameters: { maxTokens: 5 } }));
    const reasoningBody = standin.lastRequest()?.body as Record<string, unknown>;
    assert.equal(reasoningBody.max_completion_tokens, 5);
    assert.equal(reasoningBody.max_tokens, undefined);
  });

  void it('passes response_format json_object and json_schema through', async () => {
    const object = await provider.chat(request('hi', { responseFormat: 'json_object' }));
    assert.deepEqual((standin.lastRequest()?.body as Record<string, unknown>).response_format, { type: 'json_object' });
    assert.deepEqual(JSON.parse(object.text), { reply: 'Echo: hi' });
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    };
    const structured = await provider.chat(
      request('hi', {
        responseFormat: 'json_schema',
        jsonSchema: { name: 'place', schema, strict: true, raw: '' },
        onDelta: () => undefined,
      }),
    );
    assert.deepEqual((standin.lastRequest()?.body as Record<string, unknown>).response_format, {
      type: 'json_schema',
      json_schema: { name: 'place', schema, strict: true },
    });
    assert.deepEqual(JSON.parse(structured.text), { city: 'stand-in city' });
  });

  void it('cancels a waiting request through the AbortSignal', async () => {
    const controller = new AbortController();
    const pending = provider.chat(
      request('[[delay: 30000]] slow', { signal: controller.signal, onDelta: () => undefined }),
    );
    await standin.waitFor((s) => s.inFlight === 1);
    controller.abort();
    await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    await standin.waitFor((s) => s.clientAborts === 1 && s.inFlight === 0);
  });

  void it('cancels mid-stream', async () => {
    standin.setOptions({ perTokenDelayMs: 30_000 });
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = provider.chat(
      request('a b c', {
        signal: controller.signal,
        onDelta: (t) => {
          deltas.push(t);
          controller.abort();
        },
      }),
    );
    await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    assert.deepEqual(deltas, ['Echo: ']);
    await standin.waitFor((s) => s.inFlight === 0);
  });

  void it('times out an attempt and says so', async () => {
    await rejectsWith(
      provider.chat(request('[[delay: 30000]] slow', { timeoutMs: 150 })),
      /no complete reply within 150 ms \(timeout\)/,
    );
    standin.setOptions({ perTokenDelayMs: 30_000 });
    await rejectsWith(provider.chat(request('a b', { timeoutMs: 150, onDelta: () => undefined })), /timeout/);
    assert.equal(standin.stats.chatRequests, 2, 'timeouts are not retried');
  });

  void it('makes one attempt per call: the client does not retry on its own', async () => {
    standin.setOptions({ failNext: [{ status: 500 }] });
    const error = await rejectsWith(make().chat(request('hi')), /failed with 500/);
    assert.equal(error.name, 'ProviderError');
    assert.equal(standin.stats.chatRequests, 1);
  });

  void it('waits for Retry-After on 429, reports the retry and succeeds', async () => {
    standin.setOptions({ failNext: [{ status: 429, retryAfterMs: 120 }] });
    const retries: RetryInfo[] = [];
    const response = await scheduled().chat(
      request('hi', { onRetry: (info) => retries.push(info), onDelta: () => undefined }),
    );
    assert.equal(response.text, 'Echo: hi');
    assert.equal(response.retries, 1);
    assert.deepEqual(retries, [{ attempt: 1, delayMs: 120, reason: '429 rate limited', discardPartial: false }]);
    assert.deepEqual(standin.stats.byStatus, { 200: 1, 429: 1 });
  });

  void it('retries a 500 with backoff', async () => {
    standin.setOptions({ failNext: [{ status: 500 }, { status: 503 }] });
    const retries: RetryInfo[] = [];
    const response = await scheduled().chat(request('hi', { onRetry: (info) => retries.push(info) }));
    assert.equal(response.text, 'Echo: hi');
    assert.deepEqual(
      retries.map((r) => [r.reason, r.delayMs]),
      [
        ['500 server error', 5],
        ['503 server error', 10],
      ],
    );
  });

  void it('gives up on server errors after maxRetries with a clear message', async () => {
    standin.setOptions({ failNext: [{ status: 500 }, { status: 502 }, { status: 503 }] });
    await rejectsWith(
      scheduled({ maxRetries: 2 }).chat(request('hi')),
      /failed with 503: .*\(gave up after 2 retries\)/,
    );
    assert.equal(standin.stats.chatRequests, 3);
  });

  void it('keeps retrying 429s beyond any fixed count while the wait budget lasts', async () => {
    const many = Array.from({ length: 8 }, () => ({ status: 429, retryAfterMs: 1 }));
    standin.setOptions({ failNext: many });
    const response = await scheduled({ maxRetries: 1 }).chat(request('hi'));
    assert.equal(response.text, 'Echo: hi');
    assert.equal(response.retries, 8);
    assert.deepEqual(standin.stats.byStatus, { 200: 1, 429: 8 });
  });

  void it('does not wait for a Retry-After longer than the wait budget, and says so', async () => {
    standin.setOptions({ failNext: [{ status: 429, retryAfterMs: 3_600_000 }] });
    await rejectsWith(
      scheduled({}, { maxWaitMs: 1000 }).chat(request('hi')),
      /rate limiting requests \(429\).* the server asked to wait 1 h, longer than the 1 s this case may still wait \(max wait 1 s\); not waiting/,
    );
    assert.equal(standin.stats.chatRequests, 1);
  });

  void it('retries a connection dropped before the reply', async () => {
    standin.setOptions({ failNext: [{ drop: 'headers' }] });
    const retries: RetryInfo[] = [];
    const response = await scheduled().chat(
      request('hi', { onRetry: (info) => retries.push(info), onDelta: () => undefined }),
    );
    assert.equal(response.text, 'Echo: hi');
    assert.equal(retries.length, 1);
    assert.equal(retries[0]?.discardPartial, false);
  });

  void it('retries a stream dropped mid-reply and tells the caller to discard the partial text', async () => {
    standin.setOptions({ failNext: [{ drop: 'midstream' }] });
    let shown = '';
    const retries: RetryInfo[] = [];
    const response = await scheduled().chat(
      request('a b c d', {
        onDelta: (t) => (shown += t),
        onRetry: (info) => {
          retries.push(info);
          if (info.discardPartial) shown = '';
        },
      }),
    );
    assert.equal(response.text, 'Echo: a b c d');
    assert.equal(shown, 'Echo: a b c d');
    assert.deepEqual(
      retries.map((r) => [r.reason, r.discardPartial]),
      [['connection dropped during the reply', true]],
    );
    assert.equal(standin.stats.dropped, 1);
  });

  void it('retries a non-streamed reply cut off after the headers', async () => {
    standin.setOptions({ failNext: [{ drop: 'midstream' }] });
    const retries: RetryInfo[] = [];
    const response = await scheduled().chat(request('a b c', { onRetry: (info) => retries.push(info) }));
    assert.equal(response.text, 'Echo: a b c');
    assert.deepEqual(
      retries.map((r) => [r.reason, r.discardPartial]),
      [['connection dropped during the reply', false]],
    );
  });

  void it('cancels while waiting to retry', async () => {
    standin.setOptions({ failNext: [{ status: 429, retryAfterMs: 30_000 }] });
    const controller = new AbortController();
    const pending = scheduled().chat(request('hi', { signal: controller.signal, onRetry: () => controller.abort() }));
    await assert.rejects(pending, (error: unknown) => error instanceof Error && error.name === 'AbortError');
    assert.equal(standin.stats.chatRequests, 1);
  });

  void it('explains a rejected key without revealing it', async () => {
    standin.setOptions({ requireKey: 'sk-right-key-111' });
    const wrong = make({ apiKey: 'sk-wrong-key-999', keyHint: 'the STANDIN_KEY environment variable' });
    const error = await rejectsWith(
      wrong.chat(request('hi')),
      /rejected the API key \(401\) for http:\/\/127\.0\.0\.1:\d+; set the key with the STANDIN_KEY environment variable/,
    );
    assert.ok(!error.message.includes('sk-wrong-key-999'));
    assert.equal(standin.stats.requests, 1, '401 is not retried');
    const right = make({ apiKey: 'sk-right-key-111' });
    assert.equal((await right.chat(request('hi'))).text, 'Echo: hi');
    assert.equal(standin.lastRequest()?.keyDigest, keyDigest('sk-right-key-111'));
  });

  void it('names a missing model and the origin on 404', async () => {
    standin.setOptions({ knownModels: ['standin'] });
    await rejectsWith(
      provider.chat(request('hi', { model: 'gpt-nope' })),
      new RegExp(`model gpt-nope not found at ${standin.origin.replace(/\./g, '\\.')}`),
    );
  });

  void it('reports an unreachable endpoint without retrying', async () => {
    const port = await freePortWithNothingListening();
    const unreachable = new OpenAICompatibleProvider({
      kind: 'custom',
      baseURL: `http://127.0.0.1:${port}/v1`,
      apiKey: 'sk-secret-abc',
    });
    const error = await rejectsWith(
      unreachable.chat(request('hi')),
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`),
    );
    assert.ok(!error.message.includes('sk-secret-abc'));
  });

  void it('sends no Authorization header to a keyless endpoint', async () => {
    const keyless = make({ apiKey: undefined });
    await keyless.chat(request('hi'));
    assert.equal(standin.lastRequest()?.headers.authorization, undefined);
    assert.equal(standin.lastRequest()?.keyDigest, undefined);
  });

  void it('embeds inputs in order', async () => {
    const vectors = await provider.embed('standin-embed', ['red apple pie', 'red apple tart', 'tax law']);
    assert.equal(vectors.length, 3);
    const cosine = (a: number[] = [], b: number[] = []): number => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
    assert.ok(cosine(vectors[0], vectors[1]) > 0.6);
    assert.ok(cosine(vectors[0], vectors[2]) < 0.2);
    assert.deepEqual(await provider.embed('standin-embed', []), []);
  });

  void it('talks to Azure deployment paths with the api-key header', async () => {
    const azure = new OpenAICompatibleProvider({
      kind: 'azure',
      baseURL: standin.origin,
      apiKey: 'azure-key-123',
      azureApiVersion: '2024-10-21',
    });
    const response = await azure.chat(request('hi', { model: 'my-upper-deployment', onDelta: () => undefined }));
    assert.equal(response.text, 'ECHO: HI');
    const recorded = standin.lastRequest();
    assert.equal(recorded?.path, '/openai/deployments/my-upper-deployment/chat/completions');
    assert.equal(recorded?.query['api-version'], '2024-10-21');
    assert.equal(recorded?.headers['api-key'], '[redacted]');
    assert.equal(recorded?.headers.authorization, undefined);
    assert.equal(recorded?.keyDigest, keyDigest('azure-key-123'));
  });

  void it('keeps the key out of JSON and inspect output', () => {
    const secret = make({ apiKey: 'sk-very-secret-777' });
    assert.ok(!JSON.stringify(secret).includes('sk-very-secret-777'));
    assert.ok(!inspect(secret, { depth: 10, showHidden: true }).includes('sk-very-secret-777'));
    assert.deepEqual(JSON.parse(JSON.stringify(secret)), {
      kind: 'custom',
      name: 'custom',
      endpointOrigin: standin.origin,
    });
  });

  void it('says so when the baseURL is not an OpenAI-compatible API', async () => {
    const website = http.createServer((req, res) => {
      if (req.url?.startsWith('/missing')) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>Not Found</html>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await new Promise<void>((resolve) => website.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(website.address() as AddressInfo).port}`;
      const site = new OpenAICompatibleProvider({ kind: 'custom', baseURL: origin });
      await rejectsWith(site.chat(request('hi')), /did not answer like an OpenAI-compatible API; check the baseURL/);
      await rejectsWith(
        site.chat(request('hi', { onDelta: () => undefined })),
        /did not answer like an OpenAI-compatible API/,
      );
      const missing = new OpenAICompatibleProvider({ kind: 'custom', baseURL: `${origin}/missing` });
      await rejectsWith(missing.chat(request('hi')), /has no such API path \(404\).*check the baseURL/);
    } finally {
      website.closeAllConnections();
      await new Promise<void>((resolve) => website.close(() => resolve()));
    }
  });

  void it('refuses redirects so a key never follows them to another origin', async () => {
    const redirector = http.createServer((req, res) => {
      res.writeHead(307, { location: `${standin.url}/chat/completions` });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    try {
      const port = (redirector.address() as AddressInfo).port;
      const redirected = new OpenAICompatibleProvider({
        kind: 'custom',
        baseURL: `http://127.0.0.1:${port}/v1`,
        apiKey: 'sk-redirect-secret',
      });
      await rejectsWith(
        redirected.chat(request('hi')),
        /redirected the request to http:\/\/127\.0\.0\.1:\d+ \(307\); PromptLab does not follow redirects/,
      );
      assert.equal(standin.stats.requests, 0);
    } finally {
      redirector.closeAllConnections();
      await new Promise<void>((resolve) => redirector.close(() => resolve()));
    }
  });
});
