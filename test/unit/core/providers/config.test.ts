import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PromptLabError } from '../../../../src/core/errors';
import { loadProviderConfig, parseProviderConfig, type ProviderConfig } from '../../../../src/core/providers/config';
import { createResolver, ModelResolutionError } from '../../../../src/core/providers/resolver';
import type { Provider } from '../../../../src/core/providers/types';
import { keyDigest, startStandin, type Standin } from '../../../../src/standin/server';

function configError(text: string, file = '/ws/promptlab.config.yaml'): PromptLabError {
  try {
    parseProviderConfig(text, file);
  } catch (error) {
    assert.ok(error instanceof PromptLabError, String(error));
    assert.equal(error.kind, 'config');
    return error;
  }
  assert.fail('expected a config error');
}

/** 1-based line:col of an error, as the CLI prints it. */
function lineCol(error: PromptLabError): string {
  const start = error.location?.range?.start;
  assert.ok(start, `no position in: ${error.message}`);
  return `${start.line + 1}:${start.column + 1}`;
}

void describe('provider config parsing', () => {
  void it('reads the documented shape', () => {
    const config = parseProviderConfig(
      `defaultProvider: local
providers:
  local:
    preset: ollama
  work:
    preset: azure
    endpoint: https://my-resource.openai.azure.com/
    deployments: { gpt-4o-mini: mini-deploy }
    apiVersion: 2024-10-21
  router:
    baseURL: https://openrouter.ai/api/v1
    apiKeyEnv: OPENROUTER_API_KEY
    keepPrefix: true
    headers: { X-Title: PromptLab }
    models: ["anthropic/*"]
models:
  "openai/*": work
  "meta/llama-3.3": { provider: local, model: "llama3.3:70b" }
pricing:
  "ollama/*": { input: 0, output: 0 }
judgeModel: openai/gpt-4o
embeddingModel: openai/text-embedding-3-small
`,
      '/ws/promptlab.config.yaml',
    );
    assert.equal(config.defaultProvider, 'local');
    assert.equal(config.providers.local?.preset, 'ollama');
    assert.deepEqual(
      { ...config.providers.work, range: undefined },
      {
        name: 'work',
        preset: 'azure',
        endpoint: 'https://my-resource.openai.azure.com',
        deployments: { 'gpt-4o-mini': 'mini-deploy' },
        apiVersion: '2024-10-21',
        range: undefined,
      },
    );
    assert.equal(config.providers.router?.preset, 'custom');
    assert.equal(config.providers.router?.keepPrefix, true);
    assert.deepEqual(config.providers.router?.models, ['anthropic/*']);
    assert.deepEqual(config.models, {
      'openai/*': { provider: 'work' },
      'meta/llama-3.3': { provider: 'local', model: 'llama3.3:70b' },
    });
    assert.deepEqual(config.pricing, { 'ollama/*': { inputPerMTok: 0, outputPerMTok: 0 } });
    assert.equal(config.judgeModel, 'openai/gpt-4o');
    assert.equal(config.embeddingModel, 'openai/text-embedding-3-small');
  });

  void it('reads JSON config files and treats an empty file as empty', () => {
    const config = parseProviderConfig(
      '{"providers": {"openai": {}}, "models": {"gpt-4o": "openai"}}',
      '/ws/promptlab.config.json',
    );
    assert.equal(config.providers.openai?.preset, 'openai');
    assert.deepEqual(config.models, { 'gpt-4o': { provider: 'openai' } });
    assert.deepEqual(parseProviderConfig('', '/ws/promptlab.config.yaml').providers, {});
  });

  void it('points at syntax errors with file:line:col', () => {
    const error = configError('providers:\n  local:\n    preset: [ollama\n');
    assert.match(error.message, /^invalid YAML: /);
    assert.equal(error.location?.file, '/ws/promptlab.config.yaml');
    assert.ok(error.location?.range !== undefined);
    const json = configError('{"providers": {"a": }}', '/ws/promptlab.config.json');
    assert.match(json.message, /^invalid JSON: /);
  });

  void it('points at an unknown preset and wrong types', () => {
    const preset = configError('providers:\n  local:\n    preset: olama\n');
    assert.equal(preset.message, 'unknown preset "olama" (expected openai, azure, ollama, lmstudio or custom)');
    assert.equal(lineCol(preset), '3:13');
    const url = configError('providers:\n  x:\n    baseURL: 42\n');
    assert.equal(url.message, 'providers.x.baseURL must be a non-empty string');
    assert.equal(lineCol(url), '3:14');
    assert.match(configError('providers:\n  x:\n    baseURL: ftp://h/\n').message, /must be an http\(s\) URL/);
    assert.match(configError('providers:\n  x:\n    baseURL: http://u:p@h/\n').message, /must not contain credentials/);
    assert.match(
      configError('providers:\n  x:\n    preset: openai\n    timeoutMs: soon\n').message,
      /timeoutMs must be a number/,
    );
    assert.match(configError('providers: [a]\n').message, /providers must be a mapping/);
  });

  void it('names the key path and what each provider key needs when its value is wrong', () => {
    const cases: [key: string, value: string, message: string][] = [
      ['baseURL', 'ftp://h/', 'providers.x.baseURL must be an http(s) URL, got "ftp://h/"'],
      ['endpoint', '7', 'providers.x.endpoint must be a non-empty string'],
      ['deployment', "''", 'providers.x.deployment must be a non-empty string'],
      ['deployments', '[a]', 'providers.x.deployments must be a mapping'],
      ['apiVersion', 'true', 'providers.x.apiVersion must be a non-empty string'],
      ['models', 'gpt-4o', 'providers.x.models must be a list of strings'],
      ['keepPrefix', 'yes', 'providers.x.keepPrefix must be true or false'],
      ['timeoutMs', '0', 'providers.x.timeoutMs must be a number ≥ 1'],
      ['maxRetries', '-1', 'providers.x.maxRetries must be a number ≥ 0'],
      ['headers', '{ X-A: 1 }', 'providers.x.headers.X-A must be a non-empty string'],
      [
        'apiKeyEnv',
        'MY-KEY',
        'providers.x.apiKeyEnv must name an environment variable (letters, digits, _), got "MY-KEY"',
      ],
      ['apiKeyenv', 'K', 'unknown key "apiKeyenv" in providers.x (did you mean "apiKeyEnv"?)'],
      [
        'retries',
        '2',
        'unknown key "retries" in providers.x (expected preset, baseURL, apiKeyEnv, endpoint, deployment, deployments, apiVersion, headers, models, keepPrefix, timeoutMs or maxRetries)',
      ],
    ];
    for (const [key, value, message] of cases) {
      const error = configError(`providers:\n  x:\n    preset: azure\n    ${key}: ${value}\n`);
      assert.equal(error.message, message, key);
      assert.equal(lineCol(error).split(':')[0], '4', key);
    }
  });

  void it('refuses keys written into the file', () => {
    const error = configError('providers:\n  openai:\n    apiKey: sk-abc\n');
    assert.match(error.message, /keys do not belong in config files/);
    assert.ok(!error.message.includes('sk-abc'));
    assert.equal(lineCol(error), '3:5');
  });

  void it('names unknown keys, unknown providers and incomplete providers', () => {
    assert.match(
      configError('provider: {}\n').message,
      /unknown key "provider" in the config file \(expected defaultProvider, providers/,
    );
    assert.match(configError('providers:\n  x:\n    baseurl: http://h/\n').message, /did you mean "baseURL"/);
    const route = configError('models:\n  gpt-4o: nowhere\n');
    assert.match(route.message, /models."gpt-4o": unknown provider "nowhere"/);
    assert.equal(lineCol(route), '2:11');
    assert.match(configError('providers:\n  mine: {}\n').message, /providers.mine needs a preset/);
    assert.match(configError('providers:\n  mine: { preset: custom }\n').message, /preset custom needs a baseURL/);
    assert.match(
      configError('providers:\n  mine: { preset: ollama, deployment: d }\n').message,
      /deployment only applies to preset azure/,
    );
    assert.match(configError('defaultProvider: ghost\n').message, /defaultProvider: unknown provider "ghost"/);
    assert.match(configError('pricing:\n  gpt-4o: { input: 1 }\n').message, /needs input and output/);
    assert.match(
      configError('pricing:\n  gpt-4o: { input: 1, output: 2, batchInput: 1 }\n').message,
      /both batchInput and batchOutput/,
    );
    assert.match(
      configError('pricing:\n  gpt-4o: { input: -1, output: 2 }\n').message,
      /pricing."gpt-4o".input must be a number ≥ 0/,
    );
    assert.deepEqual(
      parseProviderConfig(
        'pricing:\n  gpt-4o: { input: 2, output: 8, cachedInput: 0.5, batchInput: 1, batchOutput: 4 }\n',
        '/ws/c.yaml',
      ).pricing['gpt-4o'],
      { inputPerMTok: 2, outputPerMTok: 8, cachedInputPerMTok: 0.5, batchInputPerMTok: 1, batchOutputPerMTok: 4 },
    );
  });
});

void describe('loadProviderConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'promptlab-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  void it('returns an empty config when the workspace has no file', async () => {
    const config = await loadProviderConfig(dir);
    assert.equal(config.file, undefined);
    assert.deepEqual(config.providers, {});
  });

  void it('finds promptlab.config.yaml, or loads --config relative to the workspace', async () => {
    await writeFile(path.join(dir, 'promptlab.config.yaml'), 'providers:\n  local: { preset: lmstudio }\n');
    await writeFile(path.join(dir, 'other.json'), '{"providers": {"remote": {"baseURL": "http://127.0.0.1:9/v1"}}}');
    const found = await loadProviderConfig(dir);
    assert.equal(found.file, path.join(dir, 'promptlab.config.yaml'));
    assert.equal(found.providers.local?.preset, 'lmstudio');
    const explicit = await loadProviderConfig(dir, 'other.json');
    assert.equal(explicit.providers.remote?.baseURL, 'http://127.0.0.1:9/v1');
  });

  void it('reports a missing --config file and errors inside a file with its path', async () => {
    await assert.rejects(
      loadProviderConfig(dir, 'missing.yaml'),
      (e: unknown) =>
        e instanceof PromptLabError && e.kind === 'config' && /config file not found: .*missing\.yaml/.test(e.message),
    );
    await writeFile(path.join(dir, 'broken.yaml'), 'models:\n  x: 3\n');
    await assert.rejects(
      loadProviderConfig(dir, 'broken.yaml'),
      (e: unknown) =>
        e instanceof PromptLabError &&
        e.location?.file === path.join(dir, 'broken.yaml') &&
        e.location.range?.start.line === 1,
    );
  });
});

