// Restricted Mode: the model pickers list what the files and the configuration name, but ask no
// endpoint for its models: the workspace's promptlab.config.yaml (the repository, not the user)
// chose where such a request would go, and which stored key it would carry.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptLabApi } from '../../../../src/extension/extension';
import { modelChoices } from '../../../../src/extension/models/catalog';

suite('model pickers in Restricted Mode', () => {
  test('building the model list sends nothing to a workspace-configured endpoint', async () => {
    assert.equal(vscode.workspace.isTrusted, false);
    const extension = vscode.extensions.getExtension<PromptLabApi>('promptlab.promptlab');
    assert.ok(extension);
    const api = await extension.activate();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    // A listener of our own: every request that reaches it is counted (the stand-in runs in another process).
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'leaked', object: 'model' }] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const configFile = path.join(folder.uri.fsPath, 'promptlab.config.yaml');
    fs.writeFileSync(
      configFile,
      `providers:\n  repo:\n    baseURL: ${baseURL}\n    models: ["repo/*"]\nmodels:\n  repo/named: { provider: repo }\n`,
    );
    try {
      const uri = vscode.Uri.joinPath(folder.uri, 'run/greet.prompt.yml');
      assert.deepEqual(await api.workspace.offeredModels(uri), []);
      const groups = await modelChoices(api.workspace, uri);
      const ids = groups.flatMap((g) => g.choices.map((c) => c.id));
      assert.ok(ids.includes('repo/named'), `the configured id is still offered: ${ids.join(', ')}`);
      assert.ok(!ids.includes('repo/leaked'), `nothing came from GET /models: ${ids.join(', ')}`);
      assert.deepEqual(requests, [], 'no request reached the workspace-configured endpoint');
    } finally {
      fs.rmSync(configFile, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
