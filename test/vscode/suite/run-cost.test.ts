// The cost estimate and confirmation before a large run, in a real VS Code against the stand-in.
// The modal question is answered by replacing vscode.window.showWarningMessage for the test
// (answerCostQuestions: a modal dialog cannot be clicked from the extension host); everything else
// is the real path.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import {
  answerCostQuestions,
  type CostQuestions,
  promptLab,
  useStandin,
  workspaceFile,
  setSettings,
} from './run-support';

const costly = () => workspaceFile('run/costly.prompt.yml');
const runFiles = (): string[] => {
  const dir = workspaceFile('.promptlab/runs').fsPath;
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.includes('costly')) : [];
};

suite('run: cost estimate and confirmation', () => {
  let cost: CostQuestions;
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
    await setSettings({ 'cache.enabled': false });
    cost = answerCostQuestions();
  });
  suiteTeardown(async () => {
    cost.restore();
    await setSettings({ 'cache.enabled': undefined, confirmCostAboveUsd: undefined });
  });
  setup(() => {
    cost.asked = [];
  });

  test('above the setting: asks with the estimate; declining sends nothing and stores no run', async () => {
    await setSettings({ confirmCostAboveUsd: 0 });
    cost.answer = undefined;
    const before = runFiles().length;
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', costly());
    assert.equal(outcome, undefined, 'the run did not happen');
    assert.equal(cost.asked.length, 1, 'asked once');
    assert.match(
      cost.asked[0] ?? '',
      /^Running costly\.prompt\.yml may cost up to \$\S+, above your limit of \$0 \(promptlab\.confirmCostAboveUsd\)\. Estimate: 12 requests, \d+ input tokens \(o200k_base\), cost \$\S+ – \$\S+\. Prices: @pydantic\/genai-prices [\d.]+: OpenAI gpt-4o-mini \(prices as of \d{4}-\d{2}-\d{2}\)\.$/,
    );
    assert.equal(runFiles().length, before, 'no run file was created: nothing was sent');
    const panel = (await promptLab()).panels.get(costly());
    assert.ok(panel, 'the run panel is open');
    assert.match(
      panel.lastEstimate ?? '',
      /^Estimate: 12 requests, \d+ input tokens \(o200k_base\), cost \$\S+ – \$\S+ \(prices: @pydantic\/genai-prices/,
    );
    assert.equal(panel.currentResults.size, 0);
  });

  test('confirming runs every case; below the setting nobody is asked', async () => {
    cost.answer = 'Run';
    const confirmed = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', costly());
    assert.ok(confirmed, 'the run happened');
    assert.equal(cost.asked.length, 1);
    assert.equal(confirmed.cases.length, 12);
    assert.ok(confirmed.cases.every((c) => c.samples[0]?.output.startsWith('Echo: Say hello to')));
    assert.match(confirmed.header.priceSource ?? '', /^@pydantic\/genai-prices [\d.]+: OpenAI gpt-4o-mini/);
    assert.ok(confirmed.summary.costUsd !== null && confirmed.summary.costUsd > 0, 'priced from the catalogue');

    await setSettings({ confirmCostAboveUsd: 1000 });
    cost.answer = undefined;
    const unasked = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', costly());
    assert.ok(unasked, 'ran without a question');
    assert.equal(cost.asked.length, 1, 'no second question');
  });
});
