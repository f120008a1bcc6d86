// "▶ Run prompt" and "Run with model…" at the top of a prompt file, "▶ Run case" above each
// inline test case (ranges from the parsed model). Works in Restricted Mode too: only the
// commands behind the lenses check trust.
import * as vscode from 'vscode';
import type { LoadResult } from '../../core/model';
import { Commands, Text } from '../messages';
import { loadCore } from './controller';

/** The language side's validation of the document's current version, when it has one. */
export type ValidatedPrompt = (document: vscode.TextDocument) => LoadResult | undefined;

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** `validated` saves parsing the file again when the diagnostics already did (big files). */
  constructor(private readonly validated: ValidatedPrompt = () => undefined) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [
      new vscode.CodeLens(top, { title: Text.runLens, tooltip: Text.runLensTooltip, command: Commands.runPrompt, arguments: [document.uri] }),
      new vscode.CodeLens(top, { title: Text.runWithModelLens, tooltip: Text.runWithModelTooltip, command: Commands.runWithModel, arguments: [document.uri] }),
    ];
    const { prompt } = this.validated(document) ?? (await this.parse(document));
    if (token.isCancellationRequested) return lenses;
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

  private async parse(document: vscode.TextDocument): Promise<LoadResult> {
    const core = await loadCore();
    // Referenced files (testData: cases.jsonl) are not read; the lenses only need this file's ranges.
    return core.parsePromptFile(document.uri.fsPath, document.getText(), { readFile: async () => '' });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
