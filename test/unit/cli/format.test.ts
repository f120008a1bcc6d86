import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CaseResult, EvaluationResult, RunHeader, RunSummary, SampleResult } from '../../../src/core/run/types';
import { caseLabel, formatCost, sanitizeForTerminal, type FileRun } from '../../../src/cli/format/common';
import { formatJson, REQUEST_ERROR_EVALUATOR, toGhJson } from '../../../src/cli/format/json';
import { formatJunit } from '../../../src/cli/format/junit';
import { escapeInline, formatMarkdown } from '../../../src/cli/format/markdown';
import { formatRunTable, plainStyle } from '../../../src/cli/format/table';
import { findAll, parseXml } from './xml';

// Builders for formatter input; the figures are arbitrary but consistent with each other.
function evaluation(name: string, passed: boolean, details = `details of ${name}`): EvaluationResult {
  return { evaluatorName: name, score: passed ? 1 : 0, passed, details };
}

function sample(
  index: number,
  output: string,
  evaluations: EvaluationResult[],
  extra: Partial<SampleResult> = {},
): SampleResult {
  return {
    sample: index,
    output,
    evaluations,
    passed: evaluations.every((e) => e.passed) && extra.error === undefined,
    usage: { prompt: 10, completion: 5, total: 15 },
    latencyMs: 120,
    costUsd: 0.00002,
    cached: false,
    ...extra,
  };
}

function caseResult(index: number, vars: Record<string, unknown>, samples: SampleResult[], error?: string): CaseResult {
  const passedCount = samples.filter((s) => s.passed).length;
  const result: CaseResult = {
    caseIndex: index,
    caseKey: `key-${index}`,
    vars,
    samples,
    passRate: samples.length ? passedCount / samples.length : 0,
    passed: samples.length > 0 && passedCount === samples.length,
  };
  if (error !== undefined) result.error = error;
  return result;
}

function summary(total: number, passed: number, errored: number): RunSummary {
  return {
    totalTests: total,
    passedTests: passed,
    failedTests: total - passed,
    erroredTests: errored,
    passRate: total ? (passed / total) * 100 : 100,
    meanScore: 0.5,
    tokens: { prompt: 30, completion: 15, total: 45 },
    costUsd: null,
    durationMs: 1500,
    meanLatencyMs: 120,
    cachedSamples: 1,
  };
}

const header: RunHeader = {
  kind: 'promptlab-run',
  formatVersion: 1,
  runId: 'run-1',
  promptFile: '/w/a.prompt.yml',
  contentHash: 'h',
  model: 'openai/gpt-4o',
  endpointOrigin: 'http://127.0.0.1:1234',
  provider: 'openai',
  parameters: {},
  repeat: 1,
  caseCount: 3,
  startedAt: '2026-01-01T00:00:00.000Z',
  toolVersion: '0.1.0',
};

function sampleRun(): FileRun {
  const cases = [
    caseResult(0, { input: 'hello' }, [sample(0, 'Hello there', [evaluation('greets', true, '')])]),
    caseResult(1, { input: 'bye' }, [sample(0, 'Bye <b>&</b> "x"', [evaluation('greets', false)])]),
    caseResult(
      2,
      { input: 'boom' },
      [sample(0, '', [], { error: 'HTTP 500 from endpoint' })],
      'HTTP 500 from endpoint',
    ),
  ];
  return {
    displayPath: 'a.prompt.yml',
    name: 'Sample',
    description: 'desc',
    model: 'openai/gpt-4o',
    outcome: { header, cases, summary: summary(3, 1, 1), cancelled: false, runFile: '/w/.promptlab/runs/run-1.jsonl' },
  };
}

