// Presentation helpers shared by the formatters. Nothing here decides a verdict or adds
// figures up: verdicts and sums come from core (CaseResult.passed, RunSummary).
import type { CaseResult, RunHeader, RunSummary, SampleResult } from '../../core/run/types';

/** One prompt file's run as the formatters see it (structurally the engine's RunOutcome). */
export interface RunOutcomeView {
  header: RunHeader;
  cases: CaseResult[];
  summary: RunSummary;
  cancelled: boolean;
  runFile?: string;
  /** `--fail-fast` stopped the run at this case. */
  stoppedBy?: CaseResult;
}

export interface FileRun {
  /** Path as shown to the user (relative to the working directory when inside it). */
  displayPath: string;
  name?: string;
  description?: string;
  /** The model id the run used, as the user wrote it (file's `model` or --model). */
  model: string;
  outcome: RunOutcomeView;
}

/** How every format names a case the cost cap kept from running (core's NOT_RUN_BUDGET). */
export const NOT_RUN_BUDGET_TEXT = 'not run: budget';

/**
 * The sample that stands for a case in single-response formats (gh-models JSON, JUnit):
 * the first failed sample when there is one, so its evaluations agree with the case verdict.
 */
export function representativeSample(result: CaseResult): SampleResult | undefined {
  return result.samples.find((sample) => !sample.passed) ?? result.samples[0];
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/**
 * Model output and vars are untrusted: drop control characters (terminal escape sequences)
 * before printing. Line breaks and tabs become spaces unless `keepLines` keeps them.
 */
export function sanitizeForTerminal(text: string, keepLines = false): string {
  let out = '';
  for (const ch of text) {
    if (!isControl(ch.codePointAt(0) ?? 0)) out += ch;
    else if (ch === '\n' || ch === '\t') out += keepLines ? ch : ' ';
    else if (ch === '\r' && !keepLines) out += ' ';
  }
  return out;
}

export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

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

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** `null` means the price is unknown: shown as a dash, never as $0. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return '—';
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(2)}`;
}

export function formatTokens(count: number | undefined): string {
  return count === undefined ? '—' : count.toLocaleString('en-US');
}

export function formatPercent(percent: number): string {
  return `${percent.toFixed(2)}%`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
