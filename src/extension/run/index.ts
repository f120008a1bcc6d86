// The run side of the extension: the editor's runs, the run panel, CodeLens, status bar and Test
// Explorer, all reading the shared run state. registerRunFeatures builds it from the shared services
// and returns what other areas (compare) and the commands use.
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import type { Logger } from '../log';
import type { TrustGuard } from '../trust';
import { PROMPT_SELECTOR, isPromptUri } from '../workspace/promptFiles';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { RunCodeLensProvider } from './codeLens';
import { EditorRuns } from './editorRuns';
import { OutputDocuments } from './outputDocuments';
import { RUN_PANEL_VIEW_TYPE, RunPanelManager } from './panel';
import { RunPanelHost } from './panelHost';
import type { RunState } from './runState';
import { createRunStatusBar } from './statusBar';
import { PromptTests } from './testing';

export interface RunFeatureServices {
  workspace: PromptWorkspace;
  state: RunState;
  trust: TrustGuard;
  log: Logger;
  errors: ErrorReporter;
}

export interface RunFeatures {
  readonly runs: EditorRuns;
  readonly panels: RunPanelManager;
  readonly panelHost: RunPanelHost;
  readonly tests: PromptTests;
}

export function registerRunFeatures(
  context: vscode.ExtensionContext,
  { workspace, state, trust, log, errors }: RunFeatureServices,
): RunFeatures {
  const outputs = new OutputDocuments();
  const runs = new EditorRuns(workspace, state, trust, log);
  const panelHost = new RunPanelHost(log, context.extensionUri, workspace, runs, state, trust, outputs, errors);
  const panels = new RunPanelManager(panelHost, state);
  const tests = new PromptTests(runs, workspace, state, log);
  const codeLens = new RunCodeLensProvider(workspace);

  context.subscriptions.push(
    panels,
    tests,
    codeLens,
    createRunStatusBar(state),
    outputs.register(),
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, codeLens),
    workspace.onDidValidate(() => codeLens.refresh()),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, panels),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isPromptUri(doc.uri)) void panels.refresh(doc.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      codeLens.refresh();
      void panels.refreshAll();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptlab.defaultModel')) void panels.refreshAll();
    }),
  );
  // Discovery reads every prompt file; it must not delay activation.
  void tests.discoverAll().catch((error: unknown) => log.error('Test discovery failed', error));
  return { runs, panels, panelHost, tests };
}
