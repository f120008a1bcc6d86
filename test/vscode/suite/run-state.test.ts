// One shared run state read by every surface: a run started from the panel or a command shows in
// the Test Explorer, a Test Explorer run shows in the run panel, and "Show Run Results" shows the
// latest run instead of "not run yet".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import type { RunPanel } from '../../../src/extension/run/panel';
import type { TestOutcomeReport } from '../../../src/extension/run/testing';
import { promptLab, runFileTests, setSettings, useStandin, waitFor, workspaceFile } from './run-support';

const greet = () => workspaceFile('run/greet.prompt.yml');

suite('run state: every surface shows every run', () => {
  suiteSetup(async () => {
    const api = await promptLab();
    await useStandin();
    await setSettings({ 'cache.enabled': false });
    await api.tests.discoverAll();
  });
  suiteTeardown(async () => {
    await setSettings({ 'cache.enabled': undefined });
  });
  teardown(async () => {
    (await promptLab()).panels.get(greet())?.dispose();
  });

  test('a run from the Run Prompt command is reported in the Test Explorer', async () => {
    const api = await promptLab();
    const reports: TestOutcomeReport[] = [];
    const subscription = api.tests.onDidReport((r) => reports.push(r));
    try {
      const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', greet());
      assert.ok(outcome, 'the command returns the outcome');
      await waitFor(() => reports.length === 3, 'three case reports in the Test Explorer');
    } finally {
      subscription.dispose();
    }
    const byLabel = new Map(reports.map((r) => [r.item.label, r.state]));
    assert.deepEqual(Object.fromEntries(byLabel), { 'Case 1': 'passed', 'Case 2': 'failed', 'Case 3': 'failed' });
  });

  test('a run started by the panel ("rerun case") is recorded in the run state and reported in the Test Explorer', async () => {
    const api = await promptLab();
    const panel = api.panels.show(greet());
    await waitFor(() => panel.isReady, 'the run panel to be ready');
    const reports: TestOutcomeReport[] = [];
    const subscription = api.tests.onDidReport((r) => reports.push(r));
    try {
      // What the panel does for its "run again" button on case 2.
      panel.receive({ type: 'rerun-case', caseIndex: 1 });
      await waitFor(() => reports.length === 1, 'the case report in the Test Explorer');
    } finally {
      subscription.dispose();
    }
    assert.equal(reports[0]?.item.label, 'Case 2');
    assert.equal(reports[0]?.state, 'failed');
    const latest = await waitFor(() => {
      const record = api.runState.latest(greet());
      return record && !record.running ? record : undefined;
    }, 'the panel run to end');
    assert.deepEqual([...latest.results.keys()], [1]);
    assert.equal(latest.origin, 'editor');
  });

  test('a Test Explorer run shows in the open run panel', async () => {
    const api = await promptLab();
    const panel = api.panels.show(greet());
    await waitFor(() => panel.isReady, 'the run panel to be ready');
    await runFileTests(api, greet());
    const record = api.runState.latest(greet());
    assert.equal(record?.origin, 'tests');
    assert.ok(record?.header);
    await waitFor(() => panel.lastRunId === record.header?.runId, 'the panel to show the Test Explorer run');
    assert.equal(panel.currentResults.size, 3);
  });

  test('Show Run Results opens a panel with the latest run', async () => {
    const api = await promptLab();
    await runFileTests(api, greet());
    assert.equal(api.panels.get(greet()), undefined, 'no panel was open during the run');
    const runId = api.runState.latest(greet())?.header?.runId;
    assert.ok(runId);
    const panel = await vscode.commands.executeCommand<RunPanel | undefined>('promptlab.showRunPanel', greet());
    assert.ok(panel, 'the command returns the panel');
    await waitFor(() => panel.isReady, 'the panel to be ready');
    await waitFor(() => panel.lastRunId === runId, 'the panel to show the latest run');
    assert.equal(panel.currentResults.size, 3);
  });

  test('Show Run Results on a file run only outside this session shows its newest stored run', async () => {
    const api = await promptLab();
    const uri = workspaceFile('compare/greet.prompt.yml');
    // Compare runs are stored but are not editor runs: the run state has no record of this file.
    const result = await vscode.commands.executeCommand<{ runFiles: string[] } | undefined>(
      'promptlab.compareModels',
      uri,
      ['standin/echo', 'standin/upper'],
    );
    assert.ok(result);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.equal(api.runState.latest(uri), undefined);
    const stored = await (await api.workspace.storeFor(uri)).list();
    const newest = stored.find((r) => r.header.promptFile === uri.fsPath);
    assert.ok(newest);
    const panel = await vscode.commands.executeCommand<RunPanel | undefined>('promptlab.showRunPanel', uri);
    assert.ok(panel);
    try {
      await waitFor(() => panel.lastRunId === newest.id, 'the panel to show the newest stored run');
      assert.ok(panel.currentResults.size > 0);
    } finally {
      panel.dispose();
    }
  });
});
