// `promptlab agreement` output: the text report and the --json object. Figures come from core's
// computeAgreement; this file only lays them out.
import type { AgreementReport, EvaluatorAgreement } from '../../core';
import { sanitizeForTerminal, truncate } from './common';
import type { Style } from './table';

export interface AgreementRunInfo {
  runId: string;
  promptFile: string;
}

export interface AgreementJson {
  run: AgreementRunInfo;
  /** Samples with any grade. */
  graded: number;
  intervalMethod: string;
  warnings: string[];
  evaluators: EvaluatorAgreement[];
}

export function agreementJson(run: AgreementRunInfo, report: AgreementReport, warnings: string[]): string {
  const value: AgreementJson = {
    run,
    graded: report.graded,
    intervalMethod: report.intervalMethod,
    warnings,
    evaluators: report.evaluators,
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}

const percent = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(0)} %`);
const decimal = (x: number | null): string => (x === null ? '—' : x.toFixed(2));

function caseId(d: { case: number; sample: number }, multiSample: boolean): string {
  return multiSample ? `${d.case}.${d.sample}` : String(d.case);
}

function evaluatorBlock(e: EvaluatorAgreement, multiSample: boolean, style: Style): string[] {
  const lines: string[] = [];
  const interval = e.kappaInterval ? ` [${decimal(e.kappaInterval[0])}, ${decimal(e.kappaInterval[1])}]` : '';
  const kappa = e.kappa === null ? 'κ —' : `κ ${decimal(e.kappa)}${interval}`;
  const paint = e.poor ? style.red : e.kappa !== null && e.kappa > 0.6 && e.n >= 10 ? style.green : (t: string) => t;
  lines.push(
    `${style.bold(sanitizeForTerminal(e.name))}  n ${e.n}  agreement ${percent(e.agreement)}  ${paint(kappa)}`,
  );
  lines.push(`  ${e.poor ? style.red(e.summary) : style.dim(e.summary)}`);
  if (e.n > 0) {
    const c = e.confusion;
    const width = Math.max(String(c.bothPass).length, String(c.humanFailEvaluatorPass).length, 'evaluator pass'.length);
    const cell = (n: number): string => String(n).padStart(width);
    lines.push(`  ${''.padEnd(12)}  ${'evaluator pass'.padStart(width)}  evaluator fail`);
    lines.push(
      `  ${'person pass'.padEnd(12)}  ${cell(c.bothPass)}  ${String(c.humanPassEvaluatorFail).padStart('evaluator fail'.length)}`,
    );
    lines.push(
      `  ${'person fail'.padEnd(12)}  ${cell(c.humanFailEvaluatorPass)}  ${String(c.bothFail).padStart('evaluator fail'.length)}`,
    );
  }
  if (e.scores) lines.push(`  1-5 scores: n ${e.scores.n}, Spearman ρ ${decimal(e.scores.spearman)}`);
  if (e.evaluatorErrors > 0)
    lines.push(
      `  ${e.evaluatorErrors} graded case${e.evaluatorErrors === 1 ? '' : 's'} left out: the evaluator failed on ${e.evaluatorErrors === 1 ? 'it' : 'them'}`,
    );
  if (e.disagreements.length > 0) {
    lines.push(`  disagreements (${e.disagreements.length}):`);
    for (const d of e.disagreements) {
      const note = d.note ? ` — ${truncate(sanitizeForTerminal(d.note), 60)}` : '';
      lines.push(
        `    case ${caseId(d, multiSample)}: person ${d.human}, evaluator ${d.evaluator} (score ${decimal(d.evaluatorScore)})${note}`,
      );
    }
  }
  return lines;
}

export function formatAgreementText(
  run: AgreementRunInfo,
  report: AgreementReport,
  multiSample: boolean,
  style: Style,
): string {
  const lines: string[] = [];
  lines.push(`${style.bold('Agreement with human grades')}: ${sanitizeForTerminal(run.promptFile)}, run ${run.runId}`);
  lines.push(
    style.dim(
      `${report.graded} graded output${report.graded === 1 ? '' : 's'}; 95 % interval of κ: ${report.intervalMethod}`,
    ),
  );
  if (report.evaluators.length === 0) lines.push('', 'The run has no evaluators to compare with.');
  for (const e of report.evaluators) lines.push('', ...evaluatorBlock(e, multiSample, style));
  return `${lines.join('\n')}\n`;
}
