// One run panel per prompt file, reused. The host keeps the results (the webview only shows
// them), batches streaming events to at most one message per ~50 ms, validates every message
// from the webview, and restores panels after a reload from the run store.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { summarize } from '../../core/run/summary';
import type { CaseResult, RunEvent, RunHeader, RunSummary } from '../../core/run/types';
import type { LoadedRun } from '../../core/store/runStore';
import type { ExportableRun } from './exportFormats';
import type { RunRecord, RunState } from './runState';
import { describeRejected } from '../../protocol/common';
import {
  isRunPanelState,
  isRunViewMessage,
  type CaseInfo,
  type CaseStart,
  type Delta,
  type EvaluatorTrustView,
  type ExportFormat,
  type GradeInput,
  type GradeView,
  type RunHostMessage,
  type RunViewMessage,
} from '../../protocol/run';
import { GradeSaves } from '../grades/saves';
import type { Logger } from '../log';
import { Text, isAction, runAction } from '../messages';
import { panelHtml, webviewOptions } from './panelHtml';

export const RUN_PANEL_VIEW_TYPE = 'promptlab.run';
/** Streaming events are sent to the webview at most this often. */
const BATCH_INTERVAL_MS = 50;

/** What a panel asks of the rest of the extension (implemented by RunPanelHost). */
export interface PanelHost {
  readonly log: Logger;
  readonly extensionUri: vscode.Uri;
  isTrusted(): boolean;
  isRunning(promptUri: vscode.Uri): boolean;
  /** The file's test cases as the editor sees them now (unsaved edits included). */
  describe(promptUri: vscode.Uri): Promise<{ promptName?: string; model?: string; cases: CaseInfo[] }>;
  startRun(promptUri: vscode.Uri, caseIndexes?: number[]): void;
  cancelRun(promptUri: vscode.Uri): void;
  loadRun(promptUri: vscode.Uri, runId: string): Promise<LoadedRun>;
  /** The file's latest run in this session, from the shared run state. */
  latestRun(promptUri: vscode.Uri): RunRecord | undefined;
  /** The file's newest stored run (a panel opened after a reload shows it). */
  newestStoredRun(promptUri: vscode.Uri): Promise<LoadedRun | undefined>;
  revealCase(promptUri: vscode.Uri, caseIndex: number): Promise<void>;
  openOutput(promptUri: vscode.Uri, result: CaseResult, sample: number): Promise<void>;
  exportRun(promptUri: vscode.Uri, run: ExportableRun, format: ExportFormat): Promise<void>;
}

/** Grades in the panel (src/extension/grades); absent until that feature area attaches itself. */
export interface PanelGradeSource {
  forResults(
    promptUri: vscode.Uri,
    header: RunHeader,
    results: CaseResult[],
  ): Promise<{ grades: GradeView[]; trust: EvaluatorTrustView[] }>;
  save(promptUri: vscode.Uri, header: RunHeader, result: CaseResult, input: GradeInput): Promise<void>;
}

