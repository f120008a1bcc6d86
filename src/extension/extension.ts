// Composition root: builds the shared services once, hands each feature area what it needs, and
// registers every command unit through the one registry. Every disposable has an owner here.
import * as vscode from 'vscode';
import { Commands } from './commands/ids';
import { command, registerCommands } from './commands/registry';
import { registerCompareCodeLens, registerCompareFeatures } from './compare';
import { registerGradeFeatures, type GradeFeatures } from './grades';
import { loadEngine } from './engine';
import { createErrorReporter } from './errors';
import { registerLanguageFeatures } from './language';
import { createLogger, type Logger } from './log';
import { modelCommands } from './models/commands';
import { registerRunFeatures } from './run';
import { runCommands } from './run/commands';
import { resumeCommands } from './run/resume';
import { registerSetupFeatures } from './setup';
import type { EditorRuns } from './run/editorRuns';
import type { RunPanelManager } from './run/panel';
import { RunState } from './run/runState';
import type { PromptTests } from './run/testing';
import { KeyStore } from './secrets';
import { createTrustGuard, type TrustGuard } from './trust';
import { PromptWorkspace } from './workspace/promptWorkspace';

/** What activate() returns: the extension's own tests (and other extensions) reach the services here. */
export interface PromptLabApi {
  readonly context: vscode.ExtensionContext;
  /** The "PromptLab" log channel (redacts every known key). */
  readonly log: Logger;
  readonly keys: KeyStore;
  readonly trust: TrustGuard;
  readonly workspace: PromptWorkspace;
  readonly runState: RunState;
  readonly runs: EditorRuns;
  readonly panels: RunPanelManager;
  readonly tests: PromptTests;
  readonly grades: GradeFeatures;
  readonly testController: vscode.TestController;
  /** The engine facade, loaded on first use. */
  loadEngine: typeof loadEngine;
  /** Wall time of activate(), ms (recorded by the benchmark notes; never asserted). */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PromptLabApi {
  const started = performance.now();
  const log = createLogger();
  // Keys given through the environment are scrubbed from the log too.
  for (const [name, value] of Object.entries(process.env))
    if (value && /(_API_KEY|_TOKEN|_SECRET)$/i.test(name)) log.addSecret(value);
  const keys = new KeyStore(context.secrets, context.globalState, log);
  const trust = createTrustGuard();
  const errors = createErrorReporter(log, trust);
  const workspace = new PromptWorkspace(keys, log);
  const state = new RunState();
  context.subscriptions.push(log.channel, keys, workspace, state);

  // Before the run lenses, so that "▶ Run prompt" comes first on the line (newest provider first).
  context.subscriptions.push(registerCompareCodeLens());
  registerLanguageFeatures(context, workspace);
  const run = registerRunFeatures(context, { workspace, state, trust, log, errors });
  const grades = registerGradeFeatures(context, {
    workspace,
    state,
    log,
    panels: run.panels,
    panelHost: run.panelHost,
  });
  const compareUnits = registerCompareFeatures(context, {
    grades: grades.service,
    workspace,
    state,
    trust,
    log,
    showStoredRun: (stored) => run.panels.show(vscode.Uri.file(stored.header.promptFile), false).showStoredRun(stored),
  });
  context.subscriptions.push(
    ...registerCommands(
      [
        ...runCommands({ workspace, runs: run.runs, panels: run.panels, panelHost: run.panelHost, log }),
        ...resumeCommands(run.runs, log),
        ...grades.commands,
        ...modelCommands(workspace, keys, log),
        ...compareUnits,
        ...registerSetupFeatures(context, { workspace, trust, log, keys, context }),
        command(Commands.showLog, () => log.channel.show(true)),
      ],
      errors,
    ),
  );

  const activationMs = performance.now() - started;
  log.info(
    `PromptLab activated in ${activationMs.toFixed(1)} ms (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'in Restricted Mode'})`,
  );
  return {
    context,
    log,
    keys,
    trust,
    workspace,
    runState: state,
    runs: run.runs,
    panels: run.panels,
    tests: run.tests,
    grades,
    testController: run.tests.controller,
    loadEngine,
    activationMs,
  };
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions; VS Code disposes it.
}
