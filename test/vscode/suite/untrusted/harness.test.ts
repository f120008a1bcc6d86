// Self-test of the Restricted Mode run: the harness opens this suite's workspace WITHOUT trusting it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('harness (Restricted Mode)', () => {
  test('the workspace is not trusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  test('the suite name reaches the extension host', () => {
    assert.equal(process.env.PROMPTLAB_TEST_SUITE, 'untrusted');
  });

  test('prompt files still get the prompt-yaml language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a workspace folder');
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'harness/greeting.prompt.yml'),
    );
    assert.equal(document.languageId, 'prompt-yaml');
  });
});
