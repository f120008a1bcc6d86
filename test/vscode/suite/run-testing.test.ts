// Test Explorer: prompt files and cases as test items; a test run reports verdicts, with
// expected vs actual for a failed string evaluator at the case's line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestOutcomeReport } from '../../../src/extension/run/testing';
import { promptLab, runFileTests, useStandin, waitFor, workspaceFile } from './run-support';

suite('run: Test Explorer', () => {
  suiteSetup(async () => {
    await promptLab();
    await useStandin();
  });

  test('discovers prompt files with one item per test case at its line', async () => {
    const api = await promptLab();
    await api.tests.discoverAll();
    const uri = workspaceFile('run/greet.prompt.yml');
    const fileItem = await waitFor(
      () => api.testController.items.get(uri.toString()),
      'the greet.prompt.yml test item',
    );
    const children: vscode.TestItem[] = [];
    fileItem.children.forEach((child) => void children.push(child));
    children.sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0));
    assert.deepEqual(
      children.map((c) => c.label),
      ['Case 1', 'Case 2', 'Case 3'],
    );
    assert.deepEqual(
      children.map((c) => c.description),
      ['name=Ada', 'name=Grace', 'name=Linus'],
    );
    const text = (await vscode.workspace.openTextDocument(uri)).getText().split('\n');
    assert.deepEqual(
      children.map((c) => c.range?.start.line),
      ['  - name: Ada', '  - name: Grace', '  - name: Linus'].map((l) => text.indexOf(l)),
    );
    assert.ok(
      api.testController.items.get(workspaceFile('run/slow.prompt.yml').toString()),
      'other prompt files are discovered too',
    );
  });

  test('a test run reports pass, and fail with expected vs actual at the case line', async () => {
    const api = await promptLab();
    const uri = workspaceFile('run/greet.prompt.yml');
    const reports: TestOutcomeReport[] = [];
    const subscription = api.tests.onDidReport((r) => reports.push(r));
    try {
      await runFileTests(api, uri);
    } finally {
      subscription.dispose();
    }
    const byLabel = new Map(reports.map((r) => [r.item.label, r]));
    assert.equal(byLabel.get('Case 1')?.state, 'passed');
    const grace = byLabel.get('Case 2');
    assert.equal(grace?.state, 'failed');
    const diff = grace?.messages.find((m) => m.expectedOutput !== undefined);
    assert.ok(diff, 'the failed string evaluator gives a diff message');
    assert.equal(diff.expectedOutput, 'Echo: Say hello to Ada');
    assert.equal(diff.actualOutput, 'Echo: Say hello to Grace');
    assert.match(String(diff.message), /greets Ada/);
    assert.equal(diff.location?.uri.toString(), uri.toString());
    assert.equal(diff.location?.range.start.line, grace?.item.range?.start.line);
  });

  test('editing the file updates its test items', async () => {
    const api = await promptLab();
    const uri = workspaceFile('run/greet.prompt.yml');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').indexOf('  - name: Linus');
    await editor.edit((edit) => edit.insert(new vscode.Position(line + 1, 0), '  - name: Barbara\n'));
    try {
      await waitFor(
        () => api.testController.items.get(uri.toString())?.children.size === 4,
        'a fourth case item after the edit',
      );
    } finally {
      await editor.edit((edit) => edit.delete(new vscode.Range(line + 1, 0, line + 2, 0)));
      await document.save();
    }
    await waitFor(
      () => api.testController.items.get(uri.toString())?.children.size === 3,
      'three case items after the revert',
    );
  });
});
