// Self-test of the VS Code test harness: the extension under test is the one from this clone, it activates,
// and both prompt-file extensions get the PromptLab language.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'promptlab.promptlab';

function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

suite('harness', () => {
  test(`extension ${extensionId} is present and activates`, async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed in the extension host`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('the workspace is trusted in the main suite', () => {
    assert.equal(vscode.workspace.isTrusted, true);
  });

  for (const name of ['harness/greeting.prompt.yml', 'harness/greeting.prompt.yaml']) {
    test(`${name} opens with language id prompt-yaml`, async () => {
      const document = await vscode.workspace.openTextDocument(workspaceFile(name));
      assert.equal(document.languageId, 'prompt-yaml');
    });
  }

  test('a plain .yml file keeps the yaml language', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('harness/plain.yml'));
    assert.equal(document.languageId, 'yaml');
  });

  test('environment from the harness reaches the extension host', () => {
    assert.equal(process.env.PROMPTLAB_TEST_SUITE ?? '', '');
    assert.ok(
      process.env.PROMPTLAB_TEST_RESULT_FILE,
      'PROMPTLAB_TEST_RESULT_FILE is passed through extensionEnvironment',
    );
  });

  test('the stand-in server started by the harness answers from the extension host', async () => {
    const url = process.env.PROMPTLAB_STANDIN_URL;
    assert.ok(url, 'the harness passes PROMPTLAB_STANDIN_URL (it starts dist/standin.js when that is built)');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
    const response = await fetch(`${url.replace(/\/$/, '')}/models`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { data?: { id: string }[] };
    assert.ok(Array.isArray(body.data) && body.data.length > 0, `model list: ${JSON.stringify(body)}`);
  });
});
