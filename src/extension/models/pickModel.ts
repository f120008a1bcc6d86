// The model quick pick: ids from the provider configuration (settings endpoints included) and the
// editor's language models; any typed id is accepted too.
import * as vscode from 'vscode';
import { Text } from '../messages';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { editorModels } from './vscodeLm';

interface ModelPick extends vscode.QuickPickItem {
  modelId: string;
}

export async function pickModel(workspace: PromptWorkspace, uri: vscode.Uri | undefined): Promise<string | undefined> {
  const items: ModelPick[] = [];
  const seen = new Set<string>();
  const add = (modelId: string, detail: string) => {
    if (seen.has(modelId)) return;
    seen.add(modelId);
    items.push({ label: modelId, description: detail, modelId });
  };
  for (const endpoint of await workspace.configuredEndpoints(uri))
    for (const model of endpoint.models) add(model, `${Text.modelFromConfig} (${endpoint.origin})`);
  for (const model of await editorModels())
    add(`${model.vendor}/${model.id}`, `${Text.modelFromEditor}: ${model.name}`);
  const quickPick = vscode.window.createQuickPick<ModelPick>();
  quickPick.title = Text.pickModel;
  quickPick.placeholder = Text.pickModelPlaceholder;
  quickPick.items = items;
  quickPick.onDidChangeValue((value) => {
    const typed = value.trim();
    quickPick.items =
      typed && !seen.has(typed)
        ? [{ label: typed, description: Text.typedModel, modelId: typed, alwaysShow: true }, ...items]
        : items;
  });
  try {
    return await new Promise<string | undefined>((resolve) => {
      quickPick.onDidAccept(() =>
        resolve(quickPick.selectedItems[0]?.modelId ?? (quickPick.value.trim() || undefined)),
      );
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
  } finally {
    quickPick.dispose();
  }
}
