// Gathers what the model pickers offer ("Run with model…", "Compare models…", "Select model"):
// the file's own models, the workspace's prompt files, each configured endpoint's GET /models
// (cached briefly by PromptWorkspace), the configuration, and the editor's chat models.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { EXCLUDE_GLOB, PROMPT_GLOB } from '../workspace/promptFiles';
import { type ModelChoiceGroup, modelChoiceGroups, modelIdsInPrompt } from './modelChoices';
import { editorModels } from './vscodeLm';

/** Prompt files read for their model ids (a workspace with more gets the first ones found). */
const MAX_PROMPT_FILES = 200;

export interface ModelPickItem extends vscode.QuickPickItem {
  modelId?: string;
}

/** The file as the editor sees it (unsaved edits included); undefined when it cannot be read. */
function promptText(workspace: PromptWorkspace, uri: vscode.Uri): Promise<string | undefined> {
  return workspace
    .readerFor(uri)
    .readFile(uri.fsPath)
    .catch(() => undefined);
}

/** Every source's models for `uri`'s workspace, grouped. */
export async function modelChoices(
  workspace: PromptWorkspace,
  uri: vscode.Uri | undefined,
): Promise<ModelChoiceGroup[]> {
  const fileText = uri ? await promptText(workspace, uri) : undefined;
  const [files, endpoints, configured, editor] = await Promise.all([
    vscode.workspace.findFiles(PROMPT_GLOB, EXCLUDE_GLOB, MAX_PROMPT_FILES),
    workspace.offeredModels(uri),
    workspace.configuredEndpoints(uri),
    editorModels(),
  ]);
  const others = files
    .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
    .filter((file) => !uri || file.toString() !== uri.toString());
  // Read together; Promise.all keeps the sorted order, so the list is the same as one by one.
  const texts = await Promise.all(others.map((file) => promptText(workspace, file)));
  const used: { id: string; file: string }[] = [];
  others.forEach((file, i) => {
    const text = texts[i];
    if (text === undefined) return;
    const { model, judges } = modelIdsInPrompt(text);
    const name = path.basename(file.fsPath);
    for (const id of [...(model ? [model] : []), ...judges]) used.push({ id, file: name });
  });
  const defaultModel = workspace.settingsFor(uri).defaultModel;
  return modelChoiceGroups({
    ...(fileText !== undefined ? { file: modelIdsInPrompt(fileText) } : {}),
    workspace: used,
    endpoints,
    configured,
    ...(defaultModel ? { defaultModel } : {}),
    editor: editor.map((m) => ({ id: `${m.vendor}/${m.id}`, name: m.name })),
  });
}

/** The groups as quick-pick items: a separator per group, its hint (a failed list) in the separator's label. */
export function modelPickItems(groups: readonly ModelChoiceGroup[], picked?: (id: string) => boolean): ModelPickItem[] {
  const items: ModelPickItem[] = [];
  for (const group of groups) {
    items.push({ label: group.hint ?? group.label, kind: vscode.QuickPickItemKind.Separator });
    for (const choice of group.choices)
      items.push({
        label: choice.id,
        description: choice.description,
        modelId: choice.id,
        ...(picked?.(choice.id) ? { picked: true } : {}),
      });
  }
  return items;
}
