// The results grid's data: one row per case, its verdict per evaluator, and the order the grid
// shows them in (sort, text search, filters). No DOM here, so it is unit-tested in Node.
// Every figure comes from core's results; this module only picks, orders and matches them.

import type { CaseResultView } from '../../protocol/run';
import { formatValue } from '../common/format';

export type RowStatus = 'idle' | 'queued' | 'running' | 'passed' | 'failed' | 'errored';
export type CellVerdict = 'pass' | 'fail' | 'error' | 'none';
export type VerdictFilter = 'all' | 'passed' | 'failed' | 'errors';

/** `index`, `status`, `case`, `latency`, `tokens`, `cost`, or `eval:<evaluator name>`. */
export type ColumnId = string;

export interface SortOrder {
  column: ColumnId;
  descending: boolean;
}

export interface GridQuery {
  sort: SortOrder;
  /** Case-insensitive text matched against variables, replies, verdict details and errors. */
  search: string;
  verdict: VerdictFilter;
  /** Only rows where this evaluator did not pass (failed or errored). */
  failingEvaluator?: string;
}

export interface EvaluatorCell {
  verdict: CellVerdict;
  /** Mean score over the samples that produced one (evaluator errors excluded); null when none. */
  score: number | null;
  /** Samples that passed / samples judged, for multi-sample cases. */
  passed: number;
  total: number;
}

export class GridRow {
  status: RowStatus = 'idle';
  result: CaseResultView | undefined;
  /** Bumped on every change so the view knows which rendered rows are stale. */
  version = 0;
  private haystack: string | undefined;
  private varsLine: string | undefined;
  private cells: Map<string, EvaluatorCell> | undefined;

  constructor(
    readonly caseIndex: number,
    public vars: Record<string, unknown>,
  ) {}

  /** The variables on one line (kept until the row changes: the grid asks for it on every scroll step). */
  get varsText(): string {
    this.varsLine ??= Object.entries(this.vars)
      .map(([name, value]) => `${name}: ${formatValue(value)}`)
      .join('  ·  ');
    return this.varsLine;
  }

  setVars(vars: Record<string, unknown>): void {
    this.vars = vars;
    this.touch();
  }

  setStatus(status: RowStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.touch();
  }

  finish(result: CaseResultView): void {
    this.result = result;
    this.vars = result.vars;
    this.status = isErrored(result) ? 'errored' : result.passed ? 'passed' : 'failed';
    this.touch();
  }

  clearResult(): void {
    this.result = undefined;
    this.touch();
  }

  touch(): void {
    this.version++;
    this.haystack = undefined;
    this.varsLine = undefined;
    this.cells = undefined;
  }

  get isFailure(): boolean {
    return this.status === 'failed' || this.status === 'errored';
  }

  /** Verdicts per evaluator name, over every sample. */
  evaluatorCells(): Map<string, EvaluatorCell> {
    if (this.cells) return this.cells;
    const cells = new Map<string, EvaluatorCell>();
    const scores = new Map<string, number[]>();
    for (const sample of this.result?.samples ?? []) {
      for (const e of sample.evaluations) {
        const cell = cells.get(e.evaluatorName) ?? { verdict: 'none', score: null, passed: 0, total: 0 };
        cell.total++;
        if (e.passed) cell.passed++;
        const verdict: CellVerdict = e.error ? 'error' : e.passed ? 'pass' : 'fail';
        cell.verdict = worse(cell.verdict, verdict);
        if (!e.error) scores.set(e.evaluatorName, [...(scores.get(e.evaluatorName) ?? []), e.score]);
        cells.set(e.evaluatorName, cell);
      }
    }
    for (const [name, list] of scores) {
      const cell = cells.get(name);
      if (cell) cell.score = list.reduce((a, b) => a + b, 0) / list.length;
    }
    this.cells = cells;
    return cells;
  }

  /** Mean over samples of the request's latency (ms), tokens and cost; undefined when no sample has it. */
  figure(column: 'latency' | 'tokens' | 'cost'): number | undefined {
    const samples = this.result?.samples ?? [];
    const values: number[] = [];
    for (const s of samples) {
      if (column === 'latency' && s.error === undefined) values.push(s.latencyMs);
      else if (column === 'tokens' && s.usage) values.push(s.usage.total);
      else if (column === 'cost' && s.costUsd !== null) values.push(s.costUsd);
    }
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
  }