void describe('gh-models JSON', () => {
  void it('has exactly the gh-models keys plus one promptlab key', () => {
    const json = toGhJson(sampleRun());
    assert.deepEqual(Object.keys(json).sort(), ['description', 'model', 'name', 'promptlab', 'summary', 'testResults']);
    assert.deepEqual(Object.keys(json.summary).sort(), ['failedTests', 'passRate', 'passedTests', 'totalTests']);
    for (const result of json.testResults)
      assert.deepEqual(Object.keys(result).sort(), ['evaluationResults', 'modelResponse', 'testCase']);
    assert.deepEqual(json.summary, { totalTests: 3, passedTests: 1, failedTests: 2, passRate: (1 / 3) * 100 });
  });

  void it('omits empty details as gh-models did and keeps non-empty ones', () => {
    const json = toGhJson(sampleRun());
    assert.deepEqual(json.testResults[0]?.evaluationResults, [{ evaluatorName: 'greets', score: 1, passed: true }]);
    assert.equal(json.testResults[1]?.evaluationResults[0]?.details, 'details of greets');
  });

  void it('shows a request error as a failed evaluation so "all passed" matches core', () => {
    const errored = toGhJson(sampleRun()).testResults[2];
    assert.deepEqual(errored?.evaluationResults, [
      { evaluatorName: REQUEST_ERROR_EVALUATOR, score: 0, passed: false, details: 'HTTP 500 from endpoint' },
    ]);
    assert.equal(errored?.modelResponse, '');
  });

  void it('represents a repeated case by its first failed sample', () => {
    const run = sampleRun();
    run.outcome.cases = [
      caseResult(0, { q: 1 }, [
        sample(0, 'good', [evaluation('e', true)]),
        sample(1, 'bad', [evaluation('e', false)]),
        sample(2, 'good', [evaluation('e', true)]),
      ]),
    ];
    const json = toGhJson(run);
    assert.equal(json.testResults[0]?.modelResponse, 'bad');
    assert.equal(json.promptlab.cases[0]?.samples.length, 3);
    assert.equal(json.promptlab.cases[0]?.passRate, 2 / 3);
  });

  void it('writes the promptlab extras in a fixed key order and leaves out unset fields', () => {
    const run = sampleRun();
    const plain = sample(0, 'a', [evaluation('e', true)]);
    delete plain.usage;
    const full = sample(1, '', [], { ttftMs: 40, error: 'not sent', notRun: 'budget' });
    const notRunCase = caseResult(1, { q: 2 }, [full], 'not sent');
    notRunCase.notRun = 'budget';
    run.outcome.cases = [caseResult(0, { q: 1 }, [plain]), notRunCase];
    const json = toGhJson(run);
    const common = ['runId', 'runFile', 'promptFile', 'endpoint', 'provider', 'repeat'];
    const figures = ['cancelled', 'erroredTests', 'meanScore', 'tokens', 'costUsd', 'durationMs', 'meanLatencyMs'];
    assert.deepEqual(Object.keys(json.promptlab), [
      ...common,
      ...figures,
      'cachedSamples',
      'priceSource',
      'notRunTests',
      'cases',
    ]);
    const [first, second] = json.promptlab.cases;
    assert.deepEqual(Object.keys(first ?? {}), ['caseIndex', 'caseKey', 'passed', 'passRate', 'samples']);
    assert.deepEqual(Object.keys(first?.samples[0] ?? {}), ['sample', 'passed', 'latencyMs', 'costUsd', 'cached']);
    assert.deepEqual(Object.keys(second ?? {}), [
      'caseIndex',
      'caseKey',
      'passed',
      'passRate',
      'samples',
      'error',
      'notRun',
    ]);
    assert.deepEqual(second?.samples[0], {
      sample: 1,
      passed: false,
      latencyMs: 120,
      costUsd: 0.00002,
      cached: false,
      ttftMs: 40,
      tokens: { prompt: 10, completion: 5, total: 15 },
      error: 'not sent',
      notRun: 'budget',
    });

    run.outcome.header = { ...header, repeat: 3, repeatPassRate: 0.5, maxCostUsd: 2 };
    run.outcome.summary = {
      ...summary(2, 1, 1),
      repeats: { k: 3, passAtK: 1, passHatK: 0.5, meanSamplePassRate: 0.75, passRateThreshold: 0.5 },
    };
    assert.deepEqual(Object.keys(toGhJson(run).promptlab), [
      ...common,
      'repeatPassRate',
      'repeats',
      ...figures,
      'cachedSamples',
      'priceSource',
      'maxCostUsd',
      'notRunTests',
      'cases',
    ]);
  });

  void it('prints one object for one file and an array for several', () => {
    const single: unknown = JSON.parse(formatJson([sampleRun()]));
    assert.ok(single !== null && typeof single === 'object' && !Array.isArray(single));
    const several: unknown = JSON.parse(formatJson([sampleRun(), sampleRun()]));
    assert.ok(Array.isArray(several) && several.length === 2);
  });
});

