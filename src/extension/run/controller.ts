// The editor's run path: load the prompt as the editor sees it, check trust, resolve models
// (configured endpoints first, the editor's language models as the zero-key fallback), run the
// engine with progress and a status-bar item, and feed the panel and any listener (Test Explorer).
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome, RunOptions } from '../../core/engine';
import { PromptLabError, formatLocation } from '../../core/errors';
import type { FileReader, LoadResult, PromptFile } from '../../core/model';
import type { ModelResolver } from '../../core/providers/types';
import type { CaseResult, RunEvent, RunHeader, RunSummary } from '../../core/run/types';
import type { ResponseCache } from '../../core/store/cache';
import type { LoadedRun, RunStore } from '../../core/store/runStore';
import type { CaseInfo, ExportFormat } from '../../protocol/run';
import { describeError, type Logger } from '../log';
import { Actions, Text, showError } from '../messages';
import type { KeyStore } from '../secrets';
import { readSettings } from '../settings';
import { RunRefusedError, type TrustGuard } from '../trust';
import { toCsv, toJson, toMarkdown } from './exportFormats';
import type { OutputDocuments } from './outputDocuments';
import { RunPanelManager, type PanelHost } from './panel';
import { createEditorResolver } from './resolver';

export interface RunRequest {
  /** Run only these cases (0-based); default all. */
  caseIndexes?: number[];
  /** Model id overriding the file's `model`. */
  model?: string;
  label?: string;
  /** Show the run panel (default true). A panel that is already open is always updated. */
  reveal?: boolean;
  /** Show cancellable window progress (default true). */
  progress?: boolean;
  onEvent?: (event: RunEvent) => void;
  token?: vscode.CancellationToken;
  /** Complete this stored run (its file) instead of starting a new one: only missing and errored cases run. */
  resume?: string;
}

/** The engine is loaded on first use so activation stays fast. */
type Core = typeof import('../../core');
let corePromise: Promise<Core> | undefined;
export function loadCore(): Promise<Core> {
  corePromise ??= import('../../core');
  return corePromise;
}

export function isPromptFile(uri: vscode.Uri): boolean {
  return /\.prompt\.ya?ml$/i.test(uri.path);
}

