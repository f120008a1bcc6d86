// The model quick pick: the models the file, the workspace, the configured endpoints (GET /models)
// and the editor offer, grouped (see catalog.ts); any typed id is accepted too.
import * as vscode from 'vscode';
import { Text } from '../messages';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { modelChoices, type ModelPickItem, modelPickItems } from './catalog';

export async function pickModel(workspace: PromptWorkspace, uri: vscode.Uri | undefined): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<ModelPickItem>();
  quickPick.title = Text.pickModel;
  quickPick.placeholder = Text.pickModelPlaceholder;
  quickPick.busy = true;
  quickPick.show();
  let items: ModelPickItem[] = [];
  const seen = new Set<string>();
  void modelChoices(workspace, uri).then((groups) => {
    items = modelPickItems(groups);
    for (const item of items) if (item.modelId) seen.add(item.modelId);
    quickPick.items = typedFirst(quickPick.value);
    quickPick.busy = false;
  });
  const typedFirst = (value: string): ModelPickItem[] => {
    const typed = value.trim();
    return typed && !seen.has(typed)
      ? [{ label: typed, description: Text.typedModel, modelId: typed, alwaysShow: true }, ...items]
      : items;
  };
  quickPick.onDidChangeValue((value) => (quickPick.items = typedFirst(value)));
  try {
    return await new Promise<string | undefined>((resolve) => {
      quickPick.onDidAccept(() =>
        resolve(quickPick.selectedItems[0]?.modelId ?? (quickPick.value.trim() || undefined)),
      );
      quickPick.onDidHide(() => resolve(undefined));
    });
  } finally {
    quickPick.dispose();
  }
}
