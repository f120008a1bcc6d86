import type * as vscode from 'vscode';

/** Owner: language features (grammar-independent): diagnostics, completion, hover, outline, definition, quick fixes. */
export function registerLanguageFeatures(_context: vscode.ExtensionContext): void {}
