// The run side of the extension: engine wiring, run panel, CodeLens, commands, Test Explorer.
// registerRunFeatures builds it once and returns the services other feature areas reuse.
import * as vscode from 'vscode';
import type { RunOutcome } from '../../core/engine';
import type { LoadResult } from '../../core/model';
import type { ModelResolver } from '../../core/providers/types';
import type { ResponseCache } from '../../core/store/cache';
import type { RunStore } from '../../core/store/runStore';
import { createLogger, type Logger } from '../log';
import { KeyStore } from '../secrets';
import { createTrustGuard, type TrustGuard } from '../trust';
import type { LanguageServices } from '../language';
import { RunCodeLensProvider } from './codeLens';
import { registerRunCommands } from './commands';
import { RunController, isPromptFile, loadCore, type RunRequest } from './controller';
import { OutputDocuments } from './outputDocuments';
import { RUN_PANEL_VIEW_TYPE } from './panel';
import { panelHtml, webviewOptions } from './panelHtml';
import { PromptTests } from './testing';

export type { RunRequest } from './controller';
export { RunRefusedError } from '../trust';

/** Services the run side shares with other feature areas (compare reuses the engine wiring). */
export interface RunServices {
  readonly context: vscode.ExtensionContext;
  /** The "PromptLab" log channel (redacts every known key). */
  readonly log: Logger;
  readonly trust: TrustGuard;
  readonly keys: KeyStore;
  readonly controller: RunController;
  readonly tests: PromptTests;
  /** The engine facade, loaded on first use (keeps activation fast). */
  loadCore(): ReturnType<typeof loadCore>;
  /** Parses a prompt file as the editor sees it (unsaved edits and referenced files included). */
  loadPrompt(uri: vscode.Uri): Promise<LoadResult>;
  /** Resolves model ids for a file's workspace: configured endpoints + stored keys, then editor models. */
  createResolver(uri: vscode.Uri, modelIds: string[], modelOverride?: string): Promise<ModelResolver>;
  runStoreFor(uri: vscode.Uri): Promise<RunStore>;
  cacheFor(uri: vscode.Uri): Promise<ResponseCache | undefined>;
  /** Runs a prompt file with panel, progress and status bar; throws RunRefusedError in Restricted Mode. */
  runPromptInEditor(uri: vscode.Uri, request?: RunRequest): Promise<RunOutcome>;
  /** Shows a run failure the standard way (one message with an action); does not wait for the user. */
  reportRunError(error: unknown): void;
  /** Webview helpers: nonce CSP HTML shell and options limited to dist/ and media/. */
  readonly webview: { html: typeof panelHtml; options: typeof webviewOptions };
}

export function registerRunFeatures(context: vscode.ExtensionContext, language?: LanguageServices): RunServices {
  const log = createLogger();
  // Keys given through the environment are scrubbed from the log too.
  for (const [name, value] of Object.entries(process.env)) if (value && /(_API_KEY|_TOKEN|_SECRET)$/i.test(name)) log.addSecret(value);
  const keys = new KeyStore(context.secrets, context.globalState, log);
  const trust = createTrustGuard();
  const outputs = new OutputDocuments();
  const controller = new RunController(context, log, keys, trust, outputs);
  const tests = new PromptTests(controller, log);
  const codeLens = new RunCodeLensProvider((doc) => language?.diagnostics.current(doc));
  const selector: vscode.DocumentSelector = [{ language: 'prompt-yaml' }, { pattern: '**/*.prompt.{yml,yaml}' }];

  context.subscriptions.push(
    log.channel,
    controller,
    tests,
    codeLens,
    outputs.register(),
    vscode.languages.registerCodeLensProvider(selector, codeLens),
    ...(language ? [language.diagnostics.onDidValidate(() => codeLens.refresh())] : []),
    vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, controller.panels),
    ...registerRunCommands(controller, keys, log),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isPromptFile(doc.uri)) void controller.panels.refresh(doc.uri);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      codeLens.refresh();
      void controller.panels.refreshAll();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('promptlab.defaultModel')) void controller.panels.refreshAll();
    }),
  );
  // Discovery reads every prompt file; it must not delay activation.
  void tests.discoverAll().catch((error: unknown) => log.error('Test discovery failed', error));

  return {
    context,
    log,
    trust,
    keys,
    controller,
    tests,
    loadCore,
    loadPrompt: (uri) => controller.loadPrompt(uri),
    createResolver: (uri, modelIds, modelOverride) => controller.createResolver(uri, modelIds, modelOverride),
    runStoreFor: (uri) => controller.storeFor(uri),
    cacheFor: (uri) => controller.cacheFor(uri),
    runPromptInEditor: (uri, request) => controller.run(uri, request),
    reportRunError: (error) => controller.reportRunError(error),
    webview: { html: panelHtml, options: webviewOptions },
  };
}
