// Commands as small units: each feature area lists its units (`command(id, run)`), and
// registerCommands registers them all the same way: whatever a unit throws is reported once
// through the shared error handler (with "Show Log"), and the command resolves to undefined.
import * as vscode from 'vscode';
import type { ErrorReporter } from '../errors';
import type { CommandId } from './ids';

export interface CommandUnit {
  readonly id: CommandId;
  run(...args: unknown[]): unknown;
}

export function command(id: CommandId, run: (...args: unknown[]) => unknown): CommandUnit {
  return { id, run };
}

export function registerCommands(units: readonly CommandUnit[], errors: ErrorReporter): vscode.Disposable[] {
  return units.map((unit) =>
    vscode.commands.registerCommand(unit.id, async (...args: unknown[]) => {
      try {
        return await unit.run(...args);
      } catch (error) {
        errors.report(error, unit.id);
        return undefined;
      }
    }),
  );
}
