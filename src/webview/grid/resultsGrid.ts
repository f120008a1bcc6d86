// The results grid: cases × evaluators in a dense table. Only the rows in (and near) the viewport
// exist in the DOM, each absolutely placed at its position, so 10,000 cases cost a screenful of
// rows. One row at a time can be expanded; its details sit under it and push later rows down by
// their measured height. Keyboard: ↑/↓/Home/End/PageUp/PageDown move, Enter/Space expands,
// n / Shift+n (or F8 / Shift+F8) jump to the next / previous failure.

import { el, icon } from '../common/dom';
import type { GradeCellView } from '../grading';
import { formatCost, formatMs, formatScore, formatTokens } from '../common/format';
import { caseDetail } from './caseDetail';
import {
  type ColumnId,
  type EvaluatorCell,
  type GridQuery,
  GridRow,
  evaluatorNames,
  nextFailure,
  orderRows,
} from './model';

export const ROW_HEIGHT = 26;
// Rows built beyond the viewport on each side: enough for a wheel step, few enough that a
// screenful jump (PageDown, a dragged scrollbar) fills little more than a screen.
const OVERSCAN = 4;
/** Average px per character at the narrowest, to cut a long variables line to what its cell can show. */
const MIN_CHAR_PX = 4;

const STATUS_ICONS: Record<GridRow['status'], [string, string]> = {
  idle: ['circle-large-outline', 'not run'],
  queued: ['clock', 'queued'],
  running: ['sync', 'running'],
  passed: ['pass', 'passed'],
  failed: ['error', 'failed'],
  errored: ['warning', 'error'],
};

interface Column {
  id: ColumnId;
  label: string;
  title: string;
  /** CSS grid track, and its minimum in px (their sum is the narrowest the grid gets before scrolling sideways). */
  width: string;
  minPx: number;
  numeric?: boolean;
}

export interface GridHost {
  canRerun(): boolean;
  /** The streamed text so far of a running case, per sample. */
  streamed(caseIndex: number): ReadonlyMap<number, string>;
  onAction(action: string, caseIndex: number, sample: number): void;
  onOrderChanged(shown: number, total: number): void;
  /** The selected row changed (keyboard or click). */
  onFocus(caseIndex: number): void;
  /** The person's grade for a row's Grade cell (undefined: not graded). */
  gradeCell(caseIndex: number): GradeCellView | undefined;
  /** Poor agreement of an evaluator with the person's grades, for its column head (undefined: fine). */
  poorAgreement(name: string): string | undefined;
  /** Adds what the host shows in freshly built details (grade bars, evaluator marks). */
  decorateDetail(detail: HTMLElement): void;
}

export class ResultsGrid {
  readonly root: HTMLElement;
  private readonly head = el('div', { className: 'grid-head', attrs: { role: 'row', 'aria-rowindex': '1' } });
  private readonly body = el('div', { className: 'grid-body', attrs: { role: 'rowgroup' } });
  private readonly empty = el('div', { className: 'grid-empty', attrs: { role: 'status' } });
  private readonly rows = new Map<number, GridRow>();
  private order: GridRow[] = [];
  private positions = new Map<number, number>();
  private columns: Column[] = [];
  private evaluators: string[] = [];
  private rendered = new Map<number, { element: HTMLElement; version: number; position: number; top: number }>();
  /** Hidden row elements ready for reuse (all built for the current columns). */
  private pool: HTMLElement[] = [];
  private expanded: number | undefined;
  private detail: HTMLElement | undefined;
  private detailHeight = 0;
  private focused = -1;
  private markdown = false;
  private orderDirty = true;
  private frame = 0;
  /** Characters of the variables line worth laying out (from the Case column's width; the rest is in the tooltip). */
  private varsChars = 300;
  private headHeight = 0;
  private readonly resize: ResizeObserver;
  query: GridQuery = { sort: { column: 'index', descending: false }, search: '', verdict: 'all' };

  constructor(private readonly host: GridHost) {
    this.root = el(
      'div',
      {
        className: 'grid',
        attrs: {
          role: 'grid',
          tabindex: '0',
          'aria-label': 'Test results: cases by evaluators',
          'aria-rowcount': '1',
          'aria-multiselectable': 'false',
        },
      },
      [this.head, this.body, this.empty],
    );
    this.root.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.root.addEventListener('keydown', (event) => this.onKey(event));
    this.root.addEventListener('click', (event) => this.onClick(event));
    this.resize = new ResizeObserver(() => {
      this.measureColumns();
      const height = this.detail?.offsetHeight ?? 0;
      if (height !== this.detailHeight) {
        this.detailHeight = height;
        this.schedule();
      } else if (!this.detail) this.schedule();
    });
    this.resize.observe(this.root);
    this.setColumns();
  }

