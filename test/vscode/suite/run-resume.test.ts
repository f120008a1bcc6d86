// Resume in a real VS Code: "Re-run Errored Cases" and "Resume Run" complete a stored run in its
// own file. A stand-in started inside this test counts the requests, so the test proves that no
// case that had a reply is requested again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../../src/core/engine';
import { RunStore } from '../../../src/core/store/runStore';
import { resumeContextSuffix } from '../../../src/extension/run/resume';
import { startStandin, type Standin } from '../../../src/standin/server';
import { addEndpoint, promptLab, workspaceFile, setSettings } from './run-support';

const NAMES = ['Ada', 'Grace', 'Linus', 'Margaret'];
const promptUri = () => workspaceFile('run/resumable.prompt.yml');
const runsDir = () => workspaceFile('.promptlab/runs').fsPath;

function requestedNames(server: Standin): string[] {
  return server.requests
    .filter((r) => r.path.endsWith('/chat/completions'))
    .map((r) =>
      String((r.body as { messages: { content: string }[] }).messages.at(-1)?.content ?? '').replace(
        'Say hello to ',
        '',
      ),
    );
}

async function suffixOf(runFile: string): Promise<string> {
  const info = (await new RunStore(runsDir()).list()).find((r) => r.file === runFile);
  assert.ok(info, `${runFile} is listed`);
  return resumeContextSuffix(info);
}

suite('run: resume an incomplete run', () => {
  let server: Standin;
  let restoreEndpoints: () => Promise<void>;

  suiteSetup(async () => {
    await promptLab();
    server = await startStandin();
    restoreEndpoints = await addEndpoint(server.url, 'resumable/*');
    await setSettings({ 'cache.enabled': false });
    const cases = NAMES.map((name) => `  - name: ${name}`).join('\n');
    const text = [
      'name: Resumable',
      'model: resumable/echo',
      'testData:',
      cases,
      'messages:',
      '  - role: user',
      '    content: "Say hello to {{name}}"',
      'evaluators:',
      '  - name: mentions the name',
      '    string:',
      '      contains: "{{name}}"',
      '',
    ];
    fs.writeFileSync(promptUri().fsPath, text.join('\n'));
  });
  suiteTeardown(async () => {
    await restoreEndpoints();
    await setSettings({ 'cache.enabled': undefined });
    await server.close();
  });

  test('Re-run Errored Cases requests only the cases whose request failed and completes the same run file', async () => {
    const api = await promptLab();
    server.setOptions({ failNext: [{ status: 400 }, { status: 400 }] });
    const first = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', promptUri());
    assert.ok(first?.runFile, 'the first run is stored');
    const errored = first.cases.filter((c) => c.error !== undefined).map((c) => NAMES[c.caseIndex]);
    assert.equal(errored.length, 2, 'two requests failed');
    assert.equal(await suffixOf(first.runFile), '.errored', 'Run History offers "Re-run Errored Cases"');

    server.resetStats();
    const resumed = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.rerunErrored', {
      file: first.runFile,
    });
    assert.ok(resumed, 'the command returns the outcome');
    assert.deepEqual(requestedNames(server).sort(), [...errored].sort(), 'only the errored cases were requested');
    assert.equal(resumed.runFile, first.runFile);
    assert.equal(resumed.summary.passedTests, NAMES.length);
    const stored = await new RunStore(runsDir()).load(first.runFile);
    assert.equal(stored.finished, true);
    assert.equal(stored.cases.length, NAMES.length);
    assert.deepEqual(
      stored.records.map((r) => r.type),
      ['resume'],
    );
    assert.equal(await suffixOf(first.runFile), '', 'a complete run offers no resume');
    const panel = api.panels.get(promptUri());
    assert.ok(panel, 'the run panel shows the resumed run');
    assert.equal(panel.lastRunId, first.header.runId);
  });

  test('Resume Run completes a run cut short, without requesting a finished case again', async () => {
    server.resetStats();
    const full = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', promptUri());
    assert.ok(full?.runFile);
    // What a killed run leaves: the header and the first finished case.
    const lines = fs.readFileSync(full.runFile, 'utf8').split('\n');
    fs.writeFileSync(full.runFile, `${lines.slice(0, 2).join('\n')}\n`);
    const kept = (JSON.parse(lines[1] ?? '{}') as { caseIndex: number }).caseIndex;
    assert.equal(await suffixOf(full.runFile), '.incomplete', 'Run History offers "Resume Run"');

    server.resetStats();
    const resumed = await vscode.commands.executeCommand<RunOutcome | undefined>(
      'promptlab.resumeRun',
      vscode.Uri.file(full.runFile),
    );
    assert.ok(resumed);
    const requested = requestedNames(server);
    assert.equal(requested.length, NAMES.length - 1);
    assert.ok(!requested.includes(NAMES[kept] ?? ''), 'the finished case was not requested again');
    assert.deepEqual(
      resumed.cases.map((c) => c.caseIndex),
      [0, 1, 2, 3],
    );
    assert.equal((await new RunStore(runsDir()).load(full.runFile)).finished, true);

    server.resetStats();
    const again = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.resumeRun', full.runFile);
    assert.equal(again, undefined, 'a complete run is not run again');
    assert.equal(server.stats.requests, 0);
  });

  test('refuses a run whose prompt file changed since, sending nothing', async () => {
    server.resetStats();
    server.setOptions({ failNext: [{ status: 400 }] });
    const first = await vscode.commands.executeCommand<RunOutcome | undefined>('promptlab.runPrompt', promptUri());
    assert.ok(first?.runFile);
    fs.appendFileSync(promptUri().fsPath, '# edited after the run\n');
    server.resetStats();
    const resumed = await vscode.commands.executeCommand<RunOutcome | undefined>(
      'promptlab.rerunErrored',
      first.runFile,
    );
    assert.equal(resumed, undefined);
    assert.equal(server.stats.requests, 0, 'nothing was sent');
    assert.equal((await new RunStore(runsDir()).load(first.runFile)).records.length, 0, 'the run file is untouched');
  });
});
