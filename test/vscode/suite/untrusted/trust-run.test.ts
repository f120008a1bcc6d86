// Restricted Mode (the harness opens this workspace without trusting it): CodeLens still works,
// runs are refused with an explanation, and nothing is sent or stored.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PromptLabApi } from '../../../../src/extension/extension';

function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

async function promptLab(): Promise<PromptLabApi> {
  const extension = vscode.extensions.getExtension<PromptLabApi>('promptlab.promptlab');
  assert.ok(extension);
  return extension.activate();
}

suite('run in Restricted Mode', () => {
  test('the workspace is really untrusted and the extension is active', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const api = await promptLab();
    assert.equal(api.trust.isRunAllowed(), false);
  });

  test('CodeLens is still provided', async () => {
    await promptLab();
    const document = await vscode.workspace.openTextDocument(workspaceFile('run/greet.prompt.yml'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    assert.ok(lenses.some((l) => l.command?.title === '▶ Run prompt'));
  });

  test('a run is refused with the reason, and no run file is written', async () => {
    const api = await promptLab();
    const uri = workspaceFile('run/greet.prompt.yml');
    await assert.rejects(api.runs.run(uri, { progress: false }), (error: Error) => {
      assert.equal(error.name, 'RunRefusedError');
      assert.match(error.message, /Restricted Mode/);
      assert.match(error.message, /[Tt]rust the workspace/);
      return true;
    });
    const result = await vscode.commands.executeCommand('promptlab.runPrompt', uri);
    assert.equal(result, undefined, 'the command refuses too');
    assert.equal(fs.existsSync(workspaceFile('.promptlab/runs').fsPath), false, 'no run directory was created');
  });

  test('a Test Explorer run errors each case with the Restricted Mode explanation', async () => {
    const api = await promptLab();
    await api.tests.discoverAll();
    const fileItem = api.testController.items.get(workspaceFile('run/greet.prompt.yml').toString());
    assert.ok(fileItem);
    const states: string[] = [];
    const messages: string[] = [];
    const subscription = api.tests.onDidReport((r) => {
      states.push(r.state);
      messages.push(...r.messages.map((m) => String(m.message)));
    });
    const cancellation = new vscode.CancellationTokenSource();
    try {
      await api.tests.runTests(new vscode.TestRunRequest([fileItem]), cancellation.token);
    } finally {
      subscription.dispose();
      cancellation.dispose();
    }
    assert.deepEqual(states, ['errored', 'errored', 'errored']);
    assert.ok(messages.every((m) => /Restricted Mode/.test(m)));
  });
});
