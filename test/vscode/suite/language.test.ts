// The prompt-yaml language inside a real VS Code: language ids, diagnostics (also on referenced
// data files), completion, hover, outline, definition, quick fixes, and the grammar against the
// editor's own YAML grammar. Fixtures: test/vscode/workspace/language/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { INITIAL, parseRawGrammar, Registry, type IGrammar } from 'vscode-textmate';
import { loadWASM, OnigScanner, OnigString } from 'vscode-oniguruma';

const extensionId = 'promptlab.promptlab';

function fixture(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, 'language', name);
}

/**
 * The workbench reads a language's language-configuration.json asynchronously the first time the language
 * is used, and until then typing follows no onEnter or auto-closing rule (seen on a loaded machine). Waits,
 * on a scratch document, until `{` auto-closes, i.e. the configuration is in effect.
 */
async function languageConfigurationLoaded(): Promise<void> {
  const probe = await vscode.workspace.openTextDocument({ language: 'prompt-yaml', content: '' });
  const editor = await vscode.window.showTextDocument(probe);
  const deadline = Date.now() + 60_000;
  for (;;) {
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('type', { text: '{' });
    if (probe.lineAt(0).text === '{}') break;
    if (Date.now() > deadline) throw new Error('the prompt-yaml language configuration never took effect');
    await editor.edit((edit) => edit.delete(new vscode.Range(0, 0, 0, probe.lineAt(0).text.length)));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

async function activate(): Promise<void> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is installed`);
  await extension.activate();
}

/** Resolves with the diagnostics of `uri` once `accept` holds for them (checked on every change). */
function diagnosticsWhen(
  uri: vscode.Uri,
  accept: (list: vscode.Diagnostic[]) => boolean,
  what: string,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const list = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'PromptLab');
      if (!accept(list)) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve(list);
      return true;
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((u) => u.toString() === uri.toString())) check();
    });
    // A bound on the wait, not a sleep: the promise settles as soon as the diagnostics arrive.
    const timer = setTimeout(() => {
      subscription.dispose();
      const got = vscode.languages
        .getDiagnostics(uri)
        .map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character} ${d.message}`);
      reject(new Error(`timed out waiting for ${what} on ${path.basename(uri.fsPath)}; have [${got.join(', ')}]`));
    }, 20_000);
    check();
  });
}

const rangeOf = (d: vscode.Diagnostic | undefined) =>
  d && [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
const byCode = (list: vscode.Diagnostic[], code: string) => list.find((d) => String(d.code) === code);

async function completionLabels(uri: vscode.Uri, position: vscode.Position, trigger?: string): Promise<string[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>(
    'vscode.executeCompletionItemProvider',
    uri,
    position,
    trigger,
  );
  return list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
}

/** Puts a fixture back as it was and saves it (code-server auto-saves edits, so reverting is not enough). */
async function restore(doc: vscode.TextDocument, original: string): Promise<void> {
  if (doc.getText() !== original) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original);
    assert.ok(await vscode.workspace.applyEdit(edit));
  }
  if (doc.isDirty) assert.ok(await doc.save());
  assert.equal(doc.getText(), original);
}

