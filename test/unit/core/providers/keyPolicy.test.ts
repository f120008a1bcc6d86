// Where keys may go: the repository's config names variables and hosts, the user decides which
// pairs are allowed. Decisions are checked directly; the resolver is checked against stand-ins
// over real sockets (a refused key sends nothing at all).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PromptLabError } from '../../../../src/core/errors';
import { parseProviderConfig } from '../../../../src/core/providers/config';
import { createResolver } from '../../../../src/core/providers/resolver';
import { keyDecision, parseKeyGrants } from '../../../../src/core/providers/keyPolicy';
import { keyDigest } from '../../../../src/standin/server';
import { standinFixture } from '../../support/standinSetup';

const allowed = (variable: string, origin: string, env: NodeJS.ProcessEnv = {}, grants = ''): boolean =>
  keyDecision(variable, origin, env, parseKeyGrants(grants, 'test')).allowed;

void describe('key policy decisions', () => {
  void it('pins well-known provider variables to their own services over https', () => {
    assert.equal(allowed('OPENAI_API_KEY', 'https://api.openai.com'), true);
    assert.equal(allowed('OPENAI_API_KEY', 'http://api.openai.com'), false, 'not over plain http');
    assert.equal(allowed('OPENAI_API_KEY', 'https://api.openai.com.evil.example'), false);
    assert.equal(allowed('ANTHROPIC_API_KEY', 'https://api.anthropic.com'), true);
    assert.equal(allowed('ANTHROPIC_API_KEY', 'https://openrouter.ai'), false, 'not to another provider');
    assert.equal(allowed('OPENROUTER_API_KEY', 'https://openrouter.ai'), true);
    assert.equal(allowed('GROQ_API_KEY', 'https://api.groq.com'), true);
    assert.equal(allowed('MISTRAL_API_KEY', 'https://api.mistral.ai'), true);
    assert.equal(allowed('DEEPSEEK_API_KEY', 'https://api.deepseek.com'), true);
    assert.equal(allowed('XAI_API_KEY', 'https://api.x.ai'), true);
    assert.equal(allowed('TOGETHER_API_KEY', 'https://api.together.xyz'), true);
    assert.equal(allowed('GEMINI_API_KEY', 'https://generativelanguage.googleapis.com'), true);
    for (const host of ['team.openai.azure.com', 'team.cognitiveservices.azure.com', 'team.services.ai.azure.com']) {
      assert.equal(allowed('AZURE_OPENAI_API_KEY', `https://${host}`), true, host);
    }
    assert.equal(allowed('AZURE_OPENAI_API_KEY', 'https://openai.azure.com.evil.example'), false);
  });

  void it('lets the user point a well-known key at an endpoint of their own through the environment', () => {
    assert.equal(
      allowed('OPENAI_API_KEY', 'http://127.0.0.1:8080', { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }),
      true,
    );
    assert.equal(
      allowed('OPENAI_API_KEY', 'http://127.0.0.1:9999', { OPENAI_BASE_URL: 'http://127.0.0.1:8080/v1' }),
      false,
      'another port',
    );
    assert.equal(
      allowed('AZURE_OPENAI_API_KEY', 'https://proxy.corp', { AZURE_OPENAI_ENDPOINT: 'https://proxy.corp/' }),
      true,
    );
  });

  void it('refuses other variables unless named PROMPTLAB_* or allowed by the user for that host', () => {
    assert.equal(allowed('GITHUB_TOKEN', 'https://evil.example'), false);
    assert.equal(allowed('AWS_SECRET_ACCESS_KEY', 'http://127.0.0.1:8080'), false, 'loopback is no exemption');
    assert.equal(allowed('PROMPTLAB_TEAM_KEY', 'https://llm.corp.example'), true);
    assert.equal(
      allowed('PROMPTLAB_ALLOW_KEYS', 'https://llm.corp.example'),
      false,
      'the grant list itself is not a key',
    );
    assert.equal(allowed('GITHUB_TOKEN', 'https://models.corp.example', {}, 'GITHUB_TOKEN=models.corp.example'), true);
    assert.equal(allowed('GITHUB_TOKEN', 'https://other.example', {}, 'GITHUB_TOKEN=models.corp.example'), false);
    assert.equal(allowed('ANTHROPIC_API_KEY', 'https://gateway.corp', {}, 'ANTHROPIC_API_KEY=gateway.corp'), true);
  });

  void it('matches a bare host on its default port only, host:port and origins exactly', () => {
    assert.equal(allowed('MY_KEY', 'http://127.0.0.1:8080', {}, 'MY_KEY=127.0.0.1:8080'), true);
    assert.equal(
      allowed('MY_KEY', 'http://127.0.0.1:8081', {}, 'MY_KEY=127.0.0.1:8080'),
      false,
      'another local port is another service',
    );
    assert.equal(allowed('MY_KEY', 'http://127.0.0.1:8080', {}, 'MY_KEY=127.0.0.1'), false);
    assert.equal(allowed('MY_KEY', 'https://api.example.com', {}, 'MY_KEY=https://api.example.com'), true);
    assert.equal(
      allowed('MY_KEY', 'http://api.example.com', {}, 'MY_KEY=https://api.example.com'),
      false,
      'an origin pins the scheme',
    );
  });

  void it('pins a PROMPTLAB_* variable the user granted somewhere to those grants', () => {
    assert.equal(allowed('PROMPTLAB_KEY', 'https://a.example', {}, 'PROMPTLAB_KEY=b.example'), false);
    assert.equal(allowed('PROMPTLAB_KEY', 'https://b.example', {}, 'PROMPTLAB_KEY=b.example'), true);
  });

  void it('rejects malformed grants, naming their source', () => {
    for (const bad of ['GITHUB_TOKEN', '=host', 'MY KEY=x', 'MY_KEY=ftp://x', 'MY_KEY=https://x/path']) {
      assert.throws(
        () => parseKeyGrants(bad, '--allow-key'),
        (e: unknown) => e instanceof PromptLabError && e.message.startsWith('--allow-key: expected VARIABLE=host'),
        bad,
      );
    }
    assert.deepEqual(parseKeyGrants('A=x.example, B=http://127.0.0.1:1 C=y.example:8443', 'env'), [
      { variable: 'A', host: 'x.example' },
      { variable: 'B', host: 'http://127.0.0.1:1' },
      { variable: 'C', host: 'y.example:8443' },
    ]);
  });
});

