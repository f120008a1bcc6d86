// N-way comparison (three or more runs, usually one per model): a case × run matrix.

import type { CaseResult } from '../run/types';
import { caseLabel, caseScore, sideSummary } from './compare';
import { DEFAULT_DISPLAY_LIMIT, truncateForDisplay } from './diff';
import type { CompareMatrix, MatrixCell, MatrixColumn, MatrixRow, QualityPoint, RunData, SideSummary } from './types';

function cell(c: CaseResult, displayLimit: number): MatrixCell {
  const first = c.samples[0];
  const shown = truncateForDisplay(first?.output ?? '', displayLimit);
  const costs = c.samples.map((s) => s.costUsd);
  const error = c.error ?? first?.error;
  return {
    caseIndex: c.caseIndex,
    passed: c.passed,
    passRate: c.passRate,
    score: caseScore(c),
    output: shown.text,
    outputTruncated: shown.truncated,
    ...(error !== undefined ? { error } : {}),
    latencyMs: c.samples.length ? c.samples.reduce((s, x) => s + x.latencyMs, 0) / c.samples.length : null,
    costUsd: costs.length && costs.every((x) => x !== null) ? (costs as number[]).reduce((s, x) => s + x, 0) : null,
  };
}

function distinctLabels(summaries: SideSummary[]): void {
  const seen = new Map<string, number>();
  for (const s of summaries) seen.set(s.label, (seen.get(s.label) ?? 0) + 1);
  for (const s of summaries) if ((seen.get(s.label) ?? 0) > 1) s.label = `${s.label} (${s.startedAt})`;
}

export function buildMatrix(runs: readonly RunData[], displayLimit = DEFAULT_DISPLAY_LIMIT): CompareMatrix {
  const warnings: string[] = [];
  const summaries = runs.map(sideSummary);
  distinctLabels(summaries);
  const columns: MatrixColumn[] = runs.map((run, i) => {
    const summary = summaries[i] as SideSummary;
    return {
      runId: run.header.runId,
      label: summary.label,
      model: run.header.model,
      ...(summary.revision !== undefined ? { revision: summary.revision } : {}),
      summary,
    };
  });
  const files = new Set(runs.map((r) => r.header.promptFileRelative ?? r.header.promptFile));
  if (files.size > 1)
    warnings.push(`The runs are of ${files.size} different prompt files; cases were matched by their variables.`);

  // Occurrence-aware keys so repeated variable sets line up in order, as in matchCases.
  const order: string[] = [];
  const rowsByKey = new Map<string, { label: string; cells: (MatrixCell | null)[] }>();
  runs.forEach((run, column) => {
    const seen = new Map<string, number>();
    for (const c of [...run.cases].sort((x, y) => x.caseIndex - y.caseIndex)) {
      const n = seen.get(c.caseKey) ?? 0;
      seen.set(c.caseKey, n + 1);
      const key = `${c.caseKey}#${n}`;
      let row = rowsByKey.get(key);
      if (!row) {
        row = { label: caseLabel(c), cells: runs.map(() => null) };
        rowsByKey.set(key, row);
        order.push(key);
      }
      row.cells[column] = cell(c, displayLimit);
    }
  });
  const rows: MatrixRow[] = order.map((key) => {
    const row = rowsByKey.get(key) as { label: string; cells: (MatrixCell | null)[] };
    const present = row.cells.filter((c): c is MatrixCell => c !== null);
    const disagreement = present.some((c) => c.passed) && present.some((c) => !c.passed);
    return { caseKey: key.slice(0, key.lastIndexOf('#')), label: row.label, cells: row.cells, disagreement };
  });
  const missing = rows.filter((r) => r.cells.includes(null)).length;
  if (missing) warnings.push(`${missing} case(s) are missing from some runs (shown as empty cells).`);
  // Stable sort: disagreements first, otherwise first-appearance order.
  rows.sort((x, y) => Number(y.disagreement) - Number(x.disagreement));
  return { columns, rows, warnings };
}

/** One point per run for the quality-vs-cost and quality-vs-latency charts. */
export function qualityPoints(summaries: readonly SideSummary[]): QualityPoint[] {
  return summaries.map((s) => ({
    label: s.label,
    passRate: s.passRate,
    meanScore: s.meanScore,
    costUsd: s.costUsd,
    meanLatencyMs: s.meanLatencyMs,
  }));
}
