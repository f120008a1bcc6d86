// Presentation helpers shared by the formatters. Nothing here decides a verdict or adds
// figures up: verdicts and sums come from core (CaseResult.passed, RunSummary).
import { sanitizeForTerminal } from '../../format/escape';
import { truncate } from '../../format/numbers';

export { sanitizeForTerminal } from '../../format/escape';
export {
  formatCost,
  formatDuration,
  formatDuration as formatLatency,
  formatPercent,
  formatScore,
  formatTokens,
  truncate,
} from '../../format/numbers';

export { representativeSample, type FileRun, type RunOutcomeView } from '../../core/report/ghJson';

/** How every format names a case the cost cap kept from running (core's NOT_RUN_BUDGET). */
export const NOT_RUN_BUDGET_TEXT = 'not run: budget';

export function formatValueInline(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** `input="What is…" expected="Paris"`: a one-line label for a case. */
export function caseLabel(vars: Record<string, unknown>, max = 40): string {
  const entries = Object.entries(vars);
  if (entries.length === 0) return '(no variables)';
  return truncate(sanitizeForTerminal(entries.map(([k, v]) => `${k}=${formatValueInline(v)}`).join(' ')), max);
}
