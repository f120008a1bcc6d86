// The model pickers' list in a real extension host: the file's own models, the workspace's prompt
// files (judges included), what the stand-in lists at GET /v1/models (through the openai client),
// the editor's chat models (the harness's test provider), and an unreachable endpoint as a hint.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { modelChoices, modelPickItems } from '../../../src/extension/models/catalog';
import { promptLab, useStandin, waitFor, workspaceFile, setSettings } from './run-support';

suite('Model pickers: models the endpoints, the editor and the workspace offer', () => {
  let standinOrigin = '';
  const downUrl = 'http://127.0.0.1:9/v1';
  suiteSetup(async function () {
    this.timeout(60_000);
    await promptLab();
    standinOrigin = new URL(await useStandin()).origin;
    const endpoints = vscode.workspace.getConfiguration('promptlab').get<unknown[]>('endpoints') ?? [];
    await setSettings({ endpoints: [...endpoints, { baseURL: downUrl, models: ['down/*'] }] });
    await waitFor(
      async () => (await vscode.lm.selectChatModels({ vendor: 'promptlab-test' })).length > 0,
      'the test provider’s chat models',
      40_000,
    );
  });
  suiteTeardown(async () => {
    await setSettings({ endpoints: undefined });
  });

  test('groups: this file (model and judge), workspace files, GET /v1/models, editor models; a failed list is a hint', async () => {
    const api = await promptLab();
    const groups = await modelChoices(api.workspace, workspaceFile('run/grid.prompt.yml'));
    const byLabel = new Map(groups.map((g) => [g.label, g]));
    assert.deepEqual(
      byLabel.get('This file')?.choices.map((c) => c.id),
      ['standin/echo', 'standin/judge'],
      'the file’s model and its judge model come first',
    );
    const workspaceIds = byLabel.get('Used in this workspace’s prompt files')?.choices.map((c) => c.id) ?? [];
    assert.ok(workspaceIds.includes('openai/gpt-4o-mini'), `harness/greeting.prompt.yml's model: ${workspaceIds}`);
    assert.ok(
      workspaceIds.includes('meta/llama-3.3-70b-instruct'),
      `setup/unrouted.prompt.yml's model: ${workspaceIds}`,
    );
    const offered = byLabel.get(`Offered by ${standinOrigin}`);
    assert.ok(offered, `a group for the stand-in: ${[...byLabel.keys()].join(' | ')}`);
    // The stand-in's /v1/models lists standin, standin-upper, …; "standin/*" routes them back to it.
    for (const id of ['standin/standin', 'standin/standin-upper', 'standin/standin-embed'])
      assert.ok(
        offered.choices.some((c) => c.id === id),
        `${id} from GET /v1/models: ${offered.choices.map((c) => c.id)}`,
      );
    const down = groups.find((g) => g.label === 'Offered by http://127.0.0.1:9');
    assert.ok(down, 'the unreachable endpoint has a group');
    assert.deepEqual(down.choices, []);
    assert.match(down.hint ?? '', /^http:\/\/127\.0\.0\.1:9: no model list \(cannot reach http:\/\/127\.0\.0\.1:9/);
    const editor = byLabel.get('Editor chat models (approximate results)')?.choices.map((c) => c.id) ?? [];
    assert.ok(editor.includes('promptlab-test/echo-lm'), `vscode.lm models: ${editor}`);

    // As quick-pick items: a separator per group (the hint as its label), the file's model picked for compare.
    const items = modelPickItems(groups, (id) => id === 'standin/echo');
    const separators = items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label);
    assert.ok(separators.includes('This file'));
    assert.ok(separators.some((label) => label.startsWith('http://127.0.0.1:9: no model list')));
    assert.deepEqual(
      items.filter((i) => i.picked).map((i) => i.modelId),
      ['standin/echo'],
    );
    const ids = items.filter((i) => i.modelId).map((i) => i.modelId);
    assert.equal(new Set(ids).size, ids.length, 'each id once');
  });

  test('the endpoints’ lists are reused for a while (one picker after another asks once)', async () => {
    const api = await promptLab();
    const first = api.workspace.offeredModels(workspaceFile('run/grid.prompt.yml'));
    const second = api.workspace.offeredModels(workspaceFile('run/grid.prompt.yml'));
    assert.equal(await first, await second, 'the same list, not a second request');
  });

  test('a stored key or a promptlab setting change asks the endpoints again', async () => {
    const api = await promptLab();
    const uri = workspaceFile('run/grid.prompt.yml');
    const before = await api.workspace.offeredModels(uri);
    assert.equal(await api.workspace.offeredModels(uri), before, 'reused while nothing changed');
    const origin = 'http://127.0.0.1:9';
    await api.keys.set(origin, 'sk-test-model-list');
    try {
      const afterKey = await api.workspace.offeredModels(uri);
      assert.notEqual(afterKey, before, 'a new key: listed again');
      await setSettings({ defaultModel: 'standin/echo' });
      assert.notEqual(await api.workspace.offeredModels(uri), afterKey, 'a setting change: listed again');
    } finally {
      await api.keys.delete(origin);
      await setSettings({ defaultModel: undefined });
    }
  });
});
