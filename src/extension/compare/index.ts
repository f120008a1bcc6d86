// The compare side of the extension: Run History tree, "Compare models…", "Compare with revision…",
// compare panels and read-only output documents for the native diff editor.
import * as vscode from 'vscode';
import type { LoadedRun } from '../../core/store/runStore';
import { COMPARE_VIEW_TYPE } from '../../protocol/compare';
import type { CommandUnit } from '../commands/registry';
import { Commands } from '../commands/ids';
import type { Logger } from '../log';
import { Text } from '../messages';
import { fileLenses, type FileLens } from '../run/codeLens';
import type { RunState } from '../run/runState';
import type { TrustGuard } from '../trust';
import { PROMPT_SELECTOR } from '../workspace/promptFiles';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { compareCommands } from './commands';
import { CompareDocuments } from './documents';
import { HISTORY_VIEW_ID, RunHistoryProvider } from './history';
import { ComparePanels, type CompareGradeSource } from './panel';

export type { CompareCommandResult } from './commands';

export interface CompareFeatureServices {
  workspace: PromptWorkspace;
  state: RunState;
  trust: TrustGuard;
  log: Logger;
  /** Opens a stored run in its prompt file's run panel. */
  showStoredRun(run: LoadedRun): void;
  /** The human grades: shown as evidence in comparisons and given there (the run panels' store). */
  grades?: CompareGradeSource;
}

const COMPARE_LENSES: readonly FileLens[] = [
  { title: Text.compareModelsLens, command: Commands.compareModels },
  { title: Text.compareRevisionLens, command: Commands.compareWithRevision },
];

/**
 * "Compare models…" and "Compare with revision…" at the top of a prompt file. Registered by the
 * composition root before the run lenses: VS Code lists the newest provider's lenses first, and
 * "▶ Run prompt" should lead.
 */
export function registerCompareCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, {
    provideCodeLenses: (document: vscode.TextDocument): vscode.CodeLens[] => fileLenses(document.uri, COMPARE_LENSES),
  });
}

/** Builds the compare side and returns its command units (the composition root registers them). */
export function registerCompareFeatures(
  context: vscode.ExtensionContext,
  services: CompareFeatureServices,
): CommandUnit[] {
  const documents = new CompareDocuments();
  const panels = new ComparePanels(
    {
      extensionUri: context.extensionUri,
      log: services.log,
      ...(services.grades ? { grades: services.grades } : {}),
    },
    documents,
  );
  const history = new RunHistoryProvider(services.workspace, services.log, (runId) => services.state.batchOf(runId));
  const tree = vscode.window.createTreeView(HISTORY_VIEW_ID, {
    treeDataProvider: history,
    canSelectMany: true,
    showCollapseAll: true,
  });

  // Run files appear and disappear as runs start and get deleted; refresh the tree (debounced).
  let refreshTimer: NodeJS.Timeout | undefined;
  const scheduleRefresh = (): void => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => history.refresh(), 300);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl', false, true, false);

  context.subscriptions.push(
    documents.register(),
    panels,
    history,
    tree,
    watcher,
    watcher.onDidCreate(scheduleRefresh),
    watcher.onDidDelete(scheduleRefresh),
    // An editor run (from any starter) shows in the Run History as soon as it starts and when it ends.
    services.state.onDidChange((change) => {
      if (
        change.kind === 'started' ||
        change.kind === 'ended' ||
        (change.kind === 'event' && change.event.type === 'batch-status')
      )
        scheduleRefresh();
    }),
    { dispose: () => refreshTimer && clearTimeout(refreshTimer) },
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, panels),
  );
  return compareCommands({
    workspace: services.workspace,
    trust: services.trust,
    log: services.log,
    panels,
    history,
    tree,
    showStoredRun: services.showStoredRun,
  });
}
