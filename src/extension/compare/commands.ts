// The compare commands as small units: compare models, compare with a revision, compare runs, and
// the Run History's actions. Errors go to the shared handler (registerCommands).
import fs from 'node:fs/promises';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunOptions, RunOutcome } from '../../core/engine';
import { PromptLabError } from '../../core/errors';
import type { RunEvent } from '../../core/run/types';
import type { LoadedRun } from '../../core/store/runStore';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import { requirePromptTarget, stringArg, stringListArg } from '../commands/targets';
import { loadEngine } from '../engine';
import type { Logger } from '../log';
import { Text } from '../messages';
import type { TrustGuard } from '../trust';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { modelChoices, type ModelPickItem, modelPickItems } from '../models/catalog';
import { RunHistoryProvider, RunNode } from './history';
import type { ComparePanel, ComparePanels, ComparedRun } from './panel';

/** What the compare commands return (used by tests and automation). */
export interface CompareCommandResult {
  runFiles: string[];
}

export interface CompareCommandServices {
  workspace: PromptWorkspace;
  trust: TrustGuard;
  log: Logger;
  panels: ComparePanels;
  history: RunHistoryProvider;
  tree: vscode.TreeView<unknown>;
  /** Opens a stored run in its prompt file's run panel. */
  showStoredRun(run: LoadedRun): void;
}

async function pickModels(
  workspace: PromptWorkspace,
  uri: vscode.Uri,
  fileModel: string | undefined,
): Promise<string[] | undefined> {
  const items: ModelPickItem[] = modelPickItems(await modelChoices(workspace, uri), (id) => id === fileModel);
  const typeOwn: ModelPickItem = { label: Text.typeModelIds, alwaysShow: true };
  const picked = await vscode.window.showQuickPick([...items, typeOwn], {
    canPickMany: true,
    title: Text.compareModelsTitle,
    placeHolder: Text.compareModelsPlaceholder,
  });
  if (!picked) return undefined;
  const models = picked.filter((p) => p.modelId).map((p) => p.modelId as string);
  if (picked.includes(typeOwn)) {
    const typed = await vscode.window.showInputBox({
      title: 'Compare models',
      prompt: Text.typeModelIdsPrompt,
      placeHolder: 'openai/gpt-4o, openai/gpt-4o-mini',
    });
    if (typed === undefined) return undefined;
    models.push(
      ...typed
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    );
  }
  return [...new Set(models)];
}

