// Run results as JSON, CSV and Markdown for the panel's Export buttons. Pure (no vscode):
// the host shows the save dialog and writes the text.
import type { CaseResult, RunHeader, RunSummary } from '../../core/run/types';
import type { ExportFormat } from '../../protocol/run';

export interface ExportableRun {
  header: RunHeader;
  summary: RunSummary;
  cases: CaseResult[];
}

const valueText = (value: unknown): string => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value) ?? String(value));

export function toJson(run: ExportableRun): string {
  return JSON.stringify({ header: run.header, summary: run.summary, cases: [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex) }, null, 2) + '\n';
}

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets never run it as a formula. */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One row per sample: case, variables, verdict, output, error, measurements, one column per evaluator. */
export function toCsv(run: ExportableRun): string {
  const cases = [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex);
  const varNames = [...new Set(cases.flatMap((c) => Object.keys(c.vars)))];
  const evaluatorNames = [...new Set(cases.flatMap((c) => c.samples.flatMap((s) => s.evaluations.map((e) => e.evaluatorName))))];
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
      rows.push([String(c.caseIndex + 1), '', ...varNames.map((v) => valueText(c.vars[v])), 'false', '', c.error ?? '', '', '', '', '', '', ...evaluatorNames.flatMap(() => ['', '', ''])]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Text inside a Markdown table cell: pipes escaped, line breaks as <br>, HTML-significant characters escaped. */
export function markdownCell(text: string, max = 300): string {
  const clipped = text.length > max ? text.slice(0, max) + '…' : text;
  return clipped.replace(/[\\`*_[\]<>|&]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`)).replace(/\r?\n/g, '<br>');
}

export function toMarkdown(run: ExportableRun): string {
  const { header, summary } = run;
  const cases = [...run.cases].sort((a, b) => a.caseIndex - b.caseIndex);
  const lines = [
    `# ${markdownCell(header.promptName ?? header.promptFile, 200)}`,
    '',
    `- Model: \`${header.model}\` via ${markdownCell(header.provider)} (${markdownCell(header.endpointOrigin)})${header.approximate ? ' — approximate' : ''}`,
    `- Run: ${header.runId}, started ${header.startedAt}`,
    `- Pass rate: ${Math.round(summary.passRate * 10) / 10}% (${summary.passedTests} passed, ${summary.failedTests} failed, ${summary.erroredTests} with errors, of ${summary.totalTests})`,
    `- Tokens: ${summary.tokens.total} (${summary.tokens.prompt} prompt + ${summary.tokens.completion} completion)`,
    `- Cost: ${summary.costUsd === null ? 'unknown' : `$${summary.costUsd}`}`,
    `- Time: ${Math.round(summary.durationMs)} ms${summary.meanLatencyMs === null ? '' : `, mean latency ${Math.round(summary.meanLatencyMs)} ms`}`,
    '',
    '| # | Variables | Result | Output | Evaluations |',
    '|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const vars = Object.entries(c.vars).map(([k, v]) => `${k}: ${valueText(v)}`).join('\n');
    for (const s of c.samples.length > 0 ? c.samples : [undefined]) {
      const verdict = s ? (s.error !== undefined ? 'error' : s.passed ? 'pass' : 'fail') : 'error';
      const output = s ? (s.error !== undefined ? `error: ${s.error}` : s.output) : c.error ?? '';
      const evaluations = s ? s.evaluations.map((e) => `${e.error ? '⚠' : e.passed ? '✓' : '✗'} ${e.evaluatorName} (${e.score})${e.details ? `: ${e.details}` : ''}`).join('\n') : '';
      const number = c.samples.length > 1 && s ? `${c.caseIndex + 1}.${s.sample + 1}` : String(c.caseIndex + 1);
      lines.push(`| ${number} | ${markdownCell(vars)} | ${verdict} | ${markdownCell(output)} | ${markdownCell(evaluations)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

export function exportText(run: ExportableRun, format: ExportFormat): string {
  return format === 'json' ? toJson(run) : format === 'csv' ? toCsv(run) : toMarkdown(run);
}
