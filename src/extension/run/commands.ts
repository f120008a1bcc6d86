// The run commands. Each is a small unit; the registry resolves nothing for them but reports
// whatever they throw, and requirePromptTarget works out the prompt file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import { numberArg, promptTarget, requirePromptTarget, stringArg } from '../commands/targets';
import type { Logger } from '../log';
import { Text } from '../messages';
import { pickModel } from '../models/pickModel';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import type { EditorRuns } from './editorRuns';
import type { RunPanelHost } from './panelHost';
import type { RunPanelManager } from './panel';

export interface RunCommandServices {
  workspace: PromptWorkspace;
  runs: EditorRuns;
  panels: RunPanelManager;
  panelHost: RunPanelHost;
  log: Logger;
}

async function pickCase(panelHost: RunPanelHost, uri: vscode.Uri): Promise<number | undefined> {
  const { cases } = await panelHost.describe(uri);
  const describeVars = (vars: Record<string, unknown>) =>
    Object.entries(vars)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
      .join(', ')
      .slice(0, 120);
  const picked = await vscode.window.showQuickPick(
    cases.map((c) => ({ label: `Case ${c.caseIndex + 1}`, description: describeVars(c.vars), caseIndex: c.caseIndex })),
    { title: Text.runTestCaseTitle },
  );
  return picked?.caseIndex;
}

/** The modal question before a batch: how many requests, and the batch price against the standard one. */
async function confirmBatch(workspace: PromptWorkspace, panelHost: RunPanelHost, target: vscode.Uri): Promise<boolean> {
  const { cases } = await panelHost.describe(target);
  const store = await workspace.storeFor(target);
  const last = (await store.list()).find(
    (r) => r.header.promptFile === target.fsPath && r.summary && r.summary.costUsd !== null && r.summary.totalTests > 0,
  );
  let estimate = '';
  if (last?.summary?.costUsd != null) {
    // The last run's cost per case, for this file's cases; a batch run's cost is already the batch price.
    const perCase = last.summary.costUsd / last.summary.totalTests;
    const standard = perCase * cases.length * (last.header.mode === 'batch' ? 2 : 1);
    const usd = (value: number): string => (value < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`);
    estimate = Text.batchEstimate(usd(standard / 2), usd(standard));
  }
  const message = Text.batchConfirm(path.basename(target.fsPath), cases.length, estimate);
  return (await vscode.window.showInformationMessage(message, { modal: true }, Text.batchStart)) === Text.batchStart;
}

export function runCommands({ workspace, runs, panels, panelHost, log }: RunCommandServices): CommandUnit[] {
  return [
    command(Commands.runPrompt, (uri) => {
      const target = requirePromptTarget(uri);
      return target && runs.run(target);
    }),
    command(Commands.runTestCase, async (uri, caseIndex) => {
      const target = requirePromptTarget(uri);
      if (!target) return undefined;
      const index = numberArg(caseIndex) ?? (await pickCase(panelHost, target));
      return index === undefined ? undefined : runs.run(target, { caseIndexes: [index] });
    }),
    command(Commands.runWithModel, async (uri, model) => {
      const target = requirePromptTarget(uri);
      if (!target) return undefined;
      const chosen = stringArg(model) ?? (await pickModel(workspace, target, log));
      return chosen ? runs.run(target, { model: chosen }) : undefined;
    }),
    command(Commands.runAsBatch, async (uri, confirmed) => {
      const target = requirePromptTarget(uri);
      if (!target) return undefined;
      // Tests pass `true` to skip the modal question; a user always sees the estimate first.
      if (confirmed !== true && !(await confirmBatch(workspace, panelHost, target))) return undefined;
      return runs.run(target, { batch: true });
    }),
    command(Commands.showRunPanel, (uri) => {
      const target = requirePromptTarget(uri);
      return target && panels.show(target, false);
    }),
    command(Commands.cancelRun, (uri) => {
      const target = promptTarget(uri);
      if (target) runs.cancel(target);
      else runs.cancelAll();
    }),
    command(Commands.openRun, async (uri) => {
      const target = requirePromptTarget(uri);
      if (!target) return;
      const store = await workspace.storeFor(target);
      const runsOfFile = (await store.list()).filter((r) => r.header.promptFile === target.fsPath);
      if (runsOfFile.length === 0) {
        void vscode.window.showInformationMessage(Text.noRunsStored);
        return;
      }
      const picked = await vscode.window.showQuickPick(
        runsOfFile.map((r) => ({
          label: new Date(r.header.startedAt).toLocaleString(),
          description: `${r.header.model}${r.summary ? ` · ${r.summary.passedTests}/${r.summary.totalTests} passed` : ' · unfinished'}${r.header.label ? ` · ${r.header.label}` : ''}`,
          id: r.id,
        })),
        { title: Text.runsOf(path.basename(target.fsPath)) },
      );
      if (!picked) return;
      panels.show(target, false).showStoredRun(await store.load(picked.id));
    }),
  ];
}
