// `promptlab estimate` and `eval --max-cost` end to end: the real CLI bundle against a stand-in
// on a real socket; the stand-in's request counter proves what was (not) sent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { runCli, STACK_LINE } from '../support/cliHarness';
import { standinFixture } from '../support/standinSetup';

type Json = Record<string, unknown>;

const CASES = Array.from({ length: 8 }, (_, i) => `  - input: 'question ${i}'`).join('\n');
const PROMPT = `name: Budgeted\nmodel: standin\nmodelParameters: { maxTokens: 3 }\nmessages:\n  - role: user\n    content: '{{input}}'\ntestData:\n${CASES}\n`;

void describe('promptlab estimate / eval --max-cost', () => {
  const fixture = standinFixture('cli-cost');
  before(async () => {
    fs.writeFileSync(path.join(fixture.dir, 'b.prompt.yml'), PROMPT);
    fs.writeFileSync(
      path.join(fixture.dir, 'mini.prompt.yml'),
      PROMPT.replace('model: standin', 'model: openai/gpt-4o-mini'),
    );
    fs.writeFileSync(
      path.join(fixture.dir, 'promptlab.config.yaml'),
      // $1 per token for the stand-in's model; gpt-4o-mini keeps the catalogue's price.
      `providers:\n  standin:\n    baseURL: ${fixture.standin.url}\n    maxRetries: 0\ndefaultProvider: standin\npricing:\n  standin: { input: 1000000, output: 1000000 }\n`,
    );
  });

  void it('eval --max-cost stops starting requests at the cap; the rest is "not run: budget" in every format', async () => {
    fixture.standin.resetStats();
    const result = await runCli(
      [
        'eval',
        'b.prompt.yml',
        '--json',
        '--no-cache',
        '-c',
        '1',
        '--max-cost',
        '26',
        '--junit',
        'r.xml',
        '--markdown',
        'r.md',
      ],
      { cwd: fixture.dir },
    );
    // Worst case $15 per request (input 10 o200k tokens × 1.2 → 12, + maxTokens 3); real cost $5 (2 + 3 words):
    // requests start at spent 0, 5 and 10; at 15 the next worst case would pass $26.
    assert.equal(fixture.standin.stats.chatRequests, 3, result.stderr);
    assert.equal(result.code, 1, 'not every case ran: exit code 1');
    assert.match(
      result.stderr,
      /budget reached: --max-cost \$26\.00, spent \$15\.00; 5 cases not run \(listed as "not run: budget"\)/,
    );
    const json = JSON.parse(result.stdout) as Json & {
      testResults: { evaluationResults: Json[] }[];
      promptlab: Json & { cases: Json[] };
    };
    assert.equal(json.testResults.length, 8, 'every case is listed');
    const notRun = json.promptlab.cases.filter((c) => c.notRun === 'budget');
    assert.equal(notRun.length, 5);
    assert.equal(json.promptlab.notRunTests, 5);
    assert.equal(json.promptlab.maxCostUsd, 26);
    assert.equal(json.promptlab.costUsd, 15);
    assert.equal(json.promptlab.priceSource, 'promptlab.config.yaml pricing."standin"');
    const notRunResults = json.testResults.filter((r) =>
      r.evaluationResults.some((e) => e.details === 'not run: budget'),
    );
    assert.equal(notRunResults.length, 5, 'gh-models shape carries the reason too');
    const junit = fs.readFileSync(path.join(fixture.dir, 'r.xml'), 'utf8');
    assert.equal(junit.match(/<error message="not run: budget" type="budget">/g)?.length, 5);
    const markdown = fs.readFileSync(path.join(fixture.dir, 'r.md'), 'utf8');
    assert.match(markdown, /5 cases not run\\: budget/);
    assert.equal(markdown.match(/Not run\\: budget/g)?.length, 5);

    const table = await runCli(['eval', 'b.prompt.yml', '--no-cache', '-c', '1', '--max-cost', '26'], {
      cwd: fixture.dir,
    });
    assert.equal(table.code, 1);
    assert.equal(table.stdout.match(/– not run/g)?.length, 5);
    assert.match(table.stdout, /5 cases not run: budget/);
    assert.match(table.stdout, /prices: promptlab\.config\.yaml pricing\."standin"/);
  });

  void it("eval --resume RUN --max-cost: the cap is the run's total, what the run already spent counts first", async () => {
    const runsDir = path.join(fixture.dir, 'resume-runs');
    fixture.standin.resetStats();
    const first = await runCli(
      ['eval', 'b.prompt.yml', '--no-cache', '-c', '1', '--max-cost', '26', '--runs-dir', runsDir, '--quiet'],
      { cwd: fixture.dir },
    );
    assert.equal(first.code, 1, first.stderr);
    assert.equal(fixture.standin.stats.chatRequests, 3, 'the first invocation spends $15 of $26 (see above)');
    const [runFile] = fs.readdirSync(runsDir).filter((f) => f.endsWith('.jsonl'));
    assert.ok(runFile);

    // $15 already spent counts against $36: requests start at 15 and 20 (20 + 15 ≤ 36), not at 25.
    // Were the cap this invocation's spend only, five would start (at 0, 5, 10, 15, 20).
    fixture.standin.resetStats();
    const capped = await runCli(
      ['eval', '--resume', path.join(runsDir, runFile), '--no-cache', '-c', '1', '--max-cost', '36', '--json'],
      { cwd: fixture.dir },
    );
    assert.equal(fixture.standin.stats.chatRequests, 2, capped.stderr);
    assert.equal(capped.code, 1, 'cases are still not run: exit code 1');
    assert.match(
      capped.stderr,
      /resumed run .*: kept 3 cases, ran 5 \(--max-cost is the run's total: \$15\.00 it had already spent counted first\)/,
    );
    assert.match(
      capped.stderr,
      /budget reached: --max-cost \$36\.00, spent \$25\.00; 3 cases not run \(listed as "not run: budget"\)/,
    );
    const json = JSON.parse(capped.stdout) as { promptlab: Json & { cases: Json[] } };
    assert.equal(json.promptlab.cases.length, 8);
    assert.equal(json.promptlab.cases.filter((c) => c.notRun === 'budget').length, 3);
    assert.equal(json.promptlab.costUsd, 25, "the run's total cost");

    // A cap the run already passed sends nothing; the cases stay "not run: budget".
    fixture.standin.resetStats();
    const spent = await runCli(
      ['eval', '--resume', path.join(runsDir, runFile), '--no-cache', '-c', '1', '--max-cost', '20'],
      { cwd: fixture.dir },
    );
    assert.equal(fixture.standin.stats.requests, 0, spent.stderr);
    assert.equal(spent.code, 1);
    assert.match(spent.stderr, /spent \$25\.00; 3 cases not run/);

    // Room for the rest: the run ends complete, only the 3 cases not run are requested.
    fixture.standin.resetStats();
    const rest = await runCli(
      ['eval', '--resume', path.join(runsDir, runFile), '--no-cache', '-c', '1', '--max-cost', '100'],
      { cwd: fixture.dir },
    );
    assert.equal(fixture.standin.stats.chatRequests, 3, rest.stderr);
    assert.equal(rest.code, 0, rest.stderr);
    assert.doesNotMatch(rest.stderr, /budget reached/);
  });

  void it('refuses a negative, absurd or malformed budget before sending anything', async () => {
    fixture.standin.resetStats();
    for (const [flag, message] of [
      ['--max-cost=-1', /--max-cost must be an amount of US dollars ≥ 0, got -1/],
      ['--max-cost=1e12', /above \$1,000,000; that looks like a typo/],
      ['--max-cost=ten', /--max-cost must be an amount of US dollars such as 0\.50, got 'ten'/],
    ] as const) {
      const result = await runCli(['eval', 'b.prompt.yml', flag], { cwd: fixture.dir });
      assert.equal(result.code, 2, `${flag}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, STACK_LINE);
    }
    assert.equal(fixture.standin.stats.requests, 0);
  });

  void it('refuses --max-cost for a model without a price, naming the file and line', async () => {
    fs.writeFileSync(
      path.join(fixture.dir, 'unpriced.prompt.yml'),
      PROMPT.replace('model: standin', 'model: standin-upper'),
    );
    fixture.standin.resetStats();
    const result = await runCli(['eval', 'unpriced.prompt.yml', '--max-cost', '1'], { cwd: fixture.dir });
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /unpriced\.prompt\.yml:2:\d+: error: no price is known for model 'standin-upper', so --max-cost cannot be kept/,
    );
    assert.equal(fixture.standin.stats.requests, 0);
  });

  void it('estimate --json: requests, input tokens, tokenizer and cost per file, prices from the catalogue or the config', async () => {
    fixture.standin.resetStats();
    const result = await runCli(['estimate', 'b.prompt.yml', 'mini.prompt.yml', '--json', '--repeat', '2'], {
      cwd: fixture.dir,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(fixture.standin.stats.requests, 0, 'an estimate sends nothing');
    const [own, mini] = JSON.parse(result.stdout) as Json[];
    assert.ok(own && mini);
    assert.equal(own.requests, 16);
    assert.equal(
      own.inputTokens,
      16 * 10,
      "o200k_base chat count per request: 3 + 1 + 3 ('question', ' ', 'N') + 3 priming",
    );
    assert.equal(own.tokenizer, 'approximate (o200k_base)');
    // High: input 12 (approximate: 10 × 1.2) + 3 output tokens at $1 each, per request.
    assert.equal(own.costUsdHigh, 16 * 15);
    assert.equal(own.priceSource, 'promptlab.config.yaml pricing."standin"');
    assert.equal(mini.tokenizer, 'o200k_base');
    assert.equal(mini.inputTokens, 16 * 10);
    assert.match(
      String(mini.priceSource),
      /^@pydantic\/genai-prices \d+\.\d+\.\d+: OpenAI gpt-4o-mini \(prices as of \d{4}-\d{2}-\d{2}\)$/,
    );
    const expectedHigh = (16 * (10 * 0.15 + 3 * 0.6)) / 1e6;
    assert.ok(
      Math.abs(Number(mini.costUsdHigh) - expectedHigh) < 1e-12,
      `${String(mini.costUsdHigh)} ≈ ${expectedHigh}`,
    );

    const text = await runCli(['estimate', 'mini.prompt.yml'], { cwd: fixture.dir });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /model +8 +80 +24 +\$/);
    assert.match(text.stdout, /output bound: 3 per reply \(maxTokens\)/);
    assert.match(text.stdout, /price openai\/gpt-4o-mini: @pydantic\/genai-prices/);
  });
});
