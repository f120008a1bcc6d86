// The guided first run in a real VS Code: "Set Up a Model Provider…" for a custom endpoint (a
// stand-in started here that demands a key) and for the editor's own chat models, each ending with
// a passing run of the example. The key must reach the chosen origin as an Authorization header
// and nowhere else: not the settings, not the files of the workspace. Dialogs are answered by
// replacing the window functions the extension calls (the test shares its vscode API object).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { keyDigest, startStandin, type Standin } from '../../../src/standin/server';
import { answerDialogs, promptLab, waitFor, workspaceFile } from './run-support';

const KEY = 'sk-firstrun-ext-host-0123456789';
const EXAMPLE = 'promptlab-example.prompt.yml';

/** Every file under `dir` (skipping run and cache folders) whose text contains `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesContaining(full, needle));
    else if (fs.readFileSync(full, 'utf8').includes(needle)) found.push(full);
  }
  return found;
}

async function passedCases(uri: vscode.Uri): Promise<number> {
  const api = await promptLab();
  const record = await waitFor(() => {
    const latest = api.runState.latest(uri);
    return latest && !latest.running && (latest.ended || latest.failure !== undefined) ? latest : undefined;
  }, `the example run of ${uri.fsPath} to end`);
  assert.equal(record.failure, undefined, `the example run failed: ${record.failure}`);
  return record.ended?.summary.passedTests ?? 0;
}

suite('first run: Set Up a Model Provider…', () => {
  let server: Standin;
  const example = () => workspaceFile(EXAMPLE);
  const settings = () => vscode.workspace.getConfiguration('promptlab');

  suiteSetup(async () => {
    await promptLab();
    server = await startStandin({ requireKey: KEY });
    await settings().update('cache.enabled', false, vscode.ConfigurationTarget.Global);
  });
  suiteTeardown(async () => {
    const api = await promptLab();
    await api.keys.delete(server.origin);
    await settings().update('endpoints', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('cache.enabled', undefined, vscode.ConfigurationTarget.Global);
    await api.context.globalState.update('promptlab.exampleModel', undefined);
    fs.rmSync(example().fsPath, { force: true });
    await server.close();
  });
  teardown(async () => (await promptLab()).panels.get(example())?.dispose());

  test('a custom endpoint: URL, key, a model it lists; the example passes with the key sent only there', async () => {
    const endpointsBefore = settings().inspect('endpoints')?.globalValue;
    const prompts: string[] = [];
    const picks: string[] = [];
    const dialogs = answerDialogs({
      showQuickPick: (items: readonly { label: string }[] | Thenable<readonly { label: string }[]>) =>
        Promise.resolve(items).then((list) => {
          picks.push(list.map((i) => i.label).join(' | '));
          return (
            list.find((i) => i.label === 'Custom OpenAI-compatible endpoint') ?? list.find((i) => i.label === 'standin')
          );
        }),
      showInputBox: (options?: vscode.InputBoxOptions) => {
        prompts.push(options?.prompt ?? '');
        if (options?.password) return Promise.resolve(KEY);
        if (options?.prompt?.includes('base URL')) return Promise.resolve(server.url);
        return Promise.resolve(undefined);
      },
      showInformationMessage: (message: string, ...actions: string[]) => {
        prompts.push(message);
        return Promise.resolve(actions.find((a) => a === 'Create and Run Example'));
      },
    });
    try {
      await vscode.commands.executeCommand('promptlab.setUpProvider');
    } finally {
      dialogs.restore();
    }
    assert.equal(picks.length, 2, `a provider, then a model the server lists: ${JSON.stringify(picks)}`);
    assert.match(picks[1] ?? '', /standin/);
    assert.ok(
      prompts.some((p) => p.includes(`sent only to ${server.origin}`)),
      `the key question names the one origin it goes to: ${JSON.stringify(prompts)}`,
    );
    assert.ok(fs.existsSync(example().fsPath), 'the example was written');
    assert.equal(await passedCases(example()), 2);

    const api = await promptLab();
    assert.equal(await api.keys.get(server.origin), KEY, 'the key is in secret storage for the chosen origin');
    assert.deepEqual(api.keys.origins().includes(server.origin), true);
    const written = settings().inspect<unknown[]>('endpoints')?.globalValue;
    assert.deepEqual(written, [
      ...(Array.isArray(endpointsBefore) ? endpointsBefore : []),
      { baseURL: server.url, models: ['standin'], kind: 'custom' },
    ]);
    assert.ok(!JSON.stringify(written).includes(KEY), 'no key in the setting');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.deepEqual(filesContaining(folder, KEY), [], 'no key in any file of the workspace (runs included)');
    const chats = server.requests.filter((r) => r.path.endsWith('/chat/completions'));
    assert.equal(chats.length, 2);
    for (const chat of chats) {
      assert.equal(chat.headers.authorization, '[redacted]', 'the key came as an Authorization header');
      assert.equal(chat.keyDigest, keyDigest(KEY));
    }
  });

  test("the editor's chat models: no key, no endpoint; the example runs on the model picked", async () => {
    const endpointsBefore = JSON.stringify(settings().inspect('endpoints')?.globalValue);
    const dialogs = answerDialogs({
      showQuickPick: (
        items:
          | readonly { label: string; description?: string }[]
          | Thenable<readonly { label: string; description?: string }[]>,
      ) =>
        Promise.resolve(items).then(
          (list) =>
            list.find((i) => i.label === "The editor's chat models") ??
            list.find((i) => i.description?.endsWith('/echo-lm')),
        ),
      showInputBox: () => Promise.reject(new Error('nothing should be typed for the editor models')),
      // The first test's example names another model: replace it.
      showWarningMessage: (_message: string, _options: unknown, ...actions: string[]) =>
        Promise.resolve(actions.find((a) => a === 'Replace')),
    });
    try {
      await vscode.commands.executeCommand('promptlab.setUpProvider', { example: true });
    } finally {
      dialogs.restore();
    }
    assert.equal(JSON.stringify(settings().inspect('endpoints')?.globalValue), endpointsBefore, 'no endpoint written');
    assert.match(fs.readFileSync(example().fsPath, 'utf8'), /^model: "vscode-lm\/echo-lm"$/m);
    assert.equal(await passedCases(example()), 2);
    const header = (await promptLab()).runState.latest(example())?.header;
    assert.equal(header?.provider, 'vscode-lm');
  });
});
