// Read-only virtual documents for a case's full output ("open in editor" in the run panel).
import * as vscode from 'vscode';
import { MemoryDocuments } from '../memoryDocuments';

export const OUTPUT_SCHEME = 'promptlab-output';

export class OutputDocuments extends MemoryDocuments {
  constructor() {
    super(OUTPUT_SCHEME, 100, 'This output is no longer in memory; run the case again.');
  }

  async open(fileName: string, text: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(this.add(fileName, text));
    return vscode.window.showTextDocument(document, { preview: true, viewColumn: vscode.ViewColumn.Active });
  }
}