suite('language: prompt-yaml', () => {
  suiteSetup(activate);

  test('both suffixes open as prompt-yaml', async () => {
    assert.equal((await vscode.workspace.openTextDocument(fixture('broken.prompt.yml'))).languageId, 'prompt-yaml');
    assert.equal((await vscode.workspace.openTextDocument(fixture('complete.prompt.yaml'))).languageId, 'prompt-yaml');
  });

  test('diagnostics on a broken file, with their ranges', async () => {
    const uri = fixture('broken.prompt.yml');
    await vscode.workspace.openTextDocument(uri);
    const list = await diagnosticsWhen(
      uri,
      (l) => ['unknown-key', 'unknown-role', 'missing-variable'].every((c) => byCode(l, c)),
      'the three problems',
    );
    assert.deepEqual(rangeOf(byCode(list, 'unknown-key')), [1, 0, 1, 5]);
    assert.equal(byCode(list, 'unknown-key')?.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(rangeOf(byCode(list, 'unknown-role')), [3, 10, 3, 18]);
    assert.equal(byCode(list, 'unknown-role')?.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(rangeOf(byCode(list, 'missing-variable')), [4, 19, 4, 27]);
  });

  test('a broken line in a referenced .jsonl is reported on the data file itself', async () => {
    const prompt = fixture('data.prompt.yml');
    await vscode.workspace.openTextDocument(prompt);
    const data = await diagnosticsWhen(
      fixture('data.jsonl'),
      (l) => byCode(l, 'test-data-syntax') !== undefined,
      'the JSON error',
    );
    assert.deepEqual(rangeOf(byCode(data, 'test-data-syntax')), [1, 37, 1, 38]);
    const own = await diagnosticsWhen(
      prompt,
      (l) => byCode(l, 'test-data-invalid') !== undefined,
      'the summary on testData',
    );
    assert.deepEqual(rangeOf(byCode(own, 'test-data-invalid')), [2, 10, 2, 20]);
  });

  test('fixing the data file in the editor (unsaved) clears both diagnostics', async () => {
    const prompt = fixture('data.prompt.yml');
    await vscode.workspace.openTextDocument(prompt);
    await diagnosticsWhen(prompt, (l) => byCode(l, 'test-data-invalid') !== undefined, 'the summary on testData');
    const dataDoc = await vscode.workspace.openTextDocument(fixture('data.jsonl'));
    const original = dataDoc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.delete(dataDoc.uri, new vscode.Range(1, 36, 1, 37));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(dataDoc.lineAt(1).text, '{"question": "2 + 2?", "answer": "4"}');
    await diagnosticsWhen(prompt, (l) => byCode(l, 'test-data-invalid') === undefined, 'the summary to go');
    await diagnosticsWhen(dataDoc.uri, (l) => l.length === 0, 'the data file to be clean');
    await restore(dataDoc, original);
    await diagnosticsWhen(prompt, (l) => byCode(l, 'test-data-invalid') !== undefined, 'the summary to come back');
  });

  test('completion: top-level keys, role values, judges and {{variables}}', async () => {
    const uri = fixture('complete.prompt.yaml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const original = doc.getText();
    await diagnosticsWhen(uri, (l) => byCode(l, 'missing-variable') !== undefined, 'validation');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(doc.lineCount - 1, 0), '\n');
    edit.replace(uri, doc.lineAt(5).range, '  - role: ');
    edit.replace(uri, doc.lineAt(9).range, '      Question: {{');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      assert.deepEqual(await completionLabels(uri, new vscode.Position(5, 10)), ['system', 'user', 'assistant']);
      const variables = await completionLabels(uri, new vscode.Position(9, 18), '{');
      assert.ok(
        variables.includes('persona') && variables.includes('question'),
        `variables offered: ${variables.join(', ')}`,
      );
      const judges = await completionLabels(uri, new vscode.Position(20, 10));
      assert.ok(judges.includes('github/coherence'), `judges offered: ${judges.join(', ')}`);
      const top = await completionLabels(uri, new vscode.Position(doc.lineCount - 1, 0));
      assert.ok(top.includes('responseFormat') && !top.includes('model'), `top-level keys offered: ${top.join(', ')}`);
    } finally {
      await restore(doc, original);
    }
  });

  test("hover: key documentation and a variable's values across cases", async () => {
    const uri = fixture('complete.prompt.yaml');
    await vscode.workspace.openTextDocument(uri);
    const keyHovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(3, 5),
    );
    const keyText = keyHovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.ok(keyText.includes('**temperature**'), keyText);
    assert.ok(keyText.toLowerCase().includes('sampling temperature'), keyText);
    const variableHovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(6, 23),
    );
    const variableText = variableHovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n');
    assert.ok(variableText.includes('`a pirate`') && variableText.includes('`a librarian`'), variableText);
  });

  test('outline: keys, messages, test cases and evaluators', async () => {
    const uri = fixture('complete.prompt.yaml');
    await vscode.workspace.openTextDocument(uri);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['name', 'model', 'modelParameters', 'messages', 'testData', 'evaluators'],
    );
    const children = (name: string) =>
      symbols.find((s) => s.name === name)?.children.map((c) => `${c.name}: ${c.detail}`);
    assert.deepEqual(children('messages'), ['system: You are {{persona}}.', 'user: Question: {{question}}']);
    assert.deepEqual(children('testData'), [
      'Case 1: persona: a pirate, question: Where is the treasure?',
      'Case 2: persona: a librarian, question: Where is the atlas?',
    ]);
    assert.deepEqual(children('evaluators'), ['says treasure: string contains', 'similar: github/similarity']);
    const case2 = symbols.find((s) => s.name === 'testData')?.children[1];
    assert.deepEqual([case2?.range.start.line, case2?.range.end.line], [13, 14]);
  });

  test('go to definition on `testData: data.jsonl` and `file: system.md`', async () => {
    const uri = fixture('data.prompt.yml');
    await vscode.workspace.openTextDocument(uri);
    const targets = async (position: vscode.Position) =>
      (
        await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
          'vscode.executeDefinitionProvider',
          uri,
          position,
        )
      ).map((l) => path.basename(('targetUri' in l ? l.targetUri : l.uri).fsPath));
    assert.deepEqual(await targets(new vscode.Position(2, 14)), ['data.jsonl']);
    assert.deepEqual(await targets(new vscode.Position(6, 14)), ['system.md']);
    assert.deepEqual(await targets(new vscode.Position(1, 10)), []);
  });

  test('quick fixes: did-you-mean key, then add the missing variable to the case without it', async () => {
    const uri = fixture('broken.prompt.yml');
    const doc = await vscode.workspace.openTextDocument(uri);
    const original = doc.getText();
    try {
      const before = await diagnosticsWhen(
        uri,
        (l) => byCode(l, 'unknown-key') !== undefined && byCode(l, 'missing-variable') !== undefined,
        'the problems',
      );
      const keyProblem = byCode(before, 'unknown-key');
      assert.ok(keyProblem);
      const keyActions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        keyProblem.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const rename = keyActions.find((a) => a.title === 'Change to `model`');
      assert.ok(rename?.edit, `actions: ${keyActions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(rename.edit));
      assert.equal(doc.lineAt(1).text, 'model: openai/gpt-4o');
      await diagnosticsWhen(uri, (l) => byCode(l, 'unknown-key') === undefined, 'the unknown key to go');

      const variableProblem = byCode(vscode.languages.getDiagnostics(uri), 'missing-variable');
      assert.ok(variableProblem);
      const variableActions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        variableProblem.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const add = variableActions.find((a) => a.title === 'Add `name` to the test case that lacks it');
      assert.ok(add?.edit, `actions: ${variableActions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(add.edit));
      assert.deepEqual([doc.lineAt(8).text, doc.lineAt(9).text], ['  - topic: bats', '    name: ""']);
      await diagnosticsWhen(
        uri,
        (l) => byCode(l, 'missing-variable') === undefined && byCode(l, 'unknown-role') !== undefined,
        'the missing variable to go',
      );
    } finally {
      await restore(doc, original);
    }
  });

  test("Enter indents under a list item's key and inside a block; typing {{ closes it", async function () {
    // The first editor shown in a fresh workbench can take a while on a loaded machine.
    this.timeout(90_000);
    await languageConfigurationLoaded();
    const doc = await vscode.workspace.openTextDocument({
      language: 'prompt-yaml',
      content: 'modelParameters:\nmessages:\n  - role: user\n    content: |\n',
    });
    const editor = await vscode.window.showTextDocument(doc);
    // code-server tokenizes in a worker: right after an edit on a loaded machine the tokens of the line can
    // lag, and the editor then applies no onEnter / auto-closing rule to that key press (a person typing
    // the next key a moment later gets the rule). So a key press that got no rule is taken back and
    // tried again, a few times; a rule that is wrong or missing still fails every attempt.
    const attempts = 6;
    const pressEnterAt = async (line: number, expected: string, what: string): Promise<void> => {
      let got = '';
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const end = doc.lineAt(line).range.end;
        editor.selection = new vscode.Selection(end, end);
        await vscode.commands.executeCommand('type', { text: '\n' });
        got = doc.lineAt(line + 1).text;
        if (got === expected) return;
        await editor.edit((edit) => edit.delete(new vscode.Range(end, doc.lineAt(line + 1).range.end)));
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      assert.equal(got, expected, `${what} (${attempts} attempts)`);
    };
    await pressEnterAt(0, '  ', 'after `modelParameters:`');
    await pressEnterAt(3, '    ', 'after `- role: user`, under `role`');
    await pressEnterAt(5, '      ', 'after `content: |`');
    // One key press at a time, as a person types: auto-closing applies to single typed characters.
    let braces = '';
    for (let attempt = 1; attempt <= attempts && braces !== '      {{}}'; attempt++) {
      await editor.edit((edit) => edit.replace(doc.lineAt(6).range, '      '));
      editor.selection = new vscode.Selection(6, 6, 6, 6);
      await vscode.commands.executeCommand('type', { text: '{' });
      editor.selection = new vscode.Selection(6, 7, 6, 7);
      await vscode.commands.executeCommand('type', { text: '{' });
      braces = doc.lineAt(6).text;
      if (braces !== '      {{}}') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(braces, '      {{}}', `typing {{ (${attempts} attempts)`);
  });

  test("the grammar highlights prompt tokens on top of VS Code's own YAML grammar", async () => {
    const grammar = await loadPromptGrammar();
    const lines = [
      'messages:',
      '  - role: system',
      '    content: |',
      '      Hi {{ name }}, role: user',
      'evaluators:',
      '  - name: sim',
      '    uses: github/similarity',
      '    string:',
      '      contains: "{{expected}}"',
    ];
    const tokens: { text: string; scopes: string[] }[][] = [];
    let state = INITIAL;
    for (const line of lines) {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      tokens.push(result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })));
    }
    const scopes = (line: number, text: string) => tokens[line]?.find((t) => t.text === text)?.scopes ?? [];
    assert.ok(scopes(0, 'messages').includes('entity.name.tag.yaml'), 'YAML keys still come from the YAML grammar');
    assert.ok(scopes(1, 'system').includes('support.constant.role.prompt-yaml'));
    assert.ok(scopes(3, 'name').includes('variable.other.template.prompt-yaml'));
    assert.ok(!scopes(3, 'user').includes('support.constant.role.prompt-yaml'), 'no role inside message text');
    assert.ok(scopes(6, 'uses').includes('keyword.other.evaluator-kind.prompt-yaml'));
    assert.ok(scopes(6, 'similarity').includes('support.function.builtin-evaluator.prompt-yaml'));
    assert.ok(scopes(7, 'string').includes('keyword.other.evaluator-kind.prompt-yaml'));
    assert.ok(scopes(8, 'expected').includes('variable.other.template.prompt-yaml'));
  });
});

/** Our grammar plus every grammar the installed extensions contribute (VS Code's YAML among them). */
async function loadPromptGrammar(): Promise<IGrammar> {
  const files = new Map<string, string>();
  for (const extension of vscode.extensions.all) {
    const contributes = (
      extension.packageJSON as { contributes?: { grammars?: { scopeName?: string; path?: string }[] } }
    ).contributes;
    for (const g of contributes?.grammars ?? [])
      if (g.scopeName && g.path && !files.has(g.scopeName))
        files.set(g.scopeName, path.join(extension.extensionPath, g.path));
  }
  assert.ok(files.has('source.yaml'), "VS Code's YAML grammar is installed");
  const ours = vscode.extensions.getExtension(extensionId);
  assert.ok(ours);
  const wasm = fs.readFileSync(path.join(ours.extensionPath, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new OnigScanner(sources),
      createOnigString: (s: string) => new OnigString(s),
    }),
    loadGrammar: (scopeName: string) => {
      const file = files.get(scopeName);
      return Promise.resolve(file ? parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null);
    },
  });
  const grammar = await registry.loadGrammar('source.prompt-yaml');
  assert.ok(grammar);
  return grammar;
}
