// "Resume Run" / "Re-run Errored Cases" on a stored run (Run History context menu): completes the
// run in its own file through the normal editor run path (Restricted Mode check, run state, panel,
// progress). What is kept and what runs is core's decision (src/core/run/resume.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOutcome } from '../../core/engine';
import type { RunInfo } from '../../core/store/runStore';
import { Commands } from '../commands/ids';
import { command, type CommandUnit } from '../commands/registry';
import { loadEngine } from '../engine';
import type { Logger } from '../log';
import type { EditorRuns } from './editorRuns';

/** How a Run History item shows what a resume would do: `.incomplete` (cases missing) or `.errored`. */
export function resumeContextSuffix(info: RunInfo): string {
  const s = info.summary;
  if (!s || s.cancelled || s.totalTests < info.header.caseCount) return '.incomplete';
  return s.erroredTests > 0 ? '.errored' : '';
}

/** A run file from a command argument: a Run History node (`file`), a Uri or a path. */
function runFileOf(target: unknown): string | undefined {
  if (typeof target === 'string' && target !== '') return target;
  if (target instanceof vscode.Uri) return target.fsPath;
  const file = (target as { file?: unknown } | undefined)?.file;
  return typeof file === 'string' ? file : undefined;
}

export function resumeCommands(runs: EditorRuns, log: Logger): CommandUnit[] {
  const resume = async (target?: unknown): Promise<RunOutcome | undefined> => {
    const file = runFileOf(target);
    if (!file) {
      void vscode.window.showInformationMessage('Choose a run in Run History to resume.');
      return undefined;
    }
    const engine = await loadEngine();
    const run = await new engine.RunStore(path.dirname(file)).load(file);
    if (!engine.isIncomplete(run)) {
      void vscode.window.showInformationMessage(`Run ${run.id} is complete: every case has a reply. Nothing was sent.`);
      return undefined;
    }
    log.info(`Resuming run ${run.id} (${file})`);
    return runs.run(vscode.Uri.file(run.header.promptFile), { resume: file });
  };
  return [command(Commands.resumeRun, resume), command(Commands.rerunErrored, resume)];
}
