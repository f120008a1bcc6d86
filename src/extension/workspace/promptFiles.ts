// What counts as a prompt file, written once: the path pattern, the glob for file searches and
// watchers, and the document selector every language feature and CodeLens registers with.
import * as vscode from 'vscode';

export const PROMPT_LANGUAGE_ID = 'prompt-yaml';
export const PROMPT_GLOB = '**/*.prompt.{yml,yaml}';
/** Folders never searched for prompt files (dependencies, git, PromptLab's own run files). */
export const EXCLUDE_GLOB = '**/{node_modules,.git,.promptlab}/**';
/** The language id, and the file pattern for documents opened before the language was assigned. */
export const PROMPT_SELECTOR: vscode.DocumentSelector = [{ language: PROMPT_LANGUAGE_ID }, { pattern: PROMPT_GLOB }];

const PROMPT_PATH = /\.prompt\.ya?ml$/i;

export function isPromptUri(uri: vscode.Uri): boolean {
  return PROMPT_PATH.test(uri.path);
}

export function isPromptDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === PROMPT_LANGUAGE_ID;
}

/** `greet.prompt.yml` → `greet` (for export and output file names). */
export function promptBaseName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1).replace(PROMPT_PATH, '');
}
