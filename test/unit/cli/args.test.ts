import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, UsageError } from '../../../src/cli/args';

void describe('parseCommandLine', () => {
  void it('parses eval with every flag', () => {
    const parsed = parseCommandLine([
      'eval', 'a.prompt.yml', 'dir', '--json', '--junit', 'r.xml', '--markdown', 'r.md', '-c', '8', '--repeat', '3',
      '--no-cache', '--config', 'p.yaml', '--model', 'openai/gpt-4o', '--runs-dir', 'runs', '--debug', '--quiet',
      '--batch', '--shard', '2/3',
    ]);
    assert.deepEqual(parsed, {
      command: 'eval', inputs: ['a.prompt.yml', 'dir'], json: true, noCache: true, junit: 'r.xml', markdown: 'r.md',
      concurrency: 8, repeat: 3, config: 'p.yaml', model: 'openai/gpt-4o', runsDir: 'runs', debug: true, quiet: true,
      batch: true, shard: { index: 2, count: 3 },
    });
  });

  void it('parses run variables and a 1-based case number', () => {
    assert.deepEqual(parseCommandLine(['run', 'f.prompt.yml', '--var', 'a=1', '--var', 'b=x=y', '--case', '2']), {
      command: 'run', file: 'f.prompt.yml', vars: { a: '1', b: 'x=y' }, caseIndex: 1, debug: false, quiet: false,
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
      [['eval', 'x', '--resume', 'run.jsonl'], /--resume takes the run to go on with, not prompt files/],
      [['eval', '--resume', 'r.jsonl', '--shard', '1/2'], /--shard does not apply to --resume/],
      [['merge'], /merge needs the run files/],
    ];
    for (const [argv, message] of cases) assert.throws(() => parseCommandLine(argv), (e: unknown) => e instanceof UsageError && message.test(e.message), argv.join(' '));
  });
});
