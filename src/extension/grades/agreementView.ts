// The Agreement view (PromptLab activity bar): for the current prompt file, each evaluator's
// agreement with the person's grades on the results shown in its run panel (else its latest
// stored run): κ, agreement, n, and its disagreements, which open in the run panel.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Disagreement, EvaluatorAgreement } from '../../core/grades';
import type { CaseResult, RunHeader } from '../../core/run/types';
import { Commands } from '../commands/ids';
import type { Logger } from '../log';
import type { PanelHost, RunPanelManager } from '../run/panel';
import { isPromptUri } from '../workspace/promptFiles';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import type { GradesService } from './service';

/** What the view reads: the open run panels, the run stores, and how to load a stored run. */
export interface AgreementViewServices {
  panels: RunPanelManager;
  panelHost: Pick<PanelHost, 'loadRun'>;
  workspace: Pick<PromptWorkspace, 'storeFor'>;
  log: Logger;
}

export const AGREEMENT_VIEW_ID = 'promptlab.agreement';

export class EvaluatorNode {
  readonly kind = 'evaluator';
  constructor(
    readonly promptUri: vscode.Uri,
    readonly runId: string,
    readonly agreement: EvaluatorAgreement,
  ) {}
}

export class DisagreementNode {
  readonly kind = 'disagreement';
  constructor(
    readonly promptUri: vscode.Uri,
    readonly runId: string,
    readonly evaluator: string,
    readonly disagreement: Disagreement,
  ) {}
}

export type AgreementNode = EvaluatorNode | DisagreementNode;

/** What the view shows now (also read by the extension tests). */
export interface AgreementSnapshot {
  promptUri: vscode.Uri;
  runId: string;
  evaluators: EvaluatorAgreement[];
  graded: number;
}

