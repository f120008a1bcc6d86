// Workspace setup in the editor: "Configure Models…" (what `promptlab init` does) and
// "Generate Test Cases…" (command + CodeLens on `testData:`). Own folder, hooked into activate().
import * as vscode from 'vscode';
import { MemoryDocuments } from '../memoryDocuments';
import { activePromptUri } from '../run/controller';
import type { RunServices } from '../run';
import { configureModels, type ConfigureModelsArgs } from './configureModels';
import { generateTestCases, type GenerateTestCasesArgs } from './generateTests';
import { SetupCommands, SetupText } from './text';

export { SetupCommands } from './text';

/** A lens on the top-level `testData:` line of each prompt file. */
class GenerateCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const match = /^testData[ \t]*:/m.exec(document.getText());
    if (!match) return [];
    const line = document.positionAt(match.index).line;
    return [new vscode.CodeLens(new vscode.Range(line, 0, line, 8), { title: SetupText.generateLens, tooltip: SetupText.generateLensTooltip, command: SetupCommands.generateTestCases, arguments: [document.uri] })];
  }
}

export function registerSetupFeatures(context: vscode.ExtensionContext, runs: RunServices): void {
  const documents = new MemoryDocuments('promptlab-setup', 20, 'This preview is no longer available.');
  const selector: vscode.DocumentSelector = [{ language: 'prompt-yaml' }, { pattern: '**/*.prompt.{yml,yaml}' }];
  context.subscriptions.push(
    documents.register(),
    vscode.languages.registerCodeLensProvider(selector, new GenerateCodeLensProvider()),
    vscode.commands.registerCommand(SetupCommands.configureModels, async (args?: ConfigureModelsArgs) => {
      try {
        return await configureModels(runs, documents, args && typeof args === 'object' && !(args instanceof vscode.Uri) ? args : {});
      } catch (error) {
        runs.reportRunError(error);
        return undefined;
      }
    }),
    vscode.commands.registerCommand(SetupCommands.generateTestCases, async (uri?: vscode.Uri, args?: GenerateTestCasesArgs) => {
      const target = uri instanceof vscode.Uri ? uri : activePromptUri();
      if (!target) return undefined;
      try {
        return await generateTestCases(runs, documents, target, args ?? {});
      } catch (error) {
        runs.reportRunError(error);
        return undefined;
      }
    }),
  );
}