void describe('JUnit XML', () => {
  void it('is well-formed and counts failures and errors from the summary', () => {
    const run = sampleRun();
    const root = parseXml(formatJunit([run], run.outcome.summary));
    assert.equal(root.name, 'testsuites');
    assert.deepEqual([root.attributes.tests, root.attributes.failures, root.attributes.errors], ['3', '1', '1']);
    const suites = findAll(root, 'testsuite');
    assert.equal(suites.length, 1);
    assert.equal(findAll(root, 'testcase').length, 3);
    assert.equal(findAll(root, 'failure').length, 1);
    assert.equal(findAll(root, 'error').length, 1);
    // Model output survives escaping intact.
    assert.ok(findAll(root, 'system-out').some((e) => e.text === 'Bye <b>&</b> "x"'));
  });

  void it('reports a case whose evaluator could not run as an <error>, as core counts it', () => {
    const run = sampleRun();
    run.outcome.cases = [
      caseResult(0, { q: 1 }, [sample(0, 'x', [{ ...evaluation('judge', false, 'judge unreachable'), error: true }])]),
    ];
    run.outcome.summary = summary(1, 0, 1);
    const root = parseXml(formatJunit([run], run.outcome.summary));
    assert.deepEqual(
      findAll(root, 'error').map((e) => [e.attributes.type, e.text]),
      [['evaluator', 'judge: judge unreachable']],
    );
    assert.equal(findAll(root, 'failure').length, 0);
    assert.deepEqual([root.attributes.failures, root.attributes.errors], ['0', '1']);
  });

  void it('replaces characters XML cannot hold', () => {
    const run = sampleRun();
    const first = run.outcome.cases[1]?.samples[0];
    assert.ok(first);
    first.output = 'bell\u0007 esc\u001b[31m';
    const root = parseXml(formatJunit([run], run.outcome.summary));
    assert.ok(findAll(root, 'system-out').some((e) => e.text === 'bell\ufffd esc\ufffd[31m'));
  });
});

void describe('Markdown', () => {
  void it('escapes untrusted text so it cannot become links, HTML or mentions', () => {
    assert.equal(escapeInline('<img src=x> @user [a](b)'), '\\<img src\\=x\\> \\@user \\[a\\]\\(b\\)');
  });

  void it('fences replies with a fence longer than any backtick run inside', () => {
    const run = sampleRun();
    const failing = run.outcome.cases[1]?.samples[0];
    assert.ok(failing);
    failing.output = 'look ```` here';
    const text = formatMarkdown([run], run.outcome.summary);
    assert.ok(text.includes('`````text\nlook ```` here\n`````'));
    assert.match(text, /PromptLab: 1\/3 tests passed \(33\.3%\)/);
  });
});

void describe('table', () => {
  void it('lists every case, the failed evaluator details and the summary', () => {
    const text = formatRunTable(sampleRun(), plainStyle);
    assert.match(text, /✓ pass/);
    assert.match(text, /✗ fail/);
    assert.match(text, /! error/);
    assert.match(text, /✗ greets \(score 0\): details of greets/);
    assert.match(text, /error: HTTP 500 from endpoint/);
    assert.match(text, /1\/3 passed \(33\.3%\) · 2 failed · 1 errored/);
  });
});

void describe('helpers', () => {
  void it('strips terminal escapes from untrusted text', () => {
    assert.equal(sanitizeForTerminal('a\u001b[2Jb\nc'), 'a[2Jb c');
    assert.equal(sanitizeForTerminal('a\u001b]0;x\u0007b\nc', true), 'a]0;xb\nc');
  });

  void it('shows an unknown price as a dash, never $0', () => {
    assert.equal(formatCost(null), '—');
    assert.equal(formatCost(0), '$0');
    assert.equal(formatCost(0.00012345), '$0.00012');
  });

  void it('labels cases by their variables', () => {
    assert.equal(caseLabel({ input: 'hi', n: 2 }), 'input="hi" n=2');
    assert.equal(caseLabel({}), '(no variables)');
  });
});
