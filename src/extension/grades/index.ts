// Grades in the editor: the grades service, grading in every run panel, the Judge Agreement view
// and its command units. Built once by activate() after the run side, whose panels it attaches to.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import type { Logger } from '../log';
import type { PanelHost, RunPanelManager } from '../run/panel';
import type { RunState } from '../run/runState';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { AGREEMENT_VIEW_ID, AgreementView, type AgreementNode, EvaluatorNode } from './agreementView';
import { GradesService, gradesMessage } from './service';

export interface GradeFeatureServices {
  workspace: PromptWorkspace;
  state: RunState;
  log: Logger;
  panels: RunPanelManager;
  panelHost: PanelHost;
}

export interface GradeFeatures {
  readonly service: GradesService;
  readonly agreement: AgreementView;
  readonly commands: CommandUnit[];
}

export function registerGradeFeatures(
  context: vscode.ExtensionContext,
  { workspace, state, log, panels, panelHost }: GradeFeatureServices,
): GradeFeatures {
  const service = new GradesService((uri) => workspace.rootFor(uri), log);
  const agreement = new AgreementView({ panels, panelHost, workspace, log }, service);
  const tree = vscode.window.createTreeView<AgreementNode>(AGREEMENT_VIEW_ID, {
    treeDataProvider: agreement,
    showCollapseAll: true,
  });
  agreement.attach(tree);
  const refreshView = (): void => {
    if (tree.visible) void agreement.refresh();
  };
  context.subscriptions.push(
    service,
    agreement,
    tree,
    panels.attachGrades({
      forResults: async (uri, header, results) => gradesMessage(await service.forResults(uri, header, results)),
      save: (uri, header, result, input) => service.save(uri, header, result, input),
    }),
    service.onDidChange(() => {
      void panels.refreshGrades();
      refreshView();
    }),
    state.onDidChange((change) => {
      if (change.kind === 'ended') refreshView();
    }),
    tree.onDidChangeVisibility((e) => {
      if (e.visible) void agreement.refresh();
    }),
    vscode.window.onDidChangeActiveTextEditor(refreshView),
  );

  const commands = [
    command(Commands.refreshAgreement, () => agreement.refresh()),
    command(Commands.showDisagreements, async (node?: unknown) => {
      const snap = agreement.snapshot;
      const evaluator =
        node instanceof EvaluatorNode
          ? node.agreement.name
          : snap?.evaluators.find((e) => e.disagreements.length > 0)?.name;
      const next = evaluator ? agreement.nextDisagreement(evaluator) : undefined;
      if (!snap || !next) {
        void vscode.window.showInformationMessage(
          'No disagreements between your grades and the evaluators in this run.',
        );
        return;
      }
      await agreement.openCase(snap.promptUri, snap.runId, next.case - 1, next.sample - 1);
    }),
    command(Commands.openGradedCase, async (uri?: unknown, runId?: unknown, caseIndex?: unknown, sample?: unknown) => {
      if (
        !(uri instanceof vscode.Uri) ||
        typeof runId !== 'string' ||
        typeof caseIndex !== 'number' ||
        typeof sample !== 'number'
      )
        return;
      await agreement.openCase(uri, runId, caseIndex, sample);
    }),
  ];
  return { service, agreement, commands };
}
