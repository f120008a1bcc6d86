// Real-world folders: one bad file never stops the others. The real CLI against a stand-in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { standinConfigText } from './config';
import { runCli, STACK_LINE } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

interface GhJson {
  name: string;
  model: string;
  summary: { totalTests: number; passedTests: number };
}

const withCases = (model: string | undefined, name: string): string =>
  [
    `name: ${name}`,
    ...(model ? [`model: ${model}`] : []),
    'messages:',
    '  - role: user',
    '    content: "Say {{word}}"',
    'testData:',
    '  - word: alpha',
    '  - word: beta',
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{word}}'",
    '',
  ].join('\n');

void describe('promptlab eval over a folder of real-world files', () => {
  const fixture = standinFixture('cli-many');
  let folder: string;
  let config: string;
  before(async () => {
    folder = path.join(fixture.dir, 'prompts');
    fs.mkdirSync(folder);
    config = path.join(fixture.dir, 'promptlab.config.yaml');
    fs.writeFileSync(config, standinConfigText(fixture.standin.url));
    fs.writeFileSync(path.join(folder, 'a-good.prompt.yml'), withCases('openai/gpt-4o-mini', 'Good'));
    // Line 3, column 10: an unclosed flow sequence.
    fs.writeFileSync(
      path.join(folder, 'b-invalid.prompt.yml'),
      'name: Broken\nmodel: openai/gpt-4o-mini\nmessages: [\n',
    );
    // GitHub Actions used to supply the model of files like this one.
    fs.writeFileSync(path.join(folder, 'c-no-model.prompt.yml'), withCases(undefined, 'No model'));
    // No test cases and no model: gh-models ran 0 tests and passed.
    fs.writeFileSync(
      path.join(folder, 'd-bare.prompt.yml'),
      'name: Bare\nmessages:\n  - role: user\n    content: Hello\n',
    );
  });
  const inFolder = (name: string) => path.join(folder, name);
  /** `promptlab eval <targets> --json --config <configFile> <flags>` in the work folder. */
  const evalJson = (targets: string[], flags: string[] = [], configFile = config) =>
    runCli(['eval', ...targets, '--json', '--config', configFile, ...flags], { cwd: fixture.dir });

  void it('runs every file it can, reports each bad one with file:line:col, prints JSON for the others, exits 2', async () => {
    fixture.standin.resetStats();
    const result = await evalJson([folder], ['--no-cache']);
    assert.equal(result.code, 2, 'the worst outcome: a file could not run');
    assert.match(result.stderr, /prompts\/b-invalid\.prompt\.yml:\d+:\d+: error: /);
    assert.match(
      result.stderr,
      /prompts\/c-no-model\.prompt\.yml:1:1: error: the file has no `model`; add one, or pass --default-model/,
    );
    assert.match(result.stderr, /2 of 4 files could not run/);
    assert.doesNotMatch(result.stderr, STACK_LINE);
    const out = JSON.parse(result.stdout) as GhJson[];
    assert.deepEqual(
      out.map((o) => [o.name, o.model, o.summary.totalTests, o.summary.passedTests]),
      [
        ['Good', 'openai/gpt-4o-mini', 2, 2],
        ['Bare', '', 0, 0],
      ],
    );
    assert.equal(fixture.standin.stats.chatRequests, 2, 'the good file ran, nothing else was sent');
  });

  void it('keeps the JSON an array when only one of several files could run', async () => {
    const result = await evalJson([inFolder('a-good.prompt.yml'), inFolder('b-invalid.prompt.yml')]);
    assert.equal(result.code, 2);
    const out = JSON.parse(result.stdout) as GhJson[];
    assert.ok(Array.isArray(out));
    assert.equal(out.length, 1);
  });

  void it('gives files without a model the --default-model, or the config defaultModel; --model still overrides', async () => {
    fixture.standin.resetStats();
    const flagged = await evalJson(
      [inFolder('c-no-model.prompt.yml')],
      ['--no-cache', '--default-model', 'openai/gpt-4o'],
    );
    assert.equal(flagged.code, 0, flagged.stderr);
    assert.equal((JSON.parse(flagged.stdout) as GhJson).model, 'openai/gpt-4o');
    assert.equal(
      fixture.standin.requests.at(-1)?.body && (fixture.standin.requests.at(-1)?.body as { model: string }).model,
      'gpt-4o',
    );

    const withDefault = path.join(fixture.dir, 'with-default.yaml');
    fs.writeFileSync(withDefault, `${standinConfigText(fixture.standin.url)}defaultModel: openai/gpt-4o-mini\n`);
    const configured = await evalJson(
      [inFolder('c-no-model.prompt.yml'), inFolder('a-good.prompt.yml')],
      [],
      withDefault,
    );
    assert.equal(configured.code, 0, configured.stderr);
    assert.deepEqual(
      (JSON.parse(configured.stdout) as GhJson[]).map((o) => o.model),
      ['openai/gpt-4o-mini', 'openai/gpt-4o-mini'],
    );

    const forced = await evalJson(
      [inFolder('a-good.prompt.yml')],
      ['--default-model', 'openai/gpt-4o', '--model', 'openai/gpt-4o'],
      withDefault,
    );
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal((JSON.parse(forced.stdout) as GhJson).model, 'openai/gpt-4o');
  });

  void it('runs a file with no test cases and no model as 0 tests, exit 0, sending nothing', async () => {
    fixture.standin.resetStats();
    const result = await evalJson([inFolder('d-bare.prompt.yml')]);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as GhJson;
    assert.equal(out.summary.totalTests, 0);
    assert.equal(fixture.standin.stats.requests, 0);
  });

  void it('lets `run` render a file whose evaluators have errors (it runs no evaluator)', async () => {
    const badEvaluator = path.join(fixture.dir, 'bad-evaluator.prompt.yml');
    fs.writeFileSync(
      badEvaluator,
      [
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: user',
        '    content: Hello there',
        'evaluators:',
        '  - name: broken',
        '    regex:',
        "      pattern: 'hi (there'",
        '',
      ].join('\n'),
    );
    const evalResult = await runCli(['eval', badEvaluator, '--config', config], { cwd: fixture.dir });
    assert.equal(evalResult.code, 2, 'eval uses the evaluators, so it refuses the file');
    assert.match(evalResult.stderr, /bad-evaluator\.prompt\.yml:8:\d+: error: Invalid regular expression/);
    const runResult = await runCli(['run', badEvaluator, '--config', config], { cwd: fixture.dir });
    assert.equal(runResult.code, 0, runResult.stderr);
    assert.equal(runResult.stdout, 'Echo: Hello there\n');
  });
});
