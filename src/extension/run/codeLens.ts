// "▶ Run prompt", "Run with model…" and "Run as batch…" at the top of a prompt file, "▶ Run case" above each
// inline test case (ranges from the parsed model). Works in Restricted Mode too: only the
// commands behind the lenses check trust.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { Text } from '../messages';
import type { PromptWorkspace } from '../workspace/promptWorkspace';

/** A lens at the top of a prompt file whose command acts on that file. */
export interface FileLens {
  title: string;
  tooltip?: string;
  command: string;
}

/** The lenses on a document's first line, in the order given; each command gets the document's uri. */
export function fileLenses(uri: vscode.Uri, lenses: readonly FileLens[]): vscode.CodeLens[] {
  const top = new vscode.Range(0, 0, 0, 0);
  return lenses.map((lens) => new vscode.CodeLens(top, { ...lens, arguments: [uri] }));
}

const RUN_LENSES: readonly FileLens[] = [
  { title: Text.runLens, tooltip: Text.runLensTooltip, command: Commands.runPrompt },
  { title: Text.runWithModelLens, tooltip: Text.runWithModelTooltip, command: Commands.runWithModel },
  { title: Text.runAsBatchLens, tooltip: Text.runAsBatchTooltip, command: Commands.runAsBatch },
];

export class RunCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  /** The lenses follow the prompt workspace's validation; `refresh()` runs when a new one lands. */
  constructor(private readonly workspace: PromptWorkspace) {}

  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const lenses = fileLenses(document.uri, RUN_LENSES);
    // A result one edit behind is fine for a moment: a new validation refreshes the lenses.
    const loaded =
      this.workspace.current(document) ??
      this.workspace.latest(document) ??
      (await this.workspace.validateNow(document));
    const prompt = loaded?.prompt;
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

  dispose(): void {
    this.changed.dispose();
  }
}
