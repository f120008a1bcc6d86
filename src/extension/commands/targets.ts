// The one step that works out what a command acts on: the argument VS Code passed (a Uri from a
// CodeLens, an editor or explorer menu; a Run History node; a Test Explorer item) or else the active
// editor. Commands never inspect their raw arguments themselves.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Text, showError } from '../messages';
import { isPromptUri } from '../workspace/promptFiles';

/** Anything that knows its prompt file (Run History nodes, Test Explorer items carry a uri). */
interface HasPromptFile {
  readonly promptFile: string;
}

function hasPromptFile(value: unknown): value is HasPromptFile {
  return (
    typeof value === 'object' && value !== null && typeof (value as { promptFile?: unknown }).promptFile === 'string'
  );
}

/** The workspace folder of the active editor's file, else the first one (for commands that write into a folder). */
export function activeWorkspaceFolder(): vscode.WorkspaceFolder | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  return (active && vscode.workspace.getWorkspaceFolder(active)) || vscode.workspace.workspaceFolders?.[0];
}

/** The prompt file an argument names, or the active editor's when it shows one. */
export function promptTarget(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (hasPromptFile(arg)) return vscode.Uri.file(arg.promptFile);
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && isPromptUri(active) ? active : undefined;
}

/**
 * Like promptTarget, but tells the user when there is nothing to act on (`missing` says what to open)
 * or when the target is not a prompt file; undefined then.
 */
export function requirePromptTarget(arg: unknown, missing: string = Text.noPromptFile): vscode.Uri | undefined {
  const target = promptTarget(arg);
  if (!target) {
    void vscode.window.showInformationMessage(missing);
    return undefined;
  }
  if (!isPromptUri(target)) {
    void showError(Text.notAPromptFile(path.basename(target.fsPath)));
    return undefined;
  }
  return target;
}

export const stringArg = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const numberArg = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
export const stringListArg = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
