// `--junit FILE`: one <testsuite> per prompt file, one <testcase> per test case.
// Counts come from core's RunSummary; a case that errored (no reply) is an <error>, one that
// got a reply but failed an evaluator is a <failure>.
import type { CaseResult, RunSummary } from '../../core/run/types';
import { escapeXml } from '../../format/escape';
import { caseLabel, NOT_RUN_BUDGET_TEXT, representativeSample, type FileRun } from './common';

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function testcaseXml(run: FileRun, result: CaseResult): string {
  const suiteName = run.name ?? run.displayPath;
  const name = `case ${result.caseIndex + 1}: ${caseLabel(result.vars, 80)}`;
  const sample = representativeSample(result);
  const time = seconds(sample?.latencyMs ?? 0);
  const open = `    <testcase classname="${escapeXml(suiteName)}" name="${escapeXml(name)}" time="${time}"`;
  if (result.passed) return `${open}/>`;
  const body: string[] = [];
  const requestError = result.samples.find((s) => s.error !== undefined)?.error ?? result.error;
  const evaluatorErrors = result.samples.flatMap((s) => s.evaluations.filter((e) => e.error === true));
  // <error> for exactly the cases core's summary counts as errored (a failed request or an
  // evaluator that could not run), so the per-case elements add up to the suite's `errors`.
  if (result.notRun !== undefined) {
    body.push(
      `      <error message="${NOT_RUN_BUDGET_TEXT}" type="budget">the --max-cost cap was reached before this case's request</error>`,
    );
  } else if (requestError !== undefined) {
    body.push(`      <error message="${escapeXml(requestError)}" type="request"/>`);
  } else if (evaluatorErrors.length > 0) {
    const details = evaluatorErrors.map((e) => `${e.evaluatorName}: ${e.details}`).join('\n');
    body.push(
      `      <error message="${escapeXml(`evaluator could not run: ${evaluatorErrors.map((e) => e.evaluatorName).join(', ')}`)}" type="evaluator">${escapeXml(details)}</error>`,
    );
  } else {
    const failed = (sample?.evaluations ?? []).filter((e) => !e.passed);
    const message = failed.map((e) => e.evaluatorName).join(', ') || 'failed';
    const details = failed.map((e) => `${e.evaluatorName} (score ${e.score}): ${e.details}`).join('\n');
    body.push(
      `      <failure message="${escapeXml(`failed: ${message}`)}" type="evaluation">${escapeXml(details)}</failure>`,
    );
  }
  if (sample !== undefined) body.push(`      <system-out>${escapeXml(sample.output)}</system-out>`);
  return `${open}>\n${body.join('\n')}\n    </testcase>`;
}

/** `overall` is core's summary over every file's cases (the same as the single run's for one file). */
export function formatJunit(runs: FileRun[], overall: RunSummary): string {
  const suites = runs.map((run) => {
    const s = run.outcome.summary;
    const failures = s.failedTests - s.erroredTests;
    const cases = run.outcome.cases.map((result) => testcaseXml(run, result));
    const attrs =
      `name="${escapeXml(run.name ?? run.displayPath)}" tests="${s.totalTests}" failures="${failures}" ` +
      `errors="${s.erroredTests}" skipped="0" time="${seconds(s.durationMs)}" file="${escapeXml(run.displayPath)}"`;
    const props =
      `    <properties>\n      <property name="model" value="${escapeXml(run.model)}"/>\n` +
      `      <property name="runId" value="${escapeXml(run.outcome.header.runId)}"/>\n` +
      (run.outcome.runFile ? `      <property name="runFile" value="${escapeXml(run.outcome.runFile)}"/>\n` : '') +
      `    </properties>`;
    return `  <testsuite ${attrs}>\n${props}\n${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`;
  });
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="promptlab" tests="${overall.totalTests}" failures="${overall.failedTests - overall.erroredTests}" errors="${overall.erroredTests}" time="${seconds(overall.durationMs)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