export class RunController implements PanelHost, vscode.Disposable {
  readonly panels: RunPanelManager;
  readonly extensionUri: vscode.Uri;
  private readonly active = new Map<string, AbortController>();
  private readonly statusItem: vscode.StatusBarItem;
  private readonly runListeners = new Set<(outcome: RunOutcome, uri: vscode.Uri) => void>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: Logger,
    private readonly keys: KeyStore,
    private readonly trust: TrustGuard,
    private readonly outputs: OutputDocuments,
  ) {
    this.extensionUri = context.extensionUri;
    this.panels = new RunPanelManager(this);
    this.statusItem = vscode.window.createStatusBarItem('promptlab.run', vscode.StatusBarAlignment.Left, 10);
    this.statusItem.name = 'PromptLab run';
  }

  /** Reads a file as the editor sees it: an open document's (possibly unsaved) text, else the disk. */
  readonly reader: FileReader = {
    readFile: async (absolutePath: string) => {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === absolutePath);
      return open ? open.getText() : fs.readFile(absolutePath, 'utf8');
    },
  };

  async loadPrompt(uri: vscode.Uri): Promise<LoadResult> {
    const core = await loadCore();
    const text = await this.reader.readFile(uri.fsPath);
    return core.parsePromptFile(uri.fsPath, text, this.reader);
  }

  workspaceRootFor(uri: vscode.Uri): string {
    return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  }

  async storeFor(uri: vscode.Uri): Promise<RunStore> {
    const core = await loadCore();
    const dir = readSettings(uri).runsDirectory;
    return new core.RunStore(path.resolve(this.workspaceRootFor(uri), dir));
  }

  async cacheFor(uri: vscode.Uri): Promise<ResponseCache | undefined> {
    const settings = readSettings(uri);
    if (!settings.cacheEnabled) return undefined;
    const core = await loadCore();
    return new core.ResponseCache(path.resolve(this.workspaceRootFor(uri), settings.cacheDirectory));
  }

  /** A resolver for this file's workspace: configured endpoints with stored keys, then editor models. */
  async createResolver(uri: vscode.Uri, modelIds: string[], modelOverride?: string): Promise<ModelResolver> {
    const settings = readSettings(uri);
    return createEditorResolver({
      workspaceDir: this.workspaceRootFor(uri),
      settings,
      keys: await this.keys.snapshot(),
      modelIds,
      log: this.log,
      ...(modelOverride ? { modelOverride } : {}),
    });
  }

  isTrusted(): boolean {
    return this.trust.isRunAllowed();
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.active.has(uri.toString());
  }

  /** Called after every finished run (the Test Explorer and tests listen). */
  onDidFinishRun(listener: (outcome: RunOutcome, uri: vscode.Uri) => void): vscode.Disposable {
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  /**
   * Runs a prompt file in the editor. Throws RunRefusedError in Restricted Mode and
   * PromptLabError for anything the user must fix; never loses finished cases (they are in the
   * run file and the panel even when the run fails or is cancelled).
   */
  async run(uri: vscode.Uri, request: RunRequest = {}): Promise<RunOutcome> {
    this.trust.assertRunAllowed();
    const key = uri.toString();
    const name = path.basename(uri.fsPath);
    if (this.active.has(key)) throw new PromptLabError(Text.alreadyRunning(name), 'input', { file: uri.fsPath });
    const abort = new AbortController();
    this.active.set(key, abort);
    let panel = request.reveal === false ? this.panels.get(uri) : this.panels.show(uri);
    try {
      const prompt = await this.checkedPrompt(uri);
      const settings = readSettings(uri);
      const store = await this.storeFor(uri);
      const stored = request.resume !== undefined ? await store.load(request.resume) : undefined;
      const model = stored?.header.model ?? request.model ?? prompt.model ?? settings.defaultModel;
      if (!model) throw new PromptLabError(Text.noModel(name), 'input', { file: uri.fsPath });
      const core = await loadCore();
      // A resume is checked (same prompt revision, model, cases) before any model is resolved.
      const plan = stored ? core.planResume(stored, prompt) : undefined;
      const modelIds = [model, core.DEFAULT_JUDGE_MODEL, ...evaluatorModels(prompt)];
      const resolver = await this.createResolver(uri, modelIds, request.model);
      const caseIndexes = plan
        ? [...plan.kept.map((c) => c.caseIndex), ...plan.pending.map((c) => c.index)].sort((a, b) => a - b)
        : (request.caseIndexes ?? (prompt.testData.length === 0 ? [0] : prompt.testData.map((c) => c.index)));
      let finished = 0;
      const cache = await this.cacheFor(uri);
      const options: RunOptions = {
        prompt,
        resolver,
        model,
        concurrency: settings.concurrency,
        store,
        signal: abort.signal,
        workspaceRoot: this.workspaceRootFor(uri),
        runWithoutTestData: true,
        onWarning: (warning) => this.log.warn(`${name}: ${warning}`),
        ...(request.caseIndexes ? { caseIndexes: request.caseIndexes } : {}),
        ...(cache ? { cache } : {}),
        ...(request.label ? { label: request.label } : {}),
      };
      const cancelSubscription = request.token?.onCancellationRequested(() => abort.abort());
      const runWithProgress = (report: (done: number) => void): Promise<RunOutcome> => {
        const onEvent = (event: RunEvent): void => {
          if (event.type === 'run-started') {
            this.log.info(`Run ${event.header.runId}: ${name}, ${caseIndexes.length} case(s), model ${event.header.model} via ${event.header.provider} (${event.header.endpointOrigin})${event.header.approximate ? ', approximate' : ''}`);
            // A panel opened meanwhile (e.g. by "Show run panel") joins the run here.
            panel ??= this.panels.get(uri);
            panel?.beginRun(event.header, caseIndexes);
          } else {
            (panel ?? this.panels.get(uri))?.onRunEvent(event);
          }
          if (event.type === 'case-finished' || event.type === 'case-failed') {
            finished++;
            report(finished);
            const result = event.result;
            if (!result.passed) this.log.info(`${name} case ${result.caseIndex + 1}: ${result.error ? `error: ${result.error}` : 'failed'}`);
          }
          request.onEvent?.(event);
        };
        if (!stored) return core.runPrompt({ ...options, onEvent });
        const { store: _store, workspaceRoot: _root, runWithoutTestData: _noData, ...shared } = options;
        return core.resumeRun({ ...shared, run: stored, onEvent });
      };
      this.showStatus(0, caseIndexes.length, uri);
      try {
        const outcome =
          request.progress === false
            ? await runWithProgress((done) => this.showStatus(done, caseIndexes.length, uri))
            : await vscode.window.withProgress(
                { location: vscode.ProgressLocation.Notification, title: Text.progressTitle(name), cancellable: true },
                (progress, token) => {
                  token.onCancellationRequested(() => abort.abort());
                  let reported = 0;
                  return runWithProgress((done) => {
                    const increment = (100 * (done - reported)) / Math.max(1, caseIndexes.length);
                    reported = done;
                    progress.report({ message: Text.progressCases(done, caseIndexes.length), increment });
                    this.showStatus(done, caseIndexes.length, uri);
                  });
                },
              );
        (panel ?? this.panels.get(uri))?.endRun(outcome.summary, outcome.cancelled, outcome.runFile);
        this.log.info(
          `Run ${outcome.header.runId} ${outcome.cancelled ? 'cancelled' : 'finished'}: ${outcome.summary.passedTests}/${outcome.summary.totalTests} passed, ${outcome.summary.erroredTests} with errors, ${Math.round(outcome.summary.durationMs)} ms${outcome.runFile ? `, stored in ${outcome.runFile}` : ''}`,
        );
        vscode.window.setStatusBarMessage(Text.finished(prompt.name ?? name, outcome.summary.passedTests, outcome.summary.totalTests), 5000);
        for (const listener of this.runListeners) listener(outcome, uri);
        return outcome;
      } finally {
        cancelSubscription?.dispose();
      }
    } catch (error) {
      (panel ?? this.panels.get(uri))?.failRun(describeError(error));
      throw error;
    } finally {
      this.active.delete(key);
      this.statusItem.hide();
    }
  }

  /** `run` for user actions: every failure becomes one clear message with an action. */
  async runFromUser(uri: vscode.Uri | undefined, request: RunRequest = {}): Promise<RunOutcome | undefined> {
    const target = uri ?? activePromptUri();
    if (!target) {
      void vscode.window.showInformationMessage(Text.noPromptFile);
      return undefined;
    }
    if (!isPromptFile(target)) {
      void showError(Text.notAPromptFile(path.basename(target.fsPath)));
      return undefined;
    }
    try {
      return await this.run(target, request);
    } catch (error) {
      this.reportRunError(error);
      return undefined;
    }
  }

  /** Shows a run failure as one message with the action that leads to the fix; does not wait for the user. */
  reportRunError(error: unknown): void {
    if (error instanceof RunRefusedError) {
      this.log.warn(`Run refused: ${error.message}`);
      void this.trust.explainRefusal();
      return;
    }
    const detail = describeError(error);
    this.log.error('Run failed', error);
    if (/api key|401|403|unauthori[sz]ed|authenticat/i.test(detail)) void showError(Text.runFailed(detail), Actions.setApiKey, Actions.showLog);
    else if (error instanceof PromptLabError && error.kind === 'config') void showError(Text.runFailed(detail), Actions.openSettings, Actions.showLog);
    else if (error instanceof PromptLabError && error.kind === 'input' && error.location) void showError(detail, Actions.showProblems, Actions.showLog);
    else void showError(Text.runFailed(detail), Actions.showLog);
  }

  cancel(uri: vscode.Uri): boolean {
    const abort = this.active.get(uri.toString());
    if (!abort) return false;
    this.log.info(`Cancelling the run of ${uri.fsPath}`);
    abort.abort();
    return true;
  }

  cancelAll(): void {
    for (const abort of this.active.values()) abort.abort();
  }

  private async checkedPrompt(uri: vscode.Uri): Promise<PromptFile> {
    const loaded = await this.loadPrompt(uri);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    if (!loaded.prompt || first) {
      const where = first ? `${formatLocation(path.basename(first.file), first.range)} ${first.message}` : 'not a YAML mapping';
      throw new PromptLabError(Text.fileHasErrors(path.basename(uri.fsPath), Math.max(1, errors.length), where), 'input', { file: uri.fsPath, ...(first ? { range: first.range } : {}) });
    }
    return loaded.prompt;
  }

  private showStatus(done: number, total: number, uri: vscode.Uri): void {
    this.statusItem.text = Text.statusRunning(done, total);
    this.statusItem.tooltip = Text.statusTooltip;
    this.statusItem.command = { title: 'Show run panel', command: 'promptlab.showRunPanel', arguments: [uri] };
    this.statusItem.show();
  }

  // PanelHost

  async describe(uri: vscode.Uri): Promise<{ promptName?: string; model?: string; cases: CaseInfo[] }> {
    const { prompt } = await this.loadPrompt(uri);
    if (!prompt) return { cases: [] };
    const model = prompt.model ?? readSettings(uri).defaultModel;
    return {
      cases: prompt.testData.length === 0 ? [{ caseIndex: 0, vars: {} }] : prompt.testData.map((c) => ({ caseIndex: c.index, vars: c.vars })),
      ...(prompt.name ? { promptName: prompt.name } : {}),
      ...(model ? { model } : {}),
    };
  }

  startRun(uri: vscode.Uri, caseIndexes?: number[]): void {
    void this.runFromUser(uri, caseIndexes ? { caseIndexes } : {});
  }

  cancelRun(uri: vscode.Uri): void {
    this.cancel(uri);
  }

  async loadRun(uri: vscode.Uri, runId: string): Promise<LoadedRun> {
    return (await this.storeFor(uri)).load(runId);
  }

  async revealCase(uri: vscode.Uri, caseIndex: number): Promise<void> {
    const { prompt } = await this.loadPrompt(uri);
    const testCase = prompt?.testData.find((c) => c.index === caseIndex);
    const target = testCase?.sourceFile ? vscode.Uri.file(testCase.sourceFile) : uri;
    const start = testCase ? new vscode.Position(testCase.range.start.line, testCase.range.start.column) : new vscode.Position(0, 0);
    await vscode.window.showTextDocument(target, { selection: new vscode.Range(start, start), viewColumn: vscode.ViewColumn.One });
  }

  async openOutput(uri: vscode.Uri, result: CaseResult, sample: number): Promise<void> {
    const chosen = result.samples.find((s) => s.sample === sample) ?? result.samples[0];
    const text = chosen ? (chosen.error !== undefined && chosen.output === '' ? `error: ${chosen.error}` : chosen.output) : result.error ?? '';
    const suffix = result.samples.length > 1 && chosen ? `-sample-${chosen.sample + 1}` : '';
    await this.outputs.open(`${path.basename(uri.fsPath).replace(/\.prompt\.ya?ml$/i, '')}-case-${result.caseIndex + 1}${suffix}.txt`, text);
  }

  async exportRun(uri: vscode.Uri, run: { header: RunHeader; summary: RunSummary; cases: CaseResult[] }, format: ExportFormat): Promise<void> {
    const extension = format === 'markdown' ? 'md' : format;
    const base = path.basename(uri.fsPath).replace(/\.prompt\.ya?ml$/i, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.workspaceRootFor(uri), `${base}-results.${extension}`)),
      filters: { [format.toUpperCase()]: [extension] },
      title: `Export results as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const text = format === 'json' ? toJson(run) : format === 'csv' ? toCsv(run) : toMarkdown(run);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    this.log.info(`Exported run ${run.header.runId} as ${format} to ${target.fsPath}`);
    void vscode.window.showInformationMessage(Text.exported(vscode.workspace.asRelativePath(target)));
  }

  dispose(): void {
    this.cancelAll();
    this.panels.dispose();
    this.statusItem.dispose();
    this.runListeners.clear();
  }
}

function evaluatorModels(prompt: PromptFile): string[] {
  const ids: string[] = [];
  for (const e of prompt.evaluators) {
    if (e.kind === 'llm' && e.modelId) ids.push(e.modelId);
    if (e.kind === 'similarity' && e.modelId) ids.push(e.modelId);
  }
  return ids;
}

export function activePromptUri(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri && isPromptFile(uri) ? uri : undefined;
}
