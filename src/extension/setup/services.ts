// What the setup features use from the shared services built in activate().
import type * as vscode from 'vscode';
import type { Logger } from '../log';
import type { KeyStore } from '../secrets';
import type { TrustGuard } from '../trust';
import type { PromptWorkspace } from '../workspace/promptWorkspace';

export interface SetupServices {
  workspace: PromptWorkspace;
  trust: TrustGuard;
  log: Logger;
  keys: KeyStore;
  /** For globalState (the last set-up's example model). */
  context: vscode.ExtensionContext;
}
