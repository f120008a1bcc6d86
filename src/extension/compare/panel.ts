// Compare panels: one webview per comparison. The host keeps the runs (full outputs) and answers the
// view's requests (word diffs past the first rows, "open in diff editor"); the view keeps only its
// filter and the run files in setState, which is all a restored panel needs to rebuild itself.
import path from 'node:path';
import * as vscode from 'vscode';
import type { GradedSample } from '../../core/grades';
import type { CaseResult, RunHeader } from '../../core/run/types';
import type { CompareMatrix, Comparison, RunData } from '../../core/compare/types';
import { describeRejected } from '../../protocol/common';
import {
  COMPARE_VIEW_TYPE,
  isCompareViewMessage,
  isCompareViewState,
  type CompareContent,
  type CompareHostMessage,
  type ComparedCaseGradeView,
  type CompareViewMessage,
  type SideGradeView,
} from '../../protocol/compare';
import type { GradeInput } from '../../protocol/grades';
import { loadEngine } from '../engine';
import { GradeSaves } from '../grades/saves';
import { gradeFields } from '../grades/service';
import type { Logger } from '../log';
import { Text } from '../messages';
import { panelHtml, webviewOptions } from '../run/panelHtml';
import type { CompareDocuments } from './documents';

/** What compare panels need from the rest of the extension. */
export interface ComparePanelServices {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  /** The human grades (src/extension/grades), when grading is on. */
  readonly grades?: CompareGradeSource;
}

/** The grades store as compare panels use it: the same one the run panels grade into. */
export interface CompareGradeSource {
  /** The stored grades on a run's outputs. */
  gradedOf(run: RunData): Promise<GradedSample[]>;
  /** Saves (or, when the input is empty, removes) the grade of one output of a run. */
  save(promptUri: vscode.Uri, header: RunHeader, result: CaseResult, input: GradeInput): Promise<void>;
  /** Grades were saved or the grades file changed. */
  readonly onDidChange: vscode.Event<void>;
}

/** Runs as compared, with the run file each came from (absent for a run that was not stored). */
export interface ComparedRun {
  run: RunData;
  file?: string;
}

/** Rows in the first message (the first screen and some), then the rest in chunks. */
const FIRST_ROWS = 60;
const MORE_ROWS = 250;

type Result = { kind: 'pair'; comparison: Comparison } | { kind: 'matrix'; matrix: CompareMatrix };

/** A comparison as the view gets it: the content with the first rows, then the rest in messages. */
interface StreamedContent {
  content: CompareContent;
  more: CompareHostMessage[];
}

/**
 * Splits a comparison's rows (pairs and matrices alike): `content` makes the content around the first
 * rows (`rowCount`: all of them), `chunk` a `more-rows` message around each later chunk.
 */
function inChunks<R>(
  rows: readonly R[],
  content: (firstRows: R[], rowCount: number) => CompareContent,
  chunk: (rows: R[]) => CompareHostMessage,
): StreamedContent {
  const more: CompareHostMessage[] = [];
  for (let i = FIRST_ROWS; i < rows.length; i += MORE_ROWS) more.push(chunk(rows.slice(i, i + MORE_ROWS)));
  return { content: content(rows.slice(0, FIRST_ROWS), rows.length), more };
}

