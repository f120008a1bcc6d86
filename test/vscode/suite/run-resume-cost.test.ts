// "Re-run Errored Cases" and "Resume Run" ask about cost as a new run does, counting only what the
// resume will send. A stand-in started in this test counts the requests (declining sends nothing);
// the modal question is answered as in run-cost.test.ts (answerCostQuestions).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import { RunStore } from '../../../src/core/store/runStore';
import { startStandin, type Standin } from '../../../src/standin/server';
import {
  addEndpoint,
  answerCostQuestions,
  type CostQuestions,
  promptLab,
  workspaceFile,
  setSettings,
} from './run-support';

const CASES = 12;
const promptUri = () => workspaceFile('run/resume-cost.prompt.yml');
const runsDir = () => workspaceFile('.promptlab/runs').fsPath;

suite('run: resume asks about cost', () => {
  let server: Standin;
  let restoreEndpoints: () => Promise<void>;
  let cost: CostQuestions;

  suiteSetup(async () => {
    await promptLab();
    server = await startStandin();
    restoreEndpoints = await addEndpoint(server.url, 'resumecost/*');
    // confirmCostAboveUsd 0: every priced run of 10 or more requests asks.
    await setSettings({ 'cache.enabled': false, confirmCostAboveUsd: 0 });
    const cases = Array.from({ length: CASES }, (_, i) => `  - name: Person${i + 1}`).join('\n');
    fs.writeFileSync(
      promptUri().fsPath,
      [
        'name: Resume cost',
        'model: resumecost/gpt-4o-mini',
        'modelParameters: { maxTokens: 8 }',
        'testData:',
        cases,
        'messages:',
        '  - role: user',
        '    content: "Say hello to {{name}}"',
        '',
      ].join('\n'),
    );
    cost = answerCostQuestions();
  });
  suiteTeardown(async () => {
    cost.restore();
    await restoreEndpoints();
    await setSettings({ 'cache.enabled': undefined, confirmCostAboveUsd: undefined });
    await server.close();
  });
  setup(() => {
    cost.asked = [];
  });

  test('Re-run Errored Cases estimates the errored cases only; declining sends nothing, confirming runs them', async () => {
    cost.answer = 'Run';
    server.setOptions({ failNext: Array.from({ length: 11 }, () => ({ status: 400 })) });
    const first = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', promptUri());
    assert.ok(first?.runFile, 'the first run is stored');
    assert.equal(cost.asked.length, 1, 'the new run asked');
    assert.match(cost.asked[0] ?? '', /Estimate: 12 requests,/);
    assert.equal(first.cases.filter((c) => c.error !== undefined).length, 11, 'eleven requests failed');

    cost.asked = [];
    cost.answer = undefined;
    server.resetStats();
    const declined = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.rerunErrored', {
      file: first.runFile,
    });
    assert.equal(declined, undefined, 'declined: nothing ran');
    assert.equal(cost.asked.length, 1, 'the resume asked');
    assert.match(
      cost.asked[0] ?? '',
      /^Running resume-cost\.prompt\.yml may cost up to \$\S+, above your limit of \$0 \(promptlab\.confirmCostAboveUsd\)\. Estimate: 11 requests, \d+ input tokens \(o200k_base\), cost \$\S+ – \$\S+\. Prices: @pydantic\/genai-prices [\d.]+: OpenAI gpt-4o-mini/,
    );
    assert.equal(server.stats.requests, 0, 'nothing was sent');
    assert.equal((await new RunStore(runsDir()).load(first.runFile)).records.length, 0, 'the run file is untouched');
    const panel = (await promptLab()).panels.get(promptUri());
    assert.ok(panel, 'the run panel is open');
    assert.match(panel.lastEstimate ?? '', /^Estimate: 11 requests,/);

    cost.asked = [];
    cost.answer = 'Run';
    server.resetStats();
    const confirmed = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.rerunErrored', {
      file: first.runFile,
    });
    assert.ok(confirmed, 'confirmed: the resume ran');
    assert.equal(cost.asked.length, 1);
    assert.equal(server.stats.chatRequests, 11, 'only the errored cases were requested');
    assert.equal(confirmed.runFile, first.runFile);
    assert.equal(confirmed.summary.passedTests, CASES);
  });

  test('Resume Run estimates the missing cases; under 10 requests it does not ask', async () => {
    cost.answer = 'Run';
    const full = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', promptUri());
    assert.ok(full?.runFile);
    // What a killed run leaves: the header and the first two finished cases (10 missing).
    const lines = fs.readFileSync(full.runFile, 'utf8').split('\n');
    fs.writeFileSync(full.runFile, `${lines.slice(0, 3).join('\n')}\n`);

    cost.asked = [];
    server.resetStats();
    const resumed = await vscode.commands.executeCommand<RunOutcome | undefined>(
      'promptlab.resumeRun',
      vscode.Uri.file(full.runFile),
    );
    assert.ok(resumed);
    assert.equal(cost.asked.length, 1, 'asked before resuming');
    assert.match(cost.asked[0] ?? '', /Estimate: 10 requests,/);
    assert.equal(server.stats.chatRequests, 10);

    // Header, two cases, the resume record and six of its cases: four missing, below the size that asks.
    fs.writeFileSync(full.runFile, `${fs.readFileSync(full.runFile, 'utf8').split('\n').slice(0, 10).join('\n')}\n`);
    cost.asked = [];
    cost.answer = undefined;
    server.resetStats();
    const small = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.resumeRun', full.runFile);
    assert.ok(small, 'ran without a question');
    assert.equal(cost.asked.length, 0);
    assert.equal(server.stats.chatRequests, 4);
  });
});
