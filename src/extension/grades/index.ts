// Grades in the editor: the grades service, grading in every run panel, the Agreement view and
// its commands. Built once by activate() after the run side, whose panels it attaches to.
import * as vscode from 'vscode';
import type { RunServices } from '../run';
import { AGREEMENT_VIEW_ID, AgreementCommands, AgreementView, type AgreementNode, EvaluatorNode } from './agreementView';
import { GradesService, gradesMessage } from './service';

export interface GradeFeatures {
  readonly service: GradesService;
  readonly agreement: AgreementView;
}

export function registerGradeFeatures(context: vscode.ExtensionContext, run: RunServices): GradeFeatures {
  const service = new GradesService((uri) => run.controller.workspaceRootFor(uri), run.log);
  const agreement = new AgreementView(run, service);
  const tree = vscode.window.createTreeView<AgreementNode>(AGREEMENT_VIEW_ID, { treeDataProvider: agreement, showCollapseAll: true });
  agreement.attach(tree);
  const panels = run.controller.panels;
  const refresh = (): void => {
    void panels.refreshGrades();
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
    service.onDidChange(refresh),
    run.controller.onDidFinishRun(() => {
      if (tree.visible) void agreement.refresh();
    }),
    tree.onDidChangeVisibility((e) => {
      if (e.visible) void agreement.refresh();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => {
      if (tree.visible) void agreement.refresh();
    }),
    vscode.commands.registerCommand(AgreementCommands.refresh, () => agreement.refresh()),
    vscode.commands.registerCommand(AgreementCommands.showDisagreements, async (node?: unknown) => {
      const target = node instanceof EvaluatorNode ? node : undefined;
      const evaluator = target?.agreement.name ?? agreement.snapshot?.evaluators.find((e) => e.disagreements.length > 0)?.name;
      const snap = agreement.snapshot;
      const next = evaluator ? agreement.nextDisagreement(evaluator) : undefined;
      if (!snap || !next) {
        void vscode.window.showInformationMessage('No disagreements between your grades and the evaluators in this run.');
        return;
      }
      await agreement.openCase(snap.promptUri, snap.runId, next.case - 1, next.sample - 1);
    }),
    vscode.commands.registerCommand(AgreementCommands.openCase, async (uri?: unknown, runId?: unknown, caseIndex?: unknown, sample?: unknown) => {
      if (!(uri instanceof vscode.Uri) || typeof runId !== 'string' || typeof caseIndex !== 'number' || typeof sample !== 'number') return;
      await agreement.openCase(uri, runId, caseIndex, sample);
    }),
  );
  return { service, agreement };
}
