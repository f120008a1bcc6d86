// The promptlab.endpoints setting becomes provider entries of core's config, resolved by core's one
// resolver: vendor patterns drop the vendor, exact ids go as written, the kind labels the provider.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyProviderConfig, parseProviderConfig, type ProviderConfig } from '../../../../src/core/providers/config';
import { createResolver } from '../../../../src/core/providers/resolver';
import { endpointEntries } from '../../../../src/extension/models/endpointEntries';

function withEndpoints(config: ProviderConfig, endpoints: Parameters<typeof endpointEntries>[0]): ProviderConfig {
  const providers = { ...config.providers };
  for (const entry of endpointEntries(endpoints)) providers[entry.name] = entry;
  return { ...config, providers };
}

void test('a vendor pattern sends the id without its vendor; exact ids and other patterns go as written', () => {
  const config = withEndpoints(emptyProviderConfig(), [
    { baseURL: 'http://127.0.0.1:9/v1/', models: ['standin/*', 'team/greeter', 'gpt-*'], kind: 'vllm' },
  ]);
  const resolver = createResolver(config, { env: {} });
  const vendor = resolver.resolve('standin/echo');
  assert.equal(vendor.model, 'echo');
  assert.equal(vendor.requestedId, 'standin/echo');
  assert.equal(vendor.provider.kind, 'vllm');
  assert.equal(vendor.provider.endpointOrigin, 'http://127.0.0.1:9');
  assert.equal(resolver.resolve('team/greeter').model, 'team/greeter');
  assert.equal(resolver.resolve('gpt-4o').model, 'gpt-4o');
  assert.throws(() => resolver.resolve('other/model'), /no endpoint configured for model "other\/model"/);
});

void test('entries without a usable http(s) URL are dropped; names say where the entry came from', () => {
  const entries = endpointEntries([
    { baseURL: 'not a url', models: ['a/*'] },
    { baseURL: 'ftp://example.com', models: ['b/*'] },
    { baseURL: 'https://example.com/v1', models: ['c/*'] },
  ]);
  assert.deepEqual(
    entries.map((e) => e.name),
    ['promptlab.endpoints[2]'],
  );
  assert.equal(entries[0]?.baseURL, 'https://example.com/v1');
  assert.match(entries[0]?.keyHint ?? '', /Set API Key.*https:\/\/example\.com/);
});

void test('the workspace file comes first: its providers win over the settings for the same id', () => {
  const file = parseProviderConfig(
    [
      'providers:',
      '  team:',
      '    preset: custom',
      '    baseURL: http://127.0.0.1:7/v1',
      '    models: ["standin/*"]',
      '',
    ].join('\n'),
    '/w/promptlab.config.yaml',
  );
  const resolver = createResolver(withEndpoints(file, [{ baseURL: 'http://127.0.0.1:9/v1', models: ['standin/*'] }]), {
    env: {},
  });
  assert.equal(resolver.resolve('standin/echo').provider.endpointOrigin, 'http://127.0.0.1:7');
});

void test('a setting labelled as a local server is never priced from the public table', () => {
  const hosted = createResolver(
    withEndpoints(emptyProviderConfig(), [{ baseURL: 'http://127.0.0.1:9/v1', models: ['openai/*'] }]),
    { env: {} },
  );
  const local = createResolver(
    withEndpoints(emptyProviderConfig(), [{ baseURL: 'http://127.0.0.1:9/v1', models: ['openai/*'], kind: 'ollama' }]),
    { env: {} },
  );
  assert.ok(hosted.resolve('openai/gpt-4o-mini').price, 'the public table prices openai/gpt-4o-mini');
  assert.equal(local.resolve('openai/gpt-4o-mini').price, undefined);
});
