// `promptlab merge`: the runs of one suite's shards (`eval --shard i/n` on n machines) become
// one run, as if the suite had run on one machine. Only runs of the same prompt file at the same
// revision, model and settings merge, and no case may be in two of them.
import path from 'node:path';
import { PromptLabError } from '../errors';
import type { LoadedRun } from '../store/runStore';
import { canonicalJson } from './canonical';
import { summarize } from './summary';
import type { CaseResult, RunHeader, RunSummary } from './types';

export interface MergedRun {
  header: RunHeader;
  cases: CaseResult[];
  summary: RunSummary;
  cancelled: boolean;
  /** Non-fatal notes (e.g. a shard of the suite is not among the runs). */
  warnings: string[];
}

function promptIdentity(header: RunHeader): string {
  return header.promptFileRelative ?? path.basename(header.promptFile);
}

function settingsOf(header: RunHeader): string {
  return canonicalJson({
    model: header.model,
    parameters: header.parameters,
    repeat: header.repeat,
    responseFormat: header.responseFormat ?? null,
  });
}

export function mergeShardRuns(runs: readonly LoadedRun[], newRunId: string): MergedRun {
  const [first] = runs;
  if (!first) throw new PromptLabError('merge needs at least one run file', 'input');
  const warnings: string[] = [];
  for (const run of runs) {
    if (!run.finished) {
      throw new PromptLabError(
        `${run.file}: the run did not finish (no summary line); finish it first (a batch run: eval --resume ${run.file})`,
        'input',
        { file: run.file },
      );
    }
    if (promptIdentity(run.header) !== promptIdentity(first.header)) {
      throw new PromptLabError(
        `${run.file} ran ${promptIdentity(run.header)}, ${first.file} ran ${promptIdentity(first.header)}: only shards of one prompt file merge`,
        'input',
        { file: run.file },
      );
    }
    if (run.header.contentHash !== first.header.contentHash) {
      throw new PromptLabError(
        `${run.file} and ${first.file} ran different revisions of ${promptIdentity(first.header)} (the file's content differs): only shards of one revision merge`,
        'input',
        { file: run.file },
      );
    }
    if (settingsOf(run.header) !== settingsOf(first.header)) {
      throw new PromptLabError(
        `${run.file} and ${first.file} ran with different models or settings: only shards of one run merge`,
        'input',
        { file: run.file },
      );
    }
  }
  const count = first.header.shard?.count;
  const byShard = new Map<number, LoadedRun>();
  for (const run of runs) {
    const shard = run.header.shard;
    if (!shard)
      throw new PromptLabError(
        `${run.file} is not a shard's run (eval --shard i/n): it holds the whole suite`,
        'input',
        { file: run.file },
      );
    if (shard.count !== count) {
      throw new PromptLabError(
        `${run.file} is shard ${shard.index}/${shard.count}, ${first.file} is of ${count ?? 1}: the slices overlap`,
        'input',
        { file: run.file },
      );
    }
    const other = byShard.get(shard.index);
    if (other)
      throw new PromptLabError(
        `${run.file} and ${other.file} are both shard ${shard.index}/${shard.count}: the runs overlap`,
        'input',
        { file: run.file },
      );
    byShard.set(shard.index, run);
  }
  if (count !== undefined && byShard.size < count) {
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byShard.has(i));
    warnings.push(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} not given: the merged run holds ${byShard.size} of ${count} shards`,
    );
  }
  const owner = new Map<string, string>();
  const cases: CaseResult[] = [];
  for (const run of runs) {
    for (const result of run.cases) {
      const seen = owner.get(result.caseKey);
      if (seen !== undefined) {
        throw new PromptLabError(
          `case ${result.caseIndex + 1} (key ${result.caseKey}) is in both ${seen} and ${run.file}: the runs overlap`,
          'input',
          { file: run.file },
        );
      }
      owner.set(result.caseKey, run.file);
      cases.push(result);
    }
  }
  cases.sort((a, b) => a.caseIndex - b.caseIndex);
  const { shard: _shard, ...rest } = first.header;
  const startedAt = runs.map((r) => r.header.startedAt).sort()[0] ?? first.header.startedAt;
  const header: RunHeader = {
    ...rest,
    runId: newRunId,
    caseCount: runs.reduce((sum, r) => sum + r.header.caseCount, 0),
    startedAt,
  };
  header.label = `merged ${runs.length} shard${runs.length === 1 ? '' : 's'} of ${count ?? 1}`;
  // The shards ran side by side: the merged run took as long as the slowest.
  const durationMs = Math.max(...runs.map((r) => r.summary.durationMs));
  return {
    header,
    cases,
    summary: summarize(cases, durationMs),
    cancelled: runs.some((r) => r.summary.cancelled),
    warnings,
  };
}
