// Composition root: builds the shared services once and hands each feature area its owner.
import * as vscode from 'vscode';
import { registerLanguageFeatures } from './language';
import { registerRunFeatures, type RunServices } from './run';
import { registerCompareCodeLens, registerCompareFeatures } from './compare';
import { registerGradeFeatures, type GradeFeatures } from './grades';

/** What activate() returns: the extension's own tests (and other extensions) reach the services here. */
export interface PromptLabApi {
  readonly run: RunServices;
  readonly grades: GradeFeatures;
  readonly testController: vscode.TestController;
  /** Wall time of activate(), ms (recorded by the benchmark notes; never asserted). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PromptLabApi {
  const started = performance.now();
  // Before the run lenses, so that "▶ Run prompt" comes first on the line (newest provider first).
  context.subscriptions.push(registerCompareCodeLens());
  // Language first: the run lenses reuse its validation of each document instead of parsing again.
  const language = registerLanguageFeatures(context);
  const run = registerRunFeatures(context, language);
  registerCompareFeatures(context, run);
  const grades = registerGradeFeatures(context, run);
  const activationMs = performance.now() - started;
  run.log.info(`PromptLab activated in ${activationMs.toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'in Restricted Mode'})`);
  return { run, grades, testController: run.tests.controller, activationMs };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions; VS Code disposes it.
}
