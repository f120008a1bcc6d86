// Rate limits as flow control, end to end: the real CLI bundle against a stand-in that enforces
// a token-bucket rate limit (429 with retry-after-ms, x-ratelimit-* headers) and injects 500s and
// dropped connections, over real sockets. The stand-in's counters prove what was sent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { standinConfigText } from './config';
import { echoSuiteText, runCli } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

type Json = Record<string, unknown>;

function writePrompt(dir: string, name: string, inputs: string[], evaluators: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const data = `${name}.jsonl`;
  fs.writeFileSync(path.join(dir, data), `${inputs.map((input) => JSON.stringify({ input })).join('\n')}\n`);
  const file = path.join(dir, `${name}.prompt.yml`);
  fs.writeFileSync(file, echoSuiteText(data, { name, message: 'Please answer {{input}}', evaluators }));
  return file;
}

const questions = (n: number) => Array.from({ length: n }, (_, i) => `question ${i + 1}`);

const JUDGE = [
  '  - name: judged',
  '    llm:',
  '      modelId: openai/gpt-4o',
  "      prompt: '[[judge]] Is this right? {{completion}}'",
  '      choices:',
  "        - choice: '4'",
  '          score: 1',
].join('\n');

/** Per case, in case order: `promptlab.cases` of the --json output (verdicts as core computed them). */
function testResults(stdout: string): Json[] {
  return (JSON.parse(stdout) as { promptlab: { cases: Json[] } }).promptlab.cases;
}

void describe('eval against a rate-limited endpoint', () => {
  const fixture = standinFixture('cli-ratelimit');
  beforeEach(() => {
    fixture.standin.setOptions({
      requestsPerSecond: 0,
      burst: undefined,
      fail429Rate: 0,
      fail500Rate: 0,
      dropRate: 0,
      retryAfterMs: 100,
      failNext: [],
    });
    fixture.standin.resetStats();
  });

  const config = (extra = ''): string => {
    const file = path.join(fixture.dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(
      file,
      standinConfigText(fixture.standin.url).replace(
        `    baseURL: ${fixture.standin.url}\n`,
        `    baseURL: ${fixture.standin.url}\n${extra}`,
      ),
    );
    return file;
  };

  void it('answers every case of a 600-case run held to a token bucket, with 3 % 500s and 1 % dropped connections', async () => {
    // 600 cases and 600 judge calls, both through the one scheduler of the endpoint. The stand-in's
    // failures are evenly spread; at exactly 1 % every drop would land on a request already answered
    // 500, so 1.1 %.
    fixture.standin.setOptions({ requestsPerSecond: 120, burst: 5, fail500Rate: 0.03, dropRate: 0.011 });
    const prompt = writePrompt(fixture.dir, 'limited', questions(600), JUDGE);
    const result = await runCli(
      [
        'eval',
        prompt,
        '--json',
        '--no-cache',
        '-c',
        '16',
        '--config',
        config(),
        '--runs-dir',
        path.join(fixture.dir, 'runs'),
      ],
      { cwd: fixture.dir, timeoutMs: 120_000 },
    );
    assert.equal(result.code, 0, result.stderr);
    const results = testResults(result.stdout);
    assert.equal(results.length, 600);
    assert.ok(
      results.every((r) => r.passed === true),
      'every case answered and judged',
    );
    const stats = fixture.standin.stats;
    assert.equal(stats.byStatus[200], 1200, 'each case and each judge call answered exactly once');
    assert.ok(stats.rateLimited > 0, `the limit was reached (${stats.rateLimited} × 429)`);
    assert.ok((stats.byStatus[500] ?? 0) > 0 && stats.dropped > 0, 'failures were injected');
    // Piped stderr (a CI log) says once why the run is slow.
    assert.equal(result.stderr.match(/is rate limiting; slowing down and retrying/g)?.length, 1, result.stderr);
  });

  void it('--fail-fast sends nothing after the first failure and says what was not run', async () => {
    const inputs = questions(30);
    inputs[4] = 'question 5 [[status: 500]]';
    const prompt = writePrompt(fixture.dir, 'failfast', inputs, '');
    const args = ['eval', prompt, '--json', '--no-cache', '-c', '1', '--runs-dir', path.join(fixture.dir, 'runs')];
    const result = await runCli([...args, '--fail-fast', '--config', config()], { cwd: fixture.dir });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(fixture.standin.stats.chatRequests, 5, 'four answered cases, one failed request, not one more');
    assert.equal(testResults(result.stdout).length, 5);
    assert.match(
      result.stderr,
      /stopped at the first failure \(--fail-fast\): case 5: .*failed with 500.*\(not retried: fail fast\); 25 cases not run/,
    );

    // Without it, the failing case is retried (bounded) and every other case still runs.
    fixture.standin.resetStats();
    const full = await runCli([...args, '--config', config('    maxRetries: 1\n')], { cwd: fixture.dir });
    assert.equal(full.code, 1, full.stderr);
    assert.equal(fixture.standin.stats.chatRequests, 31);
    const results = testResults(full.stdout);
    assert.equal(results.length, 30);
    assert.equal(results.filter((r) => r.passed !== true).length, 1);
  });

  void it('gives up on an endpoint that never stops answering 429 when the wait budget is spent, and says so', async () => {
    fixture.standin.setOptions({ fail429Rate: 1, retryAfterMs: 50 });
    const prompt = writePrompt(fixture.dir, 'forever', questions(3), '');
    const started = Date.now();
    const result = await runCli(
      [
        'eval',
        prompt,
        '--no-cache',
        '-c',
        '2',
        '--max-wait',
        '1s',
        '--config',
        config(),
        '--runs-dir',
        path.join(fixture.dir, 'runs'),
      ],
      { cwd: fixture.dir },
    );
    assert.ok(Date.now() - started < 20_000);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /every test case failed to get a reply: .*rate limiting requests \(429\).*still rate limited after waiting [\d.]+ (ms|s): the 1 s a case may wait on rate limits and retries are used up; raise it with --max-wait/,
    );
    assert.ok(fixture.standin.stats.chatRequests >= 6, 'it kept retrying within the budget');
  });

  void it('does not wait out a Retry-After of an hour: that case fails at once with the reason, the others run', async () => {
    fixture.standin.setOptions({ failNext: [{ status: 429, retryAfterMs: 3_600_000 }] });
    const prompt = writePrompt(fixture.dir, 'hour', questions(3), '');
    const result = await runCli(
      [
        'eval',
        prompt,
        '--json',
        '--no-cache',
        '-c',
        '1',
        '--config',
        config(),
        '--runs-dir',
        path.join(fixture.dir, 'runs'),
      ],
      { cwd: fixture.dir },
    );
    assert.equal(result.code, 1, result.stderr);
    assert.equal(fixture.standin.stats.chatRequests, 3, 'the limited request was not repeated');
    const results = testResults(result.stdout);
    assert.deepEqual(
      results.map((r) => r.passed),
      [false, true, true],
    );
    assert.match(
      JSON.stringify(results[0]),
      /the server asked to wait 1 h, longer than the 10 min this case may still wait \(max wait 10 min\); not waiting; raise it with --max-wait/,
    );
  });
});