  row(caseIndex: number): GridRow | undefined {
    return this.rows.get(caseIndex);
  }

  allRows(): IterableIterator<GridRow> {
    return this.rows.values();
  }

  ensureRow(caseIndex: number, vars: Record<string, unknown>): GridRow {
    let row = this.rows.get(caseIndex);
    if (!row) {
      row = new GridRow(caseIndex, vars);
      this.rows.set(caseIndex, row);
      this.orderDirty = true;
    }
    return row;
  }

  removeRow(caseIndex: number): void {
    if (this.rows.delete(caseIndex)) this.orderDirty = true;
    if (this.expanded === caseIndex) this.collapse();
  }

  /** Rows changed (status, result): re-order, re-derive columns and repaint on the next frame. */
  invalidate(): void {
    this.orderDirty = true;
    this.schedule();
  }

  setQuery(query: Partial<GridQuery>): void {
    this.query = { ...this.query, ...query };
    this.invalidate();
  }

  setMarkdown(markdown: boolean): void {
    this.markdown = markdown;
    this.refreshDetail();
  }

  /** The details of the expanded case changed (new result, streamed text). */
  refreshDetail(caseIndex?: number): void {
    if (this.expanded === undefined || (caseIndex !== undefined && caseIndex !== this.expanded)) return;
    const row = this.rows.get(this.expanded);
    if (!row) return this.collapse();
    const detail = caseDetail(row.caseIndex, row.vars, row.result, this.host.streamed(row.caseIndex), {
      canRerun: this.host.canRerun(),
      markdown: this.markdown,
    });
    if (this.detail) {
      this.resize.unobserve(this.detail);
      this.detail.replaceWith(detail);
    } else this.body.append(detail);
    this.detail = detail;
    this.host.decorateDetail(detail);
    this.resize.observe(detail);
    this.schedule();
  }

  /** Appends streamed text to the expanded case's open reply without rebuilding the details. */
  appendStreamed(caseIndex: number, sample: number, text: string): void {
    if (this.expanded !== caseIndex || !this.detail) return;
    const pre = this.detail.querySelector<HTMLElement>(`pre.streaming[data-sample="${sample}"]`);
    if (pre) pre.append(document.createTextNode(text));
    else this.refreshDetail(caseIndex);
  }

  toggle(caseIndex: number): void {
    if (this.expanded === caseIndex) this.collapse();
    else this.expand(caseIndex);
  }

  expand(caseIndex: number): void {
    this.expanded = caseIndex;
    this.detailHeight = 0;
    this.refreshDetail();
    for (const r of this.rendered.values()) r.version = -1;
    this.schedule();
  }

  collapse(): void {
    if (this.detail) {
      this.resize.unobserve(this.detail);
      this.detail.remove();
    }
    this.detail = undefined;
    this.expanded = undefined;
    this.detailHeight = 0;
    for (const r of this.rendered.values()) r.version = -1;
    this.schedule();
  }

  get shownCount(): number {
    this.ensureOrder();
    return this.order.length;
  }

  /** Moves focus to the next / previous failing case in the shown order; false when there is none. */
  focusFailure(direction: 1 | -1): boolean {
    this.ensureOrder();
    const position = nextFailure(this.order, this.focused, direction);
    if (position < 0) return false;
    this.focusPosition(position);
    return true;
  }

  focusedCase(): number | undefined {
    return this.order[this.focused]?.caseIndex;
  }

  /** Case indexes in the shown order (sort, search and filters applied). */
  shownCases(): number[] {
    this.ensureOrder();
    return this.order.map((row) => row.caseIndex);
  }

  /** Selects a case's row; expands it when asked or when another row is expanded. False when it is not shown. */
  focusCase(caseIndex: number, expand: boolean): boolean {
    this.ensureOrder();
    const position = this.positions.get(caseIndex);
    if (position === undefined) return false;
    this.focusPosition(position);
    if ((expand || this.expanded !== undefined) && this.expanded !== caseIndex) this.expand(caseIndex);
    return true;
  }

