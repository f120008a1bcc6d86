// API keys: SecretStorage round trip, and a key never reaches settings, the log or run files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { promptLab, useStandin, waitFor, workspaceFile } from './run-support';

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function filesContaining(files: string[], needle: string): string[] {
  return files.filter((file) => fs.readFileSync(file, 'utf8').includes(needle));
}

suite('run: API keys', () => {
  test('SecretStorage round trip per origin', async () => {
    const api = await promptLab();
    const origin = 'https://keys.example.test';
    await api.keys.set(origin, 'round-trip-key-0123456789');
    assert.equal(await api.keys.get(origin), 'round-trip-key-0123456789');
    assert.ok(api.keys.origins().includes(origin));
    await api.keys.delete(origin);
    assert.equal(await api.keys.get(origin), undefined);
    assert.ok(!api.keys.origins().includes(origin));
  });

  test('a stored key never appears in settings, the log or run files', async () => {
    const api = await promptLab();
    const standinUrl = await useStandin();
    const key = `sk-promptlab-test-${Date.now()}-do-not-leak`;
    const origin = new URL(standinUrl).origin;
    await api.keys.set(origin, key);
    try {
      const outcome = await api.runs.run(workspaceFile('run/greet.prompt.yml'), {
        progress: false,
        label: 'key check',
      });
      assert.equal(outcome.summary.totalTests, 3);
      // An error text that carries the key is redacted on its way into the log.
      api.log.error('simulated failure', new Error(`request failed with Authorization: Bearer ${key}`));
      api.log.info(`marker ${outcome.header.runId}`);

      const logDir = api.context.logUri.fsPath;
      const logFiles = await waitFor(() => {
        const files = filesUnder(path.dirname(logDir)).filter((f) => f.endsWith('.log'));
        return files.some((f) => fs.readFileSync(f, 'utf8').includes(`marker ${outcome.header.runId}`))
          ? files
          : undefined;
      }, 'the output channel log file to contain the marker line');
      assert.deepEqual(filesContaining(logFiles, key), [], 'no log file contains the key');
      assert.ok(
        logFiles.some((f) => fs.readFileSync(f, 'utf8').includes('Bearer ***')),
        'the key in the error text was replaced by ***',
      );

      const runFiles = filesUnder(workspaceFile('.promptlab').fsPath);
      assert.ok(runFiles.length > 0);
      assert.deepEqual(filesContaining(runFiles, key), [], 'no run or cache file contains the key');

      const userSettings = path.join(path.dirname(path.dirname(api.context.globalStorageUri.fsPath)), 'settings.json');
      const settingsFiles = [userSettings, workspaceFile('.vscode/settings.json').fsPath].filter((f) =>
        fs.existsSync(f),
      );
      assert.ok(settingsFiles.length > 0, `user settings found at ${userSettings}`);
      assert.deepEqual(filesContaining(settingsFiles, key), [], 'no settings file contains the key');
      assert.equal(JSON.stringify(vscode.workspace.getConfiguration('promptlab')).includes(key), false);
    } finally {
      await api.keys.delete(origin);
    }
  });
});
