// Workspace setup in the editor: "Configure Models…" (what `promptlab init` does) and
// "Generate Test Cases…" (command + CodeLens on `testData:`). The command units go through the
// shared registry (errors reported there); the lens and the preview documents are owned here.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import { requirePromptTarget } from '../commands/targets';
import { MemoryDocuments } from '../memoryDocuments';
import { PROMPT_SELECTOR } from '../workspace/promptFiles';
import { configureModels, type ConfigureModelsArgs } from './configureModels';
import { generateTestCases, type GenerateTestCasesArgs } from './generateTests';
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

/** Registers the lens and the preview documents; returns the command units for the registry. */
export function registerSetupFeatures(context: vscode.ExtensionContext, services: SetupServices): CommandUnit[] {
  const documents = new MemoryDocuments('promptlab-setup', 20, 'This preview is no longer available.');
  context.subscriptions.push(
    documents.register(),
    vscode.languages.registerCodeLensProvider(PROMPT_SELECTOR, new GenerateCodeLensProvider()),
  );
  return [
    command(Commands.configureModels, (args?: unknown) =>
      configureModels(services, documents, isObject(args) ? (args as ConfigureModelsArgs) : {}),
    ),
    command(Commands.generateTestCases, (target?: unknown, args?: unknown) => {
      const uri = requirePromptTarget(target);
      return uri
        ? generateTestCases(services, documents, uri, isObject(args) ? (args as GenerateTestCasesArgs) : {})
        : undefined;
    }),
  ];
}
