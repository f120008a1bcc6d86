// The run side in a real VS Code: activation, CodeLens, the run commands against the stand-in,
// the run panel's handshake, stored runs, cancellation.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../../src/core/store/runStore';
import type { RunOutcome } from '../../../src/core/engine';
import { promptLab, useStandin, waitFor, workspaceFile, setSettings } from './run-support';

const greet = () => workspaceFile('run/greet.prompt.yml');
const runsDir = () => workspaceFile('.promptlab/runs').fsPath;

suite('run: activation and CodeLens', () => {
  test('activates (its time is logged, not asserted) and registers every run command', async () => {
    const api = await promptLab();
    console.log(`      activation took ${api.activationMs.toFixed(1)} ms`);
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'promptlab.runPrompt',
      'promptlab.runTestCase',
      'promptlab.runWithModel',
      'promptlab.selectModel',
      'promptlab.setApiKey',
      'promptlab.showLog',
    ])
      assert.ok(commands.includes(id), `${id} is registered`);
  });

  test('CodeLens: run prompt and run with model at the top, run case above each case', async () => {
    await promptLab();
    const document = await vscode.workspace.openTextDocument(greet());
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const ours = lenses.filter((l) => l.command?.command.startsWith('promptlab.'));
    const top = ours
      .filter(
        (l) =>
          l.range.start.line === 0 &&
          ['promptlab.runPrompt', 'promptlab.runWithModel'].includes(l.command?.command ?? ''),
      )
      .map((l) => l.command?.title);
    assert.deepEqual(top.sort(), ['Run with model…', '▶ Run prompt'].sort());
    const caseLenses = ours.filter((l) => l.command?.command === 'promptlab.runTestCase');
    const caseLines = caseLenses.map((l) => l.range.start.line);
    const expectedLines = ['  - name: Ada', '  - name: Grace', '  - name: Linus'].map((text) =>
      document.getText().split('\n').indexOf(text),
    );
    assert.deepEqual(caseLines, expectedLines);
    assert.deepEqual(
      caseLenses.map((l) => l.command?.arguments?.[1]),
      [0, 1, 2],
    );
  });
});