export class ComparePanel implements vscode.Disposable {
  private ready = false;
  private pending: CompareHostMessage | undefined;
  private runs: ComparedRun[] = [];
  private result: Result | undefined;
  /** Grades from the view, saved in order (the view keeps newer ones as shown). */
  private readonly gradeSaves = new GradeSaves();
  private readonly disposables: vscode.Disposable[] = [];
  readonly onDidDispose: vscode.Event<void>;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly services: ComparePanelServices,
    private readonly documents: CompareDocuments,
  ) {
    const extensionUri = services.extensionUri;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = panelHtml(
      panel.webview,
      extensionUri,
      'compare.main.js',
      ['media/compare.css', 'media/grading.css'],
      panel.title,
    );
    this.onDidDispose = panel.onDidDispose;
    this.disposables.push(panel.webview.onDidReceiveMessage((message: unknown) => void this.receive(message)));
  }

  get comparison(): Comparison | undefined {
    return this.result?.kind === 'pair' ? this.result.comparison : undefined;
  }

  get matrix(): CompareMatrix | undefined {
    return this.result?.kind === 'matrix' ? this.result.matrix : undefined;
  }

  /** The runs shown, in order (A, B or the matrix columns). */
  get compared(): readonly ComparedRun[] {
    return this.runs;
  }

  get runFiles(): string[] {
    return this.runs.map((r) => r.file ?? '');
  }

  progress(message: string): void {
    this.send({ type: 'progress', message });
  }

  fail(message: string): void {
    this.send({ type: 'error', message });
  }

  /** Compares the runs (two: A/B; three or more: matrix) and shows the result. */
  async show(runs: ComparedRun[]): Promise<void> {
    const core = await loadEngine();
    this.runs = runs;
    const data = runs.map((r) => r.run);
    const points = core.qualityPoints(data.map(core.sideSummary));
    const shown = { runFiles: this.runFiles, points };
    let streamed: StreamedContent;
    if (data.length === 2) {
      const comparison = core.compareRuns(data[0] as RunData, data[1] as RunData);
      this.result = { kind: 'pair', comparison };
      const title = `Compare: ${comparison.a.label} ↔ ${comparison.b.label}`;
      streamed = inChunks(
        comparison.rows,
        (rows, rowCount) => ({ kind: 'pair', title, rowCount, ...shown, comparison: { ...comparison, rows } }),
        (pairRows) => ({ type: 'more-rows', pairRows }),
      );
    } else {
      const matrix = core.buildMatrix(data);
      this.result = { kind: 'matrix', matrix };
      const title = `Compare ${matrix.columns.length} runs`;
      streamed = inChunks(
        matrix.rows,
        (rows, rowCount) => ({ kind: 'matrix', title, rowCount, ...shown, matrix: { ...matrix, rows } }),
        (matrixRows) => ({ type: 'more-rows', matrixRows }),
      );
    }
    const { content, more } = streamed;
    this.panel.title = content.title;
    // Before the view is ready nothing is sent: its `ready` shows the result then.
    if (!this.ready) return;
    this.pending = undefined;
    for (const message of [{ type: 'show', content } as const, ...more]) await this.panel.webview.postMessage(message);
    await this.postGrades();
  }

  /**
   * Graded outputs are evidence, pairs and matrices alike: each compared run's grades by case, the
   * grade of the output shown (the first sample) and how many samples are graded.
   */
  async postGrades(): Promise<void> {
    const grades = this.services.grades;
    const runs = this.runs;
    if (!grades || !this.ready || !this.result) return;
    // Every grade up to this seq is in the file before it is read below.
    const appliedSeq = this.gradeSaves.savedSeq;
    try {
      const graded = await Promise.all(runs.map((r) => grades.gradedOf(r.run)));
      const columns = graded.map((samples, i) => casesGrades(runs[i]?.run.cases ?? [], samples));
      // The panel may have moved on to other runs while the grades file was read.
      if (this.runs === runs && this.ready)
        await this.panel.webview.postMessage({ type: 'grades', columns, appliedSeq } satisfies CompareHostMessage);
    } catch (error) {
      this.services.log.error('Compare: could not read the grades', error);
    }
  }

  /** A grade from the view, of the output of one compared run's case, into the grades store. */
  private async grade(message: Extract<CompareViewMessage, { type: 'grade' }>): Promise<void> {
    const grades = this.services.grades;
    const { type: _type, column, ...input } = message;
    const compared = this.runs[column];
    const result = compared?.run.cases.find((c) => c.caseIndex === input.caseIndex);
    if (!grades || !compared || !result) {
      void vscode.window.showInformationMessage(Text.noCaseOutput);
      return;
    }
    const header = compared.run.header;
    // The output compare shows (and grades) is the case's first sample.
    const sample = result.samples[0]?.sample ?? 0;
    await this.gradeSaves.save(input.seq, () =>
      grades.save(vscode.Uri.file(header.promptFile), header, result, { ...input, sample }),
    );
    await this.postGrades();
  }

  private send(message: CompareHostMessage): void {
    if (this.ready) void this.panel.webview.postMessage(message);
    // Before the view is ready only the latest state matters.
    else this.pending = message;
  }

  private async receive(message: unknown): Promise<void> {
    if (!isCompareViewMessage(message)) {
      this.services.log.warn(`Compare view sent an invalid ${describeRejected(message)}; ignored.`);
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      this.services.log.error('Compare view request failed', error);
      void vscode.window.showErrorMessage(Text.failed(error instanceof Error ? error.message : String(error)));
    }
  }

  private async handle(message: CompareViewMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const pending = this.pending;
        this.pending = undefined;
        if (this.result) await this.show(this.runs);
        else if (pending) void this.panel.webview.postMessage(pending);
        return;
      }
      case 'request-diff': {
        const comparison = this.comparison;
        const row = comparison?.rows.find((r) => r.caseKey === message.caseKey);
        const [a, b] = this.runs;
        if (!row || !a || !b) return;
        const core = await loadEngine();
        row.diff = core.rowDiff(a.run, b.run, row);
        void this.panel.webview.postMessage({
          type: 'diff',
          caseKey: row.caseKey,
          diff: row.diff,
        } satisfies CompareHostMessage);
        return;
      }
      case 'open-diff': {
        const row = this.comparison?.rows.find((r) => r.caseKey === message.caseKey);
        const [a, b] = this.runs;
        if (!row || !a || !b) return;
        await this.openCaseDiff(row.label, [a, row.a.caseIndex], [b, row.b.caseIndex]);
        return;
      }
      case 'open-matrix-diff': {
        const matrixRow = this.matrix?.rows.find((r) => r.caseKey === message.caseKey);
        const left = this.runs[message.left];
        const right = this.runs[message.right];
        if (!matrixRow || !left || !right) return;
        const leftCase = left.run.cases.find((c) => c.caseKey === message.caseKey);
        const rightCase = right.run.cases.find((c) => c.caseKey === message.caseKey);
        if (!leftCase || !rightCase) {
          void vscode.window.showInformationMessage(Text.notInBothRuns(matrixRow.label));
          return;
        }
        await this.openCaseDiff(matrixRow.label, [left, leftCase.caseIndex], [right, rightCase.caseIndex]);
        return;
      }
      case 'grade':
        return this.grade(message);
    }
  }

  /** Native diff editor over the two full outputs, titled `case 3: gpt-4o ↔ gpt-4o-mini`. */
  async openCaseDiff(
    label: string,
    [left, leftIndex]: [ComparedRun, number],
    [right, rightIndex]: [ComparedRun, number],
  ): Promise<void> {
    const core = await loadEngine();
    const leftName = core.runLabel(left.run.header);
    const rightName = core.runLabel(right.run.header);
    const leftCase = left.run.cases.find((c) => c.caseIndex === leftIndex);
    const rightCase = right.run.cases.find((c) => c.caseIndex === rightIndex);
    await this.documents.openDiff(
      `${label}: ${leftName} ↔ ${rightName}`,
      { name: `${label} (${leftName}).txt`, text: fullOutput(leftCase) },
      { name: `${label} (${rightName}).txt`, text: fullOutput(rightCase) },
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** One run's grades by case: the grade of the case's first sample (the output compare shows), and a count. */
function casesGrades(cases: readonly CaseResult[], graded: readonly GradedSample[]): ComparedCaseGradeView[] {
  const firstSample = new Map(cases.map((c) => [c.caseIndex, c.samples[0]?.sample]));
  const byCase = new Map<number, ComparedCaseGradeView>();
  for (const g of graded) {
    const entry = byCase.get(g.caseIndex) ?? { caseIndex: g.caseIndex, gradedSamples: 0 };
    entry.gradedSamples++;
    if (g.sample === firstSample.get(g.caseIndex)) entry.shown = sideGrade(g);
    byCase.set(g.caseIndex, entry);
  }
  return [...byCase.values()];
}

function sideGrade(g: GradedSample): SideGradeView {
  const view: SideGradeView = gradeFields(g);
  if (g.at !== undefined) view.at = g.at;
  return view;
}

/** Every sample's full output (not the display cut), with errors spelled out. */
export function fullOutput(c: CaseResult | undefined): string {
  if (!c) return '(this case is not in the run)';
  const parts = c.samples.map((s) => (s.error !== undefined && !s.output ? `[error] ${s.error}` : s.output));
  if (parts.length === 0) return c.error !== undefined ? `[error] ${c.error}` : '';
  if (parts.length === 1) return parts[0] as string;
  return parts.map((text, i) => `──── sample ${i + 1} of ${parts.length} ────\n${text}`).join('\n\n');
}

export class ComparePanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Set<ComparePanel>();
  private active: ComparePanel | undefined;

  private readonly gradesChanged: vscode.Disposable | undefined;

  constructor(
    private readonly services: ComparePanelServices,
    private readonly documents: CompareDocuments,
  ) {
    // A grade given anywhere (a run panel, another comparison, git pull) shows in every comparison.
    this.gradesChanged = services.grades?.onDidChange(() => {
      for (const panel of this.panels) void panel.postGrades();
    });
  }

  /** The most recently opened or focused panel (commands and tests act on it). */
  get current(): ComparePanel | undefined {
    return this.active;
  }

  open(title: string): ComparePanel {
    const panel = vscode.window.createWebviewPanel(
      COMPARE_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
      webviewOptions(this.services.extensionUri),
    );
    return this.adopt(panel);
  }

  private adopt(webviewPanel: vscode.WebviewPanel): ComparePanel {
    const panel = new ComparePanel(webviewPanel, this.services, this.documents);
    this.panels.add(panel);
    this.active = panel;
    webviewPanel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active) this.active = panel;
    });
    panel.onDidDispose(() => {
      this.panels.delete(panel);
      if (this.active === panel) this.active = undefined;
      panel.dispose();
    });
    return panel;
  }

  /** After a restart: reload the runs named in the view's saved state and compare them again. */
  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const panel = this.adopt(webviewPanel);
    const files = isCompareViewState(state) ? (state.runFiles ?? []).filter(Boolean) : [];
    if (files.length < 2) {
      panel.fail(
        'This comparison cannot be restored (its runs were not stored). Compare the runs again from the Run History view.',
      );
      return;
    }
    try {
      const core = await loadEngine();
      const runs = await Promise.all(
        files.map(async (file) => ({ run: await new core.RunStore(path.dirname(file)).load(file), file })),
      );
      await panel.show(runs);
    } catch (error) {
      panel.fail(`Could not restore this comparison: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    this.gradesChanged?.dispose();
    for (const panel of [...this.panels]) panel.dispose();
    this.panels.clear();
  }
}
