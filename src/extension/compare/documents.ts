// Read-only virtual documents holding full case outputs, so VS Code's own diff editor can compare
// them (`vscode.diff`). The text lives in memory only; the newest documents are kept.
import * as vscode from 'vscode';

export const COMPARE_SCHEME = 'promptlab-compare';
const MAX_DOCUMENTS = 200;

export class CompareDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(COMPARE_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? 'This output is no longer in memory; open the comparison again.';
  }

  /** A URI whose document shows `text`; `name` becomes the tab's file name. */
  add(name: string, text: string): vscode.Uri {
    const id = String(++this.counter);
    this.texts.set(id, text);
    while (this.texts.size > MAX_DOCUMENTS) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    return vscode.Uri.from({ scheme: COMPARE_SCHEME, path: '/' + name.replace(/[\\/]/g, '_'), query: id });
  }

  /** Opens the native diff editor on two texts, titled like `case 3: gpt-4o ↔ gpt-4o-mini`. */
  async openDiff(title: string, left: { name: string; text: string }, right: { name: string; text: string }): Promise<void> {
    const leftUri = this.add(left.name, left.text);
    const rightUri = this.add(right.name, right.text);
    await vscode.commands.executeCommand('vscode.diff', leftUri, rightUri, title, { preview: false });
  }
}
