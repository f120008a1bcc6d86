// The compare side of the extension: Run History tree, "Compare models…", "Compare with revision…",
// compare panels and read-only output documents for the native diff editor.
import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../core/engine';
import type { FileReader } from '../../core/model';
import type { RunEvent } from '../../core/run/types';
import { COMPARE_VIEW_TYPE } from '../../protocol/compare';
import type { RunServices } from '../run';
import { configuredEndpoints } from '../run/resolver';
import { readSettings } from '../settings';
import { CompareDocuments } from './documents';
import { registerResumeCommands } from '../run/resume';
import { HISTORY_VIEW_ID, RunHistoryProvider, RunNode, type HistoryNode } from './history';
import { ComparePanels, type ComparePanel, type ComparedRun } from './panel';

export const CompareCommands = {
  compareModels: 'promptlab.compareModels',
  compareWithRevision: 'promptlab.compareWithRevision',
  compareRuns: 'promptlab.compareRuns',
  openCaseDiff: 'promptlab.compare.openCaseDiff',
  selectForCompare: 'promptlab.history.selectForCompare',
  compareWithSelected: 'promptlab.history.compareWithSelected',
  openRun: 'promptlab.history.openRun',
  deleteRun: 'promptlab.history.deleteRun',
  refresh: 'promptlab.history.refresh',
} as const;

/** What the compare commands return (used by tests and automation). */
export interface CompareCommandResult {
  runFiles: string[];
}

function isPromptUri(uri: vscode.Uri): boolean {
  return /\.prompt\.ya?ml$/i.test(uri.path);
}

function targetOf(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && isPromptUri(active) ? active : undefined;
}

/** Reads files the way the editor sees them: an open document's (unsaved) text first, then disk. */
const editorReader: FileReader = {
  async readFile(absolutePath: string): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === absolutePath);
    return open ? open.getText() : fs.readFile(absolutePath, 'utf8');
  },
};

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows a compare failure; git/input problems carry their hint. Never throws. */
function reportError(services: RunServices, error: unknown): void {
  const hint = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? ` ${error.hint}` : '';
  if (error instanceof Error && error.name === 'PromptLabError' && (error as { kind?: string }).kind === 'input' && !(error as { location?: unknown }).location) {
    services.log.warn(`Compare: ${message(error)}`);
    void vscode.window.showErrorMessage(`PromptLab: ${message(error)}${hint}`);
    return;
  }
  services.reportRunError(error);
}

/**
 * "Compare models…" and "Compare with revision…" at the top of a prompt file. Registered by the
 * composition root before the run lenses: VS Code lists the newest provider's lenses first, and
 * "▶ Run prompt" should lead.
 */
export function registerCompareCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider([{ language: 'prompt-yaml' }, { pattern: '**/*.prompt.{yml,yaml}' }], new CodeLensForCompare());
}

class CodeLensForCompare implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(diff) Compare models…', command: CompareCommands.compareModels, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: '$(git-compare) Compare with revision…', command: CompareCommands.compareWithRevision, arguments: [document.uri] }),
    ];
  }
}

interface ModelItem extends vscode.QuickPickItem {
  modelId?: string;
}

async function pickModels(services: RunServices, uri: vscode.Uri, fileModel: string | undefined): Promise<string[] | undefined> {
  const items: ModelItem[] = [];
  const seen = new Set<string>();
  const add = (modelId: string, description: string, picked = false): void => {
    if (!modelId || seen.has(modelId)) return;
    seen.add(modelId);
    items.push({ label: modelId, description, modelId, picked });
  };
  const settings = readSettings(uri);
  if (fileModel) add(fileModel, 'the file’s model', true);
  if (settings.defaultModel) add(settings.defaultModel, 'default model');
  try {
    for (const endpoint of await configuredEndpoints(services.controller.workspaceRootFor(uri), settings))
      for (const model of endpoint.models) add(model, `configured (${endpoint.origin})`);
  } catch (error) {
    services.log.warn(`Could not read the provider configuration for the model list: ${message(error)}`);
  }
  const typeOwn: ModelItem = { label: '$(edit) Type model ids…', alwaysShow: true };
  const picked = await vscode.window.showQuickPick([...items, typeOwn], {
    canPickMany: true,
    title: 'Compare models: pick two or more',
    placeHolder: 'The same test cases run on each model (cached replies are reused)',
  });
  if (!picked) return undefined;
  const models = picked.filter((p) => p.modelId).map((p) => p.modelId as string);
  if (picked.includes(typeOwn)) {
    const typed = await vscode.window.showInputBox({ title: 'Compare models', prompt: 'Model ids, separated by commas', placeHolder: 'openai/gpt-4o, openai/gpt-4o-mini' });
    if (typed === undefined) return undefined;
    models.push(...typed.split(',').map((m) => m.trim()).filter(Boolean));
  }
  return [...new Set(models)];
}

