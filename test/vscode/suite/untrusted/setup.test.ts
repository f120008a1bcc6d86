// Restricted Mode: "Generate Test Cases…" sends the prompt to a model, so it is refused like a run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { PromptLabApi } from '../../../../src/extension/extension';

suite('setup in Restricted Mode', () => {
  test('Generate Test Cases… is refused and the file is untouched', async () => {
    const extension = vscode.extensions.getExtension<PromptLabApi>('promptlab.promptlab');
    assert.ok(extension);
    await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'setup/generate.prompt.yml');
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    // The refusal is explained through window.showWarningMessage; record it (same API object as the extension's).
    const win = vscode.window as unknown as Record<string, unknown>;
    const original = win.showWarningMessage;
    const warnings: string[] = [];
    win.showWarningMessage = (message: string) => {
      warnings.push(message);
      return Promise.resolve(undefined);
    };
    try {
      const result = await vscode.commands.executeCommand('promptlab.generateTestCases', uri, {
        count: 2,
        write: true,
      });
      assert.equal(result, undefined, 'refused');
    } finally {
      win.showWarningMessage = original;
    }
    assert.ok(
      warnings.some((w) => /Restricted Mode/.test(w)),
      `the Restricted Mode explanation was shown: ${JSON.stringify(warnings)}`,
    );
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before);
  });
});
