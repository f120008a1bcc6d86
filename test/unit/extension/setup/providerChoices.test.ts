// "Set Up a Model Provider…" choices: what each writes to the promptlab.endpoints setting, where its
// key goes, and that the written endpoint really routes the example's model through core's resolver
// to the stand-in, with the stored key sent to that origin only.
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { emptyProviderConfig, type ProviderConfig } from '../../../../src/core/providers/config';
import { listModelsAt } from '../../../../src/core/providers/listModels';
import { createResolver } from '../../../../src/core/providers/resolver';
import { parsePromptFile } from '../../../../src/core/promptfile';
import { endpointEntries } from '../../../../src/extension/models/endpointEntries';
import {
  baseUrlProblem,
  examplePromptText,
  keyOriginFor,
  mergeEndpoint,
  planProvider,
  providerChoices,
} from '../../../../src/extension/setup/providerChoices';
import { keyDigest, startStandin, type Standin } from '../../../../src/standin/server';

let standin: Standin;
const KEY = 'sk-firstrun-unit-test-key-0001';
before(async () => {
  standin = await startStandin({ requireKey: KEY });
});
after(() => standin.close());

function configWith(endpoint: Parameters<typeof endpointEntries>[0][number]): ProviderConfig {
  const providers: ProviderConfig['providers'] = {};
  for (const entry of endpointEntries([endpoint])) providers[entry.name] = entry;
  return { ...emptyProviderConfig(), providers };
}

void test('every choice the issue names is offered, each asking only what it needs', () => {
  const byId = new Map(providerChoices().map((c) => [c.id, c]));
  assert.deepEqual([...byId.keys()], ['openai', 'azure', 'openrouter', 'ollama', 'lmstudio', 'editor', 'custom']);
  assert.equal(byId.get('openai')?.asksBaseURL, false);
  assert.equal(byId.get('openai')?.key, 'required');
  assert.equal(byId.get('azure')?.asksDeployment, true);
  assert.equal(byId.get('ollama')?.key, 'none');
  assert.equal(byId.get('ollama')?.baseURL, 'http://localhost:11434/v1');
  assert.equal(byId.get('lmstudio')?.baseURL, 'http://localhost:1234/v1');
  assert.equal(byId.get('editor')?.asksBaseURL, false);
  assert.equal(byId.get('custom')?.key, 'optional');
});

void test('hosted services: openai/* ids go to the service, the key to its own origin', () => {
  const openai = planProvider('openai');
  assert.deepEqual(openai.endpoint, { baseURL: 'https://api.openai.com/v1', models: ['openai/*'], kind: 'openai' });
  assert.equal(openai.keyOrigin, 'https://api.openai.com');
  assert.equal(openai.exampleModel, 'openai/gpt-4o-mini');
  const routed = createResolver(configWith(openai.endpoint!), { env: {} }).resolve('openai/gpt-4o-mini');
  assert.equal(routed.model, 'gpt-4o-mini');
  assert.equal(routed.provider.endpointOrigin, 'https://api.openai.com');

  const openrouter = planProvider('openrouter');
  assert.equal(openrouter.keyOrigin, 'https://openrouter.ai');
  const viaRouter = createResolver(configWith(openrouter.endpoint!), { env: {} }).resolve('openai/gpt-4o-mini');
  assert.equal(viaRouter.model, 'openai/gpt-4o-mini', 'OpenRouter takes ids as written');
});

void test('Azure: the endpoint and deployment the user gave, through the Azure client', () => {
  const plan = planProvider('azure', { baseURL: 'https://my-res.openai.azure.com/', deployment: 'mini-prod' });
  assert.deepEqual(plan.endpoint, {
    baseURL: 'https://my-res.openai.azure.com',
    models: ['openai/*'],
    kind: 'azure',
    deployment: 'mini-prod',
  });
  assert.equal(plan.keyOrigin, 'https://my-res.openai.azure.com');
  const [entry] = endpointEntries([plan.endpoint!]);
  assert.equal(entry?.preset, 'azure');
  assert.equal(entry?.endpoint, 'https://my-res.openai.azure.com');
  const routed = createResolver(configWith(plan.endpoint!), { env: {} }).resolve('openai/gpt-4o-mini');
  assert.equal(routed.model, 'mini-prod');
});

void test('local servers take no key; their models are <kind>/<name>', () => {
  const plan = planProvider('ollama', { baseURL: 'http://localhost:11434/v1', servedModel: 'llama3.2:3b' });
  assert.equal(plan.keyOrigin, undefined);
  assert.equal(keyOriginFor('lmstudio', 'http://localhost:1234/v1'), undefined);
  assert.equal(plan.exampleModel, 'ollama/llama3.2:3b');
  const routed = createResolver(configWith(plan.endpoint!), { env: {} }).resolve(plan.exampleModel);
  assert.equal(routed.model, 'llama3.2:3b');
  assert.throws(() => planProvider('ollama', { baseURL: 'http://localhost:11434/v1' }), /pick or type a model/);
});

