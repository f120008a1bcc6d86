import type * as vscode from 'vscode';

/** Services the run side shares with other feature areas (compare reuses the engine wiring). */
export interface RunServices {
  readonly context: vscode.ExtensionContext;
}

export function registerRunFeatures(context: vscode.ExtensionContext): RunServices {
  return { context };
}
