// Run History's rows for real stored runs: the icon follows the pass rate by threshold (80 % is not
// drawn like 0 %), the narrow label is the model, the description leads with the pass rate, then
// revision, start time and cost; two runs that would read alike are told apart.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  MOSTLY_FAILING_PERCENT,
  MOSTLY_PASSING_PERCENT,
  PromptFileNode,
  RunHistoryProvider,
  RunNode,
  passRateIcon,
} from '../../../src/extension/compare/history';
import { promptLab, useStandin, workspaceFile, setSettings } from './run-support';

const prompt = () => workspaceFile('run/history.prompt.yml');

suite('Run History: rows that inform', () => {
  const runIds: string[] = [];
  suiteSetup(async function () {
    this.timeout(60_000);
    await promptLab();
    await useStandin();
    // Five cases; the stand-in echoes the prompt (priced as gpt-4o-mini), so four pass "contains {{expect}}" (80 %).
    const text = [
      'name: History rows',
      'model: standin/gpt-4o-mini',
      'testData:',
      ...['Ada', 'Grace', 'Linus', 'Barbara'].map((name) => `  - { name: ${name}, expect: ${name} }`),
      '  - { name: Alan, expect: nowhere }',
      'messages:',
      '  - role: user',
      '    content: "Say hello to {{name}}"',
      'evaluators:',
      '  - name: names the person',
      '    string: { contains: "{{expect}}" }',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(prompt(), new TextEncoder().encode(text));
  });
  suiteTeardown(async () => {
    const api = await promptLab();
    const store = await api.workspace.storeFor(prompt());
    for (const id of runIds) await store.delete(id);
    await vscode.workspace.fs.delete(prompt());
    await setSettings({ endpoints: undefined });
  });

  test('pass-rate icons by threshold', () => {
    assert.equal(passRateIcon(100).id, 'pass-filled');
    assert.equal(passRateIcon(MOSTLY_PASSING_PERCENT).id, 'pass');
    assert.equal(passRateIcon(MOSTLY_PASSING_PERCENT - 0.1).id, 'warning');
    assert.equal(passRateIcon(MOSTLY_FAILING_PERCENT).id, 'warning');
    assert.equal(passRateIcon(MOSTLY_FAILING_PERCENT - 0.1).id, 'error');
    assert.equal(passRateIcon(0).id, 'error');
    assert.equal(passRateIcon(undefined).id, 'circle-slash');
  });

  test('stored runs at 80 % and 0 % get different icons; label, description and tooltip say model, pass rate, revision, time, cost', async function () {
    this.timeout(90_000);
    const api = await promptLab();
    const run = async (model: string) => {
      const outcome = await api.runs.run(prompt(), { model, progress: false, reveal: false });
      runIds.push(outcome.header.runId);
      return outcome;
    };
    const mostly = await run('standin/gpt-4o-mini');
    assert.equal(mostly.summary.passRate, 80);
    // A second run of the same model a second later reads the same to the minute.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await run('standin/gpt-4o-mini');
    const failing = await run('standin/bad');
    assert.equal(failing.summary.passRate, 0);

    const history = new RunHistoryProvider(api.workspace, api.log);
    try {
      const files = await history.getChildren();
      const file = files.find(
        (n): n is PromptFileNode => n instanceof PromptFileNode && n.promptFile === prompt().fsPath,
      );
      assert.ok(file, `Run History lists ${prompt().fsPath}`);
      const nodes = (await history.getChildren(file)).filter(
        (n): n is RunNode => n instanceof RunNode && runIds.includes(n.info.header.runId),
      );
      assert.equal(nodes.length, 3);
      const items = nodes.map((n) => history.getTreeItem(n));
      const byRun = new Map(nodes.map((n, i) => [n.info.header.runId, items[i] as vscode.TreeItem]));
      const mostlyItem = byRun.get(mostly.header.runId) as vscode.TreeItem;
      const failingItem = byRun.get(failing.header.runId) as vscode.TreeItem;

      const iconOf = (item: vscode.TreeItem) => (item.iconPath as vscode.ThemeIcon).id;
      assert.equal(iconOf(mostlyItem), 'pass', '80 %: a green outline check');
      assert.equal(iconOf(failingItem), 'error', '0 %: a red cross');
      assert.equal(
        ((mostlyItem.iconPath as vscode.ThemeIcon).color as unknown as { id: string }).id,
        'testing.iconPassed',
      );

      assert.equal(mostlyItem.label, 'gpt-4o-mini', 'the label is the model without its vendor (narrow sidebar)');
      assert.equal(failingItem.label, 'bad');
      assert.match(
        String(mostlyItem.description),
        /^80% · (?:@\S+ · )?\d/,
        'the pass rate comes first, then revision and time',
      );
      assert.match(String(failingItem.description), /^0% · /);
      assert.match(String(mostlyItem.description), / · \$\d/, 'the cost is in the description');

      const tooltip = String(mostlyItem.tooltip);
      for (const part of [
        'standin/gpt-4o-mini',
        'Revision:',
        'Passed 4 of 5 (80%',
        'Started ',
        `Run ${mostly.header.runId}`,
      ])
        assert.ok(tooltip.includes(part), `tooltip has "${part}": ${tooltip}`);

      const shown = items.map((item) => `${String(item.label)} ${String(item.description)}`);
      assert.equal(new Set(shown).size, shown.length, `every row reads differently: ${shown.join(' | ')}`);
    } finally {
      history.dispose();
    }
  });
});
