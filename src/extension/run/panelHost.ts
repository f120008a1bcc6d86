// What the run panels need from the rest of the extension, built from the services that own it:
// the prompt workspace (cases, store), the editor's runs, the shared run state, the output documents.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaseResult } from '../../core/run/types';
import type { LoadedRun } from '../../core/store/runStore';
import type { CaseInfo, ExportFormat } from '../../protocol/run';
import type { ErrorReporter } from '../errors';
import type { Logger } from '../log';
import { Text } from '../messages';
import type { TrustGuard } from '../trust';
import { promptBaseName } from '../workspace/promptFiles';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import type { EditorRuns } from './editorRuns';
import { exportText, type ExportableRun } from './exportFormats';
import type { OutputDocuments } from './outputDocuments';
import type { PanelHost } from './panel';
import type { RunRecord, RunState } from './runState';

export class RunPanelHost implements PanelHost {
  constructor(
    readonly log: Logger,
    readonly extensionUri: vscode.Uri,
    private readonly workspace: PromptWorkspace,
    private readonly runs: EditorRuns,
    private readonly state: RunState,
    private readonly trust: TrustGuard,
    private readonly outputs: OutputDocuments,
    private readonly errors: ErrorReporter,
  ) {}

  isTrusted(): boolean {
    return this.trust.isRunAllowed();
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.state.isRunning(uri);
  }

  async describe(uri: vscode.Uri): Promise<{ promptName?: string; model?: string; cases: CaseInfo[] }> {
    const { prompt } = await this.workspace.load(uri);
    if (!prompt) return { cases: [] };
    const model = prompt.model ?? this.workspace.settingsFor(uri).defaultModel;
    return {
      cases:
        prompt.testData.length === 0
          ? [{ caseIndex: 0, vars: {} }]
          : prompt.testData.map((c) => ({ caseIndex: c.index, vars: c.vars })),
      ...(prompt.name ? { promptName: prompt.name } : {}),
      ...(model ? { model } : {}),
    };
  }

  startRun(uri: vscode.Uri, caseIndexes?: number[]): void {
    this.runs.run(uri, caseIndexes ? { caseIndexes } : {}).catch((error: unknown) => this.errors.report(error));
  }

  cancelRun(uri: vscode.Uri): void {
    this.runs.cancel(uri);
  }

  async loadRun(uri: vscode.Uri, runId: string): Promise<LoadedRun> {
    return (await this.workspace.storeFor(uri)).load(runId);
  }

  latestRun(uri: vscode.Uri): RunRecord | undefined {
    return this.state.latest(uri);
  }

  async newestStoredRun(uri: vscode.Uri): Promise<LoadedRun | undefined> {
    const store = await this.workspace.storeFor(uri);
    // list() is newest first.
    const newest = (await store.list()).find((r) => r.header.promptFile === uri.fsPath);
    return newest ? store.load(newest.id) : undefined;
  }

  async revealCase(uri: vscode.Uri, caseIndex: number): Promise<void> {
    const { prompt } = await this.workspace.load(uri);
    const testCase = prompt?.testData.find((c) => c.index === caseIndex);
    const target = testCase?.sourceFile ? vscode.Uri.file(testCase.sourceFile) : uri;
    const start = testCase
      ? new vscode.Position(testCase.range.start.line, testCase.range.start.column)
      : new vscode.Position(0, 0);
    await vscode.window.showTextDocument(target, {
      selection: new vscode.Range(start, start),
      viewColumn: vscode.ViewColumn.One,
    });
  }

  async openOutput(uri: vscode.Uri, result: CaseResult, sample: number): Promise<void> {
    const chosen = result.samples.find((s) => s.sample === sample) ?? result.samples[0];
    const text = chosen
      ? chosen.error !== undefined && chosen.output === ''
        ? `error: ${chosen.error}`
        : chosen.output
      : (result.error ?? '');
    const suffix = result.samples.length > 1 && chosen ? `-sample-${chosen.sample + 1}` : '';
    await this.outputs.open(`${promptBaseName(uri)}-case-${result.caseIndex + 1}${suffix}.txt`, text);
  }

  async exportRun(uri: vscode.Uri, run: ExportableRun, format: ExportFormat): Promise<void> {
    const extension = format === 'markdown' ? 'md' : format;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(
        path.join(this.workspace.rootFor(uri), `${promptBaseName(uri)}-results.${extension}`),
      ),
      filters: { [format.toUpperCase()]: [extension] },
      title: `Export results as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const description = (await this.workspace.load(uri)).prompt?.description;
    await vscode.workspace.fs.writeFile(
      target,
      new TextEncoder().encode(exportText(description !== undefined ? { ...run, description } : run, format)),
    );
    this.log.info(`Exported run ${run.header.runId} as ${format} to ${target.fsPath}`);
    void vscode.window.showInformationMessage(Text.exported(vscode.workspace.asRelativePath(target)));
  }
}