  matches(needle: string): boolean {
    if (needle === '') return true;
    this.haystack ??= [
      `#${this.caseIndex + 1}`,
      this.varsText,
      ...(this.result?.samples ?? []).flatMap((s) => [
        s.output,
        s.error ?? '',
        ...s.evaluations.flatMap((e) => [e.evaluatorName, e.details]),
      ]),
      this.result?.error ?? '',
    ]
      .join('\n')
      .toLowerCase();
    return this.haystack.includes(needle);
  }
}

function isErrored(result: CaseResultView): boolean {
  return (
    result.error !== undefined ||
    result.samples.some((s) => s.error !== undefined || s.evaluations.some((e) => e.error))
  );
}

const VERDICT_RANK: Record<CellVerdict, number> = { error: 0, fail: 1, pass: 2, none: 3 };

function worse(a: CellVerdict, b: CellVerdict): CellVerdict {
  if (a === 'none') return b;
  return VERDICT_RANK[b] < VERDICT_RANK[a] ? b : a;
}

/** Failures first when sorting by status ascending. */
const STATUS_RANK: Record<RowStatus, number> = { errored: 0, failed: 1, running: 2, queued: 3, idle: 4, passed: 5 };

/** Evaluator names in the order they first appear in the results (the file's order). */
export function evaluatorNames(rows: Iterable<GridRow>): string[] {
  const names = new Set<string>();
  for (const row of rows)
    for (const sample of row.result?.samples ?? []) for (const e of sample.evaluations) names.add(e.evaluatorName);
  return [...names];
}

export function passesFilters(row: GridRow, query: GridQuery, needle: string): boolean {
  switch (query.verdict) {
    case 'passed':
      if (row.status !== 'passed') return false;
      break;
    case 'failed':
      if (!row.isFailure) return false;
      break;
    case 'errors':
      if (row.status !== 'errored') return false;
      break;
  }
  if (query.failingEvaluator !== undefined) {
    const cell = row.evaluatorCells().get(query.failingEvaluator);
    if (!cell || cell.verdict === 'pass' || cell.verdict === 'none') return false;
  }
  return row.matches(needle);
}

/** A sort key: numbers compare numerically, strings by locale; undefined always sorts last. */
function sortValue(row: GridRow, column: ColumnId): number | string | undefined {
  switch (column) {
    case 'index':
      return row.caseIndex;
    case 'status':
      return STATUS_RANK[row.status];
    case 'case':
      return row.varsText.toLowerCase();
    case 'latency':
    case 'tokens':
    case 'cost':
      return row.figure(column);
    default: {
      if (!column.startsWith('eval:')) return undefined;
      const cell = row.evaluatorCells().get(column.slice(5));
      if (!cell || cell.verdict === 'none') return undefined;
      // Errors below failures below every score, so ascending puts the worst first.
      return cell.verdict === 'error' ? -2 : (cell.score ?? -1);
    }
  }
}

/** The rows to show, in order. Ties keep case order, so the result is stable. */
export function orderRows(rows: readonly GridRow[], query: GridQuery): GridRow[] {
  const needle = query.search.trim().toLowerCase();
  const shown = rows.filter((row) => passesFilters(row, query, needle));
  const { column, descending } = query.sort;
  if (column === 'index' && !descending) return shown.sort((a, b) => a.caseIndex - b.caseIndex);
  const keyed = shown.map((row) => ({ row, key: sortValue(row, column) }));
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.row.caseIndex - b.row.caseIndex;
      return a.key === undefined ? 1 : -1;
    }
    let order =
      typeof a.key === 'number' && typeof b.key === 'number'
        ? a.key - b.key
        : String(a.key).localeCompare(String(b.key));
    if (descending) order = -order;
    return order !== 0 ? order : a.row.caseIndex - b.row.caseIndex;
  });
  return keyed.map((k) => k.row);
}

/** Position of the next (direction 1) or previous (-1) failure after `from`, wrapping; -1 when none. */
export function nextFailure(order: readonly GridRow[], from: number, direction: 1 | -1): number {
  const n = order.length;
  // Nothing focused yet: forward starts at the top, backward at the bottom.
  const start = from >= 0 && from < n ? from : direction === 1 ? -1 : n;
  for (let step = 1; step <= n; step++) {
    const position = (((start + direction * step) % n) + n) % n;
    if (order[position]?.isFailure) return position;
  }
  return -1;
}
