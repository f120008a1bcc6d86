// "Configure Models…" from a failed run, and "Generate Test Cases…" preview-then-write, in a real
// VS Code against the stand-in. The dialogs are answered by replacing the window functions the
// extension calls (the test shares the extension's vscode API object), as a person would click.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import { parsePromptFile } from '../../../src/core/promptfile/parse';
import { answerDialogs, promptLab, useStandin, waitFor, workspaceFile, setSettings } from './run-support';

function diffTab(): vscode.TabInputTextDiff | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputTextDiff ? input : undefined;
}

suite('setup: Configure Models…', () => {
  const config = () => workspaceFile('promptlab.config.yaml');
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
    await setSettings({ 'cache.enabled': false });
    // The harness installs a test chat model provider (test/vscode/lm-provider): without this switch
    // the editor's models would serve the unrouted model and the run would not fail.
    await setSettings({ useEditorLanguageModels: false });
  });
  suiteTeardown(async () => {
    fs.rmSync(config().fsPath, { force: true });
    await setSettings({ 'cache.enabled': undefined, useEditorLanguageModels: undefined });
  });

  test('a run of an unrouted model says so once, in the panel, whose "Configure Models…" writes routes that make the run work', async () => {
    fs.rmSync(config().fsPath, { force: true });
    const shownErrors: { message: string; actions: string[] }[] = [];
    const asked: string[] = [];
    const standinUrl = process.env.PROMPTLAB_STANDIN_URL ?? '';
    const dialogs = answerDialogs({
      showErrorMessage: (message: string, ...actions: string[]) => {
        shownErrors.push({ message, actions });
        return Promise.resolve(undefined);
      },
      showQuickPick: (items: readonly { label: string }[] | Thenable<readonly { label: string }[]>) => {
        asked.push('quick pick');
        return Promise.resolve(items).then((list) => list.find((i) => i.label === 'custom'));
      },
      showInputBox: (options?: vscode.InputBoxOptions) => {
        asked.push(`input: ${options?.prompt ?? ''}`);
        return Promise.resolve(options?.prompt?.startsWith('Base URL') ? standinUrl : options?.value);
      },
      showWarningMessage: (message: string) => {
        asked.push(`warning: ${message}`);
        return Promise.resolve(undefined);
      },
    });
    const api = await promptLab();
    const file = workspaceFile('setup/unrouted.prompt.yml');
    try {
      const failed = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', file);
      assert.equal(failed, undefined, 'the run cannot start: no endpoint serves the model');
      const record = api.runState.latest(file);
      assert.equal(record?.failure, 'No model provider is set up for meta/llama-3.3-70b-instruct.');
      assert.deepEqual(record?.fix?.actions, ['Set Up a Model Provider…', 'Configure Models…']);
      assert.deepEqual(shownErrors, [], 'the revealed panel shows the failure; no toast repeats it');
      const panel = api.panels.get(file);
      assert.ok(panel, 'the run panel is open');
      // An action the failure did not offer is ignored (webview messages are not trusted further).
      panel.receive({ type: 'fix', action: 'Manage Workspace Trust' });
      panel.receive({ type: 'fix', action: 'Configure Models…' });
      await waitFor(() => fs.existsSync(config().fsPath), 'Configure Models… to write promptlab.config.yaml').catch(
        (error: unknown) => {
          throw new Error(`${String(error)}; dialogs: ${JSON.stringify(asked)}`);
        },
      );
    } finally {
      dialogs.restore();
    }
    const text = fs.readFileSync(config().fsPath, 'utf8');
    assert.match(text, /"meta\/llama-3\.3-70b-instruct": \{ provider: custom, model: "llama-3\.3-70b-instruct" \}/);
    assert.match(text, new RegExp(`baseURL: "${standinUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));

    const outcome = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', file);
    assert.ok(outcome, 'the run works with the written config');
    assert.equal(outcome.header.endpointModel, 'llama-3.3-70b-instruct');
    assert.equal(outcome.summary.passedTests, 1);
  });
});

suite('setup: Generate Test Cases…', () => {
  const file = () => workspaceFile('setup/generate.prompt.yml');
  let original = '';
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
    original = fs.readFileSync(file().fsPath, 'utf8');
  });
  teardown(() => fs.writeFileSync(file().fsPath, original));

  test('CodeLens on testData: opens the command', async () => {
    const document = await vscode.workspace.openTextDocument(file());
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const lens = lenses.find((l) => l.command?.command === 'promptlab.generateTestCases');
    assert.ok(lens, 'a Generate lens');
    assert.equal(lens.range.start.line, document.getText().split('\n').indexOf('testData:'));
  });

  test('previews the new rows as a diff, writes only after "Write", keeping comments', async () => {
    let diffAtQuestion: { before: string; after: string } | undefined;
    const dialogs = answerDialogs({
      showInputBox: (options?: vscode.InputBoxOptions) =>
        Promise.resolve(options?.prompt?.startsWith('How many') ? '3' : 'short phrases'),
      showInformationMessage: async (message: string, ...rest: unknown[]) => {
        if (!message.startsWith('Write ')) return undefined;
        const tab = diffTab();
        if (tab) {
          const [before, after] = await Promise.all([
            vscode.workspace.openTextDocument(tab.original),
            vscode.workspace.openTextDocument(tab.modified),
          ]);
          diffAtQuestion = { before: before.getText(), after: after.getText() };
        }
        return rest.includes('Write') ? 'Write' : undefined;
      },
    });
    try {
      const result = await vscode.commands.executeCommand<{ written: boolean } | undefined>(
        'promptlab.generateTestCases',
        file(),
      );
      assert.ok(result?.written, 'written after the confirmation');
    } finally {
      dialogs.restore();
    }
    assert.ok(diffAtQuestion, 'the diff editor was showing when the write was asked for');
    assert.equal(diffAtQuestion.before, original);
    const onDisk = fs.readFileSync(file().fsPath, 'utf8');
    assert.equal(diffAtQuestion.after, onDisk, 'what was previewed is what was written');
    for (const comment of [
      '# Generate test cases: comments and layout must survive.',
      '# two variables',
      '# the one hand-written case',
    ])
      assert.ok(onDisk.includes(comment), comment);
    const { prompt, diagnostics } = await parsePromptFile(file().fsPath, onDisk);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    assert.equal(prompt?.testData.length, 4);
    assert.ok(
      prompt?.testData
        .slice(1)
        .every((c) => c.generated?.endsWith(' standin/echo') && /^text [0-9a-f]{6}-\d$/.test(String(c.vars.text))),
    );
  });

  test('declining the preview leaves the file untouched', async () => {
    const dialogs = answerDialogs({
      showInformationMessage: () => Promise.resolve(undefined),
    });
    try {
      const result = await vscode.commands.executeCommand<{ written: boolean; plan: { added: unknown[] } } | undefined>(
        'promptlab.generateTestCases',
        file(),
        { count: 2 },
      );
      assert.equal(result?.written, false);
      assert.equal(result?.plan.added.length, 2);
    } finally {
      dialogs.restore();
    }
    assert.equal(fs.readFileSync(file().fsPath, 'utf8'), original);
  });
});
