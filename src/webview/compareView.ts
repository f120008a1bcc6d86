// The compare view: summary with deltas, noise verdict, quality charts, rows (regressions first) with
// side-by-side outputs whose word differences are highlighted, per-evaluator verdict changes, and a
// case × run matrix for three or more runs; the person grades the compared outputs there too
// (compareGrading.ts). All text goes in through textContent / Text nodes.

import type {
  CaseSideView,
  CompareContent,
  CompareHostMessage,
  CompareMatrixView,
  CompareRowView,
  CompareViewMessage,
  CompareViewState,
  ComparisonView,
  DiffSegmentView,
  EvaluatorChangeView,
  MatrixCellView,
  MatrixRowView,
  MessageChangeView,
  OutputDiffView,
  SideSummaryView,
} from '../protocol/compare';
import { el, icon, iconButton } from './common/dom';
import { formatCost, formatMs, formatPercent, formatValue } from './common/format';
import { qualityCharts } from './compareChart';
import { CompareGrading, type ComparedOutput } from './compareGrading';

/** Rows rendered per batch; the next batch is added when the end of the list scrolls into view. */
const BATCH = 40;

type Filter = CompareViewState['filter'];

function score(value: number | null): string {
  return value === null ? '—' : value.toFixed(2);
}

function signed(value: number | null, format: (v: number) => string): string {
  if (value === null) return '—';
  if (value === 0) return '±0';
  return `${value > 0 ? '+' : '−'}${format(Math.abs(value))}`;
}

/** Which direction of a delta is good: more pass rate/score is better; more cost, tokens, latency worse. */
function deltaClass(value: number | null, higherIsBetter: boolean): string {
  if (value === null || value === 0) return 'delta';
  return value > 0 === higherIsBetter ? 'delta good' : 'delta bad';
}