export class RunPanel implements vscode.Disposable {
  private ready = false;
  private lastFailure: { message: string; fix?: RunRecord['fix'] } | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private header: RunHeader | undefined;
  private readonly results = new Map<number, CaseResult>();
  private durationMs = 0;
  private running = false;
  private runStartedAt = 0;
  private runCaseIndexes: number[] = [];
  private started: CaseStart[] = [];
  private deltas = new Map<string, Delta>();
  private finished: CaseResult[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingRunId: string | undefined;
  /** Grades from the webview, saved in order (the webview keeps newer ones as shown). */
  private readonly gradeSaves = new GradeSaves();
  /** A focus-case asked for before the webview was ready. */
  private pendingFocus: { caseIndex: number; sample: number } | undefined;
  /** How the shown run ended (for the JSON export, which is `eval --json`'s shape). */
  private ending: { cancelled: boolean; runFile?: string } = { cancelled: false };
  private disposed = false;

  constructor(
    readonly webviewPanel: vscode.WebviewPanel,
    readonly promptUri: vscode.Uri,
    private readonly host: PanelHost,
    private readonly onDisposed: (panel: RunPanel) => void,
    restoreRunId?: string,
    private readonly gradeSource: () => PanelGradeSource | undefined = () => undefined,
  ) {
    this.pendingRunId = restoreRunId;
    const webview = webviewPanel.webview;
    webview.options = webviewOptions(host.extensionUri);
    webview.html = panelHtml(
      webview,
      host.extensionUri,
      'run.main.js',
      ['media/run.css', 'media/grading.css'],
      Text.panelTitle(path.basename(promptUri.fsPath)),
    );
    this.disposables.push(
      webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
      webviewPanel.onDidDispose(() => this.dispose()),
    );
  }

  /** The last run's id, for exports and tests. */
  get lastRunId(): string | undefined {
    return this.header?.runId;
  }

  /** The header of the results shown (the last run, or a stored one). */
  get currentHeader(): RunHeader | undefined {
    return this.header;
  }

  /** Results currently shown, by case index. */
  get currentResults(): ReadonlyMap<number, CaseResult> {
    return this.results;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The estimate shown before the last large run (for tests and the log). */
  lastEstimate: string | undefined;

  reveal(preserveFocus = true): void {
    this.webviewPanel.reveal(undefined, preserveFocus);
  }

  async refreshCases(): Promise<void> {
    try {
      const info = await this.host.describe(this.promptUri);
      this.post({
        type: 'init',
        promptFile: this.promptUri.fsPath,
        cases: info.cases,
        trusted: this.host.isTrusted(),
        ...(info.promptName ? { promptName: info.promptName } : {}),
        ...(info.model ? { model: info.model } : {}),
      });
    } catch (error) {
      this.host.log.error(`Could not read ${this.promptUri.fsPath} for the run panel`, error);
      this.post({ type: 'init', promptFile: this.promptUri.fsPath, cases: [], trusted: this.host.isTrusted() });
    }
  }

  beginRun(header: RunHeader, caseIndexes: number[]): void {
    this.clearBatch();
    this.lastFailure = undefined;
    this.header = header;
    this.running = true;
    this.ending = { cancelled: false };
    this.runStartedAt = performance.now();
    this.runCaseIndexes = caseIndexes;
    for (const index of caseIndexes) this.results.delete(index);
    this.post({ type: 'run-started', header, caseIndexes });
  }

  onRunEvent(event: RunEvent): void {
    switch (event.type) {
      case 'case-started':
        this.started.push({ caseIndex: event.caseIndex, sample: event.sample });
        break;
      case 'case-delta': {
        const key = `${event.caseIndex}:${event.sample}`;
        const pending = this.deltas.get(key);
        if (pending) pending.text += event.text;
        else this.deltas.set(key, { caseIndex: event.caseIndex, sample: event.sample, text: event.text });
        break;
      }
      case 'case-finished':
      case 'case-failed':
        this.results.set(event.result.caseIndex, event.result);
        this.finished.push(event.result);
        break;
      default:
        return;
    }
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_INTERVAL_MS);
  }

  endRun(summary: RunSummary, cancelled: boolean, runFile?: string): void {
    this.flush();
    this.running = false;
    this.durationMs = summary.durationMs;
    this.ending = { cancelled, ...(runFile ? { runFile } : {}) };
    const merged = this.summary();
    this.post({
      type: 'run-finished',
      summary: merged,
      cancelled,
      runId: this.header?.runId ?? '',
      ...(runFile ? { runFile } : {}),
    });
    void this.postGrades();
  }

  /** Sends the stored grades of the results shown, and each evaluator's agreement with them. */
  async postGrades(): Promise<void> {
    const source = this.gradeSource();
    const header = this.header;
    if (!source || !header || !this.ready || this.results.size === 0) return;
    // Every grade up to this seq is in the file before it is read below.
    const appliedSeq = this.gradeSaves.savedSeq;
    try {
      const payload = await source.forResults(this.promptUri, header, [...this.results.values()]);
      // The panel may have moved on to another run while the grades file was read.
      if (this.header === header) this.post({ type: 'grades', ...payload, appliedSeq });
    } catch (error) {
      this.host.log.error('Run panel: could not read the grades', error);
    }
  }

  /** Selects one output in the panel (the Agreement view's "show disagreements"). */
  focusCase(caseIndex: number, sample: number): void {
    if (!this.ready) this.pendingFocus = { caseIndex, sample };
    else this.post({ type: 'focus-case', caseIndex, sample });
  }

  /** Core's estimate before a large run, shown in the panel's status line until the run starts. */
  showEstimate(text: string): void {
    this.lastEstimate = text;
    this.post({ type: 'estimate', text });
  }

  failRun(message: string, fix?: RunRecord['fix']): void {
    this.flush();
    this.running = false;
    this.lastFailure = { message, ...(fix ? { fix } : {}) };
    this.postFailure();
  }

  private postFailure(): void {
    if (!this.lastFailure) return;
    const actions = this.lastFailure.fix?.actions ?? [];
    this.post({ type: 'run-failed', message: this.lastFailure.message, ...(actions.length ? { actions } : {}) });
  }

  showStoredRun(run: LoadedRun): void {
    this.header = run.header;
    this.ending = { cancelled: run.summary.cancelled, runFile: run.file };
    this.results.clear();
    for (const result of run.cases) this.results.set(result.caseIndex, result);
    this.durationMs = run.summary.durationMs;
    this.post({
      type: 'run-loaded',
      header: run.header,
      results: run.cases,
      summary: this.summary(),
      warnings: run.warnings,
    });
    void this.postGrades();
  }

  private summary(): RunSummary {
    return summarize(
      [...this.results.values()],
      this.running ? performance.now() - this.runStartedAt : this.durationMs,
      this.header?.repeatPassRate,
    );
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.started.length === 0 && this.deltas.size === 0 && this.finished.length === 0) return;
    const message: RunHostMessage = {
      type: 'progress',
      started: this.started,
      deltas: [...this.deltas.values()],
      finished: this.finished,
      summary: this.summary(),
    };
    this.clearBatch();
    this.post(message);
  }

