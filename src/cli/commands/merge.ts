// `promptlab merge <run files…>`: the shard runs of one suite (eval --shard i/n on several
// machines) become one stored run and one report, with eval's exit codes.
import path from 'node:path';
import { mergeShardRuns, newRunId, RunStore, type LoadedRun } from '../../core';
import type { MergeCommand } from '../args';
import { displayPath } from '../files';
import type { FileRun } from '../format/common';
import { describeError, EXIT_CANNOT_RUN, processIo, type CliIo } from '../io';
import { DEFAULT_RUNS_DIR, exitCodeOf, printReports, printRunTable } from './eval';

export async function runMergeCommand(command: MergeCommand, io: CliIo = processIo()): Promise<number> {
  try {
    return await merge(command, io);
  } catch (error) {
    io.stderr.write(`${describeError(error, io, command.debug)}\n`);
    return EXIT_CANNOT_RUN;
  }
}

async function merge(command: MergeCommand, io: CliIo): Promise<number> {
  const store = new RunStore(path.resolve(io.cwd, command.runsDir ?? DEFAULT_RUNS_DIR));
  const runs: LoadedRun[] = [];
  for (const ref of command.runs) {
    const run = await store.load(ref.endsWith('.jsonl') || ref.includes('/') ? path.resolve(io.cwd, ref) : ref);
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
