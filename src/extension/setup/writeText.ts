// Writes a whole file: local files through core's temp-file-and-rename (never half written),
// other schemes through the workspace file system.
import * as vscode from 'vscode';
import { loadEngine } from '../engine';

export async function writeText(uri: vscode.Uri, text: string): Promise<void> {
  if (uri.scheme === 'file') {
    const core = await loadEngine();
    await core.writeFileAtomically(uri.fsPath, text);
  } else {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  }
}
