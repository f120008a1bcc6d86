// One YAML parse per document version, shared by the outline, go-to-definition and quick fixes
// (VS Code asks for the outline after every change; a 2,000-case file takes a while to parse).
import type * as vscode from 'vscode';
import { parsePromptDocument, type PromptDocument } from '../../core/promptfile';

const KEEP = 8;

export class ParsedDocuments {
  private readonly entries = new Map<string, { version: number; parsed: PromptDocument }>();

  get(doc: vscode.TextDocument): PromptDocument {
    const key = doc.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === doc.version) return cached.parsed;
    const parsed = parsePromptDocument(doc.getText());
    this.entries.delete(key);
    this.entries.set(key, { version: doc.version, parsed });
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
