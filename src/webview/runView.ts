// The run panel's DOM: a header with core's totals, a toolbar (run, search, filters, failure
// navigation, export) and the results grid (src/webview/grid). All model output and variables are
// set as text (textContent / Text nodes), never as HTML.

import type {
  CaseInfo,
  CaseResultView,
  ExportFormat,
  RunHeaderView,
  RunHostMessage,
  RunPanelState,
  RunViewMessage,
  SummaryView,
} from '../protocol/run';
import { el, icon, iconButton } from './common/dom';
import { formatCost, formatMs, formatPercent, formatTokens } from './common/format';
import type { VerdictFilter } from './grid/model';
import { ResultsGrid } from './grid/resultsGrid';
import { GradingController, type GradableOutput } from './grading';

export class RunView {
  private readonly title = el('h1', { className: 'title', text: 'PromptLab run' });
  private readonly subtitle = el('div', { className: 'subtitle' });
  private readonly stats = el('div', { className: 'stats', attrs: { role: 'group', 'aria-label': 'Run totals' } });
  private readonly progress = el('progress', {
    className: 'progress',
    attrs: { max: '1', value: '0', 'aria-label': 'Run progress' },
  });
  private readonly statusText = el('div', {
    className: 'status-text',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  /** Buttons of a failed run's message: the actions that fix it (the host offered them). */
  private readonly fixActions = el('span', { className: 'fix-actions', attrs: { role: 'group', 'aria-label': 'Fix' } });
  private readonly shownText = el('span', { className: 'shown-text', attrs: { 'aria-live': 'polite' } });
  private readonly warnings = el('div', { className: 'warnings' });
  private readonly search = el('input', {
    className: 'search',
    attrs: { type: 'search', placeholder: 'Search cases, replies, verdicts', 'aria-label': 'Search cases' },
  });
  private readonly evaluatorFilter = el('select', {
    className: 'evaluator-filter',
    attrs: { 'aria-label': 'Only cases where this evaluator did not pass' },
  });
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly filterButtons = new Map<VerdictFilter, HTMLButtonElement>();
  private readonly exportButtons: HTMLButtonElement[] = [];
  private readonly grid: ResultsGrid;
  /** Text streamed so far per running case and sample (dropped when the case finishes). */
  private readonly streamed = new Map<number, Map<number, string>>();
  private promptFile = '';
  private runId: string | undefined;
  private header: RunHeaderView | undefined;
  private running = false;
  private trusted = true;
  private runCases = new Set<number>();
  /** Cases of the current run whose result has arrived. */
  private finishedCases = new Set<number>();
  private knownEvaluators = '';
  private readonly grading: GradingController;

  constructor(
    root: HTMLElement,
    private readonly post: (message: RunViewMessage) => void,
    private readonly saveState: (state: RunPanelState) => void,
  ) {
    this.runButton = iconButton('play', 'Run all cases', () => this.post({ type: 'run' }), 'Run');
    this.cancelButton = iconButton('debug-stop', 'Cancel the run', () => this.post({ type: 'cancel' }), 'Cancel');
    const filters = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Show cases' } });
    for (const [filter, label] of [
      ['all', 'All'],
      ['passed', 'Passed'],
      ['failed', 'Failed'],
      ['errors', 'Errors'],
    ] as const) {
      const button = el('button', {
        className: 'segment',
        text: label,
        attrs: { type: 'button', 'aria-pressed': String(filter === 'all') },
      });
      button.addEventListener('click', () => this.setFilter(filter));
      this.filterButtons.set(filter, button);
      filters.append(button);
    }
    this.evaluatorFilter.append(el('option', { text: 'Any evaluator', attrs: { value: '' } }));
    this.evaluatorFilter.addEventListener('change', () => {
      const name = this.evaluatorFilter.value;
      this.grid.setQuery(name ? { failingEvaluator: name } : { failingEvaluator: undefined });
    });
    this.search.addEventListener('input', () => this.grid.setQuery({ search: this.search.value }));
    const previousFailure = iconButton('arrow-up', 'Previous failure (Shift+N in the grid)', () =>
      this.jumpToFailure(-1),
    );
    const nextFailure = iconButton('arrow-down', 'Next failure (N in the grid)', () => this.jumpToFailure(1));
    const exports = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Export results' } }, [
      el('span', { className: 'group-label', text: 'Export' }),
    ]);
    for (const [format, label] of [
      ['json', 'JSON'],
      ['csv', 'CSV'],
      ['markdown', 'Markdown'],
    ] as [ExportFormat, string][]) {
      const button = el('button', {
        className: 'link-button',
        text: label,
        title: `Export results as ${label}`,
        attrs: { type: 'button', 'aria-label': `Export results as ${label}` },
      });
      button.addEventListener('click', () => this.post({ type: 'export', format }));
      this.exportButtons.push(button);
      exports.append(button);
    }
    const fullWidth = iconButton(
      'screen-full',
      'Full width: maximise the panel’s editor group (again to restore)',
      () => this.post({ type: 'toggle-full-width' }),
    );
    this.grading = new GradingController(root, {
      post: (message) => this.post(message),
      outputs: () => this.gradableOutputs(),
      reveal: (output, expand) => this.grid.focusCase(output.caseIndex, expand),
      changed: () => this.grid.repaint(),
    });
    this.grid = new ResultsGrid({
      canRerun: () => this.canRun(),
      streamed: (caseIndex) => this.streamed.get(caseIndex) ?? new Map(),
      onAction: (action, caseIndex, sample) => this.onAction(action, caseIndex, sample),
      onOrderChanged: (shown, total) => {
        this.shownText.textContent =
          shown === total ? `${total} case${total === 1 ? '' : 's'}` : `${shown} of ${total} cases shown`;
      },
      onFocus: (caseIndex) => this.grading.follow(caseIndex),
      gradeCell: (caseIndex) => this.grading.gradeCell(caseIndex, this.repliedSamples(caseIndex)),
      poorAgreement: (name) => this.grading.poorAgreement(name),
      decorateDetail: (detail) => this.grading.decorate(detail),
    });
    root.classList.add('run-root');
    root.replaceChildren(
      el('header', { className: 'run-header' }, [
        el('div', { className: 'title-row' }, [
          this.title,
          this.subtitle,
          el('span', { className: 'spacer' }),
          fullWidth,
        ]),
        this.stats,
        el('div', { className: 'progress-row' }, [this.progress, this.statusText, this.fixActions]),
        el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Run actions' } }, [
          this.runButton,
          this.cancelButton,
          this.search,
          filters,
          this.evaluatorFilter,
          el('span', { className: 'failure-nav', attrs: { role: 'group', 'aria-label': 'Failures' } }, [
            previousFailure,
            nextFailure,
          ]),
          this.shownText,
          exports,
        ]),
        this.grading.hint(),
        this.warnings,
      ]),
      this.grid.root,
    );
    this.renderStats(undefined);
    this.updateControls();
  }

  handle(message: RunHostMessage): void {
    switch (message.type) {
      case 'init':
        return this.init(message.promptFile, message.promptName, message.model, message.cases, message.trusted);
      case 'run-started':
        return this.runStarted(message.header, message.caseIndexes);
      case 'progress':
        return this.applyProgress(message);
      case 'run-finished':
        return this.runFinished(message.summary, message.cancelled, message.runId);
      case 'run-loaded':
        return this.runLoaded(message.header, message.results, message.summary, message.warnings);
      case 'grades':
        return this.grading.setGrades(message.grades, message.trust, message.appliedSeq);
      case 'focus-case':
        return this.grading.select({ caseIndex: message.caseIndex, sample: message.sample }, true);
      case 'estimate':
        this.statusText.textContent = message.text;
        this.statusText.classList.remove('error-text');
        this.showFixes([]);
        return;
      case 'run-failed':
        this.running = false;
        this.abandonUnfinished();
        this.statusText.textContent = message.message;
        this.statusText.classList.add('error-text');
        this.showFixes(message.actions ?? []);
        this.updateControls();
        return;
    }
  }

  private showFixes(actions: readonly string[]): void {
    this.fixActions.replaceChildren(
      ...actions.map((action, index) => {
        const button = el('button', {
          className: index === 0 ? 'button' : 'link-button',
          text: action,
          attrs: { type: 'button' },
        });
        button.addEventListener('click', () => this.post({ type: 'fix', action }));
        return button;
      }),
    );
  }

  private init(
    promptFile: string,
    promptName: string | undefined,
    model: string | undefined,
    cases: CaseInfo[],
    trusted: boolean,
  ): void {
    this.promptFile = promptFile;
    this.trusted = trusted;
    this.title.textContent = promptName ?? basename(promptFile);
    if (!this.header) this.subtitle.textContent = model ? `model ${model}` : '';
    const wanted = new Set(cases.map((c) => c.caseIndex));
    for (const row of [...this.grid.allRows()])
      if (!wanted.has(row.caseIndex) && !row.result) this.grid.removeRow(row.caseIndex);
    for (const info of cases) {
      const row = this.grid.ensureRow(info.caseIndex, info.vars);
      if (!row.result) row.setVars(info.vars);
    }
    this.grid.invalidate();
    if (!this.header && !this.running)
      this.statusText.textContent = trusted
        ? `${cases.length} test case${cases.length === 1 ? '' : 's'}, not run yet`
        : 'Restricted Mode: runs are disabled until you trust this workspace';
    this.persist();
    this.updateControls();
  }

  private runStarted(header: RunHeaderView, caseIndexes: number[]): void {
    this.header = header;
    this.running = true;
    this.runCases = new Set(caseIndexes);
    this.finishedCases.clear();
    this.statusText.classList.remove('error-text');
    this.showFixes([]);
    this.showHeader(header);
    for (const index of caseIndexes) {
      const row = this.grid.ensureRow(index, {});
      row.clearResult();
      row.setStatus('queued');
      this.streamed.delete(index);
    }
    this.grid.invalidate();
    this.grid.refreshDetail();
    this.renderProgress();
    this.updateControls();
  }

  private applyProgress(message: Extract<RunHostMessage, { type: 'progress' }>): void {
    for (const s of message.started) {
      // A start that arrives after its case's result (a replay raced a batch) is stale.
      if (this.finishedCases.has(s.caseIndex)) continue;
      this.grid.row(s.caseIndex)?.setStatus('running');
      const samples = this.streamed.get(s.caseIndex) ?? new Map<number, string>();
      if (!samples.has(s.sample)) samples.set(s.sample, '');
      this.streamed.set(s.caseIndex, samples);
      this.grid.refreshDetail(s.caseIndex);
    }
    for (const d of message.deltas) {
      if (this.finishedCases.has(d.caseIndex)) continue;
      const samples = this.streamed.get(d.caseIndex) ?? new Map<number, string>();
      samples.set(d.sample, (samples.get(d.sample) ?? '') + d.text);
      this.streamed.set(d.caseIndex, samples);
      this.grid.appendStreamed(d.caseIndex, d.sample, d.text);
    }
    if (message.started.length > 0) this.grid.invalidate();
    this.addResults(message.finished, true);
    this.renderStats(message.summary);
    this.renderProgress();
  }

  private runFinished(summary: SummaryView, cancelled: boolean, runId: string): void {
    this.running = false;
    this.runId = runId;
    if (cancelled) this.abandonUnfinished();
    this.renderStats(summary);
    this.progress.value = this.runCases.size === 0 ? 1 : this.finishedCases.size / this.runCases.size;
    this.statusText.textContent = cancelled
      ? `Cancelled: ${this.finishedCases.size} of ${this.runCases.size} cases finished (kept)`
      : `Finished ${this.finishedCases.size} case${this.finishedCases.size === 1 ? '' : 's'} in ${formatMs(summary.durationMs)}`;
    this.persist();
    this.updateControls();
    this.grid.refreshDetail();
  }

  private runLoaded(header: RunHeaderView, results: CaseResultView[], summary: SummaryView, warnings: string[]): void {
    this.header = header;
    this.runId = header.runId;
    this.running = false;
    this.runCases = new Set(results.map((r) => r.caseIndex));
    this.finishedCases.clear();
    this.showHeader(header);
    this.addResults(results, true);
    this.renderStats(summary);
    this.progress.value = 1;
    this.statusText.classList.remove('error-text');
    this.statusText.textContent = `Run of ${new Date(header.startedAt).toLocaleString()}: ${results.length} case${results.length === 1 ? '' : 's'}`;
    this.warnings.replaceChildren(
      ...warnings.map((w) => el('div', { className: 'warning-text' }, [icon('warning'), el('span', { text: w })])),
    );
    this.persist();
    this.updateControls();
    // The first screenful is painted in this frame, not the next.
    this.grid.paint();
  }

  private abandonUnfinished(): void {
    for (const row of this.grid.allRows()) {
      if (row.result || row.status === 'idle') continue;
      row.setStatus('idle');
    }
    this.streamed.clear();
    this.grid.invalidate();
  }

  private addResults(results: CaseResultView[], countInRun: boolean): void {
    if (results.length === 0) return;
    for (const result of results) {
      const row = this.grid.ensureRow(result.caseIndex, result.vars);
      row.finish(result);
      this.streamed.delete(result.caseIndex);
      this.grid.refreshDetail(result.caseIndex);
      if (countInRun && this.runCases.has(result.caseIndex)) {
        this.finishedCases.add(result.caseIndex);
      }
    }
    this.grid.invalidate();
    this.updateEvaluatorFilter();
  }

  private updateEvaluatorFilter(): void {
    const names = new Set<string>();
    for (const row of this.grid.allRows()) for (const name of row.evaluatorCells().keys()) names.add(name);
    const key = [...names].join('\u0000');
    if (key === this.knownEvaluators) return;
    this.knownEvaluators = key;
    const selected = this.evaluatorFilter.value;
    this.evaluatorFilter.replaceChildren(
      el('option', { text: 'Any evaluator', attrs: { value: '' } }),
      ...[...names].map((name) => el('option', { text: `Failing: ${name}`, attrs: { value: name } })),
    );
    this.evaluatorFilter.value = names.has(selected) ? selected : '';
    this.evaluatorFilter.hidden = names.size === 0;
  }

  private showHeader(header: RunHeaderView): void {
    if (header.promptName) this.title.textContent = header.promptName;
    const parts = [`model ${header.model}`, `via ${header.provider} (${header.endpointOrigin})`];
    if (header.repeat > 1) parts.push(`${header.repeat} samples per case`);
    if (header.label) parts.push(header.label);
    this.subtitle.replaceChildren(el('span', { text: parts.join(' · ') }));
    if (header.approximate)
      this.subtitle.append(
        el('span', {
          className: 'badge approximate',
          text: 'approximate',
          title:
            "Run on the editor's language model: the system prompt is folded into the first user message and model parameters may be ignored",
        }),
      );
  }

  private renderStats(summary: SummaryView | undefined): void {
    if (!summary) {
      this.stats.replaceChildren(
        stat('Pass rate', '—'),
        stat('Passed', '—'),
        stat('Failed', '—'),
        stat('Errors', '—'),
        stat('Tokens', '—'),
        stat('Cost', '—'),
        stat('Latency', '—'),
      );
      return;
    }
    const cachedCost =
      summary.cachedSamples > 0 && summary.cachedCostUsd !== undefined
        ? `${summary.cachedSamples} cached sample${summary.cachedSamples === 1 ? '' : 's'}: ${formatCost(summary.cachedCostUsd)} when first paid, $0 now`
        : undefined;
    this.stats.replaceChildren(
      stat(
        'Pass rate',
        formatPercent(Math.round(summary.passRate * 10) / 10),
        summary.failedTests + summary.erroredTests > 0 ? 'bad' : 'good',
      ),
      stat('Passed', String(summary.passedTests)),
      stat('Failed', String(summary.failedTests), summary.failedTests > 0 ? 'bad' : undefined),
      stat('Errors', String(summary.erroredTests), summary.erroredTests > 0 ? 'bad' : undefined),
      stat(
        'Tokens',
        formatTokens(summary.tokens.total),
        undefined,
        `${summary.tokens.prompt} prompt + ${summary.tokens.completion} completion`,
      ),
      costStat(summary, cachedCost, this.header?.priceSource),
      latencyStat(summary),
      stat('Time', formatMs(summary.durationMs), undefined, 'Wall time of the run'),
      ...(summary.cachedSamples > 0 ? [stat('Cached', String(summary.cachedSamples), undefined, cachedCost)] : []),
    );
  }

  private renderProgress(): void {
    if (!this.running) return;
    const total = this.runCases.size;
    this.progress.value = total === 0 ? 1 : this.finishedCases.size / total;
    this.statusText.textContent = `Running: ${this.finishedCases.size} of ${total} case${total === 1 ? '' : 's'} finished`;
  }

  /** Samples of a case that have a reply (the ones a person can grade). */
  private repliedSamples(caseIndex: number): number[] {
    return (this.grid.row(caseIndex)?.result?.samples ?? []).filter((s) => s.error === undefined).map((s) => s.sample);
  }

  /** Outputs with a reply, in the grid's shown order, for moving through them with the keyboard. */
  private gradableOutputs(): GradableOutput[] {
    return this.grid
      .shownCases()
      .flatMap((caseIndex) => this.repliedSamples(caseIndex).map((sample) => ({ caseIndex, sample })));
  }

  private canRun(): boolean {
    return this.trusted && !this.running && this.promptFile !== '';
  }

  private setFilter(filter: VerdictFilter): void {
    this.grid.setQuery({ verdict: filter });
    for (const [f, button] of this.filterButtons) button.setAttribute('aria-pressed', String(f === filter));
  }

  private jumpToFailure(direction: 1 | -1): void {
    if (!this.grid.focusFailure(direction)) this.shownText.textContent = 'No failing case among the shown cases';
  }

  private onAction(action: string, caseIndex: number, sample: number): void {
    switch (action) {
      case 'rerun-case':
        this.post({ type: 'rerun-case', caseIndex });
        break;
      case 'reveal-case':
        this.post({ type: 'reveal-case', caseIndex });
        break;
      case 'open-output':
        this.post({ type: 'open-output', caseIndex, sample });
        break;
    }
  }

  private updateControls(): void {
    const canRun = this.canRun();
    this.runButton.disabled = !canRun;
    this.cancelButton.disabled = !this.running;
    const hasResults = [...this.grid.allRows()].some((r) => r.result);
    for (const b of this.exportButtons) b.disabled = !hasResults || this.running;
    for (const button of this.grid.root.querySelectorAll<HTMLButtonElement>('button[data-action="rerun-case"]'))
      button.disabled = !canRun;
  }

  private persist(): void {
    if (!this.promptFile) return;
    this.saveState(this.runId ? { promptFile: this.promptFile, runId: this.runId } : { promptFile: this.promptFile });
  }
}