void describe('the resolver applies the key policy', () => {
  const fixture = standinFixture('keypolicy');

  const configFor = (provider: string): ReturnType<typeof parseProviderConfig> =>
    parseProviderConfig(
      `providers:\n  foreign:\n${provider}\nmodels:\n  "x": foreign\n`,
      '/repo/promptlab.config.yaml',
    );

  void it('refuses GITHUB_TOKEN for a foreign host before any request, naming the variable, the host and the line', () => {
    fixture.standin.resetStats();
    const config = configFor(`    baseURL: "${fixture.standin.url}"\n    apiKeyEnv: GITHUB_TOKEN`);
    const resolver = createResolver(config, { env: { GITHUB_TOKEN: 'ghp_secret_value' } });
    assert.throws(
      () => resolver.resolve('x'),
      (e: unknown) =>
        e instanceof PromptLabError &&
        e.kind === 'config' &&
        e.message.includes(`would send GITHUB_TOKEN to ${fixture.standin.origin}`) &&
        e.message.includes(`--allow-key GITHUB_TOKEN=127.0.0.1:${fixture.standin.port}`) &&
        !e.message.includes('ghp_secret_value') &&
        e.location?.file === '/repo/promptlab.config.yaml' &&
        e.location.range?.start.line === 3, // 0-based: line 4, the apiKeyEnv value
    );
    assert.equal(fixture.standin.stats.requests, 0, 'nothing was sent');
  });

  void it('refuses a secret smuggled into a header through ${env:NAME}', () => {
    const config = configFor(
      `    baseURL: "${fixture.standin.url}"\n    headers: { X-Token: "\${env:AWS_SECRET_ACCESS_KEY}" }`,
    );
    assert.throws(
      () => createResolver(config, { env: { AWS_SECRET_ACCESS_KEY: 'aws-secret' } }).resolve('x'),
      /would send AWS_SECRET_ACCESS_KEY to http:\/\/127\.0\.0\.1/,
    );
  });

  void it('sends the key when the user allows the pair (flag or PROMPTLAB_ALLOW_KEYS), and a PROMPTLAB_* key as configured', async () => {
    const host = `127.0.0.1:${fixture.standin.port}`;
    const cases: {
      provider: string;
      env: NodeJS.ProcessEnv;
      allowKeys?: { variable: string; host: string }[];
      key: string;
    }[] = [
      {
        provider: '    apiKeyEnv: GITHUB_TOKEN',
        env: { GITHUB_TOKEN: 'gh-1' },
        allowKeys: [{ variable: 'GITHUB_TOKEN', host }],
        key: 'gh-1',
      },
      {
        provider: '    apiKeyEnv: GITHUB_TOKEN',
        env: { GITHUB_TOKEN: 'gh-2', PROMPTLAB_ALLOW_KEYS: `GITHUB_TOKEN=${host}` },
        key: 'gh-2',
      },
      { provider: '    apiKeyEnv: PROMPTLAB_LOCAL_KEY', env: { PROMPTLAB_LOCAL_KEY: 'pl-3' }, key: 'pl-3' },
    ];
    for (const { provider, env, allowKeys, key } of cases) {
      const resolved = createResolver(configFor(`    baseURL: "${fixture.standin.url}"\n${provider}`), {
        env,
        ...(allowKeys ? { allowKeys } : {}),
      }).resolve('x');
      const reply = await resolved.provider.chat({
        model: 'standin',
        messages: [{ role: 'user', content: 'hi' }],
        parameters: {},
      });
      assert.equal(reply.text, 'Echo: hi');
      assert.equal(fixture.standin.lastRequest()?.keyDigest, keyDigest(key), provider);
    }
  });

  void it('reports a malformed PROMPTLAB_ALLOW_KEYS by name', () => {
    assert.throws(
      () =>
        createResolver(configFor(`    baseURL: "${fixture.standin.url}"`), {
          env: { PROMPTLAB_ALLOW_KEYS: 'nonsense' },
        }),
      /PROMPTLAB_ALLOW_KEYS: expected VARIABLE=host/,
    );
  });
});
