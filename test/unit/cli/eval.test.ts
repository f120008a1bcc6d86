// `promptlab eval` end to end: the real CLI bundle against a stand-in on a real socket.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { loadPromptFile } from '../../../src/core';
import { startStandin } from '../../../src/standin/server';
import { writeStandinConfig } from './config';
import { BROKEN, GH_EXAMPLES, REPO_ROOT, runCli, STACK_LINE, startCli } from '../support/cliHarness';
import { findAll, parseXml } from './xml';
import { standinFixture } from '../support/standinSetup';

const EXAMPLES = [
  'advanced_template_prompt',
  'failing_test_prompt',
  'json_response_prompt',
  'json_schema_prompt',
  'sample_prompt',
  'template_variables_prompt',
  'test_builtins',
  'test_generate',
  'test_single_evaluator',
].map((name) => path.join(GH_EXAMPLES, `${name}.prompt.yml`));

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** gh-models templating as SEMANTICS.md states it: `{{key}}` only, values as text, unknown left alone. */
function template(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{([^{}\s]+)\}\}/g, (whole, key: string) => (key in vars ? String(vars[key]) : whole));
}

/** The string-evaluator verdict by SEMANTICS.md, computed independently of the engine. */
function stringVerdict(criterion: string, expected: string, reply: string): boolean {
  switch (criterion) {
    case 'equals':
      return reply === expected;
    case 'contains':
      return reply.toLowerCase().includes(expected.toLowerCase());
    case 'startsWith':
      return reply.toLowerCase().startsWith(expected.toLowerCase());
    case 'endsWith':
      return reply.toLowerCase().endsWith(expected.toLowerCase());
    default:
      throw new Error(`unknown criterion ${criterion}`);
  }
}

/** Checks every key and type of gh-models' `--json` object; returns it typed loosely. */
function assertGhShape(value: unknown, where: string): Json {
  assert.ok(isObject(value), `${where}: an object`);
  assert.deepEqual(
    Object.keys(value).sort(),
    ['description', 'model', 'name', 'promptlab', 'summary', 'testResults'],
    `${where}: top-level keys`,
  );
  assert.equal(typeof value.name, 'string');
  assert.equal(typeof value.description, 'string');
  assert.equal(typeof value.model, 'string');
  assert.ok(Array.isArray(value.testResults), `${where}: testResults is an array`);
  for (const result of value.testResults as unknown[]) {
    assert.ok(isObject(result));
    assert.deepEqual(
      Object.keys(result).sort(),
      ['evaluationResults', 'modelResponse', 'testCase'],
      `${where}: test result keys`,
    );
    assert.ok(isObject(result.testCase));
    assert.equal(typeof result.modelResponse, 'string');
    assert.ok(Array.isArray(result.evaluationResults));
    for (const evaluation of result.evaluationResults as unknown[]) {
      assert.ok(isObject(evaluation));
      const keys = Object.keys(evaluation).sort();
      assert.ok(
        JSON.stringify(keys) === JSON.stringify(['details', 'evaluatorName', 'passed', 'score']) ||
          JSON.stringify(keys) === JSON.stringify(['evaluatorName', 'passed', 'score']),
        `${where}: evaluation keys ${keys.join(',')}`,
      );
      assert.equal(typeof evaluation.evaluatorName, 'string');
      assert.equal(typeof evaluation.score, 'number');
      assert.equal(typeof evaluation.passed, 'boolean');
      if ('details' in evaluation) assert.equal(typeof evaluation.details, 'string');
    }
  }
  assert.ok(isObject(value.summary));
  assert.deepEqual(Object.keys(value.summary).sort(), ['failedTests', 'passRate', 'passedTests', 'totalTests']);
  for (const key of ['totalTests', 'passedTests', 'failedTests'])
    assert.ok(Number.isInteger(value.summary[key]), `${where}: summary.${key} is an integer`);
  assert.equal(typeof value.summary.passRate, 'number');
  assert.ok(isObject(value.promptlab));
  return value;
}