/** Cost at the model's price, cached samples at what they cost when first paid, saying what was spent now. */
function costStat(summary: SummaryView, cachedCost: string | undefined, priceSource: string | undefined): HTMLElement {
  if (summary.costUsd === null) return stat('Cost', '—', undefined, 'Unknown: no price for this model');
  const prices = priceSource ? `Prices: ${priceSource}` : undefined;
  if (summary.cachedSamples === 0 || summary.cachedCostUsd === undefined)
    return stat('Cost', formatCost(summary.costUsd), undefined, prices ?? 'Spent by this run');
  const firstPaid = summary.cachedCostUsd === null ? null : summary.costUsd + summary.cachedCostUsd;
  const now =
    summary.costUsd === 0 ? 'cached, $0 now' : `${summary.cachedSamples} cached; ${formatCost(summary.costUsd)} now`;
  return stat(`Cost (${now})`, formatCost(firstPaid), undefined, [cachedCost, prices].filter(Boolean).join('\n'));
}

/** Latency p50 with p90, max and a small histogram of the distribution (all computed by core). */
function latencyStat(summary: SummaryView): HTMLElement {
  const latency = summary.latency;
  if (!latency) return stat('Latency', '—', undefined, 'No request made in this run (all cached or failed)');
  const peak = Math.max(1, ...latency.bins);
  const histogram = el(
    'div',
    { className: 'histogram', attrs: { 'aria-hidden': 'true' } },
    latency.bins.map((count) => {
      const bar = el('span', { className: 'bar' });
      bar.style.height = `${Math.max(count > 0 ? 8 : 0, Math.round((count / peak) * 100))}%`;
      return bar;
    }),
  );
  const text = `p50 ${formatMs(latency.p50)} · p90 ${formatMs(latency.p90)} · max ${formatMs(latency.max)}`;
  return el(
    'div',
    { className: 'stat latency', title: `Request latency: ${text}; mean ${formatMs(summary.meanLatencyMs)}` },
    [
      el('div', { className: 'stat-value' }, [el('span', { text: formatMs(latency.p50) }), histogram]),
      el('div', {
        className: 'stat-label',
        text: `Latency p50 · p90 ${formatMs(latency.p90)} · max ${formatMs(latency.max)}`,
      }),
    ],
  );
}

function stat(label: string, value: string, tone?: 'good' | 'bad', title?: string): HTMLElement {
  return el('div', { className: tone ? `stat ${tone}` : 'stat', ...(title ? { title } : {}) }, [
    el('div', { className: 'stat-value', text: value }),
    el('div', { className: 'stat-label', text: label }),
  ]);
}

function basename(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}
