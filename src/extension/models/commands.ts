// Commands about models and their keys: the default model, and API keys per endpoint origin.
import * as vscode from 'vscode';
import { command, type CommandUnit } from '../commands/registry';
import { Commands } from '../commands/ids';
import { promptTarget, stringArg } from '../commands/targets';
import type { Logger } from '../log';
import { Text } from '../messages';
import { httpOrigin } from '../../core/providers/origin';
import type { KeyStore } from '../secrets';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { providerChoices } from '../setup/providerChoices';
import { pickModel } from './pickModel';

async function setApiKey(keys: KeyStore, workspace: PromptWorkspace, originArg?: string): Promise<string | undefined> {
  let origin = originArg ? httpOrigin(originArg) : undefined;
  if (!origin) {
    const stored = new Set(keys.origins());
    const keyNote = (origin: string): string => (stored.has(origin) ? 'key stored' : '');
    // The hosted services first, by name and fixed address; then every origin configured or with a key.
    const presets = providerChoices().flatMap((c) => {
      const o = c.key === 'required' && c.baseURL ? httpOrigin(c.baseURL) : undefined;
      return o ? [{ label: c.label, origin: o, description: [o, keyNote(o)].filter(Boolean).join(' · ') }] : [];
    });
    const origins = new Set<string>(stored);
    for (const endpoint of await workspace.configuredEndpoints(undefined)) origins.add(endpoint.origin);
    const known = [...origins]
      .filter((o) => !o.startsWith('vscode-lm:') && !presets.some((p) => p.origin === o))
      .sort()
      .map((o) => ({ label: o, origin: o, description: keyNote(o) }));
    const custom = { label: Text.customEndpoint, origin: '', description: '', detail: Text.customEndpointDetail };
    const picked = await vscode.window.showQuickPick([...presets, ...known, custom], { title: Text.pickEndpoint });
    if (!picked) return undefined;
    if (picked === custom) {
      const url = await vscode.window.showInputBox({
        prompt: Text.customEndpointPrompt,
        placeHolder: 'https://api.openai.com/v1',
        validateInput: (v) => (httpOrigin(v) ? undefined : Text.invalidUrl),
      });
      origin = url ? httpOrigin(url) : undefined;
    } else {
      origin = picked.origin;
    }
  }
  if (!origin) return undefined;
  const key = await vscode.window.showInputBox({
    prompt: Text.apiKeyPrompt(origin),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : Text.emptyKey),
  });
  if (!key) return undefined;
  await keys.set(origin, key.trim());
  void vscode.window.showInformationMessage(Text.apiKeySaved(origin));
  return origin;
}

export function modelCommands(workspace: PromptWorkspace, keys: KeyStore, log: Logger): CommandUnit[] {
  return [
    command(Commands.selectModel, async () => {
      const chosen = await pickModel(workspace, promptTarget(undefined), log);
      if (!chosen) return undefined;
      await vscode.workspace
        .getConfiguration('promptlab')
        .update('defaultModel', chosen, vscode.ConfigurationTarget.Global);
      void vscode.window.showInformationMessage(Text.defaultModelSet(chosen));
      return chosen;
    }),
    command(Commands.setApiKey, (origin) => setApiKey(keys, workspace, stringArg(origin))),
    command(Commands.deleteApiKey, async () => {
      const origins = keys.origins();
      if (origins.length === 0) {
        void vscode.window.showInformationMessage(Text.noStoredKeys);
        return;
      }
      const origin = await vscode.window.showQuickPick(origins, { title: Text.deleteKeyTitle });
      if (!origin) return;
      await keys.delete(origin);
      void vscode.window.showInformationMessage(Text.apiKeyDeleted(origin));
    }),
  ];
}
