// Compare commands in a real extension host: models on the stand-in, runs, revisions in a real git
// repository, and the read-only documents behind the native diff editor.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LoadedRun } from '../../../src/core/store/runStore';
import { promptLab, useStandin, waitFor, workspaceFile } from './run-support';

interface CompareResult {
  runFiles: string[];
}

function compareTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('promptlab.compare'));
}

function diffTab(label: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputTextDiff && t.label === label);
}

async function loadRun(file: string): Promise<LoadedRun> {
  const api = await promptLab();
  const core = await api.loadEngine();
  return new core.RunStore(path.dirname(file)).load(file);
}

suite('compare', () => {
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('Compare models runs each model on the same cases and opens the compare view and the diff editor', async () => {
    const uri = workspaceFile('compare/greet.prompt.yml');
    const result = await vscode.commands.executeCommand<CompareResult | undefined>('promptlab.compareModels', uri, [
      'standin/echo',
      'standin/bad',
    ]);
    assert.ok(result, 'the command returns the compared run files');
    assert.equal(result.runFiles.length, 2);
    const [echo, bad] = await Promise.all(result.runFiles.map(loadRun));
    assert.equal(echo?.header.model, 'standin/echo');
    assert.equal(bad?.header.model, 'standin/bad');
    assert.deepEqual(
      echo?.cases.map((c) => c.passed),
      [true, true],
    );
    assert.deepEqual(
      bad?.cases.map((c) => c.passed),
      [false, false],
    );
    // The tab shows the progress title first, then the comparison's.
    await waitFor(
      () => compareTabs().some((t) => /^Compare: standin\/echo ↔ standin\/bad$/.test(t.label)),
      'the compare view tab titled after the two runs',
    );

    const opened = await vscode.commands.executeCommand<boolean>('promptlab.compare.openCaseDiff');
    assert.equal(opened, true);
    const tab = await waitFor(() => diffTab('case 1: standin/echo ↔ standin/bad'), 'the diff editor tab');
    const input = tab.input as vscode.TabInputTextDiff;
    assert.equal(input.original.scheme, 'promptlab-compare');
    assert.equal(input.modified.scheme, 'promptlab-compare');
    assert.equal((await vscode.workspace.openTextDocument(input.original)).getText(), 'Echo: Say hello to Ada');
    assert.equal(
      (await vscode.workspace.openTextDocument(input.modified)).getText(),
      'Sorry, I cannot help with that.',
    );
    // Replies are prose: the diff wraps long lines (their language's editor.wordWrap is on).
    for (const uri of [input.original, input.modified]) {
      const doc = await vscode.workspace.openTextDocument(uri);
      assert.equal(doc.languageId, 'promptlab-output');
      assert.equal(vscode.workspace.getConfiguration('editor', doc).get('wordWrap'), 'on');
    }
  });

  test('a second comparison reuses the response cache (no new requests for the same model and cases)', async () => {
    const uri = workspaceFile('compare/greet.prompt.yml');
    const result = await vscode.commands.executeCommand<CompareResult | undefined>('promptlab.compareModels', uri, [
      'standin/echo',
      'standin/upper',
      'standin/bad',
    ]);
    assert.ok(result);
    assert.equal(result.runFiles.length, 3);
    const [echo] = await Promise.all(result.runFiles.map(loadRun));
    assert.deepEqual(
      echo?.cases.flatMap((c) => c.samples.map((s) => s.cached)),
      [true, true],
    );
    await waitFor(() => compareTabs().some((t) => /Compare 3 runs/.test(t.label)), 'the matrix view tab');
  });

  test('Compare runs takes run files; the same file twice still compares (unchanged)', async () => {
    const uri = workspaceFile('compare/greet.prompt.yml');
    const first = await vscode.commands.executeCommand<CompareResult | undefined>('promptlab.compareModels', uri, [
      'standin/echo',
      'standin/bad',
    ]);
    assert.ok(first);
    const [a, b] = first.runFiles as [string, string];
    const again = await vscode.commands.executeCommand<CompareResult | undefined>('promptlab.compareRuns', b, a);
    assert.deepEqual(again?.runFiles, [b, a]);
    await waitFor(
      () => compareTabs().some((t) => /standin\/bad ↔ standin\/echo/.test(t.label)),
      'the reversed comparison',
    );
    assert.equal(
      await vscode.commands.executeCommand('promptlab.compareRuns', a, path.join(path.dirname(a), 'missing.jsonl')),
      undefined,
    );
  });

  test('Compare with revision runs HEAD and the working copy of a file in a git repository', async () => {
    const folder = workspaceFile('compare-git');
    fs.mkdirSync(folder.fsPath, { recursive: true });
    const git = (...args: string[]): string =>
      execFileSync(
        'git',
        ['-c', 'user.name=Test', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args],
        { cwd: folder.fsPath, encoding: 'utf8' },
      );
    git('init', '-q');
    const text = fs.readFileSync(workspaceFile('compare/greet.prompt.yml').fsPath, 'utf8');
    fs.writeFileSync(path.join(folder.fsPath, 'greet.prompt.yml'), text);
    git('add', 'greet.prompt.yml');
    git('commit', '-q', '-m', 'v1');
    const file = vscode.Uri.joinPath(folder, 'greet.prompt.yml');
    // The change is only in the editor (unsaved): the working copy is what the editor shows.
    const doc = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(doc);
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('Say hello to'));
    await editor.edit((e) =>
      e.replace(
        new vscode.Range(line, 0, line, doc.lineAt(line).text.length),
        '    content: "Say goodbye to {{name}} [[reply: nobody]]"',
      ),
    );
    assert.ok(doc.isDirty);

    const result = await vscode.commands.executeCommand<CompareResult | undefined>(
      'promptlab.compareWithRevision',
      file,
      'HEAD',
    );
    assert.ok(result, 'the command returns the two run files');
    const [base, working] = await Promise.all(result.runFiles.map(loadRun));
    assert.equal(base?.header.git?.revision, 'HEAD');
    assert.equal(base?.header.git?.commit, git('rev-parse', 'HEAD').trim());
    assert.equal(working?.header.label, 'working copy');
    assert.deepEqual(
      base?.cases.map((c) => c.passed),
      [true, true],
    );
    assert.deepEqual(
      working?.cases.map((c) => c.samples[0]?.output),
      ['nobody', 'nobody'],
    );
    assert.equal(fs.readFileSync(file.fsPath, 'utf8'), text, 'the file on disk is untouched');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Compare with revision on a file outside git says so instead of failing silently', async () => {
    const uri = workspaceFile('compare/greet.prompt.yml');
    const result = await vscode.commands.executeCommand<CompareResult | undefined>(
      'promptlab.compareWithRevision',
      uri,
      'HEAD',
    );
    assert.equal(result, undefined);
  });

  test('output documents are read-only virtual documents that survive being asked for a stale id', async () => {
    const doc = await vscode.workspace.openTextDocument(
      vscode.Uri.from({ scheme: 'promptlab-compare', path: '/case 9 (x).txt', query: '999999' }),
    );
    assert.match(doc.getText(), /no longer in memory/);
  });

  test('the Run History view and its commands are contributed', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'promptlab.compareModels',
      'promptlab.compareWithRevision',
      'promptlab.compareRuns',
      'promptlab.history.selectForCompare',
      'promptlab.history.compareWithSelected',
      'promptlab.history.openRun',
      'promptlab.history.deleteRun',
      'promptlab.history.refresh',
    ])
      assert.ok(commands.includes(id), `${id} is registered`);
    await vscode.commands.executeCommand('promptlab.runHistory.focus');
    await vscode.commands.executeCommand('promptlab.history.refresh');
  });
});