const decimal = (x: number | null): string => (x === null ? '—' : x.toFixed(2));
const percent = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)} %`);

export function evaluatorDescription(a: EvaluatorAgreement): string {
  return `κ ${decimal(a.kappa)} · ${percent(a.agreement)} agreement · n ${a.n}`;
}

export class AgreementView implements vscode.TreeDataProvider<AgreementNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AgreementNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private snapshotValue: AgreementSnapshot | undefined;
  private lastPrompt: vscode.Uri | undefined;
  /** Per evaluator, the disagreement shown last by "show disagreements". */
  private readonly cursor = new Map<string, number>();
  private view: vscode.TreeView<AgreementNode> | undefined;

  constructor(
    private readonly services: AgreementViewServices,
    private readonly grades: GradesService,
  ) {}

  attach(view: vscode.TreeView<AgreementNode>): void {
    this.view = view;
  }

  get snapshot(): AgreementSnapshot | undefined {
    return this.snapshotValue;
  }

  /** Recomputes for the current prompt file (the active editor's, else the last one shown). */
  refresh(): Promise<void> {
    return this.load(this.currentPrompt()).catch((error: unknown) =>
      this.services.log.error('Agreement view: refresh failed', error),
    );
  }

  /** The active prompt editor, else the active run panel's file, else a visible prompt editor, else the last one. */
  private currentPrompt(): vscode.Uri | undefined {
    const panels = this.services.panels.all();
    const active = vscode.window.activeTextEditor?.document.uri;
    return (
      (active && isPromptUri(active) ? active : undefined) ??
      panels.find((p) => p.webviewPanel.active)?.promptUri ??
      vscode.window.visibleTextEditors.map((e) => e.document.uri).find(isPromptUri) ??
      this.lastPrompt ??
      panels[0]?.promptUri
    );
  }

  private async results(uri: vscode.Uri): Promise<{ header: RunHeader; cases: CaseResult[] } | undefined> {
    const panel = this.services.panels.get(uri);
    const header = panel?.currentHeader;
    if (panel && header && panel.currentResults.size > 0) return { header, cases: [...panel.currentResults.values()] };
    const store = await this.services.workspace.storeFor(uri);
    const latest = (await store.list()).find((info) => info.header.promptFile === uri.fsPath);
    if (!latest) return undefined;
    const loaded = await store.load(latest.file);
    return { header: loaded.header, cases: loaded.cases };
  }

  private async load(uri: vscode.Uri | undefined): Promise<void> {
    if (!uri) {
      this.snapshotValue = undefined;
      this.setMessage('Open a .prompt.yml file to see how far its evaluators agree with your grades.');
      this.changed.fire(undefined);
      return;
    }
    this.lastPrompt = uri;
    const name = path.basename(uri.fsPath);
    const shown = await this.results(uri);
    if (!shown) {
      this.snapshotValue = undefined;
      this.setMessage(`${name} has no run yet. Run it, then grade its outputs in the run panel.`);
      this.changed.fire(undefined);
      return;
    }
    const { report } = await this.grades.forResults(uri, shown.header, shown.cases);
    this.snapshotValue = {
      promptUri: uri,
      runId: shown.header.runId,
      evaluators: report.evaluators,
      graded: report.graded,
    };
    this.cursor.clear();
    if (report.graded === 0)
      this.setMessage(
        `No graded outputs in this run of ${name}. In the run panel: j / k move between outputs, p pass, f fail, 1–5 score.`,
      );
    else if (report.evaluators.length === 0)
      this.setMessage(`${name} has no evaluators to compare with your ${report.graded} grades.`);
    else this.setMessage(undefined);
    if (this.view) this.view.description = `${name} · ${report.graded} graded`;
    this.changed.fire(undefined);
  }

  private setMessage(message: string | undefined): void {
    if (this.view) this.view.message = message;
  }

  getChildren(node?: AgreementNode): AgreementNode[] {
    const snap = this.snapshotValue;
    if (!snap || snap.graded === 0) return [];
    if (!node) return snap.evaluators.map((e) => new EvaluatorNode(snap.promptUri, snap.runId, e));
    if (node.kind === 'evaluator')
      return node.agreement.disagreements.map(
        (d) => new DisagreementNode(node.promptUri, node.runId, node.agreement.name, d),
      );
    return [];
  }

  getTreeItem(node: AgreementNode): vscode.TreeItem {
    if (node.kind === 'evaluator') {
      const a = node.agreement;
      const item = new vscode.TreeItem(
        a.name,
        a.disagreements.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
      );
      item.description = evaluatorDescription(a);
      const interval = a.kappaInterval
        ? `\n95 % interval of κ: ${decimal(a.kappaInterval[0])} to ${decimal(a.kappaInterval[1])} (analytic)`
        : '';
      const confusion = `\nYou pass / it passes: ${a.confusion.bothPass} · you fail / it fails: ${a.confusion.bothFail} · you pass / it fails: ${a.confusion.humanPassEvaluatorFail} · you fail / it passes: ${a.confusion.humanFailEvaluatorPass}`;
      item.tooltip = `${a.summary}${interval}${a.n > 0 ? confusion : ''}`;
      const good = a.kappa !== null && a.kappa > 0.6 && a.n >= 10;
      item.iconPath = new vscode.ThemeIcon(a.poor ? 'warning' : good ? 'pass' : 'info');
      item.contextValue = a.disagreements.length > 0 ? 'evaluatorWithDisagreements' : 'evaluator';
      item.id = `${node.runId}:${a.name}`;
      return item;
    }
    const d = node.disagreement;
    const id = d.sample > 1 ? `${d.case}.${d.sample}` : String(d.case);
    const item = new vscode.TreeItem(
      `Case ${id}: you ${d.human}, evaluator ${d.evaluator}`,
      vscode.TreeItemCollapsibleState.None,
    );
    if (d.note) item.description = d.note;
    item.tooltip = `Evaluator score ${d.evaluatorScore.toFixed(2)}${d.note ? `\nYour note: ${d.note}` : ''}\nClick to show it in the run panel.`;
    item.iconPath = new vscode.ThemeIcon('diff-modified');
    item.command = {
      command: Commands.openGradedCase,
      title: 'Show in the run panel',
      arguments: [node.promptUri, node.runId, d.case - 1, d.sample - 1],
    };
    item.id = `${node.runId}:${node.evaluator}:${id}`;
    return item;
  }

  /** The next disagreement of an evaluator (cycling), for "show disagreements". */
  nextDisagreement(evaluator: string): Disagreement | undefined {
    const found = this.snapshotValue?.evaluators.find((e) => e.name === evaluator);
    if (!found || found.disagreements.length === 0) return undefined;
    const next = ((this.cursor.get(evaluator) ?? -1) + 1) % found.disagreements.length;
    this.cursor.set(evaluator, next);
    return found.disagreements[next];
  }

  /** Shows one output of a run in the prompt's run panel and selects it. */
  async openCase(promptUri: vscode.Uri, runId: string, caseIndex: number, sample: number): Promise<void> {
    const panel = this.services.panels.show(promptUri, false);
    if (panel.currentHeader?.runId !== runId)
      panel.showStoredRun(await this.services.panelHost.loadRun(promptUri, runId));
    panel.focusCase(caseIndex, sample);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
