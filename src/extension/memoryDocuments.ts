// Read-only virtual documents whose text lives in memory (full case outputs, compare sides), so
// VS Code's own editors and diff editor can show them. Only the newest `capacity` texts are kept.
import * as vscode from 'vscode';

export class MemoryDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private counter = 0;

  constructor(
    readonly scheme: string,
    private readonly capacity: number,
    private readonly goneMessage: string,
  ) {}

  register(): vscode.Disposable {
    return vscode.workspace.registerTextDocumentContentProvider(this.scheme, this);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? this.goneMessage;
  }

  /** A URI whose document shows `text`; `name` becomes the tab's file name. */
  add(name: string, text: string): vscode.Uri {
    const id = String(++this.counter);
    this.texts.set(id, text);
    while (this.texts.size > this.capacity) {
      const oldest = this.texts.keys().next().value;
      if (oldest === undefined) break;
      this.texts.delete(oldest);
    }
    return vscode.Uri.from({ scheme: this.scheme, path: '/' + name.replace(/[\\/]/g, '_'), query: id });
  }
}
