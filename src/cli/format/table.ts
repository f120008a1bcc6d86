// The human-readable eval report: one table per prompt file, then core's summary.
import type { CaseResult, RepeatStats, RunSummary, SampleResult } from '../../core/run/types';
import {
  caseLabel,
  formatCost,
  formatDuration,
  formatLatency,
  formatPercent,
  formatScore,
  formatTokens,
  sanitizeForTerminal,
  NOT_RUN_BUDGET_TEXT,
  truncate,
  type FileRun,
} from './common';

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
export const colorStyle: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  green: sgr(32, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};
const identity = (text: string) => text;
export const plainStyle: Style = {
  bold: identity,
  dim: identity,
  green: identity,
  red: identity,
  yellow: identity,
  cyan: identity,
};

/** Colors only for a terminal, and never when NO_COLOR is set (FORCE_COLOR forces them). */
export function pickStyle(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return colorStyle;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plainStyle;
  return stream.isTTY === true && env.TERM !== 'dumb' ? colorStyle : plainStyle;
}

interface Cell {
  text: string;
  paint?: (text: string) => string;
}

// Widths are measured on the unpainted text so colors never skew the columns.
function renderRows(rows: Cell[][], indent: string): string[] {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell.text).length)));
  return rows.map((row) =>
    (
      indent +
      row
        .map((cell, i) => {
          const pad = ' '.repeat((widths[i] ?? 0) - Array.from(cell.text).length);
          return (cell.paint && cell.text ? cell.paint(cell.text) : cell.text) + (i < row.length - 1 ? pad : '');
        })
        .join('  ')
    ).trimEnd(),
  );
}

function sampleRow(result: CaseResult, sample: SampleResult, multiSample: boolean, style: Style): Cell[] {
  const id = multiSample ? `${result.caseIndex + 1}.${sample.sample + 1}` : String(result.caseIndex + 1);
  const verdict: Cell =
    sample.notRun !== undefined
      ? { text: `– not run`, paint: style.yellow }
      : sample.error !== undefined
        ? { text: '! error', paint: style.yellow }
        : sample.passed
          ? { text: '✓ pass', paint: style.green }
          : { text: '✗ fail', paint: style.red };
  const marks = sample.evaluations
    .map((e) => `${e.passed ? '✓' : '✗'} ${sanitizeForTerminal(e.evaluatorName)}`)
    .join('  ');
  return [
    { text: id, paint: style.dim },
    { text: sample.sample === 0 ? caseLabel(result.vars, 38) : '' },
    verdict,
    { text: marks || (sample.error !== undefined ? '' : '—') },
    { text: formatTokens(sample.usage?.total) },
    { text: sample.notRun !== undefined ? '—' : formatLatency(sample.latencyMs) },
    { text: formatCost(sample.costUsd) },
    { text: sample.cached ? 'cached' : '', paint: style.cyan },
  ];
}

function problemLines(sample: SampleResult, style: Style): string[] {
  const lines: string[] = [];
  if (sample.notRun !== undefined)
    return [`${style.yellow(NOT_RUN_BUDGET_TEXT)} (the --max-cost cap was reached before this request)`];
  if (sample.error !== undefined) lines.push(`${style.yellow('error')}: ${sanitizeForTerminal(sample.error)}`);
  for (const e of sample.evaluations) {
    if (e.passed) continue;
    const details = e.details ? `: ${truncate(sanitizeForTerminal(e.details), 200)}` : '';
    lines.push(`${style.red('✗')} ${sanitizeForTerminal(e.evaluatorName)} (score ${formatScore(e.score)})${details}`);
  }
  if (sample.error === undefined && !sample.passed)
    lines.push(style.dim(`reply: ${JSON.stringify(truncate(sanitizeForTerminal(sample.output), 100))}`));
  return lines;
}

/** `pass@5 90 % · pass^5 60 %` (and the threshold when the file sets one). */
export function repeatPart(r: RepeatStats): string {
  const threshold =
    r.passRateThreshold < 1 ? ` (a case passes with ≥ ${formatPercent(r.passRateThreshold * 100)} of its samples)` : '';
  return `pass@${r.k} ${formatPercent(r.passAtK * 100)} · pass^${r.k} ${formatPercent(r.passHatK * 100)}${threshold}`;
}

export function summaryLine(summary: RunSummary, style: Style): string {
  const verdict = summary.failedTests === 0 ? style.green : style.red;
  const parts = [
    verdict(`${summary.passedTests}/${summary.totalTests} passed (${formatPercent(summary.passRate)})`),
    summary.failedTests ? style.red(`${summary.failedTests} failed`) : `${summary.failedTests} failed`,
  ];
  if (summary.erroredTests) parts.push(style.yellow(`${summary.erroredTests} errored`));
  if (summary.repeats) parts.push(repeatPart(summary.repeats));
  parts.push(`${formatTokens(summary.tokens.total)} tokens`, formatCost(summary.costUsd));
  if (summary.meanLatencyMs !== null) parts.push(`mean latency ${formatLatency(summary.meanLatencyMs)}`);
  parts.push(`wall ${formatDuration(summary.durationMs)}`);
  if (summary.cachedSamples) parts.push(`${summary.cachedSamples} cached`);
  return parts.join(' · ');
}

export function formatRunTable(run: FileRun, style: Style): string {
  const { outcome } = run;
  const title = `${style.bold(sanitizeForTerminal(run.name ?? run.displayPath))}  ${style.dim(`${run.model} · ${run.displayPath}`)}`;
  const out = [title];
  if (outcome.header.approximate) out.push(style.yellow('  results are approximate for this provider'));
  const multiSample = outcome.cases.some((c) => c.samples.length > 1);
  const header: Cell[] = ['#', 'case', 'result', 'evaluators', 'tokens', 'latency', 'cost', ''].map((text) => ({
    text,
    paint: style.dim,
  }));
  const rows: Cell[][] = [header];
  const notes = new Map<number, string[]>();
  for (const result of outcome.cases) {
    for (const sample of result.samples) {
      rows.push(sampleRow(result, sample, multiSample, style));
      const lines = problemLines(sample, style);
      if (lines.length) notes.set(rows.length - 1, lines);
    }
    if (result.samples.length === 0 && result.error !== undefined) {
      rows.push([
        { text: String(result.caseIndex + 1) },
        { text: caseLabel(result.vars, 38) },
        { text: '! error', paint: style.yellow },
      ]);
      notes.set(rows.length - 1, [`${style.yellow('error')}: ${sanitizeForTerminal(result.error)}`]);
    }
  }
  if (rows.length > 1) {
    renderRows(rows, '  ').forEach((line, i) => {
      out.push(line);
      for (const note of notes.get(i) ?? []) out.push(`      ${note}`);
    });
  } else out.push(style.dim('  (no test cases)'));
  if (outcome.cancelled) out.push(style.yellow('  interrupted: cases not listed did not run'));
  const notRun = outcome.cases.filter((c) => c.notRun !== undefined).length;
  if (notRun) out.push(style.yellow(`  ${notRun} case${notRun === 1 ? '' : 's'} ${NOT_RUN_BUDGET_TEXT}`));
  out.push(`  ${summaryLine(outcome.summary, style)}`);
  if (outcome.header.priceSource !== undefined)
    out.push(`  ${style.dim(`prices: ${sanitizeForTerminal(outcome.header.priceSource)}`)}`);
  return out.join('\n');
}
