// "Run as batch…" in the real extension host: the prompt file's cases go through the stand-in's
// Batch API (an `openai`-kind endpoint), the batch's state is what Run History describes while it
// runs, and the results land in the normal run panel when it completes. "Resume Run" on a batch
// run whose batch is still pending reattaches to that batch: a stand-in started inside the test
// counts batches and live requests to prove it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import { hasPendingBatches } from '../../../src/core/engine';
import { RunStore } from '../../../src/core/store/runStore';
import { describeRun, type LiveBatch } from '../../../src/extension/compare/history';
import { Text } from '../../../src/extension/messages';
import { startStandin, type Standin } from '../../../src/standin/server';
import { addEndpoint, promptLab, setSettings, waitFor, workspaceFile } from './run-support';

type Window = Record<string, unknown>;
const win = vscode.window as unknown as Window;

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
    await setSettings({ endpoints: [{ baseURL: url, models: ['standin/*'], kind: 'openai' }], 'cache.enabled': false });
    fs.writeFileSync(file().fsPath, PROMPT);
  });
  suiteTeardown(async () => {
    (await promptLab()).panels.get(file())?.dispose();
    await setSettings({ endpoints: undefined, 'cache.enabled': undefined });
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

  suite('Resume Run of a batch run whose batch is still pending', () => {
    let server: Standin;
    let restoreEndpoints: () => Promise<void>;
    const pendingFile = () => workspaceFile('run/batch-pending.prompt.yml');
    suiteSetup(async () => {
      // Slow batch states (1.5 s each), so the wait can be stopped while the provider still works.
      server = await startStandin({ batch: { stepMs: 1_500 } });
      restoreEndpoints = await addEndpoint(server.url, 'pending/*', 'openai');
      fs.writeFileSync(pendingFile().fsPath, PROMPT.replace('model: standin/standin', 'model: pending/echo'));
    });
    suiteTeardown(async () => {
      (await promptLab()).panels.get(pendingFile())?.dispose();
      await restoreEndpoints();
      fs.rmSync(pendingFile().fsPath, { force: true });
      await server.close();
    });

    test('reattaches to the batch (no second batch, no live request), shows it waiting in Run History, notifies and fills the run panel', async () => {
      const api = await promptLab();
      const uri = pendingFile();
      const notices: string[] = [];
      const showInformationMessage = win.showInformationMessage;
      win.showInformationMessage = (message: string) => {
        notices.push(message);
        return Promise.resolve(undefined);
      };
      const described: string[] = [];
      let stopped = false;
      const subscription = api.runState.onDidChange((change) => {
        if (change.kind !== 'event' || change.event.type !== 'batch-status' || !change.record.header) return;
        if (change.record.header.promptFile !== uri.fsPath) return;
        // The first state seen: stop waiting, as a person closing VS Code would (the batch goes on).
        if (!stopped) {
          stopped = true;
          api.runs.cancel(uri);
        }
        const live: LiveBatch | undefined = api.runState.batchOf(change.record.header.runId);
        described.push(
          describeRun({ id: change.record.header.runId, file: '', header: change.record.header }, live).description,
        );
      });
      try {
        const first = (await vscode.commands.executeCommand('promptlab.runAsBatch', uri, true)) as RunOutcome;
        assert.equal(first.pendingBatches?.length, 1, 'the wait stopped with the batch pending');
        assert.ok(first.runFile);
        assert.ok(
          notices.some((n) => n === Text.batchDetached('Batch suite', first.runFile as string)),
          notices.join(' | '),
        );
        assert.equal(server.batches.stats.batchesCreated, 1);
        const store = new RunStore(workspaceFile('.promptlab/runs').fsPath);
        const open = await store.load(first.runFile);
        assert.ok(hasPendingBatches(open), 'the run file is open with its batch pending');
        const info = (await store.list()).find((r) => r.file === first.runFile);
        assert.ok(info, 'Run History lists the run');
        assert.match(describeRun(info).description, /^batch waiting/, 'Run History shows the batch waiting');

        described.length = 0;
        notices.length = 0;
        const resumed = (await vscode.commands.executeCommand('promptlab.resumeRun', { file: first.runFile })) as
          RunOutcome | undefined;
        assert.ok(resumed, 'the resume ran');
        assert.equal(resumed.runFile, first.runFile, 'the same run file');
        assert.equal(resumed.pendingBatches, undefined);
        assert.equal(resumed.summary.passedTests, 3);
        assert.equal(server.batches.stats.batchesCreated, 1, 'no second batch: the resume reattached');
        assert.equal(server.batches.stats.filesUploaded, 1, 'nothing uploaded again');
        assert.equal(server.stats.chatRequests, 0, 'no live chat request');
        assert.ok(
          described.some((d) => /^batch (validating|in_progress|finalizing) \d+\/3/.test(d)),
          `Run History while the resume waits: ${described.join(' | ')}`,
        );
        assert.ok(
          notices.includes(Text.batchCompleted('Batch suite', 3, 3)),
          `a notification when the batch completes: ${notices.join(' | ')}`,
        );
        const panel = api.panels.get(uri);
        assert.ok(panel, 'the run panel opened');
        await waitFor(() => panel.isReady && panel.lastRunId === first.header.runId, 'the run panel to show the run');
        assert.equal(panel.currentResults.size, 3);
        const done = await store.load(first.runFile);
        assert.equal(done.finished, true);
        assert.equal(done.cases.length, 3);
        assert.equal(done.batches.length, 1);
      } finally {
        subscription.dispose();
        win.showInformationMessage = showInformationMessage;
      }
    });
  });
});
