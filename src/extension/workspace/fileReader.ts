// How the editor reads files a prompt file references: an open document's unsaved text first,
// then the file system through vscode.workspace.fs (works for remote and virtual workspaces).
import * as vscode from 'vscode';
import type { FileReader } from '../../core/model';

/** Error codes core's loader turns into plain words ("file not found"). */
const NODE_CODES: Record<string, string> = {
  FileNotFound: 'ENOENT',
  EntryNotFound: 'ENOENT',
  FileIsADirectory: 'EISDIR',
  EntryIsADirectory: 'EISDIR',
  NoPermissions: 'EACCES',
};

class ReadError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function openDocumentText(absolutePath: string): string | undefined {
  const doc = vscode.workspace.textDocuments.find(
    (d) => d.uri.scheme !== 'git' && d.uri.fsPath === absolutePath && !d.isClosed,
  );
  return doc?.getText();
}

/** A FileReader that sees unsaved edits and records every path it was asked for. */
export function editorFileReader(base: vscode.Uri, requested: Set<string>): FileReader {
  return {
    async readFile(absolutePath: string): Promise<string> {
      requested.add(absolutePath);
      const open = openDocumentText(absolutePath);
      if (open !== undefined) return open;
      const uri =
        base.scheme === 'file'
          ? vscode.Uri.file(absolutePath)
          : base.with({ path: vscode.Uri.file(absolutePath).path });
      try {
        const bytes = await vscode.workspace.fs.readFile(uri);
        return new TextDecoder('utf-8').decode(bytes);
      } catch (e) {
        const code = e instanceof vscode.FileSystemError ? NODE_CODES[e.code] : undefined;
        throw new ReadError(e instanceof Error ? e.message : String(e), code);
      }
    },
  };
}