suite('run: commands against the stand-in', () => {
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
    await setSettings({ 'cache.enabled': false });
  });
  suiteTeardown(async () => {
    await setSettings({ 'cache.enabled': undefined });
  });

  test('Run Prompt runs every case, opens the panel (handshake done) and stores the run', async () => {
    const api = await promptLab();
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', greet());
    assert.ok(outcome, 'the command returns the outcome');
    assert.equal(outcome.cancelled, false);
    assert.deepEqual(
      outcome.cases.map((c) => c.samples[0]?.output),
      ['Echo: Say hello to Ada', 'Echo: Say hello to Grace', 'Echo: Say hello to Linus'],
    );
    assert.deepEqual(
      outcome.cases.map((c) => c.passed),
      [true, false, false],
    );
    assert.equal(outcome.summary.passedTests, 1);
    assert.equal(outcome.header.model, 'standin/echo');
    assert.equal(outcome.header.endpointOrigin, new URL(process.env.PROMPTLAB_STANDIN_URL ?? '').origin);

    const panel = api.panels.get(greet());
    assert.ok(panel, 'the run panel is open for the file');
    // The webview's script loaded under the nonce CSP and answered the handshake.
    await waitFor(() => panel.isReady, 'the run panel webview to send "ready"');
    assert.equal(panel.currentResults.size, 3);
    assert.equal(panel.lastRunId, outcome.header.runId);

    assert.ok(
      outcome.runFile && outcome.runFile.startsWith(runsDir() + path.sep),
      `run file ${outcome.runFile} is under ${runsDir()}`,
    );
    const stored = await new RunStore(runsDir()).load(outcome.header.runId);
    assert.equal(stored.finished, true);
    assert.deepEqual(stored.cases.map((c) => [c.caseIndex, c.passed]).sort(), [
      [0, true],
      [1, false],
      [2, false],
    ]);
    assert.equal(stored.summary.passedTests, 1);
  });

  test('Run Test Case runs only that case', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runTestCase', greet(), 1);
    assert.ok(outcome);
    assert.deepEqual(
      outcome.cases.map((c) => c.caseIndex),
      [1],
    );
    assert.equal(outcome.cases[0]?.samples[0]?.output, 'Echo: Say hello to Grace');
  });

  test('Run with Model uses the given model id', async () => {
    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>(
      'promptlab.runWithModel',
      greet(),
      'standin/upper',
    );
    assert.ok(outcome);
    assert.equal(outcome.header.model, 'standin/upper');
    assert.equal(outcome.cases[0]?.samples[0]?.output, 'ECHO: SAY HELLO TO ADA');
  });

  test('unsaved edits are what runs', async () => {
    const document = await vscode.workspace.openTextDocument(greet());
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').indexOf('  - name: Linus');
    await editor.edit((edit) =>
      edit.replace(new vscode.Range(line, 0, line, '  - name: Linus'.length), '  - name: Margaret'),
    );
    try {
      const api = await promptLab();
      const outcome = await api.runs.run(greet(), { caseIndexes: [2], progress: false });
      assert.equal(outcome.cases[0]?.samples[0]?.output, 'Echo: Say hello to Margaret');
    } finally {
      await editor.edit((edit) =>
        edit.replace(new vscode.Range(line, 0, line, '  - name: Margaret'.length), '  - name: Linus'),
      );
      await document.save();
    }
  });

  test('a workspace promptlab.config.yaml routes a model to its endpoint', async () => {
    const api = await promptLab();
    const config = workspaceFile('promptlab.config.yaml');
    const url = process.env.PROMPTLAB_STANDIN_URL ?? '';
    const text = [
      'providers:',
      '  team:',
      '    preset: custom',
      `    baseURL: ${url}`,
      'models:',
      '  "team/greeter": { provider: team, model: upper }',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(text));
    try {
      const outcome = await api.runs.run(greet(), { model: 'team/greeter', progress: false, caseIndexes: [0] });
      assert.equal(outcome.header.model, 'team/greeter');
      assert.equal(outcome.header.provider, 'custom');
      assert.equal(outcome.header.endpointOrigin, new URL(url).origin);
      assert.equal(outcome.cases[0]?.samples[0]?.output, 'ECHO: SAY HELLO TO ADA');
    } finally {
      await vscode.workspace.fs.delete(config);
    }
  });

  test('an unmapped model fails with one clear message and no run file', async () => {
    const api = await promptLab();
    // The harness installs a test chat model provider: without this switch the editor's models would serve the id.
    const settings = vscode.workspace.getConfiguration('promptlab');
    await settings.update('useEditorLanguageModels', false, vscode.ConfigurationTarget.Global);
    try {
      const before = fs.existsSync(runsDir()) ? fs.readdirSync(runsDir()).length : 0;
      await assert.rejects(api.runs.run(greet(), { model: 'nowhere/model-x', progress: false }), (error: Error) => {
        assert.match(error.message, /nowhere\/model-x/);
        return true;
      });
      assert.equal(fs.existsSync(runsDir()) ? fs.readdirSync(runsDir()).length : 0, before);
    } finally {
      await settings.update('useEditorLanguageModels', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('cancelling keeps the finished cases (in the outcome and the run file)', async () => {
    const api = await promptLab();
    const slow = workspaceFile('run/slow.prompt.yml');
    let finished = 0;
    const outcome = await api.runs.run(slow, {
      progress: false,
      onEvent: (event) => {
        if (event.type === 'case-finished' || event.type === 'case-failed') {
          finished++;
          if (finished === 2) api.runs.cancel(slow);
        }
      },
    });
    assert.equal(outcome.cancelled, true);
    assert.deepEqual(
      outcome.cases.map((c) => c.caseIndex),
      [0, 1],
    );
    assert.ok(outcome.runFile);
    const stored = await new RunStore(runsDir()).load(outcome.runFile);
    assert.equal(stored.summary.cancelled, true);
    assert.deepEqual(stored.cases.map((c) => c.caseIndex).sort(), [0, 1]);
    const panel = api.panels.get(slow);
    assert.equal(panel?.currentResults.size, 2);
  });

  test('a second run of the same file while one is going is refused', async () => {
    const api = await promptLab();
    const slow = workspaceFile('run/slow.prompt.yml');
    const first = api.runs.run(slow, { progress: false, caseIndexes: [2] });
    try {
      await waitFor(() => api.runs.isRunning(slow), 'the first run to start');
      await assert.rejects(api.runs.run(slow, { progress: false }), /already running/);
    } finally {
      api.runs.cancel(slow);
      const outcome = await first;
      assert.equal(outcome.cancelled, true);
    }
  });

  test('the stored run is restored into a new panel', async () => {
    const api = await promptLab();
    const runs = await new RunStore(runsDir()).list();
    const latest = runs.find((r) => r.header.promptFile === greet().fsPath && r.header.caseCount === 3);
    assert.ok(latest, 'a full run of greet.prompt.yml is stored');
    api.panels.get(greet())?.dispose();
    const panel = api.panels.show(greet());
    panel.showStoredRun(await new RunStore(runsDir()).load(latest.id));
    await waitFor(() => panel.isReady, 'the new panel to be ready');
    assert.equal(panel.lastRunId, latest.id);
    assert.equal(panel.currentResults.size, 3);
    panel.dispose();
  });
});
