// The run side's commands (ids in messages.ts `Commands`, declared in package.json and checked
// by scripts/check-commands.mjs).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../core/engine';
import type { Logger } from '../log';
import { Commands, Text, showError } from '../messages';
import { originOf, type KeyStore } from '../secrets';
import { readSettings } from '../settings';
import { activePromptUri, isPromptFile, type RunController } from './controller';
import { configuredEndpoints } from './resolver';
import { editorModels } from './vscodeLm';

interface ModelPick extends vscode.QuickPickItem {
  modelId: string;
}

/** Model ids from the provider configuration and the editor's language models; any typed id is accepted too. */
export async function pickModel(runs: RunController, uri: vscode.Uri | undefined, log: Logger): Promise<string | undefined> {
  const items: ModelPick[] = [];
  const seen = new Set<string>();
  const add = (modelId: string, detail: string) => {
    if (seen.has(modelId)) return;
    seen.add(modelId);
    items.push({ label: modelId, description: detail, modelId });
  };
  try {
    const workspaceDir = uri ? runs.workspaceRootFor(uri) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (workspaceDir) for (const endpoint of await configuredEndpoints(workspaceDir, readSettings(uri))) for (const model of endpoint.models) add(model, `${Text.modelFromConfig} (${endpoint.origin})`);
  } catch (error) {
    log.warn(`Could not read the provider configuration for the model list: ${error instanceof Error ? error.message : String(error)}`);
  }
  for (const model of await editorModels()) add(`${model.vendor}/${model.id}`, `${Text.modelFromEditor}: ${model.name}`);
  const quickPick = vscode.window.createQuickPick<ModelPick>();
  quickPick.title = Text.pickModel;
  quickPick.placeholder = Text.pickModelPlaceholder;
  quickPick.items = items;
  quickPick.onDidChangeValue((value) => {
    const typed = value.trim();
    quickPick.items = typed && !seen.has(typed) ? [{ label: typed, description: 'typed model id', modelId: typed, alwaysShow: true }, ...items] : items;
  });
  try {
    return await new Promise<string | undefined>((resolve) => {
      quickPick.onDidAccept(() => resolve(quickPick.selectedItems[0]?.modelId ?? (quickPick.value.trim() || undefined)));
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
  } finally {
    quickPick.dispose();
  }
}

async function pickCase(runs: RunController, uri: vscode.Uri): Promise<number | undefined> {
  const { cases } = await runs.describe(uri);
  const picked = await vscode.window.showQuickPick(
    cases.map((c) => ({ label: `Case ${c.caseIndex + 1}`, description: Object.entries(c.vars).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ').slice(0, 120), caseIndex: c.caseIndex })),
    { title: 'Test case to run' },
  );
  return picked?.caseIndex;
}

export async function setApiKey(keys: KeyStore, log: Logger, originArg?: string): Promise<string | undefined> {
  let origin = originArg ? originOf(originArg) : undefined;
  if (!origin) {
    const origins = new Set<string>(keys.origins());
    const folder = vscode.workspace.workspaceFolders?.[0];
    try {
      if (folder) for (const endpoint of await configuredEndpoints(folder.uri.fsPath, readSettings(folder.uri))) origins.add(endpoint.origin);
    } catch (error) {
      log.warn(`Could not read the provider configuration for the endpoint list: ${error instanceof Error ? error.message : String(error)}`);
    }
    const custom = { label: Text.customEndpoint, origin: '' };
    const picked = await vscode.window.showQuickPick([...[...origins].filter((o) => !o.startsWith('vscode-lm:')).sort().map((o) => ({ label: o, origin: o, description: keys.origins().includes(o) ? 'key stored' : '' })), custom], {
      title: Text.pickEndpoint,
    });
    if (!picked) return undefined;
    if (picked === custom) {
      const url = await vscode.window.showInputBox({ prompt: Text.customEndpointPrompt, placeHolder: 'https://api.openai.com/v1', validateInput: (v) => (originOf(v) ? undefined : Text.invalidUrl) });
      origin = url ? originOf(url) : undefined;
    } else {
      origin = picked.origin;
    }
  }
  if (!origin) return undefined;
  const key = await vscode.window.showInputBox({ prompt: Text.apiKeyPrompt(origin), password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'The key cannot be empty.') });
  if (!key) return undefined;
  await keys.set(origin, key.trim());
  void vscode.window.showInformationMessage(Text.apiKeySaved(origin));
  return origin;
}

export function registerRunCommands(runs: RunController, keys: KeyStore, log: Logger): vscode.Disposable[] {
  const targetOf = (uri: unknown): vscode.Uri | undefined => (uri instanceof vscode.Uri ? uri : activePromptUri());
  return [
    vscode.commands.registerCommand(Commands.runPrompt, (uri?: unknown): Promise<RunOutcome | undefined> => runs.runFromUser(targetOf(uri))),
    vscode.commands.registerCommand(Commands.runTestCase, async (uri?: unknown, caseIndex?: unknown): Promise<RunOutcome | undefined> => {
      const target = targetOf(uri);
      if (!target || !isPromptFile(target)) return runs.runFromUser(target);
      const index = typeof caseIndex === 'number' ? caseIndex : await pickCase(runs, target);
      return index === undefined ? undefined : runs.runFromUser(target, { caseIndexes: [index] });
    }),
    vscode.commands.registerCommand(Commands.runWithModel, async (uri?: unknown, model?: unknown): Promise<RunOutcome | undefined> => {
      const target = targetOf(uri);
      const chosen = typeof model === 'string' ? model : await pickModel(runs, target, log);
      return chosen ? runs.runFromUser(target, { model: chosen }) : undefined;
    }),
    vscode.commands.registerCommand(Commands.selectModel, async () => {
      const chosen = await pickModel(runs, activePromptUri(), log);
      if (!chosen) return undefined;
      await vscode.workspace.getConfiguration('promptlab').update('defaultModel', chosen, vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage(Text.defaultModelSet(chosen));
      return chosen;
    }),
    vscode.commands.registerCommand(Commands.setApiKey, (origin?: unknown) => setApiKey(keys, log, typeof origin === 'string' ? origin : undefined)),
    vscode.commands.registerCommand(Commands.deleteApiKey, async () => {
      const origins = keys.origins();
      if (origins.length === 0) {
        void vscode.window.showInformationMessage(Text.noStoredKeys);
        return;
      }
      const origin = await vscode.window.showQuickPick(origins, { title: 'Delete the API key of' });
      if (!origin) return;
      await keys.delete(origin);
      void vscode.window.showInformationMessage(Text.apiKeyDeleted(origin));
    }),
    vscode.commands.registerCommand(Commands.showLog, () => log.channel.show(true)),
    vscode.commands.registerCommand(Commands.showRunPanel, async (uri?: unknown) => {
      const target = targetOf(uri);
      if (!target) {
        void vscode.window.showInformationMessage(Text.noPromptFile);
        return undefined;
      }
      return runs.panels.show(target, false);
    }),
    vscode.commands.registerCommand(Commands.cancelRun, (uri?: unknown) => {
      const target = targetOf(uri);
      if (target) runs.cancel(target);
      else runs.cancelAll();
    }),
    vscode.commands.registerCommand(Commands.openRun, async (uri?: unknown) => {
      const target = targetOf(uri);
      if (!target) {
        void vscode.window.showInformationMessage(Text.noPromptFile);
        return;
      }
      try {
        const store = await runs.storeFor(target);
        const runsOfFile = (await store.list()).filter((r) => r.header.promptFile === target.fsPath);
        if (runsOfFile.length === 0) {
          void vscode.window.showInformationMessage(Text.noRunsStored);
          return;
        }
        const picked = await vscode.window.showQuickPick(
          runsOfFile.map((r) => ({
            label: new Date(r.header.startedAt).toLocaleString(),
            description: `${r.header.model}${r.summary ? ` · ${r.summary.passedTests}/${r.summary.totalTests} passed` : ' · unfinished'}${r.header.label ? ` · ${r.header.label}` : ''}`,
            id: r.id,
          })),
          { title: `Runs of ${path.basename(target.fsPath)}` },
        );
        if (!picked) return;
        runs.panels.show(target, false).showStoredRun(await store.load(picked.id));
      } catch (error) {
        log.error('Opening a stored run failed', error);
        await showError(Text.runFailed(error instanceof Error ? error.message : String(error)));
      }
    }),
  ];
}
