// Workspace setup in the editor: "Set Up a Model Provider…" and the first-run example (the
// walkthrough), "Configure Models…" (what `promptlab init` does) and "Generate Test Cases…"
// (command + CodeLens on `testData:`). The command units go through the
// shared registry (errors reported there); the lens and the preview documents are owned here.
import * as vscode from 'vscode';
// Already in the activation bundle (the language features read configs); not the engine.
import { CONFIG_FILE_NAMES } from '../../core/providers/config';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import { requirePromptTarget } from '../commands/targets';
import { MemoryDocuments } from '../memoryDocuments';
import { PROMPT_SELECTOR } from '../workspace/promptFiles';
import { configureModels, type ConfigureModelsArgs } from './configureModels';
import { generateTestCases, type GenerateTestCasesArgs } from './generateTests';
import { createAndRunExample, setUpProvider, type SetUpProviderArgs } from './providerSetup';
import type { SetupServices } from './services';
import { SetupText } from './text';

export type { SetupServices } from './services';

/** A lens on the top-level `testData:` line of each prompt file. */
class GenerateCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const match = /^testData[ \t]*:/m.exec(document.getText());
    if (!match) return [];
    const line = document.positionAt(match.index).line;
    return [
      new vscode.CodeLens(new vscode.Range(line, 0, line, 8), {
        title: SetupText.generateLens,
        tooltip: SetupText.generateLensTooltip,
        command: Commands.generateTestCases,
        arguments: [document.uri],
      }),
    ];
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !(value instanceof vscode.Uri);

/** Set while some provider is configured: the Run History empty state then leads to a run, not to setup. */
export const PROVIDER_CONFIGURED_CONTEXT = 'promptlab.providerConfigured';

/**
 * Keeps the context key up to date: an endpoint setting, a stored key, a provider config file (the
 * workspace's or the machine's) or OPENAI_API_KEY count; the editor's own models are not asked for
 * here (that would load them at startup) — the empty state names them among the choices.
 */
/** The config files loadProviderConfig reads, as a glob relative to a workspace folder's root. */
const CONFIG_FILES_AT_ROOT = `{${CONFIG_FILE_NAMES.join(',')}}`;

function trackProviderConfigured(context: vscode.ExtensionContext, services: SetupServices): void {
  const update = async (): Promise<void> => {
    const settings = services.workspace.settingsFor(undefined);
    const configFiles = await vscode.workspace.findFiles(CONFIG_FILES_AT_ROOT, undefined, 1);
    const configured =
      settings.endpoints.length > 0 ||
      settings.providerConfigFile !== undefined ||
      services.keys.origins().length > 0 ||
      Boolean(process.env.OPENAI_API_KEY) ||
      configFiles.length > 0;
    await vscode.commands.executeCommand('setContext', PROVIDER_CONFIGURED_CONTEXT, configured);
  };
  const refresh = (): void => {
    update().catch((error: unknown) =>
      services.log.warn(`Could not tell whether a provider is set up: ${String(error)}`),
    );
  };
  // One watcher per folder root: a nested promptlab.config.* is never read, so it must not count.
  let watchers: vscode.Disposable[] = [];
  const watchFolders = (): void => {
    for (const w of watchers) w.dispose();
    watchers = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(folder, CONFIG_FILES_AT_ROOT),
        false,
        true,
        false,
      );
      return [watcher, watcher.onDidCreate(refresh), watcher.onDidDelete(refresh)];
    });
  };
  watchFolders();
  context.subscriptions.push(
    { dispose: () => watchers.forEach((w) => w.dispose()) },
    services.keys.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptlab')) refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      watchFolders();
      refresh();
    }),
  );
  refresh();
}

/** Registers the lens and the preview documents; returns the command units for the registry. */
export function registerSetupFeatures(context: vscode.ExtensionContext, services: SetupServices): CommandUnit[] {
  const documents = new MemoryDocuments('promptlab-setup', 20, 'This preview is no longer available.');
  context.subscriptions.push(
    documents.register(),
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, new GenerateCodeLensProvider()),
  );
  trackProviderConfigured(context, services);
  return [
    command(Commands.configureModels, (args?: unknown) =>
      configureModels(services, documents, isObject(args) ? (args as ConfigureModelsArgs) : {}),
    ),
    command(Commands.setUpProvider, (args?: unknown) =>
      setUpProvider(services, isObject(args) ? (args as SetUpProviderArgs) : {}),
    ),
    command(Commands.createExample, () => createAndRunExample(services)),
    command(Commands.generateTestCases, (target?: unknown, args?: unknown) => {
      const uri = requirePromptTarget(target);
      return uri
        ? generateTestCases(services, documents, uri, isObject(args) ? (args as GenerateTestCasesArgs) : {})
        : undefined;
    }),
  ];
}
