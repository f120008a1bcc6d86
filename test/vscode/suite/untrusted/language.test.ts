// Restricted Mode: the prompt-yaml language features need no trust (they only read files).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, 'language', name);
}

/** Resolves once the PromptLab diagnostics of `uri` satisfy `accept` (checked on every change; bounded wait). */
function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (list: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'PromptLab');
      if (!accept(list)) return;
      subscription.dispose();
      clearTimeout(timer);
      resolve(list);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`timed out waiting for diagnostics on ${uri.fsPath}`));
    }, 20_000);
    check();
  });
}

suite('language in Restricted Mode', () => {
  suiteSetup(async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    await vscode.extensions.getExtension('promptlab.promptlab')?.activate();
  });

  test('diagnostics, also on a referenced data file', async () => {
    const broken = fixture('broken.prompt.yml');
    await vscode.workspace.openTextDocument(broken);
    const list = await diagnosticsWhen(broken, (l) => l.some((d) => d.code === 'unknown-key'));
    const unknownKey = list.find((d) => d.code === 'unknown-key');
    assert.deepEqual([unknownKey?.range.start.line, unknownKey?.range.start.character], [1, 0]);
    await vscode.workspace.openTextDocument(fixture('data.prompt.yml'));
    await diagnosticsWhen(fixture('data.jsonl'), (l) => l.some((d) => d.code === 'test-data-syntax'));
  });

  test('completion, hover and outline', async () => {
    const uri = fixture('complete.prompt.yaml');
    await vscode.workspace.openTextDocument(uri);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      uri,
      new vscode.Position(20, 10),
    );
    assert.ok(list.items.some((i) => i.label === 'github/fluency'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(6, 23),
    );
    assert.ok(hovers.some((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes('`a pirate`'))));
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    assert.ok(symbols.some((s) => s.name === 'testData' && s.children.length === 2));
  });
});
