// The run panel's exports (pure functions; the host only writes the text).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseResult, RunSummary } from '../../../../src/core/run/types';
import { header as runHeader, sample } from '../../support/runBuilders';
import { formatJson, type GhEvaluationSummary } from '../../../../src/core/report/ghJson';
import { csvCell, markdownCell, toCsv, toJson, toMarkdown } from '../../../../src/extension/run/exportFormats';

const header = runHeader({
  runId: 'run-1',
  promptFile: '/w/greet.prompt.yml',
  promptFileRelative: undefined,
  promptName: 'Greeting',
  model: 'openai/gpt-4o-mini',
  provider: 'custom',
  caseCount: 2,
});
const summary: RunSummary = {
  totalTests: 2,
  passedTests: 1,
  failedTests: 1,
  erroredTests: 0,
  passRate: 50,
  meanScore: 0.5,
  tokens: { prompt: 2, completion: 4, total: 6 },
  costUsd: null,
  durationMs: 30,
  meanLatencyMs: 12,
  cachedSamples: 0,
};
const cases: CaseResult[] = [
  {
    caseIndex: 1,
    caseKey: 'b',
    vars: { name: 'Grace' },
    samples: [
      sample(
        '=HYPERLINK("x")\nline 2 | pipe',
        [{ evaluatorName: 'greets', score: 0, passed: false, details: 'Expected to start with "Hello"' }],
        { latencyMs: 12.4, costUsd: null, usage: { prompt: 1, completion: 2, total: 3 } },
      ),
    ],
    passRate: 0,
    passed: false,
  },
  {
    caseIndex: 0,
    caseKey: 'a',
    vars: { name: 'Ada' },
    samples: [
      sample('Hello Ada <b>', [{ evaluatorName: 'greets', score: 1, passed: true, details: '' }], {
        latencyMs: 11.6,
        cached: true,
        usage: undefined,
      }),
    ],
    passRate: 1,
    passed: true,
  },
];
const run = { header, summary, cases };

void test('JSON is exactly what eval --json prints for the run, cases in case order', () => {
  const text = toJson({
    ...run,
    cancelled: false,
    runFile: '/w/.promptlab/runs/run-1.jsonl',
    description: 'Greets people',
  });
  const expected = formatJson([
    {
      displayPath: '/w/greet.prompt.yml',
      name: 'Greeting',
      description: 'Greets people',
      model: 'openai/gpt-4o-mini',
      outcome: {
        header,
        summary,
        cases: [...cases].sort((a, b) => a.caseIndex - b.caseIndex),
        cancelled: false,
        runFile: '/w/.promptlab/runs/run-1.jsonl',
      },
    },
  ]);
  assert.equal(text, expected);
  const parsed = JSON.parse(text) as GhEvaluationSummary;
  assert.equal(parsed.name, 'Greeting');
  assert.deepEqual(parsed.summary, { totalTests: 2, passedTests: 1, failedTests: 1, passRate: 50 });
  assert.deepEqual(
    parsed.testResults.map((t) => t.testCase),
    [{ name: 'Ada' }, { name: 'Grace' }],
  );
  assert.equal(parsed.promptlab.runId, 'run-1');
  assert.deepEqual(
    parsed.promptlab.cases.map((c) => c.caseIndex),
    [0, 1],
  );
});

void test('CSV: one row per sample, quoted cells, formulas neutralised', () => {
  const lines = toCsv(run).trimEnd().split('\r\n');
  assert.equal(
    lines[0],
    'case,sample,var:name,passed,output,error,latency_ms,prompt_tokens,completion_tokens,cost_usd,cached,greets:passed,greets:score,greets:details',
  );
  assert.equal(lines[1], '1,1,Ada,true,Hello Ada <b>,,12,,,0.001,true,true,1,');
  // Rows end with CRLF; a line break inside a quoted cell stays LF.
  assert.equal(
    lines[2],
    `2,1,Grace,false,"'=HYPERLINK(""x"")\nline 2 | pipe",,12,1,2,,false,false,0,"Expected to start with ""Hello"""`,
  );
  assert.equal(lines.length, 3);
  assert.equal(csvCell('-1'), "'-1");
  assert.equal(csvCell('plain'), 'plain');
});

void test('Markdown: a summary and a table whose cells cannot break out', () => {
  const text = toMarkdown(run);
  assert.match(text, /^# Greeting$/m);
  assert.match(text, /Pass rate: 50% \(1 passed, 1 failed, 0 with errors, of 2\)/);
  assert.match(text, /Cost: unknown/);
  // The same escaper as the CLI's Markdown: every ASCII punctuation character backslash-escaped.
  assert.ok(text.includes('| 1 | name\\: Ada | pass | Hello Ada \\<b\\> |'), text);
  assert.ok(text.includes('| 2 | name\\: Grace | fail | \\=HYPERLINK\\(\\"x\\"\\)<br>line 2 \\| pipe |'), text);
  assert.equal(markdownCell('a|b\nc'), 'a\\|b<br>c');
  assert.equal(markdownCell('x'.repeat(400)).length, 300);
});