void describe('promptlab eval (end to end)', () => {
  const fixture = standinFixture('cli-eval');
  let config: string;
  before(async () => {
    config = writeStandinConfig(fixture.dir, fixture.standin.url);
  });

  const evalJson = async (files: string[], extra: string[] = []) => {
    const result = await runCli(['eval', ...files, '--json', '--config', config, '--no-cache', ...extra], {
      cwd: fixture.dir,
    });
    assert.doesNotMatch(result.stderr, STACK_LINE);
    return { ...result, json: JSON.parse(result.stdout) as unknown };
  };

  void it('loads and runs all nine gh-models examples with gh-models verdicts for string evaluators', async () => {
    for (const file of EXAMPLES) {
      const name = path.basename(file);
      const { code, json, stderr } = await evalJson([file]);
      const out = assertGhShape(json, name);
      const { prompt } = await loadPromptFile(file);
      assert.ok(prompt, name);
      assert.equal(out.name, prompt.name);
      assert.equal(out.description, prompt.description);
      assert.equal(out.model, prompt.model);
      const summary = out.summary as Json;
      const results = out.testResults as Json[];
      assert.equal(summary.totalTests, prompt.testData.length, `${name}: one test result per case`);
      assert.equal(results.length, prompt.testData.length);
      if (prompt.testData.length === 0)
        assert.equal(summary.passRate, 100, `${name}: no tests → pass rate 100 (gh-models)`);
      let failed = 0;
      results.forEach((result, i) => {
        const testCase = prompt.testData[i];
        assert.ok(testCase);
        assert.deepEqual(result.testCase, testCase.vars, `${name}: case ${i + 1} vars`);
        const reply = result.modelResponse as string;
        assert.equal(reply, reply.trim(), `${name}: replies are trimmed before evaluation`);
        const evaluations = result.evaluationResults as Json[];
        assert.deepEqual(
          evaluations.map((e) => e.evaluatorName),
          prompt.evaluators.map((e) => e.name),
          `${name}: one result per evaluator, in file order`,
        );
        prompt.evaluators.forEach((spec, j) => {
          const evaluation = evaluations[j] as Json;
          if (spec.kind === 'string') {
            const expected = stringVerdict(spec.criterion, template(spec.value, testCase.vars), reply);
            assert.equal(
              evaluation.passed,
              expected,
              `${name} case ${i + 1} ${spec.name}: ${spec.criterion} '${spec.value}' on ${JSON.stringify(reply)}`,
            );
            assert.equal(evaluation.score, expected ? 1 : 0);
          }
          if (spec.kind === 'builtin')
            assert.ok([0, 0.25, 0.5, 0.75, 1].includes(evaluation.score as number), `${name}: star score`);
        });
        if (!evaluations.every((e) => e.passed)) failed++;
      });
      assert.equal(summary.failedTests, failed, `${name}: failedTests counts cases with a failed evaluator`);
      assert.equal(code, failed > 0 ? 1 : 0, `${name}: exit code (stderr: ${stderr})`);
    }
  });

  void it('exits 1 for failing_test_prompt, where every case fails both evaluators', async () => {
    const { code, json } = await evalJson([path.join(GH_EXAMPLES, 'failing_test_prompt.prompt.yml')]);
    assert.equal(code, 1);
    const out = assertGhShape(json, 'failing');
    assert.deepEqual(out.summary, { totalTests: 2, passedTests: 0, failedTests: 2, passRate: 0 });
    for (const result of out.testResults as Json[])
      assert.deepEqual(
        (result.evaluationResults as Json[]).map((e) => e.passed),
        [false, false],
      );
  });

  void it('runs the built-in judges through the configured judge model (openai/gpt-4o → stand-in)', async () => {
    const before = fixture.standin.requests.length;
    const { code, json } = await evalJson([path.join(GH_EXAMPLES, 'test_builtins.prompt.yml')]);
    const out = assertGhShape(json, 'builtins');
    const judged = fixture.standin.requests.slice(before).filter((r) => r.rule === 'judge');
    assert.equal(judged.length, 5, 'five judge requests reached the stand-in');
    for (const r of judged) assert.equal((r.body as Json).model, 'gpt-4o');
    const evaluations = (out.testResults as Json[])[0]?.evaluationResults as Json[];
    // The stand-in's judge answers 4 stars: score 0.75, a pass.
    assert.deepEqual(
      evaluations.map((e) => [e.score, e.passed]),
      Array.from({ length: 5 }, () => [0.75, true]),
    );
    assert.equal(code, 0);
  });

  void it('prints an array of gh-models objects for several files and keeps run details under `promptlab`', async () => {
    const files = ['sample_prompt', 'failing_test_prompt'].map((n) => path.join(GH_EXAMPLES, `${n}.prompt.yml`));
    const runsDir = path.join(fixture.dir, 'runs-multi');
    const { code, json } = await evalJson(files, ['--runs-dir', runsDir]);
    assert.equal(code, 1);
    assert.ok(Array.isArray(json) && json.length === 2);
    json.forEach((item, i) => {
      const out = assertGhShape(item, `file ${i}`);
      const extra = out.promptlab as Json;
      assert.equal(typeof extra.runId, 'string');
      assert.ok(typeof extra.runFile === 'string' && fs.existsSync(extra.runFile) && extra.runFile.startsWith(runsDir));
      assert.equal((extra.cases as unknown[]).length, (out.testResults as unknown[]).length);
    });
  });

  void it('writes a JUnit report that is valid XML with the right counts', async () => {
    const files = ['sample_prompt', 'failing_test_prompt'].map((n) => path.join(GH_EXAMPLES, `${n}.prompt.yml`));
    const report = path.join(fixture.dir, 'reports', 'junit.xml');
    const result = await runCli(['eval', ...files, '--junit', report, '--config', config, '--no-cache', '--quiet'], {
      cwd: fixture.dir,
    });
    assert.equal(result.code, 1);
    const root = parseXml(fs.readFileSync(report, 'utf8'));
    assert.equal(root.name, 'testsuites');
    assert.deepEqual([root.attributes.tests, root.attributes.failures, root.attributes.errors], ['4', '2', '0']);
    const suites = findAll(root, 'testsuite');
    assert.deepEqual(
      suites.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures]),
      [
        ['Sample Evaluation', '2', '0'],
        ['Failing Evaluation Test', '2', '2'],
      ],
    );
    assert.equal(findAll(root, 'testcase').length, 4);
    assert.equal(findAll(root, 'failure').length, 2);
  });

  void it('writes a Markdown report and a human table that says where the run was stored', async () => {
    const report = path.join(fixture.dir, 'report.md');
    const file = path.join(GH_EXAMPLES, 'failing_test_prompt.prompt.yml');
    const runsDir = path.join(fixture.dir, 'runs-table');
    const result = await runCli(['eval', file, '--markdown', report, '--config', config, '--runs-dir', runsDir], {
      cwd: fixture.dir,
    });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /Failing Evaluation Test/);
    assert.match(result.stdout, /0\/2 passed \(0%\)/);
    assert.match(result.stdout, /✗ contains-impossible/);
    const stored = /run stored in (\S+)/.exec(result.stdout)?.[1];
    assert.ok(stored && fs.existsSync(path.resolve(fixture.dir, stored)), 'the printed run file exists');
    const markdown = fs.readFileSync(report, 'utf8');
    assert.match(markdown, /PromptLab: 0\/2 tests passed/);
    assert.equal((markdown.match(/<details>/g) ?? []).length, 2);
  });

  void it('serves a re-run from the cache and marks the cached cases', async () => {
    const file = path.join(GH_EXAMPLES, 'json_schema_prompt.prompt.yml');
    const first = await runCli(['eval', file, '--json', '--config', config], { cwd: fixture.dir });
    const requests = fixture.standin.stats.chatRequests;
    const second = await runCli(['eval', file, '--json', '--config', config], { cwd: fixture.dir });
    assert.equal(fixture.standin.stats.chatRequests, requests, 'no request on the cached re-run');
    const a = JSON.parse(first.stdout) as Json;
    const b = JSON.parse(second.stdout) as Json;
    assert.deepEqual(b.testResults, a.testResults);
    assert.equal((b.promptlab as Json).cachedSamples, 3);
  });

  void it('validate prints file:line:col: severity: message [code] and exits 1 on errors', async () => {
    const result = await runCli(['validate', BROKEN], { cwd: BROKEN });
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    const expected: [string, RegExp][] = [
      ['bad-regex.prompt.yml:9:16: error: ', /Unterminated group \[invalid-regex\]$/],
      ['bad-response-format.prompt.yml:3:17: error: ', /"xml".* \[invalid-response-format\]$/],
      ['bad-role.prompt.yml:6:11: error: ', /"narrator".* \[unknown-role\]$/],
      ['bad-yaml.prompt.yml:6:', /error: YAML: .* \[yaml-syntax\]$/],
      ['warning-only.prompt.yml:3:1: warning: ', /modelParamters.* \[unknown-key\]$/],
    ];
    for (const [prefix, rest] of expected) {
      const line = lines.find((l) => l.startsWith(prefix));
      assert.ok(line, `a line starting ${prefix} in:\n${result.stdout}`);
      assert.match(line, rest);
    }
    assert.match(result.stderr, /5 files checked: 4 errors, 1 warning/);
    const warningsOnly = await runCli(['validate', path.join(BROKEN, 'warning-only.prompt.yml')], { cwd: BROKEN });
    assert.equal(warningsOnly.code, 0);
    const clean = await runCli(['validate', GH_EXAMPLES], { cwd: GH_EXAMPLES });
    assert.equal(clean.code, 0, clean.stdout);
  });

  void it('exits 2 with a clear message and no stack trace when it cannot run', async () => {
    const closed = await startStandin();
    const deadUrl = closed.url;
    await closed.close();
    const deadConfig = writeStandinConfig(path.join(fixture.dir, 'dead'), deadUrl);
    const guarded = await startStandin({ requireKey: 'right-key' });
    const guardedConfig = writeStandinConfig(path.join(fixture.dir, 'guarded'), guarded.url);
    const picky = await startStandin({ knownModels: ['gpt-4o-mini'] });
    const pickyConfig = writeStandinConfig(path.join(fixture.dir, 'picky'), picky.url);
    const sample = path.join(GH_EXAMPLES, 'sample_prompt.prompt.yml');
    // The model is mapped, its built-in judge (openai/gpt-4o by default) is not.
    const miniOnly = path.join(fixture.dir, 'mini-only.yaml');
    fs.writeFileSync(
      miniOnly,
      `providers:\n  standin:\n    baseURL: ${fixture.standin.url}\nmodels:\n  openai/gpt-4o-mini: standin\n`,
    );
    const judged = path.join(fixture.dir, 'judged.prompt.yml');
    fs.writeFileSync(
      judged,
      [
        'model: openai/gpt-4o-mini',
        'messages:',
        '  - role: user',
        '    content: "{{input}}"',
        'testData:',
        '  - input: hello',
        '',
        'evaluators:',
        '  - name: fluent',
        '    uses: github/fluency',
        '',
      ].join('\n'),
    );
    const chatRequests = fixture.standin.stats.chatRequests;
    const cases: { args: string[]; message: RegExp }[] = [
      { args: ['eval', 'missing.prompt.yml', '--config', config], message: /file not found: missing\.prompt\.yml/ },
      {
        args: ['eval', path.join(BROKEN, 'bad-yaml.prompt.yml'), '--config', config],
        message: /bad-yaml\.prompt\.yml:6:\d+: error: YAML/,
      },
      {
        args: ['eval', path.join(BROKEN, 'bad-regex.prompt.yml'), '--config', config],
        message: /bad-regex\.prompt\.yml:9:16: error: Invalid regular expression/,
      },
      { args: ['eval', sample, '--config', config, '--model', 'nobody/unmapped-model'], message: /unmapped-model/ },
      {
        args: ['eval', sample, '--config', path.join(fixture.dir, 'no-such-config.yaml')],
        message: /no-such-config\.yaml/,
      },
      {
        args: ['eval', sample, '--config', deadConfig, '--no-cache'],
        message: /every test case failed to get a reply/,
      },
      {
        args: ['eval', sample, '--config', guardedConfig, '--no-cache'],
        message: /every test case failed to get a reply: .*(401|API key)/,
      },
      {
        args: ['eval', sample, '--config', pickyConfig, '--no-cache'],
        message: /every test case failed to get a reply: .*(404|gpt-4o)/,
      },
      {
        args: ['eval', judged, '--config', miniOnly],
        message: /judged\.prompt\.yml:9:5: error: judge model of evaluator "fluent": .*openai\/gpt-4o/,
      },
      { args: ['eval', sample, '--concurrency', 'lots'], message: /--concurrency must be a whole number/ },
      { args: ['run', sample, '--var', 'oops'], message: /--var expects name=value/ },
    ];
    try {
      for (const { args, message } of cases) {
        const result = await runCli(args, { cwd: fixture.dir });
        const label = args.join(' ');
        assert.equal(result.code, 2, `${label}: exit 2\n${result.stderr}`);
        assert.match(result.stderr, message, label);
        assert.doesNotMatch(result.stderr, STACK_LINE, `${label}: no stack trace without --debug`);
        assert.doesNotMatch(result.stderr, /internal error/, label);
      }
      assert.equal(
        fixture.standin.stats.chatRequests,
        chatRequests,
        'nothing was sent to the stand-in for a run that could not start',
      );
      const debug = await runCli(
        ['eval', sample, '--config', deadConfig, '--no-cache', '--model', 'nobody/unmapped-model', '--debug'],
        { cwd: fixture.dir },
      );
      assert.equal(debug.code, 2);
      assert.match(debug.stderr, STACK_LINE, '--debug shows the stack');
    } finally {
      await guarded.close();
      await picky.close();
    }
  });

  void it('run streams one rendering to stdout', async () => {
    const sample = path.join(GH_EXAMPLES, 'sample_prompt.prompt.yml');
    const withVar = await runCli(['run', sample, '--var', 'input=good morning', '--config', config], {
      cwd: fixture.dir,
    });
    assert.equal(withVar.code, 0, withVar.stderr);
    assert.equal(withVar.stdout, 'Echo: Please respond to this message appropriately: good morning\n');
    const fromCase = await runCli(['run', sample, '--case', '2', '--config', config, '--quiet'], { cwd: fixture.dir });
    assert.equal(fromCase.stdout, 'Echo: Please respond to this message appropriately: goodbye world\n');
    assert.equal(fromCase.stderr, '');
  });

  void it("keeps gh-models' one result per case with --repeat and lists every sample under promptlab", async () => {
    const { code, json } = await evalJson(
      [path.join(GH_EXAMPLES, 'json_response_prompt.prompt.yml')],
      ['--repeat', '3'],
    );
    assert.equal(code, 0);
    const out = assertGhShape(json, 'repeat');
    assert.equal((out.testResults as unknown[]).length, 2);
    const extra = out.promptlab as Json;
    assert.equal(extra.repeat, 3);
    for (const c of extra.cases as Json[])
      assert.deepEqual(
        (c.samples as Json[]).map((x) => x.sample),
        [0, 1, 2],
      );
  });

  void it('run streams the reply as it arrives', async () => {
    // 50 words (the file's maxTokens), 40 ms apart: the reply takes ≥ 2 s to send, and its text
    // must reach stdout before that ends.
    const slow = await startStandin({ perTokenDelayMs: 40 });
    try {
      const slowConfig = writeStandinConfig(path.join(fixture.dir, 'slow'), slow.url);
      const child = startCli(
        [
          'run',
          path.join(GH_EXAMPLES, 'sample_prompt.prompt.yml'),
          '--var',
          'input=[[lorem: 100]]',
          '--config',
          slowConfig,
          '--quiet',
        ],
        { cwd: fixture.dir },
      );
      let stdout = '';
      let inFlightAtFirstText: number | undefined;
      child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        inFlightAtFirstText ??= slow.stats.inFlight;
        stdout += chunk;
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.equal(stdout.trim().split(/\s+/).length, 50);
      assert.equal(inFlightAtFirstText, 1, 'the first text reached stdout while the stand-in was still streaming');
    } finally {
      await slow.close();
    }
  });

  void it('answers --version and --help', async () => {
    const version = await runCli(['--version'], { cwd: fixture.dir });
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    assert.equal(version.stdout.trim(), pkg.version);
    const help = await runCli(['--help'], { cwd: fixture.dir });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /promptlab eval/);
    const unknown = await runCli(['frobnicate'], { cwd: fixture.dir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  });
});
