// "Configure Models…": what `promptlab init` does, for a workspace folder — list every model the
// folder's prompt files call, ask for a provider, and write promptlab.config.yaml routing each one
// (core's planInitConfig). An existing config is shown as a diff and replaced only when confirmed.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InitProvider } from '../../core/setup/init';
import { activeWorkspaceFolder } from '../commands/targets';
import { loadEngine } from '../engine';
import type { MemoryDocuments } from '../memoryDocuments';
import { EXCLUDE_GLOB, PROMPT_GLOB } from '../workspace/promptFiles';
import type { SetupServices } from './services';
import { SetupText } from './text';
import { writeText } from './writeText';

/** Arguments for scripted use (tests, other commands): every question answered in advance. */
export interface ConfigureModelsArgs {
  folder?: vscode.Uri;
  provider?: InitProvider;
  baseURL?: string;
  defaultModel?: string;
  /** Replace an existing config without asking (the diff is still opened). */
  replace?: boolean;
}

export interface ConfigureModelsResult {
  configFile: string;
  text: string;
}

function pickFolder(args: ConfigureModelsArgs): vscode.WorkspaceFolder | undefined {
  return args.folder ? vscode.workspace.getWorkspaceFolder(args.folder) : activeWorkspaceFolder();
}

export async function configureModels(
  { workspace, log }: SetupServices,
  documents: MemoryDocuments,
  args: ConfigureModelsArgs = {},
): Promise<ConfigureModelsResult | undefined> {
  const folder = pickFolder(args);
  if (!folder) {
    void vscode.window.showErrorMessage(SetupText.noFolder);
    return undefined;
  }
  const core = await loadEngine();
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, PROMPT_GLOB), EXCLUDE_GLOB);
  if (files.length === 0) {
    void vscode.window.showWarningMessage(SetupText.noPromptFiles(folder.name));
    return undefined;
  }
  const prompts = [];
  for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const { prompt } = await workspace.load(uri);
    if (prompt) prompts.push(prompt);
  }
  const models = core.collectModelUses(prompts);
  log.info(
    `Configure Models: ${prompts.length} prompt file(s) in ${folder.name} call ${models.ids.join(', ') || 'no model'}`,
  );
  const provider =
    args.provider ??
    (
      await vscode.window.showQuickPick(
        core.INIT_PROVIDERS.map((p) => ({ label: p, detail: SetupText.providerDetail[p] ?? '', provider: p })),
        { title: SetupText.pickProvider, placeHolder: models.ids.join(', ') },
      )
    )?.provider;
  if (!provider) return undefined;
  let baseURL = args.baseURL;
  if (baseURL === undefined && (provider === 'azure' || provider === 'custom')) {
    baseURL = await vscode.window.showInputBox({
      prompt: SetupText.baseUrlPrompt(provider),
      validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'Enter an http:// or https:// URL.'),
    });
    if (baseURL === undefined) return undefined;
  }
  let defaultModel = args.defaultModel;
  if (defaultModel === undefined && models.filesWithoutModel.length > 0) {
    const suggested = core.suggestDefaultModel(models);
    defaultModel = args.provider
      ? suggested
      : await vscode.window.showInputBox({
          prompt: SetupText.defaultModelPrompt(models.filesWithoutModel.length),
          value: suggested,
        });
    if (defaultModel === undefined) return undefined;
  }
  const plan = core.planInitConfig({
    provider,
    ids: models.ids,
    uses: models.uses,
    root: folder.uri.fsPath,
    date: new Date().toISOString().slice(0, 10),
    ...(baseURL ? { baseURL: baseURL.trim() } : {}),
    ...(defaultModel ? { defaultModel } : {}),
  });

  let target = vscode.Uri.joinPath(folder.uri, core.CONFIG_FILE_NAMES[0]);
  let existing: string | undefined;
  for (const name of core.CONFIG_FILE_NAMES) {
    const candidate = vscode.Uri.joinPath(folder.uri, name);
    try {
      existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(candidate));
      if (!name.endsWith('.json')) target = candidate;
      break;
    } catch {
      // not there: try the next name
    }
  }
  const name = path.basename(target.fsPath);
  if (existing !== undefined) {
    if (existing === plan.text) return { configFile: target.fsPath, text: plan.text };
    await vscode.commands.executeCommand(
      'vscode.diff',
      documents.add(`${name} (now)`, existing),
      documents.add(name, plan.text),
      SetupText.diffTitle(name),
      { preview: true },
    );
    const confirmed =
      args.replace === true ||
      (await vscode.window.showWarningMessage(SetupText.replaceConfig(name), { modal: true }, SetupText.replace)) ===
        SetupText.replace;
    if (!confirmed) return undefined;
  }
  await writeText(target, plan.text);
  log.info(`Configure Models: wrote ${target.fsPath} for ${models.ids.length} model id(s) on ${provider}`);
  await vscode.window.showTextDocument(target, { preview: false });
  void vscode.window.showInformationMessage(SetupText.written(name, plan.todo.length));
  return { configFile: target.fsPath, text: plan.text };
}