  private clearBatch(): void {
    this.started = [];
    this.deltas = new Map();
    this.finished = [];
  }

  private post(message: RunHostMessage): void {
    if (this.disposed) return;
    // Before the handshake nothing is sent: onReady() replays a snapshot of the host's state.
    if (!this.ready) return;
    void this.webviewPanel.webview
      .postMessage(message)
      .then(undefined, (error: unknown) => this.host.log.error('Could not post to the run panel', error));
  }

  /** Every message from the webview arrives here and is validated first (the extension's tests post here too). */
  receive(raw: unknown): void {
    if (!isRunViewMessage(raw)) {
      this.host.log.warn(`Run panel: rejected ${describeRejected(raw)}`);
      return;
    }
    this.handle(raw).catch((error: unknown) => this.host.log.error(`Run panel: handling '${raw.type}' failed`, error));
  }

  private async handle(message: RunViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.onReady();
      case 'run':
        return this.host.startRun(this.promptUri);
      case 'cancel':
        return this.host.cancelRun(this.promptUri);
      case 'rerun-case':
        return this.host.startRun(this.promptUri, [message.caseIndex]);
      case 'reveal-case':
        return this.host.revealCase(this.promptUri, message.caseIndex);
      case 'open-output': {
        const result = this.results.get(message.caseIndex);
        if (!result) {
          void vscode.window.showInformationMessage(Text.noCaseOutput);
          return;
        }
        return this.host.openOutput(this.promptUri, result, message.sample);
      }
      case 'export': {
        if (!this.header || this.results.size === 0) {
          void vscode.window.showInformationMessage(Text.noResultsToExport);
          return;
        }
        return this.host.exportRun(
          this.promptUri,
          { header: this.header, summary: this.summary(), cases: [...this.results.values()], ...this.ending },
          message.format,
        );
      }
      case 'fix': {
        // Only an action the failure shown offered (a webview message is never trusted further).
        const fix = this.lastFailure?.fix;
        if (!fix || !isAction(message.action) || !fix.actions.includes(message.action)) {
          this.host.log.warn(`Run panel: ignored action "${message.action}" (not offered for the failure shown)`);
          return;
        }
        return runAction(message.action, fix.context);
      }
      case 'toggle-full-width':
        // The panel is the active editor when its button is clicked: maximise its group.
        await vscode.commands.executeCommand('workbench.action.toggleMaximizeEditorGroup');
        return;
      case 'grade': {
        const source = this.gradeSource();
        const result = this.results.get(message.caseIndex);
        if (!source || !this.header || !result) {
          void vscode.window.showInformationMessage(Text.noCaseOutput);
          return;
        }
        const { type: _type, ...input } = message;
        const header = this.header;
        await this.gradeSaves.save(input.seq, () => source.save(this.promptUri, header, result, input));
        return this.postGrades();
      }
      case 'rejected':
        this.host.log.warn(`Run panel webview rejected a message: ${message.detail}`);
        return;
    }
  }

  /** The webview (re)loaded: send the file's cases, then whatever the host already has. */
  private async onReady(): Promise<void> {
    this.ready = true;
    await this.refreshCases();
    try {
      await this.replay();
    } finally {
      const focus = this.pendingFocus;
      this.pendingFocus = undefined;
      if (focus) this.post({ type: 'focus-case', ...focus });
    }
  }

  private async replay(): Promise<void> {
    this.postFailure();
    if (this.pendingRunId && !this.header) {
      const runId = this.pendingRunId;
      this.pendingRunId = undefined;
      try {
        this.showStoredRun(await this.host.loadRun(this.promptUri, runId));
      } catch (error) {
        this.host.log.warn(
          `Run panel: could not restore run ${runId}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return;
    }
    if (!this.header) await this.adoptLatestRun();
    if (!this.header) return;
    if (!this.running) {
      if (this.results.size > 0)
        this.post({
          type: 'run-loaded',
          header: this.header,
          results: [...this.results.values()],
          summary: this.summary(),
          warnings: [],
        });
      return this.postGrades();
    }
    // A run is going on: replay it as if the webview had seen it from the start.
    const inRun = new Set(this.runCaseIndexes);
    const others = [...this.results.values()].filter((r) => !inRun.has(r.caseIndex));
    if (others.length > 0)
      this.post({ type: 'run-loaded', header: this.header, results: others, summary: this.summary(), warnings: [] });
    this.post({ type: 'run-started', header: this.header, caseIndexes: this.runCaseIndexes });
    const finished = [...this.results.values()].filter((r) => inRun.has(r.caseIndex));
    // Results still waiting in the batch are in this replay already: sent twice, the view would count them twice.
    this.finished = [];
    // Starts still waiting for cases that have finished since would mark finished rows as running again.
    this.started = this.started.filter((s) => !this.results.has(s.caseIndex));
    this.post({ type: 'progress', started: [], deltas: [], finished, summary: this.summary() });
  }

  /** A panel opened without a run of its own shows the file's latest run: this session's, else the stored one. */
  private async adoptLatestRun(): Promise<void> {
    const record = this.host.latestRun(this.promptUri);
    if (record?.header) {
      this.header = record.header;
      this.results.clear();
      for (const [index, result] of record.results) this.results.set(index, result);
      this.running = record.running;
      this.runCaseIndexes = [...record.caseIndexes];
      this.runStartedAt = performance.now();
      this.durationMs = record.ended?.summary.durationMs ?? 0;
      if (record.failure !== undefined)
        this.lastFailure = { message: record.failure, ...(record.fix ? { fix: record.fix } : {}) };
      return;
    }
    if (record) {
      if (record.failure !== undefined) this.failRun(record.failure, record.fix);
      return;
    }
    try {
      const stored = await this.host.newestStoredRun(this.promptUri);
      if (stored && !this.header) this.showStoredRun(stored);
    } catch (error) {
      this.host.log.warn(
        `Run panel: could not read the stored runs of ${this.promptUri.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
    this.webviewPanel.dispose();
    this.onDisposed(this);
  }
}

/** Creates, reuses and restores run panels (one per prompt file). */
export class RunPanelManager implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, RunPanel>();
  private gradeSource: PanelGradeSource | undefined;
  private readonly subscription: vscode.Disposable;

  /** Panels follow the shared run state: a run from any starter shows in its file's open panel. */
  constructor(
    private readonly host: PanelHost,
    state: RunState,
  ) {
    this.subscription = state.onDidChange((change) => {
      const { record } = change;
      switch (change.kind) {
        case 'begun':
          if (record.reveal) this.show(record.uri);
          return;
        case 'started':
          if (record.header) this.get(record.uri)?.beginRun(record.header, [...record.caseIndexes]);
          return;
        case 'estimated':
          if (record.estimate) this.get(record.uri)?.showEstimate(record.estimate);
          return;
        case 'event':
          this.get(record.uri)?.onRunEvent(change.event);
          return;
        case 'ended':
          if (record.ended)
            this.get(record.uri)?.endRun(record.ended.summary, record.ended.cancelled, record.ended.runFile);
          return;
        case 'failed':
          this.get(record.uri)?.failRun(record.failure ?? '', record.fix);
          return;
      }
    });
  }

  /** Turns on grading in every panel (called by the grades feature area). */
  attachGrades(source: PanelGradeSource): vscode.Disposable {
    this.gradeSource = source;
    return new vscode.Disposable(() => {
      if (this.gradeSource === source) this.gradeSource = undefined;
    });
  }

  /** Re-sends the grades to every panel (the grades file changed). */
  async refreshGrades(): Promise<void> {
    await Promise.all([...this.panels.values()].map((p) => p.postGrades()));
  }

  /** Every open panel. */
  all(): RunPanel[] {
    return [...this.panels.values()];
  }

  get(promptUri: vscode.Uri): RunPanel | undefined {
    return this.panels.get(promptUri.toString());
  }

  show(promptUri: vscode.Uri, preserveFocus = true): RunPanel {
    const existing = this.get(promptUri);
    if (existing) {
      existing.reveal(preserveFocus);
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      Text.panelTitle(path.basename(promptUri.fsPath)),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      webviewOptions(this.host.extensionUri),
    );
    return this.adopt(webviewPanel, promptUri);
  }

  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (!isRunPanelState(state)) {
      this.host.log.warn('Run panel: no usable saved state; closing the restored panel');
      webviewPanel.dispose();
      return;
    }
    const promptUri = vscode.Uri.file(state.promptFile);
    this.get(promptUri)?.dispose();
    this.adopt(webviewPanel, promptUri, state.runId);
  }

  /** Resends the case list to the panel of a file that changed. */
  async refresh(promptUri: vscode.Uri): Promise<void> {
    await this.get(promptUri)?.refreshCases();
  }

  async refreshAll(): Promise<void> {
    await Promise.all([...this.panels.values()].map((p) => p.refreshCases()));
  }

  private adopt(webviewPanel: vscode.WebviewPanel, promptUri: vscode.Uri, restoreRunId?: string): RunPanel {
    const panel = new RunPanel(
      webviewPanel,
      promptUri,
      this.host,
      (p) => {
        if (this.panels.get(p.promptUri.toString()) === p) this.panels.delete(p.promptUri.toString());
      },
      restoreRunId,
      () => this.gradeSource,
    );
    this.panels.set(promptUri.toString(), panel);
    return panel;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const panel of [...this.panels.values()]) panel.dispose();
  }
}