void test('a typed URL must be http(s) without credentials', () => {
  assert.equal(baseUrlProblem('https://example.com/v1'), undefined);
  assert.match(baseUrlProblem('ftp://example.com') ?? '', /http/);
  assert.match(baseUrlProblem('https://user:pw@example.com/v1') ?? '', /credentials/);
  assert.throws(() => planProvider('custom', { baseURL: 'nope', servedModel: 'm' }), /http/);
});

void test('a second set-up of the same endpoint adds its models; other entries stay', () => {
  const other = { baseURL: 'http://127.0.0.1:9/v1', models: ['team/*'] };
  const first = mergeEndpoint([other], { baseURL: 'http://localhost:11434/v1', models: ['ollama/*'], kind: 'ollama' });
  const again = mergeEndpoint(first, { baseURL: 'http://localhost:11434/v1/', models: ['ollama/*'], kind: 'ollama' });
  assert.deepEqual(again, first);
  const custom = mergeEndpoint(again, { baseURL: 'http://127.0.0.1:9/v1', models: ['m2'] });
  assert.deepEqual(custom[0], { baseURL: 'http://127.0.0.1:9/v1', models: ['team/*', 'm2'] });
  assert.equal(custom.length, 2);
});

void test('a hand-edited entry that is not a valid endpoint is kept where it was, not dropped', () => {
  const broken = { baseURL: 'http://localhost:11434/v1', models: 'ollama/*', kind: 'ollama' };
  const other = { baseURL: 'http://127.0.0.1:9/v1', models: ['team/*'] };
  const merged = mergeEndpoint([broken, other], {
    baseURL: 'http://localhost:11434/v1',
    models: ['ollama/*'],
    kind: 'ollama',
  });
  assert.deepEqual(merged, [
    broken,
    other,
    { baseURL: 'http://localhost:11434/v1', models: ['ollama/*'], kind: 'ollama' },
  ]);
  const again = mergeEndpoint(merged, { baseURL: 'http://127.0.0.1:9/v1', models: ['m2'] });
  assert.deepEqual(again, [broken, { baseURL: 'http://127.0.0.1:9/v1', models: ['team/*', 'm2'] }, merged[2]]);
});

void test('custom endpoint: the stand-in lists its models; the example runs there with the stored key only', async () => {
  await assert.rejects(listModelsAt({ baseURL: standin.url }), /401/, 'without the key the server refuses');
  const listed = await listModelsAt({ baseURL: standin.url, apiKey: KEY });
  assert.ok(listed.includes('standin'), `listed: ${listed.join(', ')}`);
  const plan = planProvider('custom', { baseURL: standin.url, servedModel: 'standin' });
  assert.equal(plan.keyOrigin, standin.origin);
  const asked: string[] = [];
  const resolver = createResolver(configWith(plan.endpoint!), {
    env: {},
    keyFor: (origin) => {
      asked.push(origin);
      return origin === plan.keyOrigin ? KEY : undefined;
    },
  });
  const resolved = resolver.resolve(plan.exampleModel);
  assert.deepEqual(asked, [standin.origin], 'the key is looked up for the chosen origin only');
  const reply = await resolved.provider.chat({
    model: resolved.model,
    messages: [{ role: 'user', content: 'Write a one-sentence welcome for Ada, who joins the compiler team.' }],
    parameters: {},
  });
  assert.match(reply.text, /Ada/);
  const chat = standin.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
  assert.equal(chat?.headers.authorization, '[redacted]', 'the key came as an Authorization header');
  assert.equal(chat?.keyDigest, keyDigest(KEY));
});

void test('the example prompt parses and names the model it was written for', async () => {
  const text = examplePromptText('standin');
  const { prompt, diagnostics } = await parsePromptFile('/tmp/promptlab-example.prompt.yml', text);
  assert.deepEqual(
    diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(prompt?.model, 'standin');
  assert.equal(prompt?.testData.length, 2);
});

void test('a key stored for api.openai.com serves openai/* without a config (as OPENAI_API_KEY does)', () => {
  const resolver = createResolver(emptyProviderConfig(), {
    env: {},
    keyFor: (origin) => (origin === 'https://api.openai.com' ? 'sk-stored' : undefined),
  });
  const routed = resolver.resolve('openai/gpt-4o-mini');
  assert.equal(routed.provider.endpointOrigin, 'https://api.openai.com');
  assert.equal(routed.model, 'gpt-4o-mini');
  assert.throws(() => createResolver(emptyProviderConfig(), { env: {}, keyFor: () => undefined }).resolve('openai/x'));
});
