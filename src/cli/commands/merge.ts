// `promptlab merge <run files…>`: the shard runs of one suite (eval --shard i/n on several
// machines) become one stored run and one report, with eval's exit codes.
import { mergeShardRuns, newRunId, type LoadedRun } from '../../core';
import type { MergeCommand } from '../args';
import { displayPath, runReference, runStoreOf } from '../files';
import type { FileRun } from '../format/common';
import { processIo, reportErrors, type CliIo } from '../io';
import { exitCodeOf, printReports, printRunTable } from './eval';

export function runMergeCommand(command: MergeCommand, io: CliIo = processIo()): Promise<number> {
  return reportErrors(io, command.debug, () => merge(command, io));
}

async function merge(command: MergeCommand, io: CliIo): Promise<number> {
  const store = runStoreOf(command, io);
  const runs: LoadedRun[] = [];
  for (const ref of command.runs) {
    const run = await store.load(runReference(ref, io));
    if (!command.quiet)
      for (const warning of run.warnings)
        io.stderr.write(`promptlab: ${io.err.yellow('warning')}: ${displayPath(run.file, io.cwd)}: ${warning}\n`);
    runs.push(run);
  }
  const first = runs[0] as LoadedRun;
  const merged = mergeShardRuns(runs, newRunId(first.header.promptFile, new Date()));
  if (!command.quiet)
    for (const warning of merged.warnings) io.stderr.write(`promptlab: ${io.err.yellow('warning')}: ${warning}\n`);
  const writer = store.create(merged.header);
  try {
    for (const result of merged.cases) writer.appendCase(result);
    writer.finish(merged.summary, merged.cancelled);
  } finally {
    writer.close();
  }
  const shown = displayPath(first.header.promptFile, io.cwd);
  const run: FileRun = {
    displayPath: merged.header.promptFileRelative ?? shown,
    model: merged.header.model,
    outcome: {
      header: merged.header,
      cases: merged.cases,
      summary: merged.summary,
      cancelled: merged.cancelled,
      runFile: writer.file,
    },
  };
  if (merged.header.promptName !== undefined) run.name = merged.header.promptName;
  if (!command.json) printRunTable(run, io);
  await printReports([run], merged.summary, { ...command, json: command.json }, io);
  return exitCodeOf([run], merged.summary, false, io);
}
