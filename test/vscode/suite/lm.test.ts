// The editor's language models (vscode.lm) for real: the harness installs a test-only extension
// (test/vscode/lm-provider) that registers chat models through vscode.lm.registerLanguageModelChatProvider.
// A run goes PromptLab → vscode.lm → that provider and back: system message handling, streaming,
// cancellation and the provider's errors.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEvent } from '../../../src/core/run/types';
import { promptLab, waitFor, workspaceFile, setSettings } from './run-support';

const greet = () => workspaceFile('run/greet.prompt.yml');

/** A prompt file written for one test (removed afterwards). */
async function withPrompt<T>(name: string, userText: string, body: (uri: vscode.Uri) => Promise<T>): Promise<T> {
  const uri = workspaceFile(`run/${name}.prompt.yml`);
  const text = [
    'name: LM test',
    'messages:',
    '  - role: system',
    '    content: Be brief.',
    '  - role: user',
    `    content: "${userText}"`,
    '',
  ].join('\n');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  try {
    return await body(uri);
  } finally {
    await vscode.workspace.fs.delete(uri);
  }
}

suite('vscode.lm: runs through a registered chat model provider', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await promptLab();
    await setSettings({ 'cache.enabled': false });
    await waitFor(
      async () => (await vscode.lm.selectChatModels({ vendor: 'promptlab-test' })).length === 2,
      'the test provider to offer its two models',
      40_000,
    );
  });
  suiteTeardown(async () => {
    await setSettings({ 'cache.enabled': undefined });
  });

  test('the system prompt is folded into the first user message; the reply streams in parts', async () => {
    const api = await promptLab();
    const deltas: string[] = [];
    const outcome = await api.runs.run(greet(), {
      model: 'vscode-lm/echo-lm',
      caseIndexes: [0],
      progress: false,
      reveal: false,
      onEvent: (event: RunEvent) => {
        if (event.type === 'case-delta') deltas.push(event.text);
      },
    });
    assert.equal(outcome.header.provider, 'vscode-lm');
    assert.equal(outcome.header.approximate, true);
    assert.equal(outcome.header.endpointOrigin, 'vscode-lm://editor');
    const output = outcome.cases[0]?.samples[0]?.output;
    // The API has no system role: one user message, the system prompt first.
    assert.equal(output, '[user] You greet people.\n\nSay hello to Ada');
    assert.ok(deltas.length >= 2, `the reply arrived in parts (${deltas.length})`);
    assert.equal(deltas.join(''), output);
    assert.ok(outcome.cases[0]?.samples[0]?.usage, 'token counts come from the provider');
  });

  test('an id the config does not map falls back to the editor model of that name', async () => {
    const api = await promptLab();
    const outcome = await api.runs.run(greet(), {
      model: 'promptlab-test/echo-lm',
      caseIndexes: [1],
      progress: false,
      reveal: false,
    });
    assert.equal(outcome.header.model, 'promptlab-test/echo-lm');
    assert.equal(outcome.header.provider, 'vscode-lm');
    assert.equal(outcome.cases[0]?.samples[0]?.output, '[user] You greet people.\n\nSay hello to Grace');
  });

  test("the provider's LanguageModelError and its plain errors become the case's error, the run goes on", async () => {
    const api = await promptLab();
    const refused = await api.runs.run(greet(), {
      model: 'vscode-lm/refuse-lm',
      caseIndexes: [0, 1],
      progress: false,
      reveal: false,
    });
    assert.equal(refused.cases.length, 2, 'each case has a result');
    for (const result of refused.cases)
      assert.match(result.samples[0]?.error ?? result.error ?? '', /refused the request: .*refuses every request/);
    await withPrompt('lm-fail', 'please [[fail]]', async (uri) => {
      const failed = await api.runs.run(uri, { model: 'vscode-lm/echo-lm', progress: false, reveal: false });
      assert.match(failed.cases[0]?.samples[0]?.error ?? failed.cases[0]?.error ?? '', /failed on purpose/);
    });
  });

  test('cancelling stops the stream', async () => {
    const api = await promptLab();
    await withPrompt('lm-slow', 'take your time [[slow]]', async (uri) => {
      const started = Date.now();
      const outcome = await api.runs.run(uri, {
        model: 'vscode-lm/echo-lm',
        progress: false,
        reveal: false,
        onEvent: (event: RunEvent) => {
          if (event.type === 'case-delta') api.runs.cancel(uri);
        },
      });
      assert.equal(outcome.cancelled, true);
      assert.ok(Date.now() - started < 8_000, 'the 10 s stream was cut short');
    });
  });
});
