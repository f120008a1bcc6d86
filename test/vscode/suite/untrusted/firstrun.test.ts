// Restricted Mode: setting up a provider changes only the user's settings, so it works; the
// example's run is refused like every run, and nothing is sent.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PromptLabApi } from '../../../../src/extension/extension';
import { answerDialogs } from '../run-support';

suite('first run in Restricted Mode', () => {
  test('Set Up a Model Provider… writes the endpoint; the example is written but its run is refused', async () => {
    const extension = vscode.extensions.getExtension<PromptLabApi>('promptlab.promptlab');
    assert.ok(extension);
    const api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const example = vscode.Uri.joinPath(folder.uri, 'promptlab-example.prompt.yml');
    const config = vscode.workspace.getConfiguration('promptlab');
    const warnings: string[] = [];
    const dialogs = answerDialogs({
      showWarningMessage: (message: string) => {
        warnings.push(message);
        return Promise.resolve(undefined);
      },
    });
    try {
      // Port 9 (discard): nothing listens, and a refused run must not even try.
      await vscode.commands.executeCommand('promptlab.setUpProvider', {
        provider: 'ollama',
        baseURL: 'http://127.0.0.1:9/v1',
        servedModel: 'llama3.2',
        example: true,
      });
      assert.deepEqual(config.inspect('endpoints')?.globalValue, [
        { baseURL: 'http://127.0.0.1:9/v1', models: ['ollama/*'], kind: 'ollama' },
      ]);
      assert.match(fs.readFileSync(example.fsPath, 'utf8'), /^model: "ollama\/llama3\.2"$/m);
      assert.ok(
        warnings.some((w) => /Restricted Mode/.test(w)),
        `the Restricted Mode explanation was shown: ${JSON.stringify(warnings)}`,
      );
      assert.equal(api.runState.latest(example), undefined, 'no run was started');
    } finally {
      dialogs.restore();
      await config.update('endpoints', undefined, vscode.ConfigurationTarget.Global);
      await api.context.globalState.update('promptlab.exampleModel', undefined);
      fs.rmSync(example.fsPath, { force: true });
    }
  });
});
