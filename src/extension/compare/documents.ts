// Read-only virtual documents holding full case outputs, so VS Code's own diff editor can compare
// them (`vscode.diff`).
import * as vscode from 'vscode';
import { MemoryDocuments } from '../memoryDocuments';

export const COMPARE_SCHEME = 'promptlab-compare';
/** The language of compared outputs: plain text that wraps (see package.json). */
export const OUTPUT_LANGUAGE = 'promptlab-output';

export class CompareDocuments extends MemoryDocuments {
  constructor() {
    super(COMPARE_SCHEME, 200, 'This output is no longer in memory; open the comparison again.');
  }

  /** Opens the native diff editor on two texts, titled like `case 3: gpt-4o ↔ gpt-4o-mini`. */
  async openDiff(
    title: string,
    left: { name: string; text: string },
    right: { name: string; text: string },
  ): Promise<void> {
    const leftUri = this.add(left.name, left.text);
    const rightUri = this.add(right.name, right.text);
    // Replies are prose: their own language wraps long lines (package.json configurationDefaults), plain text did not.
    for (const uri of [leftUri, rightUri])
      await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), OUTPUT_LANGUAGE);
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, title, { preview: false });
  }
}
