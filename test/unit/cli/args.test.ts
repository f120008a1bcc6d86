import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, UsageError } from '../../../src/cli/args';

void describe('parseCommandLine', () => {
  void it('parses agreement: one run, --grades, --runs-dir, --json', () => {
    assert.deepEqual(parseCommandLine(['agreement', 'r1', '--grades', 'g.csv', '--runs-dir', 'runs', '--json']), {
      command: 'agreement',
      run: 'r1',
      grades: 'g.csv',
      runsDir: 'runs',
      json: true,
      debug: false,
      quiet: false,
    });
    assert.throws(
      () => parseCommandLine(['agreement']),
      (e: unknown) => e instanceof UsageError && /exactly one run/.test(e.message),
    );
    assert.throws(() => parseCommandLine(['agreement', 'r1', '--model', 'x']), UsageError);
    assert.deepEqual(parseCommandLine(['help', 'agreement']), { command: 'help', topic: 'agreement' });
  });
  void it('parses eval with every flag', () => {
    const parsed = parseCommandLine([
      'eval',
      'a.prompt.yml',
      'dir',
      '--json',
      '--junit',
      'r.xml',
      '--markdown',
      'r.md',
      '-c',
      '8',
      '--repeat',
      '3',
      '--no-cache',
      '--config',
      'p.yaml',
      '--model',
      'openai/gpt-4o',
      '--runs-dir',
      'runs',
      '--debug',
      '--quiet',
      '--batch',
      '--shard',
      '2/3',
      '--max-wait',
      '90s',
      '--fail-fast',
      '--default-model',
      'openai/gpt-4o-mini',
      '--allow-key',
      'A=x.example',
      '--allow-key',
      'B=y.example',
    ]);
    assert.deepEqual(parsed, {
      command: 'eval',
      inputs: ['a.prompt.yml', 'dir'],
      json: true,
      noCache: true,
      junit: 'r.xml',
      markdown: 'r.md',
      concurrency: 8,
      repeat: 3,
      config: 'p.yaml',
      model: 'openai/gpt-4o',
      runsDir: 'runs',
      debug: true,
      quiet: true,
      batch: true,
      shard: { index: 2, count: 3 },
      maxWaitMs: 90_000,
      failFast: true,
      defaultModel: 'openai/gpt-4o-mini',
      allowKeys: ['A=x.example', 'B=y.example'],
    });
    assert.deepEqual(parseCommandLine(['eval', '--resume', 'run-id']), {
      command: 'eval',
      inputs: [],
      json: false,
      noCache: false,
      debug: false,
      quiet: false,
      allowKeys: [],
      resume: 'run-id',
      batch: false,
      failFast: false,
    });
  });

  void it('reads --max-wait as seconds or with a unit', () => {
    const wait = (raw: string) =>
      (parseCommandLine(['eval', 'x', '--max-wait', raw]) as { maxWaitMs?: number }).maxWaitMs;
    assert.equal(wait('600'), 600_000);
    assert.equal(wait('10m'), 600_000);
    assert.equal(wait('1h'), 3_600_000);
    assert.equal(wait('250ms'), 250);
    assert.equal(wait('0'), 0);
    assert.equal((parseCommandLine(['eval', 'x']) as { maxWaitMs?: number; failFast: boolean }).maxWaitMs, undefined);
  });

  void it('parses run variables and a 1-based case number', () => {
    assert.deepEqual(parseCommandLine(['run', 'f.prompt.yml', '--var', 'a=1', '--var', 'b=x=y', '--case', '2']), {
      command: 'run',
      file: 'f.prompt.yml',
      vars: { a: '1', b: 'x=y' },
      caseIndex: 1,
      debug: false,
      quiet: false,
      allowKeys: [],
    });
  });

  void it('recognises version and help forms', () => {
    assert.deepEqual(parseCommandLine(['--version']), { command: 'version' });
    assert.deepEqual(parseCommandLine([]), { command: 'help' });
    assert.deepEqual(parseCommandLine(['help', 'eval']), { command: 'help', topic: 'eval' });
    assert.deepEqual(parseCommandLine(['validate', '--help']), { command: 'help', topic: 'validate' });
  });

  void it('rejects bad usage with a UsageError naming the problem', () => {
    const cases: [string[], RegExp][] = [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['eval'], /at least one file/],
      [['eval', 'x', '--concurrency', '0'], /--concurrency must be a whole number/],
      [['eval', 'x', '--repeat', 'two'], /--repeat must be a whole number/],
      [['eval', 'x', '--bogus'], /bogus/],
      [['run', 'a', 'b'], /exactly one prompt file/],
      [['run', 'a', '--var', 'novalue'], /--var expects name=value/],
      [['run', 'a', '--no-cache'], /no-cache/],
      [['eval', 'x', '--shard', '4/3'], /--shard expects i\/n with 1 ≤ i ≤ n/],
      [['eval', 'x', '--shard', 'half'], /--shard expects i\/n/],
      [['eval', '--resume', 'r.jsonl', '--shard', '1/2'], /--shard does not apply to --resume/],
      [['merge'], /merge needs the run files/],
      [['eval', 'x', '--max-wait=-5'], /--max-wait must be a duration from 0 to 24h/],
      [['eval', 'x', '--max-wait', '2d'], /--max-wait must be a duration/],
      [['eval', 'x', '--max-wait', '100000'], /--max-wait must be a duration from 0 to 24h .*got '100000'/],
      [['eval', '--resume', 'r', 'a', 'b'], /--resume completes one run/],
      [['run', 'a', '--resume', 'r'], /resume/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parseCommandLine(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
        argv.join(' '),
      );
  });
});
