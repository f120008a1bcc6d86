// Workspace Trust: in Restricted Mode the language features work, runs do not. A run sends the
// workspace's prompts and data to an endpoint chosen by the workspace's provider configuration,
// so it needs the user's trust.
import * as vscode from 'vscode';
import { PromptLabError } from '../core/errors';
import { Actions, Text, showWarning } from './messages';

export class RunRefusedError extends PromptLabError {
  constructor(message: string) {
    super(message, 'config');
    this.name = 'RunRefusedError';
  }
}

export interface TrustGuard {
  /** True when runs are allowed (the real vscode.workspace.isTrusted). */
  isRunAllowed(): boolean;
  /** Throws RunRefusedError with the explanation in Restricted Mode. */
  assertRunAllowed(): void;
  /** Shows the refusal with a "Manage Workspace Trust" action. */
  explainRefusal(): Promise<void>;
}

export function createTrustGuard(): TrustGuard {
  return {
    isRunAllowed: () => vscode.workspace.isTrusted,
    assertRunAllowed: () => {
      if (!vscode.workspace.isTrusted) throw new RunRefusedError(Text.untrusted);
    },
    explainRefusal: () => showWarning(Text.untrusted, Actions.manageTrust),
  };
}
