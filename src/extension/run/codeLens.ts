// "▶ Run prompt" and "Run with model…" at the top of a prompt file, "▶ Run case" above each
// inline test case (ranges from the parsed model). Works in Restricted Mode too: only the
// commands behind the lenses check trust.
import * as vscode from 'vscode';
import { Commands, Text } from '../messages';
import { loadCore } from './controller';

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: Text.runLens, tooltip: Text.runLensTooltip, command: Commands.runPrompt, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: Text.runWithModelLens, tooltip: Text.runWithModelTooltip, command: Commands.runWithModel, arguments: [document.uri] }),
    ];
    const core = await loadCore();
    if (token.isCancellationRequested) return lenses;
    // Referenced files (testData: cases.jsonl) are read from disk; the lenses only need this file's ranges.
    const { prompt } = await core.parsePromptFile(document.uri.fsPath, document.getText(), {
      readFile: async () => '',
    });
    for (const testCase of prompt?.testData ?? []) {
      if (testCase.sourceFile) continue;
      const line = Math.min(testCase.range.start.line, document.lineCount - 1);
      lenses.push(
        new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
          title: Text.runCaseLens,
          tooltip: Text.runCaseLensTooltip(testCase.index),
          command: Commands.runTestCase,
          arguments: [document.uri, testCase.index],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