function varsPreview(vars: Record<string, unknown>): string {
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}: ${formatValue(v)}`)
    .join(' · ')
    .replace(/\s+/g, ' ');
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

const REASON_TEXT: Record<CompareRowView['reasons'][number], string> = {
  'pass-to-fail': 'pass → fail',
  'fail-to-pass': 'fail → pass',
  'pass-rate-down': 'pass rate down',
  'pass-rate-up': 'pass rate up',
  'score-down': 'score down',
  'score-up': 'score up',
};

/** What happened to a prompt message (core's MessageChange; a role change names both roles). */
const MESSAGE_CHANGE_TEXT: Record<Exclude<MessageChangeView, 'role'>, string> = {
  added: 'added in B',
  removed: 'removed in B',
  content: 'changed',
};

const CHANGE_TEXT: Record<EvaluatorChangeView['change'], string> = {
  broke: 'now fails',
  fixed: 'now passes',
  'score-down': 'score down',
  'score-up': 'score up',
  added: 'only in B',
  removed: 'only in A',
  same: 'same',
};

/** Both sides in one text: deletions struck through, insertions marked (the prompt diff). */
function renderInlineDiff(segments: readonly DiffSegmentView[]): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const s of segments) {
    if (s.op === 'equal') fragment.append(document.createTextNode(s.text));
    else
      fragment.append(
        el(s.op === 'delete' ? 'del' : 'ins', { className: s.op === 'delete' ? 'del' : 'ins', text: s.text }),
      );
  }
  return fragment;
}

function shortValue(value: unknown): string {
  return value === undefined ? '(not set)' : formatValue(value);
}

/** A quiet text-style button for per-row actions (the primary button style is for the page's main action). */
function linkButton(iconName: string, label: string, text: string, onClick: () => void): HTMLButtonElement {
  const button = el(
    'button',
    { className: 'link-button', title: label, attrs: { type: 'button', 'aria-label': label } },
    [icon(iconName), el('span', { text })],
  );
  button.addEventListener('click', onClick);
  return button;
}

function renderSegments(segments: readonly DiffSegmentView[], side: 'a' | 'b'): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const s of segments) {
    if (s.op === 'equal') fragment.append(document.createTextNode(s.text));
    else if (s.op === 'delete' && side === 'a') fragment.append(el('span', { className: 'del', text: s.text }));
    else if (s.op === 'insert' && side === 'b') fragment.append(el('span', { className: 'ins', text: s.text }));
  }
  return fragment;
}

/** A comparison's warnings, one item each. */
function warningList(warnings: string[]): HTMLElement {
  return el(
    'ul',
    { className: 'warnings' },
    warnings.map((w) => el('li', {}, [icon('warning'), el('span', { text: ` ${w}` })])),
  );
}

export class CompareView {
  private content: CompareContent | undefined;
  private state: CompareViewState;
  private readonly rowElements = new Map<string, HTMLElement>();
  private readonly requestedDiffs = new Set<string>();
  /** The person's grades of the compared outputs (evidence beside the evaluators), and grading them. */
  private readonly grading: CompareGrading;
  /** Whether the host's grades arrived since the content was shown (a saved "graded" filter waits for them). */
  private gradesShown = false;
  /** Where the filter buttons are (rebuilt when the number of graded cases changes). */
  private filterSlot: HTMLElement | undefined;
  private observer: IntersectionObserver | undefined;
  /** Renders the next batch of the current list (set by fillRows); called when more rows arrive. */
  private renderMore: (() => void) | undefined;
  private readonly status: HTMLElement;
  private readonly main: HTMLElement;

  constructor(
    private readonly root: HTMLElement,
    private readonly post: (message: CompareViewMessage) => void,
    private readonly save: (state: CompareViewState) => void,
    initial: CompareViewState | undefined,
  ) {
    this.state = initial ?? { filter: 'all', expanded: [] };
    this.status = el('p', {
      className: 'status',
      attrs: { role: 'status', 'aria-live': 'polite' },
      text: 'Loading comparison…',
    });
    this.main = el('main');
    this.root.append(this.status, this.main);
    this.grading = new CompareGrading(this.main, {
      post: (message) => this.post(message),
      describe: (output) => this.describeOutput(output),
      changed: () => this.renderFilterBar(),
    });
  }

  /** "case 3 · A" (pairs) or "case 3 · 2. gpt-4o" (matrix columns), for the grading status line. */
  private describeOutput(output: ComparedOutput): string {
    const content = this.content;
    const label =
      content?.kind === 'matrix'
        ? `${output.column + 1}. ${content.matrix.columns[output.column]?.label ?? ''}`
        : output.column === 0
          ? 'A'
          : 'B';
    return `case ${output.caseIndex + 1} · ${label}`;
  }

  handle(message: CompareHostMessage): void {
    switch (message.type) {
      case 'show':
        this.content = message.content;
        this.gradesShown = false;
        this.state = { ...this.state, runFiles: message.content.runFiles };
        this.save(this.state);
        this.render();
        return;
      case 'progress':
        this.showStatus(message.message, false);
        return;
      case 'more-rows': {
        const content = this.content;
        if (content?.kind === 'pair' && message.pairRows) content.comparison.rows.push(...message.pairRows);
        else if (content?.kind === 'matrix' && message.matrixRows) content.matrix.rows.push(...message.matrixRows);
        else return;
        this.renderMore?.();
        return;
      }
      case 'diff':
        this.applyDiff(message.caseKey, message.diff);
        return;
      case 'error':
        this.showStatus(message.message, true);
        return;
      case 'grades': {
        const first = !this.gradesShown;
        this.gradesShown = true;
        this.grading.setGrades(message.columns, message.appliedSeq);
        // Grades change in place (the list under the cursor stays); only a saved graded filter needs the list anew.
        if (first && this.state.filter === 'graded') this.render();
        return;
      }
    }
  }

  /** The status line under the title: progress, or an error (shown as one). */
  private showStatus(text: string, isError: boolean): void {
    this.status.classList.toggle('error', isError);
    this.status.textContent = text;
  }

  private render(): void {
    const content = this.content;
    if (!content) return;
    this.observer?.disconnect();
    this.rowElements.clear();
    this.requestedDiffs.clear();
    this.showStatus('', false);
    document.title = content.title;
    const parts: HTMLElement[] = [el('h1', { text: content.title })];
    if (content.kind === 'pair') parts.push(...this.renderPair(content.comparison));
    else parts.push(...this.renderMatrix(content.matrix), qualityCharts(content.points));
    this.main.replaceChildren(...parts);
  }

  // ---- two runs ----

  private renderPair(c: ComparisonView): HTMLElement[] {
    const out: HTMLElement[] = [];
    out.push(
      el('p', { className: 'sides-legend' }, [
        el('span', { className: 'side-tag a', text: 'A' }),
        el('span', { text: ` ${c.a.label} ` }),
        icon('arrow-right'),
        el('span', { className: 'side-tag b', text: 'B' }),
        el('span', { text: ` ${c.b.label}` }),
      ]),
    );
    out.push(this.promptChange(c.prompt));
    out.push(this.verdict(c));
    if (c.warnings.length) out.push(warningList(c.warnings));
    // The totals and the charts side by side, so both are on the first screen.
    out.push(el('div', { className: 'overview' }, [this.summaryTable(c), qualityCharts(this.content?.points ?? [])]));
    const measured = c.rows.some((r) => r.evidence === 'beyond-noise' || r.evidence === 'within-noise');
    const plural = (n: number, word: string): string => `${n} ${word}`;
    out.push(
      el('p', {
        className: 'counts',
        text: [
          `${plural(c.counts.regressions, 'worse')}${measured ? ` (${c.counts.regressionsBeyondNoise} beyond the case’s own noise)` : ''}`,
          plural(c.counts.improvements, 'better'),
          plural(c.counts.unchanged, 'unchanged'),
        ].join(' · '),
        ...(measured
          ? {}
          : {
              title:
                'One sample per case: a single case cannot show whether its own change is chance; the verdict above weighs all cases together.',
            }),
      }),
    );
    // The keys to grade with, right above the cases they grade.
    out.push(this.grading.hint(), this.filterPlace());
    const list = el('ol', { className: 'rows', attrs: { 'aria-label': 'Cases, regressions first' } });
    out.push(list);
    this.fillRows(
      list,
      () => this.filtered(c.rows),
      (row) => this.renderRow(row, c),
    );
    if (c.onlyInA.length || c.onlyInB.length) {
      out.push(
        el('section', { className: 'unmatched' }, [
          el('h2', { text: 'Cases in only one run' }),
          el('p', {
            className: 'muted',
            text: 'These cases have no partner with the same variables in the other run, so they are not compared.',
          }),
          el('p', { text: `Only in A: ${c.onlyInA.map((u) => u.label).join(', ') || 'none'}` }),
          el('p', { text: `Only in B: ${c.onlyInB.map((u) => u.label).join(', ') || 'none'}` }),
        ]),
      );
    }
    return out;
  }

  /** Plain-language verdict from core, with the statistical test one click away. */
  private verdict(c: ComparisonView): HTMLElement {
    const verdictIcon = c.noise.verdict === 'worse' ? 'arrow-down' : c.noise.verdict === 'better' ? 'arrow-up' : 'dash';
    const details = el('p', {
      className: 'verdict-detail',
      text: c.noise.explanation,
      attrs: { id: 'verdict-details' },
    });
    details.hidden = true;
    const toggle = el('button', {
      className: 'link-button',
      text: 'Test details',
      attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'verdict-details' },
    });
    toggle.addEventListener('click', () => {
      details.hidden = !details.hidden;
      toggle.setAttribute('aria-expanded', String(!details.hidden));
    });
    return el('div', { className: `verdict verdict-${c.noise.verdict}`, attrs: { role: 'note' } }, [
      el('div', { className: 'verdict-line' }, [
        icon(verdictIcon),
        el('strong', { className: 'verdict-headline', text: c.noise.headline }),
        toggle,
      ]),
      details,
    ]);
  }

  /** What changed in the prompt itself: model, parameters, messages (word diff). */
  private promptChange(p: ComparisonView['prompt']): HTMLElement {
    const section = el(
      'section',
      { className: 'prompt-change', attrs: { 'aria-label': 'What changed in the prompt' } },
      [el('h2', { text: 'What changed in the prompt' })],
    );
    const lines: HTMLElement[] = [];
    if (p.model)
      lines.push(
        el('tr', {}, [
          el('th', { text: 'model', attrs: { scope: 'row' } }),
          el('td', { className: 'old', text: p.model.a }),
          el('td', { className: 'new', text: p.model.b }),
        ]),
      );
    for (const param of p.parameters)
      lines.push(
        el('tr', {}, [
          el('th', { text: param.name, attrs: { scope: 'row' } }),
          el('td', { className: 'old', text: shortValue(param.a) }),
          el('td', { className: 'new', text: shortValue(param.b) }),
        ]),
      );
    if (lines.length)
      section.append(
        el('table', { className: 'prompt-params' }, [
          el('thead', {}, [el('tr', {}, [el('th', { text: '' }), el('th', { text: 'A' }), el('th', { text: 'B' })])]),
          el('tbody', {}, lines),
        ]),
      );
    for (const m of p.messages) {
      const what = m.change === 'role' ? `role ${m.roleA} → ${m.roleB}` : MESSAGE_CHANGE_TEXT[m.change];
      section.append(
        el('div', { className: 'prompt-message' }, [
          el('div', {
            className: 'message-role',
            text: `Message ${m.index + 1} (${m.roleB ?? m.roleA ?? ''}) — ${what}`,
          }),
          el('pre', { className: 'prompt-diff' }, [renderInlineDiff(m.segments)]),
        ]),
      );
    }
    if (!lines.length && !p.messages.length)
      section.append(
        el('p', {
          className: 'muted',
          text: p.sameContent
            ? 'Nothing: both runs used the same prompt file; the differences below come from the model’s replies.'
            : p.messagesKnown
              ? 'The prompt file differs outside its messages, model and parameters (e.g. test data or evaluators).'
              : 'The prompt file differs, but these runs were recorded before PromptLab kept the prompt’s messages.',
        }),
      );
    return section;
  }

  private summaryTable(c: ComparisonView): HTMLElement {
    const pct = (v: number): string => `${v.toFixed(1)} pp`;
    const line = (name: string, a: string, b: string, delta: string, cls: string): HTMLElement =>
      el('tr', {}, [
        el('th', { text: name, attrs: { scope: 'row' } }),
        el('td', { text: a }),
        el('td', { text: b }),
        el('td', { className: cls, text: delta }),
      ]);
    const d = c.deltas;
    return el('table', { className: 'summary' }, [
      el('thead', {}, [
        el('tr', {}, [
          el('th', { text: '' }),
          el('th', { text: 'A' }),
          el('th', { text: 'B' }),
          el('th', { text: 'Δ' }),
        ]),
      ]),
      el('tbody', {}, [
        line(
          'Pass rate',
          formatPercent(c.a.passRate),
          formatPercent(c.b.passRate),
          signed(d.passRate, pct),
          deltaClass(d.passRate, true),
        ),
        line(
          'Mean score',
          score(c.a.meanScore),
          score(c.b.meanScore),
          signed(d.meanScore, (v) => v.toFixed(3)),
          deltaClass(d.meanScore, true),
        ),
        line(
          'Tokens',
          String(c.a.tokens.total),
          String(c.b.tokens.total),
          signed(d.tokens, (v) => String(Math.round(v))),
          deltaClass(d.tokens, false),
        ),
        line(
          'Cost',
          this.cost(c.a),
          this.cost(c.b),
          signed(d.costUsd, (v) => formatCost(v)),
          deltaClass(d.costUsd, false),
        ),
        line(
          'Mean latency',
          formatMs(c.a.meanLatencyMs),
          formatMs(c.b.meanLatencyMs),
          signed(d.meanLatencyMs, (v) => formatMs(v)),
          deltaClass(d.meanLatencyMs, false),
        ),
        line(
          'Flaky cases',
          this.flaky(c.a),
          this.flaky(c.b),
          signed(c.b.flakyCases - c.a.flakyCases, String),
          deltaClass(c.b.flakyCases - c.a.flakyCases, false),
        ),
      ]),
    ]);
  }

  /** A side's cost; cached samples count at what they cost when first paid, and say so. */
  private cost(s: SideSummaryView): string {
    if (!s.cachedSamples) return formatCost(s.costUsd);
    return `${formatCost(s.costUsd)} (cached, ${formatCost(s.costNowUsd ?? 0)} now)`;
  }

  private flaky(s: SideSummaryView): string {
    return s.repeat > 1 ? `${s.flakyCases} (${(s.flakeRate * 100).toFixed(0)}%)` : `— (1 sample)`;
  }

  private filtered(rows: CompareRowView[]): CompareRowView[] {
    if (this.state.filter === 'regressions') return rows.filter((r) => r.class === 'regression');
    if (this.state.filter === 'changed') return rows.filter((r) => r.class !== 'unchanged' || r.outputChanged);
    if (this.state.filter === 'graded') return rows.filter((r) => this.isPairRowGraded(r));
    return rows;
  }

  private isPairRowGraded(row: CompareRowView): boolean {
    return (
      this.grading.isGraded({ column: 0, caseIndex: row.a.caseIndex }) ||
      this.grading.isGraded({ column: 1, caseIndex: row.b.caseIndex })
    );
  }

  private isMatrixRowGraded(row: MatrixRowView): boolean {
    return row.cells.some(
      (cell, column) => cell !== null && this.grading.isGraded({ column, caseIndex: cell.caseIndex }),
    );
  }

  /** A matrix has no changed/regression classes: those filters show every row there. */
  private filteredMatrix(rows: MatrixRowView[]): MatrixRowView[] {
    return this.state.filter === 'graded' ? rows.filter((r) => this.isMatrixRowGraded(r)) : rows;
  }

  /** The place of the filter buttons; filled now and again whenever the grades change. */
  private filterPlace(): HTMLElement {
    const content = this.content;
    this.filterSlot = el('div', { className: 'filter-slot' }, content ? [this.filterBar(content)] : []);
    return this.filterSlot;
  }

  private renderFilterBar(): void {
    const content = this.content;
    if (!content || !this.filterSlot?.isConnected) return;
    this.filterSlot.replaceChildren(this.filterBar(content));
  }

  private filterBar(content: CompareContent): HTMLElement {
    // The host counts the rows (only the first ones may have arrived yet).
    const options: [Filter, string][] = [['all', `All (${content.rowCount})`]];
    let graded: number;
    if (content.kind === 'pair') {
      const c = content.comparison;
      options.push(['changed', 'Changed'], ['regressions', `Regressions (${c.counts.regressions})`]);
      graded = c.rows.filter((r) => this.isPairRowGraded(r)).length;
    } else {
      graded = content.matrix.rows.filter((r) => this.isMatrixRowGraded(r)).length;
    }
    // Only offered when there is something graded (or the saved filter asks for it).
    if (graded > 0 || this.state.filter === 'graded') options.push(['graded', `Graded by you (${graded})`]);
    const selected: Filter = content.kind === 'matrix' && this.state.filter !== 'graded' ? 'all' : this.state.filter;
    return el(
      'div',
      { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Show cases' } },
      options.map(([value, label]) => {
        const button = el('button', {
          className: `button segment${selected === value ? ' selected' : ''}`,
          text: label,
          attrs: { type: 'button', 'aria-pressed': String(selected === value) },
        });
        button.addEventListener('click', () => {
          this.state = { ...this.state, filter: value };
          this.save(this.state);
          this.render();
        });
        return button;
      }),
    );
  }

  /**
   * Renders the first batch now and the next ones as the end of the list scrolls into view. `items` is
   * read again each time, so rows that arrive later (more-rows) join the list.
   */
  private fillRows<T>(list: HTMLElement, items: () => readonly T[], make: (item: T) => HTMLElement): void {
    let next = 0;
    const inTable = list.tagName === 'TBODY';
    const note = el(inTable ? 'td' : 'span', inTable ? { attrs: { colspan: '99' } } : {});
    const sentinel = el(inTable ? 'tr' : 'li', { className: 'sentinel muted' }, [note]);
    const more = (): void => {
      const all = items();
      const end = Math.min(all.length, next + BATCH);
      const fragment = document.createDocumentFragment();
      for (; next < end; next++) fragment.append(make(all[next] as T));
      sentinel.before(fragment);
      const loading = this.rowsStillArriving();
      note.textContent =
        next < all.length
          ? `${all.length - next} more…`
          : loading
            ? 'Loading more cases…'
            : all.length === 0
              ? 'No cases match this filter.'
              : '';
    };
    const nearScreen = (): boolean =>
      sentinel.isConnected && sentinel.getBoundingClientRect().top < window.innerHeight + 200;
    // Keep adding batches (one per frame) while the end of the list is on screen.
    const fill = (): void => {
      if (!nearScreen() || next >= items().length) return;
      more();
      requestAnimationFrame(fill);
    };
    list.append(sentinel);
    more();
    this.renderMore = () => {
      if (nearScreen()) fill();
      else note.textContent = `${items().length - next} more…`;
    };
    this.observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) fill();
    });
    this.observer.observe(sentinel);
  }

  private rowsStillArriving(): boolean {
    const content = this.content;
    if (!content) return false;
    const have = content.kind === 'pair' ? content.comparison.rows.length : content.matrix.rows.length;
    return have < content.rowCount;
  }

  private renderRow(row: CompareRowView, c: ComparisonView): HTMLElement {
    const classIcon =
      row.class === 'regression' ? 'arrow-down' : row.class === 'improvement' ? 'arrow-up' : 'circle-small';
    const reasons = row.reasons.map((r) => REASON_TEXT[r]);
    if (row.scoreDelta !== null && row.scoreDelta !== 0)
      reasons.push(`score ${score(row.a.score)} → ${score(row.b.score)}`);
    const head = el('div', { className: 'row-head' }, [
      icon(classIcon, `class-${row.class}`),
      el('span', { className: 'row-label', text: row.label }),
      el('span', {
        className: `badge badge-${row.class}`,
        text: row.class === 'regression' ? 'worse' : row.class === 'improvement' ? 'better' : 'unchanged',
        ...(row.evidence === 'single-sample'
          ? { title: 'One sample per side: a single case cannot show whether this change is chance.' }
          : {}),
      }),
      reasons.length ? el('span', { className: 'reasons', text: reasons.join(' · ') }) : undefined,
      // Only repeats can show a case's own noise; one sample per side claims nothing either way.
      row.evidence === 'beyond-noise' || row.evidence === 'within-noise'
        ? el('span', {
            className: `noise ${row.evidence === 'beyond-noise' ? 'beyond' : 'within'}`,
            text: row.evidence === 'beyond-noise' ? 'beyond its own noise' : 'within its own noise',
          })
        : undefined,
      el('span', { className: 'spacer' }),
      linkButton('diff', `Open ${row.label} in the diff editor`, 'Diff', () =>
        this.post({ type: 'open-diff', caseKey: row.caseKey }),
      ),
    ]);
    const vars = el('div', { className: 'vars muted', text: varsPreview(row.vars) });
    const sides = el('div', { className: 'sides' }, [
      this.renderSide(row, row.a, 'a', c.a.label),
      this.renderSide(row, row.b, 'b', c.b.label),
    ]);
    const changed = row.evaluators.filter((e) => e.change !== 'same');
    const evaluators = row.evaluators.length
      ? el('table', { className: 'evaluators' }, [
          el('thead', {}, [
            el(
              'tr',
              {},
              ['Evaluator', 'A', 'B', 'Change'].map((h) => el('th', { text: h })),
            ),
          ]),
          el(
            'tbody',
            {},
            row.evaluators.map((e) =>
              el('tr', { className: e.change === 'same' ? 'same' : `changed change-${e.change}` }, [
                el('td', { text: e.evaluatorName }),
                el('td', { text: this.verdictText(e.passRateA, e.meanScoreA), title: e.detailsA ?? '' }),
                el('td', { text: this.verdictText(e.passRateB, e.meanScoreB), title: e.detailsB ?? '' }),
                el('td', { text: CHANGE_TEXT[e.change] }),
              ]),
            ),
          ),
        ])
      : el('p', { className: 'muted', text: 'No evaluators.' });
    const item = el(
      'li',
      {
        className: `row row-${row.class}`,
        attrs: {
          'data-case-key': row.caseKey,
          'aria-label': `${row.label}: ${row.class}${changed.length ? `, ${changed.length} evaluator change(s)` : ''}`,
        },
      },
      [head, vars, sides, evaluators],
    );
    this.rowElements.set(row.caseKey, item);
    if (row.outputChanged && !row.diff && !this.requestedDiffs.has(row.caseKey)) {
      this.requestedDiffs.add(row.caseKey);
      this.post({ type: 'request-diff', caseKey: row.caseKey });
    }
    return item;
  }

  private verdictText(passRate: number | null, meanScore: number | null): string {
    if (passRate === null) return '—';
    const verdict = passRate === 1 ? 'pass' : passRate === 0 ? 'fail' : `${Math.round(passRate * 100)}% pass`;
    return meanScore === null ? verdict : `${verdict} (${score(meanScore)})`;
  }

  private renderSide(row: CompareRowView, side: CaseSideView, which: 'a' | 'b', label: string): HTMLElement {
    const verdict =
      side.passRate === 1 ? 'PASS' : side.passRate === 0 ? 'FAIL' : `${Math.round(side.passRate * 100)}% PASS`;
    const meta = [verdict, `score ${score(side.score)}`, formatMs(side.latencyMs), formatCost(side.costUsd)];
    if (side.flaky) meta.push('flaky');
    const output = el('pre', { className: 'output' });
    if (side.error !== undefined && side.output === '')
      output.append(el('span', { className: 'error', text: `Error: ${side.error}` }));
    else if (row.diff) output.append(renderSegments(row.diff.segments, which));
    else output.textContent = side.output;
    const notes: HTMLElement[] = [];
    if (side.outputTruncated)
      notes.push(
        el('p', {
          className: 'muted',
          text: `Shown: the first ${side.output.length.toLocaleString()} of ${side.outputLength.toLocaleString()} characters. Open in the diff editor for the full text.`,
        }),
      );
    const element = el('div', { className: `side side-${which}` }, [
      el('div', { className: 'side-title' }, [
        el('span', { className: `side-tag ${which}`, text: which.toUpperCase() }),
        el('span', { className: 'side-name', text: ` ${label}` }),
        el('span', { className: `verdict-chip ${side.passed ? 'pass' : 'fail'}`, text: meta.join(' · ') }),
        el('span', { className: 'grade-chip-slot' }),
      ]),
      output,
      ...notes,
    ]);
    // An output can be graded; an error without a reply cannot.
    if (!(side.error !== undefined && side.output === ''))
      this.grading.gradable(element, { column: which === 'a' ? 0 : 1, caseIndex: side.caseIndex }, 'always');
    return element;
  }

  private applyDiff(caseKey: string, diff: OutputDiffView): void {
    const content = this.content;
    if (!content || content.kind !== 'pair') return;
    const row = content.comparison.rows.find((r) => r.caseKey === caseKey);
    if (!row) return;
    row.diff = diff;
    const item = this.rowElements.get(caseKey);
    if (!item) return;
    const outputs = item.querySelectorAll<HTMLElement>('.sides .output');
    const [outA, outB] = [outputs[0], outputs[1]];
    if (outA && !(row.a.error !== undefined && row.a.output === ''))
      outA.replaceChildren(renderSegments(diff.segments, 'a'));
    if (outB && !(row.b.error !== undefined && row.b.output === ''))
      outB.replaceChildren(renderSegments(diff.segments, 'b'));
  }

  // ---- three or more runs ----

  private renderMatrix(m: CompareMatrixView): HTMLElement[] {
    const out: HTMLElement[] = [];
    if (m.warnings.length) out.push(warningList(m.warnings));
    const summary = el('table', { className: 'summary' }, [
      el('thead', {}, [
        el(
          'tr',
          {},
          ['Run', 'Pass rate', 'Mean score', 'Cost', 'Mean latency', 'Flaky'].map((h) => el('th', { text: h })),
        ),
      ]),
      el(
        'tbody',
        {},
        m.columns.map((col, i) =>
          el('tr', {}, [
            el('th', { text: `${i + 1}. ${col.label}`, attrs: { scope: 'row' } }),
            el('td', { text: formatPercent(col.summary.passRate) }),
            el('td', { text: score(col.summary.meanScore) }),
            el('td', { text: formatCost(col.summary.costUsd) }),
            el('td', { text: formatMs(col.summary.meanLatencyMs) }),
            el('td', { text: this.flaky(col.summary) }),
          ]),
        ),
      ),
    ]);
    out.push(summary);
    const pick = (initial: number, label: string): HTMLSelectElement => {
      const select = el(
        'select',
        { attrs: { 'aria-label': label } },
        m.columns.map((col, i) => el('option', { text: `${i + 1}. ${col.label}`, attrs: { value: String(i) } })),
      );
      select.value = String(initial);
      return select;
    };
    const left = pick(0, 'Left side of the diff editor');
    const right = pick(Math.min(1, m.columns.length - 1), 'Right side of the diff editor');
    out.push(
      el('div', { className: 'matrix-controls' }, [
        el('span', { text: 'Diff editor compares ' }),
        left,
        el('span', { text: ' ↔ ' }),
        right,
      ]),
    );
    out.push(
      el('p', {
        className: 'counts',
        text: `${this.content?.rowCount ?? m.rows.length} cases · cases where the runs disagree come first · click a cell (or j / k) to grade its output`,
      }),
    );
    // The keys to grade with, right above the cases they grade.
    out.push(this.grading.hint(), this.filterPlace());
    const table = el('table', { className: 'matrix' });
    table.append(
      el('thead', {}, [
        el('tr', {}, [
          el('th', { text: 'Case' }),
          ...m.columns.map((col, i) => el('th', { text: `${i + 1}. ${col.label}`, title: col.runId })),
          el('th', { text: '' }),
        ]),
      ]),
    );
    const body = el('tbody');
    table.append(body);
    out.push(table);
    this.fillRows(
      body,
      () => this.filteredMatrix(m.rows),
      (row) =>
        el('tr', { className: row.disagreement ? 'disagree' : '', attrs: { 'data-case-key': row.caseKey } }, [
          el('th', { text: row.label, attrs: { scope: 'row' } }),
          ...row.cells.map((cell, column) => this.matrixCell(cell, column)),
          el('td', {}, [
            iconButton('diff', `Open ${row.label} in the diff editor`, () =>
              this.post({
                type: 'open-matrix-diff',
                caseKey: row.caseKey,
                left: Number(left.value),
                right: Number(right.value),
              }),
            ),
          ]),
        ]),
    );
    return out;
  }

  private matrixCell(cell: MatrixCellView | null, column: number): HTMLElement {
    if (!cell) return el('td', { className: 'missing muted', text: 'not run' });
    const errorOnly = cell.error !== undefined && cell.output === '';
    const preview = errorOnly ? `Error: ${cell.error}` : cell.output;
    const short = preview.length > 240 ? `${preview.slice(0, 239)}…` : preview;
    const element = el('td', { className: `cell ${cell.passed ? 'pass' : 'fail'}` }, [
      el('div', { className: 'cell-verdict' }, [
        icon(cell.passed ? 'pass' : 'error'),
        el('span', { text: ` ${cell.passed ? 'pass' : 'fail'} · ${score(cell.score)}` }),
        el('span', { className: 'grade-chip-slot' }),
      ]),
      el('div', { className: 'cell-output', text: short }),
    ]);
    // The grade bar shows in the selected cell only: a bar in every cell would crowd the matrix.
    if (!errorOnly) this.grading.gradable(element, { column, caseIndex: cell.caseIndex }, 'when-selected');
    return element;
  }
}
