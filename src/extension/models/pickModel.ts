// The model quick pick: the models the file, the workspace, the configured endpoints (GET /models)
// and the editor offer, grouped (see catalog.ts); any typed id is accepted too.
import * as vscode from 'vscode';
import type { Logger } from '../log';
import { Text } from '../messages';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { modelChoices, type ModelPickItem, modelPickItems } from './catalog';

export async function pickModel(
  workspace: PromptWorkspace,
  uri: vscode.Uri | undefined,
  log: Logger,
): Promise<string | undefined> {
  const quickPick = vscode.window.createQuickPick<ModelPickItem>();
  quickPick.title = Text.pickModel;
  quickPick.placeholder = Text.pickModelPlaceholder;
  quickPick.busy = true;
  quickPick.show();
  let items: ModelPickItem[] = [];
  const seen = new Set<string>();
  // A failed list leaves the picker usable for a typed id, and says why in the log.
  void modelChoices(workspace, uri)
    .then((groups) => {
      items = modelPickItems(groups);
      for (const item of items) if (item.modelId) seen.add(item.modelId);
      quickPick.items = typedFirst(quickPick.value);
    })
    .catch((error: unknown) => log.error('Could not gather the models to pick from', error))
    .finally(() => (quickPick.busy = false));
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