  /** Something shown in every row (grades) or in the heads (agreement marks) changed. */
  repaint(): void {
    for (const r of this.rendered.values()) r.version = -1;
    this.renderHead();
    this.schedule();
  }

  private focusPosition(position: number): void {
    this.ensureOrder();
    if (this.order.length === 0) return;
    this.focused = Math.max(0, Math.min(this.order.length - 1, position));
    this.scrollToPosition(this.focused);
    this.paint();
    const caseIndex = this.order[this.focused]?.caseIndex ?? -1;
    const id = this.rendered.get(caseIndex)?.element.id;
    if (id) this.root.setAttribute('aria-activedescendant', id);
    if (document.activeElement !== this.root) this.root.focus({ preventScroll: true });
    if (caseIndex >= 0) this.host.onFocus(caseIndex);
  }

  /** Layout reads the scroll path needs, taken when sizes change rather than on every frame. */
  private measureColumns(): void {
    this.headHeight = this.head.offsetHeight;
    const caseHead = this.head.children[2] as HTMLElement | undefined;
    const width = caseHead?.clientWidth ?? 0;
    const chars = width > 0 ? Math.min(2000, Math.ceil(width / MIN_CHAR_PX) + 8) : 300;
    if (chars !== this.varsChars) {
      this.varsChars = chars;
      for (const r of this.rendered.values()) r.version = -1;
    }
  }

  private scrollToPosition(position: number): void {
    const top = this.top(position);
    const headHeight = this.headHeight || this.head.offsetHeight;
    const viewTop = this.root.scrollTop + headHeight;
    const viewBottom = this.root.scrollTop + this.root.clientHeight;
    if (top < viewTop) this.root.scrollTop = top - headHeight;
    else if (top + ROW_HEIGHT > viewBottom) this.root.scrollTop = top + ROW_HEIGHT - this.root.clientHeight;
  }

  /** Offset of a row inside the body: rows after the expanded one sit below its details. */
  private top(position: number): number {
    const expandedAt = this.expanded === undefined ? -1 : (this.positions.get(this.expanded) ?? -1);
    return position * ROW_HEIGHT + (expandedAt >= 0 && position > expandedAt ? this.detailHeight : 0);
  }

  private ensureOrder(): void {
    if (!this.orderDirty) return;
    this.orderDirty = false;
    const focusedCase = this.order[this.focused]?.caseIndex;
    const names = evaluatorNames(this.rows.values());
    if (names.join('\u0000') !== this.evaluators.join('\u0000')) {
      this.evaluators = names;
      this.setColumns();
    }
    this.order = orderRows([...this.rows.values()], this.query);
    this.positions = new Map(this.order.map((row, i) => [row.caseIndex, i]));
    this.focused = focusedCase === undefined ? -1 : (this.positions.get(focusedCase) ?? -1);
    for (const r of this.rendered.values()) r.version = -1;
    this.root.setAttribute('aria-rowcount', String(this.order.length + 1));
    this.host.onOrderChanged(this.order.length, this.rows.size);
  }

  private setColumns(): void {
    this.columns = [
      { id: 'status', label: '', title: 'Verdict', width: '28px', minPx: 28 },
      { id: 'index', label: '#', title: 'Case number', width: '52px', minPx: 52, numeric: true },
      { id: 'case', label: 'Case', title: 'The case’s variables', width: 'minmax(160px, 1fr)', minPx: 160 },
      ...this.evaluators.map((name) => ({
        id: `eval:${name}`,
        label: name,
        title: `Evaluator “${name}”: verdict and score`,
        width: `minmax(72px, ${Math.min(120, 40 + name.length * 6)}px)`,
        minPx: 72,
      })),
      { id: 'grade', label: 'Grade', title: 'Your grade (p pass, f fail, 1–5 score)', width: '92px', minPx: 92 },
      {
        id: 'latency',
        label: 'Latency',
        title: 'Request latency (mean over samples)',
        width: '88px',
        minPx: 88,
        numeric: true,
      },
      {
        id: 'tokens',
        label: 'Tokens',
        title: 'Total tokens (mean over samples)',
        width: '76px',
        minPx: 76,
        numeric: true,
      },
      {
        id: 'cost',
        label: 'Cost',
        title: 'Cost in USD (mean over samples); for a cached reply, what it cost when first paid',
        width: '150px',
        minPx: 150,
        numeric: true,
      },
    ];
    // Row elements are built per column set: drop the old ones.
    for (const r of this.rendered.values()) r.element.remove();
    for (const element of this.pool) element.remove();
    this.rendered.clear();
    this.pool = [];
    this.root.style.setProperty('--grid-columns', this.columns.map((c) => c.width).join(' '));
    this.root.style.setProperty('--grid-min-width', `${this.columns.reduce((sum, c) => sum + c.minPx, 0)}px`);
    this.renderHead();
    if (this.root.isConnected) this.measureColumns();
  }