async function pickRevision(uri: vscode.Uri): Promise<string | undefined> {
  const engine = await loadEngine();
  const history = await engine.fileHistory(uri.fsPath, { maxCount: 100 });
  if (history.length === 0)
    throw new PromptLabError(Text.noCommits(path.basename(uri.fsPath)), 'input', undefined, Text.commitFirst);
  const current = history[0]?.path;
  const items = history.map((h, i) => ({
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

/** "N of M cases done" per model (not a pass count), for the notification and the compare panel. */
function progressEvents(report: (text: string) => void): (event: RunEvent) => void {
  let model = '';
  let done = 0;
  let total = 0;
  return (event) => {
    if (event.type === 'run-started') {
      model = event.header.label ?? event.header.model;
      done = 0;
      total = event.header.caseCount;
    } else if (event.type === 'case-finished' || event.type === 'case-failed') done++;
    else return;
    report(`${model}: ${done} of ${total} cases done`);
  };
}

const asCompared = (outcome: RunOutcome): ComparedRun => ({
  run: outcome,
  ...(outcome.runFile ? { file: outcome.runFile } : {}),
});

function describeShort(node: RunNode): string {
  return `${node.info.header.model} of ${new Date(node.info.header.startedAt).toLocaleString()}`;
}

export function compareCommands(services: CompareCommandServices): CommandUnit[] {
  const { workspace, trust, log, panels, history, tree } = services;

  const selectedRunNode = (node: unknown): RunNode | undefined =>
    node instanceof RunNode ? node : tree.selection.find((n): n is RunNode => n instanceof RunNode);

  const loadRunFiles = async (files: string[]): Promise<ComparedRun[]> => {
    const engine = await loadEngine();
    return Promise.all(
      files.map(async (file) => ({ run: await new engine.RunStore(path.dirname(file)).load(file), file })),
    );
  };

  const compareRunFiles = async (files: string[]): Promise<CompareCommandResult | undefined> => {
    if (files.length < 2) {
      void vscode.window.showInformationMessage(Text.pickTwoRuns);
      return undefined;
    }
    const runs = await loadRunFiles(files);
    const engine = await loadEngine();
    const promptFiles = new Set(runs.map((r) => r.run.header.promptFile));
    if (promptFiles.size > 1) void vscode.window.showWarningMessage(Text.differentPromptFiles(promptFiles.size));
    const title = `Compare ${runs.map((r) => engine.runLabel(r.run.header)).join(' ↔ ')}`;
    const current = panels.current;
    const panel = current && !current.comparison && !current.matrix ? current : panels.open(title);
    await panel.show(runs);
    panel.panel.reveal();
    return { runFiles: files };
  };

  /** Runs `work` with a cancellable progress notification, the compare panel showing progress. */
  const withRunProgress = async <T>(
    title: string,
    work: (signal: AbortSignal, report: (text: string) => void) => Promise<T>,
  ): Promise<{ value: T; panel: ComparePanel }> => {
    const panel = panels.open(title);
    try {
      const value = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
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
        },
      );
      return { value, panel };
    } catch (error) {
      panel.fail(error instanceof Error ? error.message : String(error));
      throw error;
    }
  };

  /** Everything a compare run shares with an editor run: the one resolver, store, cache and settings. */
  const runContext = async (
    uri: vscode.Uri,
    modelIds: string[],
    signal: AbortSignal,
    report: (text: string) => void,
  ): Promise<Omit<RunOptions, 'prompt'>> => {
    const [resolver, store, cache] = await Promise.all([
      workspace.resolverFor(uri, modelIds),
      workspace.storeFor(uri),
      workspace.cacheFor(uri),
    ]);
    return {
      resolver,
      store,
      signal,
      concurrency: workspace.settingsFor(uri).concurrency,
      workspaceRoot: workspace.rootFor(uri),
      runWithoutTestData: true,
      onWarning: (warning: string) => log.warn(`Compare: ${warning}`),
      ...(cache ? { cache } : {}),
      onEvent: progressEvents(report),
    };
  };

  return [
    command(Commands.compareModels, async (uriArg, modelsArg): Promise<CompareCommandResult | undefined> => {
      const uri = requirePromptTarget(uriArg, Text.openPromptToCompareModels);
      if (!uri) return undefined;
      trust.assertRunAllowed();
      const loaded = await workspace.load(uri);
      const first = loaded.diagnostics.find((d) => d.severity === 'error');
      const prompt = loaded.prompt;
      if (!prompt || first) {
        throw new PromptLabError(
          Text.fileHasErrorsToCompare(path.basename(uri.fsPath), first?.message),
          'input',
          first ? { file: first.file, range: first.range } : { file: uri.fsPath },
        );
      }
      const models = stringListArg(modelsArg) ?? (await pickModels(workspace, uri, prompt.model));
      if (!models) return undefined;
      if (models.length < 2) {
        void vscode.window.showInformationMessage(Text.pickTwoModels);
        return undefined;
      }
      const engine = await loadEngine();
      const { value: outcomes, panel } = await withRunProgress(
        `Compare models: ${models.join(' ↔ ')}`,
        async (signal, report) =>
          engine.runOnModels({ prompt, models, run: await runContext(uri, models, signal, report) }),
      );
      const runs = outcomes.map(asCompared);
      history.refresh();
      await panel.show(runs);
      return { runFiles: runs.map((r) => r.file ?? '') };
    }),

    command(Commands.compareWithRevision, async (uriArg, revisionArg): Promise<CompareCommandResult | undefined> => {
      const uri = requirePromptTarget(uriArg, Text.openPromptToCompareRevision);
      if (!uri) return undefined;
      trust.assertRunAllowed();
      const revision = stringArg(revisionArg) ?? (await pickRevision(uri));
      if (!revision) return undefined;
      const engine = await loadEngine();
      const { value: result, panel } = await withRunProgress(
        `Compare ${path.basename(uri.fsPath)}: ${revision} ↔ working copy`,
        async (signal, report) => {
          const prompt = (await workspace.load(uri)).prompt;
          const models = prompt?.model ? [prompt.model] : [];
          return engine.compareRevisions({
            file: uri.fsPath,
            revision,
            reader: workspace.readerFor(uri),
            run: await runContext(uri, models, signal, report),
          });
        },
      );
      history.refresh();
      const runs = [asCompared(result.base), asCompared(result.working)];
      await panel.show(runs);
      return { runFiles: runs.map((r) => r.file ?? '') };
    }),

    command(Commands.compareRuns, async (first, selection, ...rest): Promise<CompareCommandResult | undefined> => {
      // From the tree: (clicked node, selected nodes). From code: run file paths. From the palette: a pick.
      const strings = [first, selection, ...rest].filter((a): a is string => typeof a === 'string');
      if (strings.length) return compareRunFiles(strings);
      const nodes = Array.isArray(selection)
        ? selection.filter((n): n is RunNode => n instanceof RunNode)
        : first instanceof RunNode
          ? [first]
          : [];
      if (nodes.length >= 2) return compareRunFiles(nodes.map((n) => n.file));
      const runs = await history.allRuns();
      const picked = await vscode.window.showQuickPick(
        runs.map((info) => ({
          label: `${path.basename(info.header.promptFile)} — ${info.header.label ?? info.header.model}`,
          description: new Date(info.header.startedAt).toLocaleString(),
          file: info.file,
          picked: nodes.some((n) => n.file === info.file),
        })),
        { canPickMany: true, title: Text.compareRunsTitle },
      );
      return picked ? compareRunFiles(picked.map((p) => p.file)) : undefined;
    }),

    command(Commands.selectForCompare, (node) => {
      const target = selectedRunNode(node);
      if (!target) return;
      history.selectedForCompare = target;
      void vscode.commands.executeCommand('setContext', 'promptlab.runSelectedForCompare', true);
      history.refresh();
    }),

    command(Commands.compareWithSelected, (node) => {
      const target = selectedRunNode(node);
      const selected = history.selectedForCompare;
      if (!target || !selected) {
        void vscode.window.showInformationMessage(Text.selectFirst);
        return undefined;
      }
      return compareRunFiles([selected.file, target.file]);
    }),

    command(Commands.openHistoryRun, async (node) => {
      const target = selectedRunNode(node);
      if (!target) return;
      const engine = await loadEngine();
      services.showStoredRun(await new engine.RunStore(path.dirname(target.file)).load(target.file));
    }),

    command(Commands.deleteRun, async (node, selection) => {
      const nodes =
        Array.isArray(selection) && selection.length
          ? selection.filter((n): n is RunNode => n instanceof RunNode)
          : node instanceof RunNode
            ? [node]
            : [];
      const [only] = nodes;
      if (!only) return;
      const what = nodes.length === 1 ? `the run ${describeShort(only)}` : `${nodes.length} runs`;
      const answer = await vscode.window.showWarningMessage(
        Text.confirmDeleteRun(what),
        { modal: true },
        Text.deleteAction,
      );
      if (answer !== Text.deleteAction) return;
      // One file that cannot be deleted does not keep the others; the first failure is reported.
      let failure: unknown;
      for (const n of nodes) {
        try {
          await fs.unlink(n.file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') failure ??= error;
        }
        if (history.selectedForCompare?.file === n.file) history.selectedForCompare = undefined;
      }
      history.refresh();
      if (failure !== undefined) throw failure;
    }),

    command(Commands.refreshHistory, () => history.refresh()),

    command(Commands.openCaseDiff, async (caseKey) => {
      const panel = panels.current;
      const comparison = panel?.comparison;
      if (!panel || !comparison) {
        void vscode.window.showInformationMessage(Text.openComparisonFirst);
        return false;
      }
      const key = stringArg(caseKey);
      const row = key !== undefined ? comparison.rows.find((r) => r.caseKey === key) : comparison.rows[0];
      const [a, b] = panel.compared;
      if (!row || !a || !b) return false;
      await panel.openCaseDiff(row.label, [a, row.a.caseIndex], [b, row.b.caseIndex]);
      return true;
    }),
  ];
}