interface RevisionItem extends vscode.QuickPickItem {
  revision: string;
}

async function pickRevision(services: RunServices, uri: vscode.Uri): Promise<string | undefined> {
  const core = await services.loadCore();
  const history = await core.fileHistory(uri.fsPath, { maxCount: 100 });
  if (history.length === 0) throw new core.PromptLabError(`${path.basename(uri.fsPath)} has no commits yet.`, 'input', undefined, 'Commit it first.');
  const current = history[0]?.path;
  const items: RevisionItem[] = history.map((h, i) => ({
    label: `${h.shortCommit}  ${h.subject}`,
    description: `${h.author} · ${new Date(h.date).toLocaleString()}${i === 0 ? ' · HEAD' : ''}`,
    ...(h.path !== current ? { detail: `as ${h.path}` } : {}),
    revision: i === 0 ? 'HEAD' : h.commit,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: `Compare ${path.basename(uri.fsPath)} (working copy) with…`,
    placeHolder: 'A commit of this file (the first is HEAD)',
  });
  return picked?.revision;
}

export function registerCompareFeatures(context: vscode.ExtensionContext, services: RunServices): void {
  const documents = new CompareDocuments();
  const panels = new ComparePanels(services, documents);
  const history = new RunHistoryProvider(services);
  const tree = vscode.window.createTreeView(HISTORY_VIEW_ID, { treeDataProvider: history, canSelectMany: true, showCollapseAll: true });

  // Run files appear and disappear as runs start and get deleted; refresh the tree (debounced).
  let refreshTimer: NodeJS.Timeout | undefined;
  const scheduleRefresh = (): void => {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => history.refresh(), 300);
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.jsonl', false, true, false);

  const showRuns = async (runs: ComparedRun[], title: string): Promise<void> => {
    const panel = panels.current && !panels.current.comparison && !panels.current.matrix ? panels.current : panels.open(title);
    await panel.show(runs);
    panel.panel.reveal();
  };

  const loadRunFiles = async (files: string[]): Promise<ComparedRun[]> => {
    const core = await services.loadCore();
    return Promise.all(files.map(async (file) => ({ run: await new core.RunStore(path.dirname(file)).load(file), file })));
  };

  const compareRunFiles = async (files: string[]): Promise<CompareCommandResult | undefined> => {
    if (files.length < 2) {
      void vscode.window.showInformationMessage('Pick at least two runs to compare.');
      return undefined;
    }
    try {
      const runs = await loadRunFiles(files);
      const core = await services.loadCore();
      const files0 = new Set(runs.map((r) => r.run.header.promptFile));
      if (files0.size > 1) void vscode.window.showWarningMessage(`These runs are of ${files0.size} different prompt files; cases are matched by their variables.`);
      await showRuns(runs, `Compare ${runs.map((r) => core.runLabel(r.run.header)).join(' ↔ ')}`);
      return { runFiles: files };
    } catch (error) {
      reportError(services, error);
      return undefined;
    }
  };

  /** Runs `work` with a cancellable progress notification, the compare panel showing progress. */
  const withRunProgress = async <T,>(title: string, work: (signal: AbortSignal, report: (text: string) => void) => Promise<T>): Promise<{ value: T; panel: ComparePanel }> => {
    const panel = panels.open(title);
    try {
      const value = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        const abort = new AbortController();
        const cancel = token.onCancellationRequested(() => abort.abort());
        try {
          return await work(abort.signal, (text) => {
            progress.report({ message: text });
            panel.progress(text);
          });
        } finally {
          cancel.dispose();
        }
      });
      return { value, panel };
    } catch (error) {
      panel.fail(message(error));
      throw error;
    }
  };

  const progressEvents = (report: (text: string) => void): RunOptionsEvents => {
    let model = '';
    let done = 0;
    let total = 0;
    return {
      onEvent: (event) => {
        if (event.type === 'run-started') {
          model = event.header.label ?? event.header.model;
          done = 0;
          total = event.header.caseCount;
        } else if (event.type === 'case-finished' || event.type === 'case-failed') done++;
        else return;
        report(`${model}: ${done}/${total} cases`);
      },
    };
  };

  const runContext = async (uri: vscode.Uri, modelIds: string[], signal: AbortSignal, report: (text: string) => void) => {
    const settings = readSettings(uri);
    const [resolver, store, cache] = await Promise.all([services.createResolver(uri, modelIds), services.runStoreFor(uri), services.cacheFor(uri)]);
    return {
      resolver,
      store,
      signal,
      concurrency: settings.concurrency,
      workspaceRoot: services.controller.workspaceRootFor(uri),
      runWithoutTestData: true,
      onWarning: (warning: string) => services.log.warn(`Compare: ${warning}`),
      ...(cache ? { cache } : {}),
      ...progressEvents(report),
    };
  };

  const asCompared = (outcome: RunOutcome): ComparedRun => ({ run: outcome, ...(outcome.runFile ? { file: outcome.runFile } : {}) });

  context.subscriptions.push(
    documents.register(),
    panels,
    history,
    tree,
    watcher,
    watcher.onDidCreate(scheduleRefresh),
    watcher.onDidDelete(scheduleRefresh),
    { dispose: () => refreshTimer && clearTimeout(refreshTimer) },
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, panels),

    vscode.commands.registerCommand(CompareCommands.compareModels, async (uriArg?: unknown, modelsArg?: unknown): Promise<CompareCommandResult | undefined> => {
      const uri = targetOf(uriArg);
      if (!uri) {
        void vscode.window.showInformationMessage('Open a .prompt.yml file to compare models on its test cases.');
        return undefined;
      }
      try {
        services.trust.assertRunAllowed();
        const loaded = await services.loadPrompt(uri);
        const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
        const prompt = loaded.prompt;
        if (!prompt || errors.length) {
          const core = await services.loadCore();
          const first = errors[0];
          throw new core.PromptLabError(`${path.basename(uri.fsPath)} has errors${first ? `: ${first.message}` : ''}; fix them before comparing.`, 'input', first ? { file: first.file, range: first.range } : { file: uri.fsPath });
        }
        const models = Array.isArray(modelsArg) && modelsArg.every((m) => typeof m === 'string') ? (modelsArg as string[]) : await pickModels(services, uri, prompt.model);
        if (!models) return undefined;
        if (models.length < 2) {
          void vscode.window.showInformationMessage('Pick at least two models to compare.');
          return undefined;
        }
        const core = await services.loadCore();
        const { value: outcomes, panel } = await withRunProgress(`Compare models: ${models.join(' ↔ ')}`, async (signal, report) =>
          core.runOnModels({ prompt, models, run: await runContext(uri, models, signal, report) }),
        );
        const runs = outcomes.map(asCompared);
        history.refresh();
        await panel.show(runs);
        return { runFiles: runs.map((r) => r.file ?? '') };
      } catch (error) {
        reportError(services, error);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(CompareCommands.compareWithRevision, async (uriArg?: unknown, revisionArg?: unknown): Promise<CompareCommandResult | undefined> => {
      const uri = targetOf(uriArg);
      if (!uri) {
        void vscode.window.showInformationMessage('Open a .prompt.yml file to compare it with an earlier revision.');
        return undefined;
      }
      try {
        services.trust.assertRunAllowed();
        const revision = typeof revisionArg === 'string' ? revisionArg : await pickRevision(services, uri);
        if (!revision) return undefined;
        const core = await services.loadCore();
        const { value: result, panel } = await withRunProgress(`Compare ${path.basename(uri.fsPath)}: ${revision} ↔ working copy`, async (signal, report) => {
          const prompt = (await services.loadPrompt(uri)).prompt;
          const models = prompt?.model ? [prompt.model] : [];
          return core.compareRevisions({ file: uri.fsPath, revision, reader: editorReader, run: await runContext(uri, models, signal, report) });
        });
        history.refresh();
        const runs = [asCompared(result.base), asCompared(result.working)];
        await panel.show(runs);
        return { runFiles: runs.map((r) => r.file ?? '') };
      } catch (error) {
        reportError(services, error);
        return undefined;
      }
    }),

    vscode.commands.registerCommand(CompareCommands.compareRuns, async (first?: unknown, selection?: unknown, ...rest: unknown[]): Promise<CompareCommandResult | undefined> => {
      // From the tree: (clicked node, selected nodes). From code: run file paths. From the palette: a pick.
      const strings = [first, selection, ...rest].filter((a): a is string => typeof a === 'string');
      if (strings.length) return compareRunFiles(strings);
      const nodes = Array.isArray(selection) ? selection.filter((n): n is RunNode => n instanceof RunNode) : first instanceof RunNode ? [first] : [];
      if (nodes.length >= 2) return compareRunFiles(nodes.map((n) => n.file));
      const runs = await history.allRuns();
      const picked = await vscode.window.showQuickPick(
        runs.map((info) => ({ label: `${path.basename(info.header.promptFile)} — ${info.header.label ?? info.header.model}`, description: new Date(info.header.startedAt).toLocaleString(), file: info.file, picked: nodes.some((n) => n.file === info.file) })),
        { canPickMany: true, title: 'Compare runs: pick two or more' },
      );
      return picked ? compareRunFiles(picked.map((p) => p.file)) : undefined;
    }),

    vscode.commands.registerCommand(CompareCommands.selectForCompare, (node?: unknown) => {
      const target = node instanceof RunNode ? node : tree.selection.find((n): n is RunNode => n instanceof RunNode);
      if (!target) return;
      history.selectedForCompare = target;
      void vscode.commands.executeCommand('setContext', 'promptlab.runSelectedForCompare', true);
      history.refresh();
    }),

    vscode.commands.registerCommand(CompareCommands.compareWithSelected, async (node?: unknown) => {
      const target = node instanceof RunNode ? node : tree.selection.find((n): n is RunNode => n instanceof RunNode);
      const selected = history.selectedForCompare;
      if (!target || !selected) {
        void vscode.window.showInformationMessage('First choose "Select for Compare" on a run, then "Compare with Selected" on another.');
        return undefined;
      }
      return compareRunFiles([selected.file, target.file]);
    }),

    vscode.commands.registerCommand(CompareCommands.openRun, async (node?: unknown) => {
      const target = node instanceof RunNode ? node : tree.selection.find((n): n is RunNode => n instanceof RunNode);
      if (!target) return;
      try {
        const core = await services.loadCore();
        const loaded = await new core.RunStore(path.dirname(target.file)).load(target.file);
        services.controller.panels.show(vscode.Uri.file(loaded.header.promptFile), false).showStoredRun(loaded);
      } catch (error) {
        reportError(services, error);
      }
    }),

    vscode.commands.registerCommand(CompareCommands.deleteRun, async (node?: unknown, selection?: unknown) => {
      const nodes = Array.isArray(selection) && selection.length ? selection.filter((n): n is RunNode => n instanceof RunNode) : node instanceof RunNode ? [node] : [];
      if (nodes.length === 0) return;
      const what = nodes.length === 1 ? `the run ${describeShort(nodes[0] as RunNode)}` : `${nodes.length} runs`;
      const answer = await vscode.window.showWarningMessage(`Delete ${what}? The run file is removed from disk.`, { modal: true }, 'Delete');
      if (answer !== 'Delete') return;
      for (const n of nodes) {
        try {
          await fs.unlink(n.file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') reportError(services, error);
        }
        if (history.selectedForCompare?.file === n.file) history.selectedForCompare = undefined;
      }
      history.refresh();
    }),

    vscode.commands.registerCommand(CompareCommands.refresh, () => history.refresh()),
    ...registerResumeCommands(services.controller, () => history.refresh()),

    vscode.commands.registerCommand(CompareCommands.openCaseDiff, async (caseKey?: unknown) => {
      const panel = panels.current;
      const comparison = panel?.comparison;
      if (!panel || !comparison) {
        void vscode.window.showInformationMessage('Open a comparison of two runs first.');
        return false;
      }
      const row = typeof caseKey === 'string' ? comparison.rows.find((r) => r.caseKey === caseKey) : comparison.rows[0];
      const [a, b] = panel.compared;
      if (!row || !a || !b) return false;
      await panel.openCaseDiff(row.label, [a, row.a.caseIndex], [b, row.b.caseIndex]);
      return true;
    }),
  );
}

type RunOptionsEvents = { onEvent: (event: RunEvent) => void };

function describeShort(node: RunNode): string {
  return `${node.info.header.model} of ${new Date(node.info.header.startedAt).toLocaleString()}`;
}

export type { HistoryNode };
