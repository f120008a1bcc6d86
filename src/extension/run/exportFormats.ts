// Run results as JSON, CSV and Markdown for the panel's Export buttons. Pure (no vscode):
// the host shows the save dialog and writes the text.
import type { CaseResult, RunHeader, RunSummary } from '../../core/run/types';
import { formatJson } from '../../core/report/ghJson';
import { csvCell, escapeMarkdown } from '../../format/escape';
import {
  formatCost,
  formatDuration,
  formatPercent,
  formatScore,
  formatTokens,
  formatValue,
  truncate,
} from '../../format/numbers';
import type { ExportFormat } from '../../protocol/run';

export interface ExportableRun {
  header: RunHeader;
  summary: RunSummary;
  cases: CaseResult[];
  /** The run stopped before every case ran. */
  cancelled?: boolean;
  runFile?: string;
  /** The prompt file's `description` (the JSON export carries it, as `eval --json` does). */
  description?: string;
}

const valueText = formatValue;

/** Exactly what `promptlab eval --json` prints for this run (gh-models' shape plus `promptlab`). */
export function toJson(run: ExportableRun): string {
  const { header } = run;
  return formatJson([
    {
      displayPath: header.promptFileRelative ?? header.promptFile,
      model: header.model,
      ...(header.promptName !== undefined ? { name: header.promptName } : {}),
      ...(run.description !== undefined ? { description: run.description } : {}),
      outcome: {
        header,
        summary: run.summary,
        cases: [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex),
        cancelled: run.cancelled ?? false,
        ...(run.runFile !== undefined ? { runFile: run.runFile } : {}),
      },
    },
  ]);
}

/** One row per sample: case, variables, verdict, output, error, measurements, one column per evaluator. */
export function toCsv(run: ExportableRun): string {
  const cases = [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex);
  const varNames = [...new Set(cases.flatMap((c) => Object.keys(c.vars)))];
  const evaluatorNames = [
    ...new Set(cases.flatMap((c) => c.samples.flatMap((s) => s.evaluations.map((e) => e.evaluatorName)))),
  ];
  const header = [
    'case',
    'sample',
    ...varNames.map((v) => `var:${v}`),
    'passed',
    'output',
    'error',
    'latency_ms',
    'prompt_tokens',
    'completion_tokens',
    'cost_usd',
    'cached',
    ...evaluatorNames.flatMap((e) => [`${e}:passed`, `${e}:score`, `${e}:details`]),
  ];
  const rows = [header];
  for (const c of cases) {
    for (const s of c.samples) {
      const evaluations = new Map(s.evaluations.map((e) => [e.evaluatorName, e]));
      rows.push([
        String(c.caseIndex + 1),
        String(s.sample + 1),
        ...varNames.map((v) => valueText(c.vars[v])),
        String(s.passed),
        s.output,
        s.error ?? '',
        String(Math.round(s.latencyMs)),
        s.usage ? String(s.usage.prompt) : '',
        s.usage ? String(s.usage.completion) : '',
        s.costUsd === null ? '' : String(s.costUsd),
        String(s.cached),
        ...evaluatorNames.flatMap((name) => {
          const e = evaluations.get(name);
          return e ? [e.error ? 'error' : String(e.passed), String(e.score), e.details] : ['', '', ''];
        }),
      ]);
    }
    if (c.samples.length === 0)
      rows.push([
        String(c.caseIndex + 1),
        '',
        ...varNames.map((v) => valueText(c.vars[v])),
        'false',
        '',
        c.error ?? '',
        '',
        '',
        '',
        '',
        '',
        ...evaluatorNames.flatMap(() => ['', '', '']),
      ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Text inside a Markdown table cell: escaped like every Markdown output, line breaks as <br>, long text clipped. */
export function markdownCell(text: string, max = 300): string {
  return escapeMarkdown(truncate(text, max), 'br');
}

export function toMarkdown(run: ExportableRun): string {
  const { header, summary } = run;
  const cases = [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex);
  const lines = [
    `# ${markdownCell(header.promptName ?? header.promptFile, 200)}`,
    '',
    `- Model: \`${header.model}\` via ${markdownCell(header.provider)} (${markdownCell(header.endpointOrigin)})${header.approximate ? ' — approximate' : ''}`,
    `- Run: ${header.runId}, started ${header.startedAt}`,
    `- Pass rate: ${formatPercent(summary.passRate)} (${summary.passedTests} passed, ${summary.failedTests} failed, ${summary.erroredTests} with errors, of ${summary.totalTests})`,
    `- Tokens: ${formatTokens(summary.tokens.total)} (${formatTokens(summary.tokens.prompt)} prompt + ${formatTokens(summary.tokens.completion)} completion)`,
    `- Cost: ${summary.costUsd === null ? 'unknown' : formatCost(summary.costUsd)}`,
    `- Time: ${formatDuration(summary.durationMs)}${summary.meanLatencyMs === null ? '' : `, mean latency ${formatDuration(summary.meanLatencyMs)}`}`,
    '',
    '| # | Variables | Result | Output | Evaluations |',
    '|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const vars = Object.entries(c.vars)
      .map(([k, v]) => `${k}: ${valueText(v)}`)
      .join('\n');
    for (const s of c.samples.length > 0 ? c.samples : [undefined]) {
      const verdict = s ? (s.error !== undefined ? 'error' : s.passed ? 'pass' : 'fail') : 'error';
      const output = s ? (s.error !== undefined ? `error: ${s.error}` : s.output) : (c.error ?? '');
      const evaluations = s
        ? s.evaluations
            .map(
              (e) =>
                `${e.error ? '⚠' : e.passed ? '✓' : '✗'} ${e.evaluatorName} (${formatScore(e.score)})${e.details ? `: ${e.details}` : ''}`,
            )
            .join('\n')
        : '';
      const number = c.samples.length > 1 && s ? `${c.caseIndex + 1}.${s.sample + 1}` : String(c.caseIndex + 1);
      lines.push(
        `| ${number} | ${markdownCell(vars)} | ${verdict} | ${markdownCell(output)} | ${markdownCell(evaluations)} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

export function exportText(run: ExportableRun, format: ExportFormat): string {
  return format === 'json' ? toJson(run) : format === 'csv' ? toCsv(run) : toMarkdown(run);
}

export { csvCell };
