import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ProviderConfig } from '../../../../src/core/providers/config';
import { listConfiguredModels } from '../../../../src/core/providers/listModels';
import { keyDigest, startStandin, type Standin } from '../../../../src/standin/server';

async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

const KEY = 'sk-list-models-0001';

void describe('listConfiguredModels against the stand-in (GET /v1/models through the openai client)', () => {
  let standin: Standin;
  let slow: Standin;
  before(async () => {
    standin = await startStandin({ requireKey: KEY, knownModels: ['standin', 'standin-judge'] });
    slow = await startStandin({ slowHeadersMs: 2000 });
  });
  after(async () => {
    await standin.close();
    await slow.close();
  });

  const config = (providers: ProviderConfig['providers'], models: ProviderConfig['models'] = {}): ProviderConfig => ({
    providers,
    models,
    pricing: {},
  });

  void it('offers each listed model as an id that routes back to its endpoint, sending the key a run would send', async () => {
    const before = standin.requests.length;
    const listed = await listConfiguredModels(
      config({ local: { name: 'local', preset: 'custom', baseURL: standin.url, apiKeyEnv: 'PROMPTLAB_LOCAL_KEY' } }),
      { env: { PROMPTLAB_LOCAL_KEY: KEY } },
    );
    assert.deepEqual(listed, [
      { provider: 'local', origin: new URL(standin.url).origin, ids: ['local/standin', 'local/standin-judge'] },
    ]);
    const request = standin.requests.slice(before).find((r) => r.path.endsWith('/models'));
    assert.ok(request, 'GET /v1/models reached the stand-in');
    assert.equal(request.method, 'GET');
    assert.equal(request.keyDigest, keyDigest(KEY));
  });

  void it('writes ids the way the entry routes them: a vendor pattern, or as written for keepPrefix entries', async () => {
    const listed = await listConfiguredModels(
      config({
        'promptlab.endpoints[0]': {
          name: 'promptlab.endpoints[0]',
          preset: 'custom',
          baseURL: standin.url,
          models: ['acme/*'],
        },
        router: { name: 'router', preset: 'custom', baseURL: standin.url, keepPrefix: true, models: ['standin*'] },
      }),
      { keyFor: () => KEY },
    );
    assert.deepEqual(
      listed.map((e) => e.ids),
      [
        ['acme/standin', 'acme/standin-judge'],
        ['standin', 'standin-judge'],
      ],
    );
  });

  void it('reports a failed endpoint as a one-line reason and still lists the others', async () => {
    const listed = await listConfiguredModels(
      config({
        down: { name: 'down', preset: 'custom', baseURL: await closedPortUrl() },
        nokey: { name: 'nokey', preset: 'custom', baseURL: standin.url },
        ok: { name: 'ok', preset: 'custom', baseURL: standin.url, apiKeyEnv: 'PROMPTLAB_OK_KEY' },
      }),
      { env: { PROMPTLAB_OK_KEY: KEY } },
    );
    const [down, nokey, ok] = listed;
    assert.deepEqual(down?.ids, []);
    assert.match(down?.error ?? '', /cannot reach http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/);
    assert.deepEqual(nokey?.ids, []);
    assert.match(nokey?.error ?? '', /401/);
    assert.deepEqual(ok?.ids, ['ok/standin', 'ok/standin-judge']);
  });

  void it('never sends a key the key policy refuses for that host: the refusal is the endpoint’s reason', async () => {
    const before = standin.requests.length;
    const [entry] = await listConfiguredModels(
      config({ repo: { name: 'repo', preset: 'custom', baseURL: standin.url, apiKeyEnv: 'HOME_SECRET' } }),
      { env: { HOME_SECRET: KEY } },
    );
    assert.deepEqual(entry?.ids, []);
    assert.match(entry?.error ?? '', /would send HOME_SECRET to http:\/\/127\.0\.0\.1:\d+; refused/);
    assert.equal(standin.requests.length, before, 'no request went out');
  });

  void it('gives up on a slow endpoint after the timeout', async () => {
    const started = Date.now();
    const [slowEntry] = await listConfiguredModels(
      config({ slow: { name: 'slow', preset: 'custom', baseURL: slow.url } }),
      { timeoutMs: 200 },
    );
    assert.match(slowEntry?.error ?? '', /did not list its models within 200 ms/);
    assert.ok(Date.now() - started < 1900, 'returned before the server answered');
  });

  void it('skips Azure entries (their /models lists base models, not the deployments a run needs)', async () => {
    const listed = await listConfiguredModels(
      config({ az: { name: 'az', preset: 'azure', endpoint: standin.url.replace(/\/v1$/, '') } }),
    );
    assert.deepEqual(listed, []);
  });
});
