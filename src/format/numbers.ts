// How figures are shown, written once for the CLI, the webviews, the exports and the editor's
// messages. Only presentation: every figure was computed by core (RunSummary, CaseResult).

/** What an unknown figure (no price, no latency) shows: never 0. */
export const UNKNOWN = '—';

// Created on first use: building an Intl formatter loads locale data (tens of ms at a CLI's start).
let integer: Intl.NumberFormat | undefined;

/** A percentage (0–100) with one decimal, whole numbers without: `66.7%`, `100%`, `0%`. */
export function formatPercent(percent: number): string {
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)}%`;
}

/** A signed change, e.g. `+1.5 pp`, `-0.250`, `0.0 pp`. */
export function formatChange(value: number, digits: number, unit = ''): string {
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}${unit}`;
}

/** `850 ms`, `1.2 s`, `2 min 5 s`; unknown as a dash. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return UNKNOWN;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** US dollars: `$0`, `$0.00012`, `$0.0123`, `$1.25`; `null` means the price is unknown (a dash, never $0). */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return UNKNOWN;
  if (usd === 0) return '$0';
  if (usd >= 1) return `$${usd.toFixed(2)}`;
  if (usd >= 0.01) return `$${usd.toFixed(4)}`;
  return `$${usd.toPrecision(2)}`;
}

export function formatTokens(count: number | undefined): string {
  if (count === undefined) return UNKNOWN;
  integer ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  return integer.format(count);
}

/** An evaluator score (0–1): whole numbers as they are, others with two decimals. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined || !Number.isFinite(score)) return UNKNOWN;
  return Number.isInteger(score) ? String(score) : score.toFixed(2);
}

/** A test variable as text: strings as written, everything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** At most `max` characters (by code point), the last one an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}