  private renderHead(): void {
    const { column, descending } = this.query.sort;
    this.head.replaceChildren(
      ...this.columns.map((c, i) => {
        const sorted = c.id === column;
        const poor = c.id.startsWith('eval:') ? this.host.poorAgreement(c.id.slice('eval:'.length)) : undefined;
        // The Grade column is not sortable: grades live outside the grid's model.
        const button =
          c.id === 'grade'
            ? el('span', { className: 'label', text: c.label, title: c.title })
            : el(
                'button',
                {
                  className: 'sort',
                  title: `${c.title}. Click to sort.`,
                  attrs: { type: 'button', 'data-sort': c.id },
                },
                [
                  el('span', { className: 'label', text: c.label }),
                  sorted ? icon(descending ? 'arrow-down' : 'arrow-up') : undefined,
                  c.id === 'status' ? el('span', { className: 'visually-hidden', text: 'Verdict' }) : undefined,
                ],
              );
        if (poor)
          button.append(
            el('span', { className: 'trust-mark', title: poor, attrs: { role: 'img', 'aria-label': poor } }, [
              icon('warning'),
            ]),
          );
        return el(
          'div',
          {
            className: `cell head-cell${c.numeric ? ' numeric' : ''}${poor ? ' poor-agreement' : ''}`,
            attrs: {
              role: 'columnheader',
              'aria-colindex': String(i + 1),
              'aria-sort': sorted ? (descending ? 'descending' : 'ascending') : 'none',
            },
          },
          [button],
        );
      }),
    );
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  /** Renders the rows in view now (also used by the first paint so it is one frame). */
  paint(): void {
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    this.ensureOrder();
    const count = this.order.length;
    const expandedAt = this.expanded === undefined ? -1 : (this.positions.get(this.expanded) ?? -1);
    const detailHidden = this.expanded !== undefined && expandedAt < 0;
    if (this.detail && this.detail.hidden !== detailHidden) this.detail.hidden = detailHidden;
    // Reads first (the layout is clean at the start of a frame), then writes, so scrolling forces no extra layout.
    const headHeight = this.headHeight || this.head.offsetHeight;
    const total = `${count * ROW_HEIGHT + (expandedAt >= 0 ? this.detailHeight : 0)}px`;
    const viewHeight = this.root.clientHeight || 600;
    const scrollTop = Math.max(0, this.root.scrollTop - headHeight);
    const viewWidth = this.root.clientWidth;
    const scrollLeft = this.root.scrollLeft;
    if (this.body.style.height !== total) this.body.style.height = total;
    const emptyText =
      count === 0 ? (this.rows.size === 0 ? 'No test cases.' : 'No case matches the search and filters.') : '';
    if (this.empty.textContent !== emptyText) this.empty.textContent = emptyText;
    const first = this.positionAt(scrollTop, expandedAt);
    const last = this.positionAt(scrollTop + viewHeight, expandedAt);
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(count - 1, last + OVERSCAN);
    // Rows that left the range give their elements to the ones that entered it (no create/remove
    // churn while scrolling); leftovers are hidden and kept for later.
    const wanted = new Map<number, number>();
    for (let position = from; position <= to; position++) {
      const row = this.order[position];
      if (row) wanted.set(row.caseIndex, position);
    }
    const free: HTMLElement[] = [];
    for (const [caseIndex, r] of this.rendered) {
      if (wanted.has(caseIndex)) continue;
      free.push(r.element);
      this.rendered.delete(caseIndex);
    }
    for (const [caseIndex, position] of wanted) {
      const row = this.order[position] as GridRow;
      const focused = position === this.focused;
      const top = this.top(position);
      const current = this.rendered.get(caseIndex);
      if (!current || current.version !== row.version || current.position !== position) {
        const element =
          current?.element ?? free.pop() ?? this.pool.pop() ?? this.body.appendChild(this.createRowElement());
        this.fillRow(element, row, position, focused);
        element.hidden = false;
        element.style.transform = `translateY(${top}px)`;
        this.rendered.set(caseIndex, { element, version: row.version, position, top });
      } else {
        current.element.classList.toggle('focused', focused);
        current.element.setAttribute('aria-selected', String(focused));
        if (current.top !== top) {
          current.element.style.transform = `translateY(${top}px)`;
          current.top = top;
        }
      }
    }
    for (const element of free) {
      element.hidden = true;
      element.className = 'grid-row';
      element.removeAttribute('id');
      delete element.dataset.case;
      this.pool.push(element);
    }
    // The details span the visible width (not the columns' width) and follow sideways scrolling.
    if (this.detail && expandedAt >= 0) {
      this.detail.style.width = `${viewWidth}px`;
      this.detail.style.transform = `translate(${scrollLeft}px, ${(expandedAt + 1) * ROW_HEIGHT}px)`;
    }
  }

  private positionAt(offset: number, expandedAt: number): number {
    if (expandedAt >= 0 && offset > (expandedAt + 1) * ROW_HEIGHT) {
      const below = offset - this.detailHeight;
      return Math.max(expandedAt + 1, Math.floor(below / ROW_HEIGHT));
    }
    return Math.floor(offset / ROW_HEIGHT);
  }

  /** A row element with one child per column; fillRow sets its content, so elements are reused while scrolling. */
  private createRowElement(): HTMLElement {
    const cell = (className: string, children: HTMLElement[] = []): HTMLElement =>
      el('div', { className: `cell ${className}`, attrs: { role: 'gridcell' } }, children);
    return el('div', { className: 'grid-row', attrs: { role: 'row' } }, [
      cell('status', [el('span', { attrs: { role: 'img' } })]),
      cell('numeric index'),
      cell('vars'),
      ...this.evaluators.map(() =>
        cell('verdict', [el('span', { attrs: { role: 'img' } }), el('span', { className: 'cell-score' })]),
      ),
      cell('grade-cell'),
      cell('numeric'),
      cell('numeric'),
      cell('numeric cost'),
    ]);
  }

  private fillRow(element: HTMLElement, row: GridRow, position: number, focused: boolean): void {
    const expanded = this.expanded === row.caseIndex;
    element.className = `grid-row case ${row.status === 'errored' ? 'failed errored' : row.status}${focused ? ' focused' : ''}${expanded ? ' expanded' : ''}`;
    element.id = `case-row-${row.caseIndex}`;
    element.dataset.case = String(row.caseIndex);
    element.setAttribute('aria-rowindex', String(position + 2));
    element.setAttribute('aria-expanded', String(expanded));
    element.setAttribute('aria-selected', String(focused));
    const cells = element.children;
    const [iconName, label] = STATUS_ICONS[row.status];
    const statusIcon = cells[0]?.firstElementChild as HTMLElement;
    statusIcon.className = `codicon codicon-${iconName}`;
    statusIcon.setAttribute('aria-label', label);
    statusIcon.title = label;
    (cells[1] as HTMLElement).textContent = String(row.caseIndex + 1);
    const varsText = row.varsText;
    const vars = cells[2] as HTMLElement;
    vars.textContent = varsText.length > this.varsChars ? varsText.slice(0, this.varsChars) + '…' : varsText;
    vars.title = varsText.slice(0, 2000);
    const verdicts = row.evaluatorCells();
    this.evaluators.forEach((name, i) => this.fillVerdict(cells[3 + i] as HTMLElement, name, verdicts.get(name)));
    this.fillGrade(cells[3 + this.evaluators.length] as HTMLElement, row.caseIndex);
    const next = 4 + this.evaluators.length;
    const latency = row.figure('latency');
    const tokens = row.figure('tokens');
    const cost = row.figure('cost');
    const samples = row.result?.samples ?? [];
    const cached = samples.length > 0 && samples.every((s) => s.cached);
    (cells[next] as HTMLElement).textContent = latency === undefined ? '' : formatMs(latency);
    (cells[next + 1] as HTMLElement).textContent = tokens === undefined ? '' : formatTokens(Math.round(tokens));
    const costCell = cells[next + 2] as HTMLElement;
    costCell.className = `cell numeric cost${cached ? ' cached' : ''}`;
    costCell.textContent = samples.length === 0 ? '' : cached ? `cached ${formatCost(cost)}` : formatCost(cost);
    costCell.title = cached
      ? `${formatCost(cost)} when first paid; cached, $0 now`
      : samples.length > 1
        ? 'Mean over samples'
        : '';
  }

  private fillGrade(element: HTMLElement, caseIndex: number): void {
    const grade = this.host.gradeCell(caseIndex);
    element.className = `cell grade-cell${grade ? ' graded' : ''}${grade?.verdict ? ` ${grade.verdict}` : ''}`;
    element.dataset.case = String(caseIndex);
    element.textContent = grade?.text ?? '';
    element.title = grade?.title ?? '';
    if (grade?.verdict) element.dataset.verdict = grade.verdict;
    else delete element.dataset.verdict;
    if (grade?.score !== undefined) element.dataset.score = String(grade.score);
    else delete element.dataset.score;
  }

  private fillVerdict(element: HTMLElement, name: string, cell: EvaluatorCell | undefined): void {
    const glyphElement = element.firstElementChild as HTMLElement;
    const scoreElement = element.lastElementChild as HTMLElement;
    if (!cell || cell.verdict === 'none') {
      element.className = 'cell verdict none';
      element.title = '';
      glyphElement.className = '';
      glyphElement.removeAttribute('aria-label');
      scoreElement.textContent = '';
      return;
    }
    const word = cell.verdict === 'error' ? 'evaluator error' : cell.verdict === 'pass' ? 'passed' : 'failed';
    const glyph = cell.verdict === 'error' ? 'warning' : cell.verdict === 'pass' ? 'pass' : 'error';
    const score = cell.score === null ? '' : formatScore(Math.round(cell.score * 100) / 100);
    const count = cell.total > 1 ? `${cell.passed}/${cell.total}` : '';
    element.className = `cell verdict ${cell.verdict}`;
    element.title = `${name}: ${word}${score ? `, score ${score}` : ''}${count ? `, ${count} samples passed` : ''}`;
    glyphElement.className = `codicon codicon-${glyph}`;
    glyphElement.setAttribute('aria-label', word);
    scoreElement.textContent = count || score;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target : null;
    const sort = target?.closest<HTMLButtonElement>('button[data-sort]');
    if (sort) {
      const column = sort.dataset.sort ?? 'index';
      const current = this.query.sort;
      this.setQuery({ sort: { column, descending: current.column === column ? !current.descending : false } });
      this.renderHead();
      return;
    }
    const action = target?.closest<HTMLButtonElement>('button[data-action]');
    if (action) {
      if (action.disabled) return;
      const caseIndex = Number(action.dataset.case);
      if (action.dataset.action === 'toggle-markdown') {
        this.setMarkdown(!this.markdown);
        return;
      }
      if (Number.isInteger(caseIndex))
        this.host.onAction(action.dataset.action ?? '', caseIndex, Number(action.dataset.sample ?? 0));
      return;
    }
    if (target?.closest('.detail')) return;
    const rowElement = target?.closest<HTMLElement>('.grid-row');
    if (!rowElement) return;
    const caseIndex = Number(rowElement.dataset.case);
    const position = this.positions.get(caseIndex);
    if (position === undefined) return;
    this.focusPosition(position);
    this.toggle(caseIndex);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.target !== this.root) return;
    const page = Math.max(1, Math.floor(this.root.clientHeight / ROW_HEIGHT) - 2);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown':
        this.focusPosition(this.focused + 1);
        break;
      case 'ArrowUp':
        this.focusPosition(this.focused <= 0 ? 0 : this.focused - 1);
        break;
      case 'PageDown':
        this.focusPosition(this.focused + page);
        break;
      case 'PageUp':
        this.focusPosition(this.focused - page);
        break;
      case 'Home':
        this.focusPosition(0);
        break;
      case 'End':
        this.focusPosition(this.order.length - 1);
        break;
      case 'Enter':
      case ' ': {
        const caseIndex = this.focusedCase();
        if (caseIndex !== undefined) this.toggle(caseIndex);
        break;
      }
      case 'Escape':
        if (this.expanded !== undefined) this.collapse();
        else handled = false;
        break;
      case 'n':
      case 'N':
      case 'F8':
        handled = this.focusFailure(event.shiftKey ? -1 : 1) || true;
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }
}
