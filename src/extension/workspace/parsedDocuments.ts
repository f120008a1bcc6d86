// One YAML parse per document version, shared by the outline, go-to-definition and quick fixes
// (VS Code asks for the outline after every change). Each document keeps an incremental parser,
// so after an edit in a big file only the changed test case is parsed again.
import type * as vscode from 'vscode';
import { IncrementalPromptParser } from '../../core/language';
import type { PromptDocument } from '../../core/promptfile';

const KEEP = 8;

export class ParsedDocuments {
  private readonly entries = new Map<
    string,
    { version: number; parsed: PromptDocument; parser: IncrementalPromptParser }
  >();

  get(doc: vscode.TextDocument): PromptDocument {
    const key = doc.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === doc.version) return cached.parsed;
    // The parser reuses nodes from its previous result: only the newest document is handed out.
    const parser = cached?.parser ?? new IncrementalPromptParser();
    const parsed = parser.parse(doc.getText());
    this.entries.delete(key);
    this.entries.set(key, { version: doc.version, parsed, parser });
    // Least recently parsed first: Map keeps insertion order.
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= KEEP) break;
      this.entries.delete(oldest);
    }
    return parsed;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
  }
}
