// "Run as batch…" in the real extension host: the prompt file's cases go through the stand-in's
// Batch API (an `openai`-kind endpoint), the batch's state is what Run History describes while it
// runs, and the results land in the normal run panel when it completes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { describeRun, type LiveBatch } from '../../../src/extension/compare/history';
import { promptLab, waitFor, workspaceFile } from './run-support';

const file = () => workspaceFile('run/batch-suite.prompt.yml');

const PROMPT = [
  'name: Batch suite',
  'model: standin/standin',
  'messages:',
  '  - role: user',
  "    content: 'Say {{word}}'",
  'testData:',
  '  - word: one',
  '  - word: two',
  '  - word: three',
  'evaluators:',
  '  - name: echoes',
  '    string:',
  "      contains: '{{word}}'",
  '',
].join('\n');

suite('run as batch', () => {
  suiteSetup(async () => {
    await promptLab();
    const url = process.env.PROMPTLAB_STANDIN_URL;
    assert.ok(url, 'the harness passes PROMPTLAB_STANDIN_URL');
    // An OpenAI-kind endpoint: the one kind (with Azure) that has a Batch API.
    await vscode.workspace
      .getConfiguration('promptlab')
      .update(
        'endpoints',
        [{ baseURL: url, models: ['standin/*'], kind: 'openai' }],
        vscode.ConfigurationTarget.Global,
      );
    await vscode.workspace
      .getConfiguration('promptlab')
      .update('cache.enabled', false, vscode.ConfigurationTarget.Global);
    fs.writeFileSync(file().fsPath, PROMPT);
  });
  suiteTeardown(async () => {
    (await promptLab()).panels.get(file())?.dispose();
    await vscode.workspace
      .getConfiguration('promptlab')
      .update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace
      .getConfiguration('promptlab')
      .update('cache.enabled', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(file().fsPath, { force: true });
  });

  test('Run as batch shows the batch in Run History while it runs and the results in the run panel', async () => {
    const api = await promptLab();
    const uri = file();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('promptlab.runAsBatch'));
    // Capture the Run History description at every batch state change, as the tree would draw it.
    const described: string[] = [];
    const subscription = api.runState.onDidChange((change) => {
      if (change.kind !== 'event' || change.event.type !== 'batch-status' || !change.record.header) return;
      const live: LiveBatch | undefined = api.runState.batchOf(change.record.header.runId);
      described.push(
        describeRun({ id: change.record.header.runId, file: '', header: change.record.header }, live).description,
      );
    });
    try {
      // `true`: the modal estimate question is answered (it is shown to users, not to tests).
      const outcome = (await vscode.commands.executeCommand('promptlab.runAsBatch', uri, true)) as {
        summary: { passedTests: number };
        header: { runId: string; mode?: string };
      };
      assert.equal(outcome.header.mode, 'batch');
      assert.equal(outcome.summary.passedTests, 3);
      assert.ok(
        described.some((d) => /^batch (validating|in_progress|finalizing|completed) \d+\/3/.test(d)),
        `Run History descriptions: ${described.join(' | ')}`,
      );
      const panel = api.panels.get(uri);
      assert.ok(panel, 'the run panel opened');
      await waitFor(
        () => panel.isReady && panel.lastRunId === outcome.header.runId,
        'the run panel to show the batch run',
      );
      assert.equal(panel.currentResults.size, 3);
      const stored = await (await api.workspace.storeFor(uri)).load(outcome.header.runId);
      assert.equal(stored.batches.length, 1, 'one provider batch');
      assert.equal(stored.finished, true);
      assert.match(
        describeRun({ id: stored.id, file: stored.file, header: stored.header, summary: stored.summary }).description,
        /^batch · 100%/,
      );
    } finally {
      subscription.dispose();
    }
  });
});