void describe('model resolution', () => {
  let a: Standin;
  let b: Standin;
  before(async () => {
    [a, b] = await Promise.all([startStandin(), startStandin()]);
  });
  after(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  const chatOnce = (provider: Provider, model: string) =>
    provider.chat({ model, messages: [{ role: 'user', content: 'hi' }], parameters: {} });

  void it('without a config, openai/* and bare ids go to the OpenAI preset from env', async () => {
    const resolver = createResolver(
      { providers: {}, models: {}, pricing: {} },
      { env: { OPENAI_API_KEY: 'sk-env-key-1', OPENAI_BASE_URL: a.url } },
    );
    const resolved = resolver.resolve('openai/gpt-4o-mini');
    assert.equal(resolved.model, 'gpt-4o-mini');
    assert.equal(resolved.requestedId, 'openai/gpt-4o-mini');
    assert.equal(resolved.provider.kind, 'openai');
    assert.equal(resolved.provider.endpointOrigin, a.origin);
    assert.deepEqual(
      {
        input: resolved.price?.inputPerMTok,
        output: resolved.price?.outputPerMTok,
        provider: resolved.price?.source?.provider,
      },
      { input: 0.15, output: 0.6, provider: 'openai' },
    );
    assert.equal(resolver.resolve('gpt-4o').provider, resolved.provider, 'one client per provider');
    const reply = await chatOnce(resolved.provider, resolved.model);
    assert.equal(reply.text, 'Echo: hi');
    assert.equal((a.lastRequest()?.body as { model: string }).model, 'gpt-4o-mini');
    assert.equal(a.lastRequest()?.keyDigest, keyDigest('sk-env-key-1'));
    assert.ok(!JSON.stringify(resolved).includes('sk-env-key-1'));
  });

  void it('explains an unmapped id with a YAML snippet', () => {
    const resolver = createResolver({ providers: {}, models: {}, pricing: {} }, { env: {} });
    assert.throws(
      () => resolver.resolve('openai/gpt-4o-mini'),
      (error: unknown) => {
        assert.ok(error instanceof ModelResolutionError);
        assert.equal(error.kind, 'config');
        assert.match(error.message, /no endpoint configured for model "openai\/gpt-4o-mini"/);
        assert.match(error.hint ?? '', /providers:\n {2}openai:\n {4}preset: openai/);
        assert.match(error.hint ?? '', /models:\n {2}"openai\/gpt-4o-mini": openai/);
        assert.match(error.hint ?? '', /or set OPENAI_API_KEY/);
        return true;
      },
    );
    assert.throws(
      () => resolver.resolve('meta/llama-3.3'),
      (error: unknown) =>
        error instanceof ModelResolutionError &&
        /"meta\/llama-3.3": \{ provider: local, model: llama-3.3 \}/.test(error.hint ?? ''),
    );
  });

  void it('sends each key only to its own endpoint', async () => {
    const config = parseProviderConfig(
      `providers:
  first: { baseURL: "${a.url}", apiKeyEnv: PROMPTLAB_FIRST_KEY }
  second: { baseURL: "${b.url}", apiKeyEnv: PROMPTLAB_SECOND_KEY }
models:
  "one/*": first
  "two/*": second
`,
      '/ws/promptlab.config.yaml',
    );
    a.resetStats();
    b.resetStats();
    const resolver = createResolver(config, {
      env: { PROMPTLAB_FIRST_KEY: 'key-for-a', PROMPTLAB_SECOND_KEY: 'key-for-b' },
    });
    const one = resolver.resolve('one/standin');
    const two = resolver.resolve('two/standin-upper');
    assert.equal((await chatOnce(one.provider, one.model)).text, 'Echo: hi');
    assert.equal((await chatOnce(two.provider, two.model)).text, 'ECHO: HI');
    assert.deepEqual(
      a.requests.map((r) => r.keyDigest),
      [keyDigest('key-for-a')],
    );
    assert.deepEqual(
      b.requests.map((r) => r.keyDigest),
      [keyDigest('key-for-b')],
    );
  });

  void it('asks keyFor(origin) when no env variable holds the key', async () => {
    const config = parseProviderConfig(
      `providers:\n  mine: { baseURL: "${a.url}" }\nmodels:\n  "x": mine\n`,
      '/ws/c.yaml',
    );
    const asked: string[] = [];
    const resolver = createResolver(config, { env: {}, keyFor: (origin) => (asked.push(origin), 'stored-key') });
    const resolved = resolver.resolve('x');
    assert.deepEqual(asked, [a.origin]);
    await chatOnce(resolved.provider, resolved.model);
    assert.equal(a.lastRequest()?.keyDigest, keyDigest('stored-key'));
  });

  void it('will not send OPENAI_API_KEY to an origin other than OpenAI or OPENAI_BASE_URL', () => {
    const config = parseProviderConfig(`providers:\n  openai: { preset: openai, baseURL: "${b.url}" }\n`, '/ws/c.yaml');
    const resolver = createResolver(config, { env: { OPENAI_API_KEY: 'sk-real' } });
    assert.throws(
      () => resolver.resolve('openai/gpt-4o'),
      (e: unknown) =>
        e instanceof PromptLabError &&
        e.kind === 'config' &&
        /would send OPENAI_API_KEY to http:\/\/127\.0\.0\.1/.test(e.message) &&
        !e.message.includes('sk-real'),
    );
  });

  void it('routes: exact before glob, most specific glob, model rename, provider-name prefix, models lists, defaultProvider', () => {
    const config: ProviderConfig = parseProviderConfig(
      `defaultProvider: fallback
providers:
  general: { baseURL: "${a.url}" }
  special: { baseURL: "${b.url}" }
  fallback: { baseURL: "${a.url}/fallback" }
  router: { baseURL: "${b.url}/router", keepPrefix: true, models: ["anthropic/*"] }
models:
  "openai/*": general
  "openai/gpt-4o*": special
  "openai/gpt-4o-mini": { provider: general, model: mini-renamed }
`,
      '/ws/c.yaml',
    );
    const resolver = createResolver(config, { env: {} });
    const summary = (id: string): string => {
      const r = resolver.resolve(id);
      return `${(r.provider as unknown as { name: string }).name}:${r.model}`;
    };
    assert.equal(summary('openai/gpt-4o-mini'), 'general:mini-renamed');
    assert.equal(summary('openai/gpt-4o'), 'special:gpt-4o');
    assert.equal(summary('openai/o3'), 'general:o3');
    assert.equal(summary('special/some-model'), 'special:some-model');
    assert.equal(summary('anthropic/claude'), 'router:anthropic/claude');
    assert.equal(summary('meta/llama'), 'fallback:llama');
  });

  void it('maps Azure models to deployments and calls the deployment path', async () => {
    const config = parseProviderConfig(
      `providers:
  work:
    preset: azure
    endpoint: "${a.origin}"
    apiKeyEnv: PROMPTLAB_WORK_AZURE_KEY
    deployments: { gpt-4o-mini: team-upper-mini }
models:
  "openai/*": work
`,
      '/ws/c.yaml',
    );
    const resolved = createResolver(config, { env: { PROMPTLAB_WORK_AZURE_KEY: 'az-key' } }).resolve(
      'openai/gpt-4o-mini',
    );
    assert.equal(resolved.model, 'team-upper-mini');
    assert.deepEqual(
      {
        input: resolved.price?.inputPerMTok,
        output: resolved.price?.outputPerMTok,
        provider: resolved.price?.source?.provider,
      },
      { input: 0.15, output: 0.6, provider: 'azure' },
      "priced by the requested id, from the catalogue's Azure prices",
    );
    assert.equal((await chatOnce(resolved.provider, resolved.model)).text, 'ECHO: HI');
    const recorded = a.lastRequest();
    assert.equal(recorded?.path, '/openai/deployments/team-upper-mini/chat/completions');
    assert.equal(recorded?.query['api-version'], '2024-10-21');
    assert.equal(recorded?.keyDigest, keyDigest('az-key'));
  });

  void it('prices local presets only from the config', () => {
    const unpriced = createResolver(parseProviderConfig('providers:\n  ollama: {}\n', '/ws/c.yaml'), {
      env: {},
    }).resolve('ollama/gpt-4o');
    assert.equal(unpriced.provider.endpointOrigin, 'http://localhost:11434');
    assert.equal(unpriced.model, 'gpt-4o');
    assert.equal(unpriced.price, undefined);
    const priced = createResolver(
      parseProviderConfig('providers:\n  ollama: {}\npricing:\n  "ollama/*": { input: 0, output: 0 }\n', '/ws/c.yaml'),
      { env: {} },
    ).resolve('ollama/llama3.2');
    assert.deepEqual(priced.price, {
      inputPerMTok: 0,
      outputPerMTok: 0,
      source: { kind: 'config', label: 'c.yaml pricing."ollama/*"' },
    });
  });

  void it('falls back to the --model override provider for otherwise unmapped ids (judges)', () => {
    const config = parseProviderConfig(
      `providers:\n  stand: { baseURL: "${a.url}" }\nmodels:\n  standin: stand\n`,
      '/ws/c.yaml',
    );
    const resolver = createResolver(config, { env: {}, modelOverride: 'standin' });
    const judge = resolver.resolve('openai/gpt-4o');
    assert.equal(judge.provider, resolver.resolve('standin').provider);
    assert.equal(judge.model, 'gpt-4o');
    assert.throws(() => createResolver(config, { env: {} }).resolve('openai/gpt-4o'), ModelResolutionError);
  });

  void it('reaches extra providers by name prefix', () => {
    const extra: Provider = {
      kind: 'vscode-lm',
      endpointOrigin: 'vscode-lm://',
      approximate: true,
      chat: () => Promise.reject(new Error('unused')),
    };
    const resolver = createResolver(
      { providers: {}, models: {}, pricing: {} },
      { env: {}, extraProviders: { 'vscode-lm': extra } },
    );
    const resolved = resolver.resolve('vscode-lm/copilot-gpt-4o');
    assert.equal(resolved.provider, extra);
    assert.equal(resolved.model, 'copilot-gpt-4o');
    assert.equal(resolved.price, undefined);
  });
});
