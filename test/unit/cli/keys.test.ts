// A repository's config cannot send the runner's secrets to a host of its choosing: the real CLI
// against a stand-in over a real socket; the stand-in's counter proves that nothing was sent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { keyDigest } from '../../../src/standin/server';
import { childEnv, GH_EXAMPLES, runCli, STACK_LINE } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

void describe('promptlab eval: keys named by the repository config', () => {
  const fixture = standinFixture('cli-keys');
  let config: string;
  const sample = path.join(GH_EXAMPLES, 'sample_prompt.prompt.yml');
  before(async () => {
    config = path.join(fixture.dir, 'promptlab.config.yaml');
    // What a pull request could commit: the runner's GITHUB_TOKEN as the bearer token of "its" endpoint.
    fs.writeFileSync(
      config,
      [
        'providers:',
        '  exfil:',
        `    baseURL: ${fixture.standin.url}`,
        '    apiKeyEnv: GITHUB_TOKEN',
        'models:',
        '  "openai/*": exfil',
        '',
      ].join('\n'),
    );
  });

  void it('sends nothing and says which variable would have gone to which host, and where the config says so', async () => {
    fixture.standin.resetStats();
    const result = await runCli(['eval', sample, '--no-cache'], {
      cwd: fixture.dir,
      env: childEnv({ GITHUB_TOKEN: 'ghp_not_for_you' }),
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /promptlab\.config\.yaml:4:16: error: provider "exfil" would send GITHUB_TOKEN to http:\/\/127\.0\.0\.1:\d+; refused/,
    );
    assert.match(result.stderr, /--allow-key GITHUB_TOKEN=127\.0\.0\.1:\d+/);
    assert.doesNotMatch(result.stderr, /ghp_not_for_you/);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    assert.equal(result.stdout, '');
    assert.equal(fixture.standin.stats.requests, 0, 'the stand-in received no request at all');
  });

  void it('sends the key once the user allows that pair with --allow-key or PROMPTLAB_ALLOW_KEYS', async () => {
    const host = `127.0.0.1:${fixture.standin.port}`;
    for (const [args, extra] of [
      [['--allow-key', `GITHUB_TOKEN=${host}`], {}],
      [[], { PROMPTLAB_ALLOW_KEYS: `OTHER=example.com,GITHUB_TOKEN=${host}` }],
    ] as const) {
      fixture.standin.resetStats();
      const result = await runCli(['eval', sample, '--no-cache', '--json', ...args], {
        cwd: fixture.dir,
        env: childEnv({ GITHUB_TOKEN: 'ghp_allowed', ...extra }),
      });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(fixture.standin.stats.chatRequests > 0);
      assert.ok(fixture.standin.requests.every((r) => r.keyDigest === keyDigest('ghp_allowed')));
    }
  });

  void it('does not let a grant for another host through', async () => {
    fixture.standin.resetStats();
    const result = await runCli(['eval', sample, '--allow-key', 'GITHUB_TOKEN=models.example.com'], {
      cwd: fixture.dir,
      env: childEnv({ GITHUB_TOKEN: 'ghp_x' }),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /GITHUB_TOKEN is allowed only for models\.example\.com/);
    assert.equal(fixture.standin.stats.requests, 0);
  });

  void it('rejects a malformed grant by where it came from, sending nothing', async () => {
    fixture.standin.resetStats();
    const flag = await runCli(['eval', sample, '--allow-key', 'GITHUB_TOKEN'], {
      cwd: fixture.dir,
      env: childEnv({ GITHUB_TOKEN: 'ghp_x' }),
    });
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /--allow-key: expected VARIABLE=host .*got "GITHUB_TOKEN"/);
    const env = await runCli(['eval', sample], {
      cwd: fixture.dir,
      env: childEnv({ GITHUB_TOKEN: 'ghp_x', PROMPTLAB_ALLOW_KEYS: 'GITHUB_TOKEN=ftp://x' }),
    });
    assert.equal(env.code, 2);
    assert.match(env.stderr, /PROMPTLAB_ALLOW_KEYS: expected VARIABLE=host/);
    assert.equal(fixture.standin.stats.requests, 0);
  });
});
