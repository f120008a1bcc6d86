// Read-only virtual documents for a case's full output ("open in editor" in the run panel).
// The text lives in memory only; the newest entries are kept.
import * as vscode from 'vscode';

export const OUTPUT_SCHEME = 'promptlab-output';
const MAX_DOCUMENTS = 100;

export class OutputDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(OUTPUT_SCHEME, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? 'This output is no longer in memory; run the case again.';
  }

  async open(fileName: string, text: string): Promise<vscode.TextEditor> {
    const id = String(++this.counter);
    this.texts.set(id, text);
    while (this.texts.size > MAX_DOCUMENTS) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    const uri = vscode.Uri.from({ scheme: OUTPUT_SCHEME, path: '/' + fileName.replace(/[\\/]/g, '_'), query: id });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }
}
