// Composition root: builds the shared services once and hands each feature area its owner.
import * as vscode from 'vscode';
import { registerLanguageFeatures } from './language';
import { registerRunFeatures } from './run';
import { registerCompareFeatures } from './compare';

export function activate(context: vscode.ExtensionContext): void {
  const run = registerRunFeatures(context);
  registerLanguageFeatures(context);
  registerCompareFeatures(context, run);
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions; VS Code disposes it.
}
