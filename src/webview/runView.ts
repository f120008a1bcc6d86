// The run panel's DOM: a header with core's totals, a toolbar, and one row per test case.
// All model output and variables are set as text (textContent / Text nodes), never as HTML.

import type {
  CaseInfo,
  CaseResultView,
  ExportFormat,
  RunHeaderView,
  RunHostMessage,
  RunPanelState,
  RunViewMessage,
  SampleView,
  SummaryView,
} from '../protocol/run';
import { el, icon, iconButton, setIcon } from './common/dom';
import { formatCost, formatMs, formatPercent, formatScore, formatTokens, formatValue } from './common/format';
import { GradingController, type GradableOutput } from './grading';

type Filter = 'all' | 'failed' | 'errors';
type RowStatus = 'idle' | 'queued' | 'running' | 'passed' | 'failed';

const STATUS_ICONS: Record<RowStatus, [string, string]> = {
  idle: ['circle-large-outline', 'not run'],
  queued: ['clock', 'queued'],
  running: ['sync', 'running'],
  passed: ['pass', 'passed'],
  failed: ['error', 'failed'],
};

/** Longest variable text shown in a row's head; the full text is in the tooltip and in exports. */
const MAX_VARS_CHARS = 400;

/**
 * One test case. The head (status, number, variables, figures) exists from the start; the
 * details (outputs, verdicts, action buttons) are built the first time the row scrolls into view,
 * so 1,000 results cost 1,000 small heads, not 50,000 elements.
 */
class CaseRow {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly vars: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly body: HTMLElement;
  /** Streamed text per sample while the case runs. */
  private readonly streamed = new Map<number, string>();
  private readonly streamNodes = new Map<number, Text>();
  private built = false;
  private state: RowStatus = 'idle';
  result: CaseResultView | undefined;
  multiSample = false;

  constructor(
    readonly caseIndex: number,
    vars: Record<string, unknown>,
    private readonly canRerun: () => boolean,
    private readonly grading: GradingController,
  ) {
    this.status = el('span', { className: 'codicon codicon-circle-large-outline', attrs: { role: 'img', 'aria-label': STATUS_ICONS.idle[1] } });
    this.vars = el('span', { className: 'vars' });
    this.metrics = el('span', { className: 'metrics' });
    this.actions = el('span', { className: 'case-actions' });
    this.body = el('div', { className: 'case-body' });
    this.root = el('section', { className: 'case idle', attrs: { role: 'listitem', 'data-case': String(caseIndex), 'aria-label': `Case ${caseIndex + 1}` } }, [
      el('div', { className: 'case-head' }, [
        el('span', { className: 'status' }, [this.status]),
        el('span', { className: 'case-number', text: `#${caseIndex + 1}` }),
        this.vars,
        this.metrics,
        this.actions,
      ]),
      this.body,
    ]);
    this.setVars(vars);
  }

  get currentStatus(): RowStatus {
    return this.state;
  }

  setVars(vars: Record<string, unknown>): void {
    const parts = Object.entries(vars).map(([name, value]) => `${name}: ${formatValue(value)}`);
    const text = parts.join('  ·  ');
    this.vars.textContent = text.length > MAX_VARS_CHARS ? text.slice(0, MAX_VARS_CHARS) + '…' : text;
    this.vars.title = parts.join('\n').slice(0, 4000);
  }

  private setStatus(status: RowStatus, errored = false): void {
    this.state = status;
    this.root.className = `case ${status}${errored ? ' errored' : ''}`;
    const [iconName, label] = STATUS_ICONS[status];
    // No spinning icon per row: hundreds of running CSS animations cost frames even off screen.
    setIcon(this.status, iconName);
    this.status.setAttribute('aria-label', errored ? 'error' : label);
  }

  /** Builds the details the first time the row is visible. */
  build(): void {
    if (this.built) return;
    this.built = true;
    const index = String(this.caseIndex);
    this.actions.append(
      actionButton('debug-rerun', `Re-run case ${this.caseIndex + 1}`, 'rerun-case', index, undefined, !this.canRerun()),
      actionButton('go-to-file', `Show case ${this.caseIndex + 1} in the prompt file`, 'reveal-case', index),
    );
    this.renderBody();
  }

  private renderBody(): void {
    if (!this.built) return;
    this.streamNodes.clear();
    if (this.result) {
      const result = this.result;
      this.body.replaceChildren(...result.samples.map((s) => sampleBlock(result.caseIndex, s, this.multiSample, this.grading)));
      if (result.error !== undefined && result.samples.length === 0) this.body.append(el('div', { className: 'error-text', text: result.error }));
      return;
    }
    this.body.replaceChildren();
    for (const [sample, text] of this.streamed) this.streamNode(sample).appendData(text);
  }

  queue(): void {
    this.result = undefined;
    this.streamed.clear();
    this.metrics.replaceChildren();
    this.setStatus('queued');
    this.renderBody();
  }

  start(sample: number): void {
    this.setStatus('running');
    if (!this.streamed.has(sample)) this.streamed.set(sample, '');
    if (this.built) this.streamNode(sample);
  }

  append(sample: number, text: string): void {
    this.streamed.set(sample, (this.streamed.get(sample) ?? '') + text);
    if (this.built) this.streamNode(sample).appendData(text);
  }

  private streamNode(sample: number): Text {
    let node = this.streamNodes.get(sample);
    if (!node) {
      node = document.createTextNode('');
      this.streamNodes.set(sample, node);
      this.body.append(el('div', { className: 'sample' }, [sampleLabel(sample), el('pre', { className: 'output streaming' }, [node])]));
    }
    return node;
  }

  /** Stops the live indicator of a case that never finished (the run was cancelled). */
  abandon(): void {
    if (this.result) return;
    this.setStatus('idle');
    this.status.setAttribute('aria-label', 'cancelled');
    for (const pre of this.body.querySelectorAll('pre.streaming')) pre.classList.remove('streaming');
  }

  finish(result: CaseResultView, multiSample: boolean): void {
    this.result = result;
    this.multiSample = multiSample;
    this.streamed.clear();
    const errored = result.error !== undefined || result.samples.some((s) => s.error !== undefined || s.evaluations.some((e) => e.error));
    this.setStatus(result.passed ? 'passed' : 'failed', errored);
    if (multiSample) this.status.setAttribute('aria-label', `${this.status.getAttribute('aria-label') ?? ''}, ${formatPercent(Math.round(result.passRate * 1000) / 10)} of samples passed`);
    this.renderMetrics(result);
    this.renderBody();
  }

  private renderMetrics(result: CaseResultView): void {
    const first = result.samples[0];
    if (!first) {
      this.metrics.replaceChildren();
      return;
    }
    // One sample: its own figures. Several: the first sample's, said so in the tooltip.
    const suffix = result.samples.length > 1 ? ' (sample 1)' : '';
    const parts = [formatMs(first.latencyMs)];
    const titles = [`Latency${suffix}: ${formatMs(first.latencyMs)}${first.ttftMs !== undefined ? `, first token after ${formatMs(first.ttftMs)}` : ''}`];
    if (first.usage) {
      parts.push(`${formatTokens(first.usage.total)} tok`);
      titles.push(`Tokens${suffix}: ${first.usage.prompt} prompt + ${first.usage.completion} completion`);
    }
    parts.push(formatCost(first.costUsd));
    titles.push(first.costUsd === null ? 'Cost unknown: no price for this model' : `Cost${suffix}: ${formatCost(first.costUsd)}`);
    const figures = el('span', { text: parts.join(' · '), title: titles.join('\n'), attrs: { 'aria-label': titles.join('; ') } });
    const cached = result.samples.some((s) => s.cached) ? el('span', { className: 'badge cached', text: 'cached', title: 'Served from the response cache' }) : undefined;
    this.metrics.replaceChildren(...(cached ? [figures, cached] : [figures]));
  }
}

function actionButton(iconName: string, label: string, action: RunViewMessage['type'], caseIndex: string, sample?: number, disabled = false): HTMLButtonElement {
  const attrs: Record<string, string> = { type: 'button', 'aria-label': label, 'data-action': action, 'data-case': caseIndex };
  if (sample !== undefined) attrs['data-sample'] = String(sample);
  const button = el('button', { className: 'icon-button', title: label, attrs }, [icon(iconName)]);
  button.disabled = disabled;
  return button;
}

function sampleLabel(sample: number): HTMLElement | undefined {
  return sample > 0 ? el('div', { className: 'sample-label', text: `Sample ${sample + 1}` }) : undefined;
}

function sampleBlock(caseIndex: number, sample: SampleView, multiSample: boolean, grading: GradingController): HTMLElement {
  const output = el('pre', { className: 'output', text: sample.output });
  const head = el('div', { className: multiSample ? 'sample-head' : 'sample-head single' }, [
    multiSample ? el('span', { className: 'sample-label', text: `Sample ${sample.sample + 1}${sample.passed ? '' : ' — failed'}` }) : undefined,
    actionButton('link-external', `Open the output of case ${caseIndex + 1}${multiSample ? ` sample ${sample.sample + 1}` : ''} in an editor`, 'open-output', String(caseIndex), sample.sample),
  ]);
  const block = el('div', { className: 'sample', attrs: { 'data-case': String(caseIndex), 'data-sample': String(sample.sample), tabindex: '-1' } }, [head, output]);
  if (sample.error === undefined) block.append(grading.gradeBar({ caseIndex, sample: sample.sample }));
  if (sample.error !== undefined) block.append(el('div', { className: 'error-text', attrs: { role: 'note' } }, [icon('warning'), el('span', { text: sample.error })]));
  if (sample.evaluations.length > 0)
    block.append(
      el(
        'ul',
        { className: 'evaluations', attrs: { 'aria-label': 'Evaluator verdicts' } },
        sample.evaluations.map((e) => {
          const verdict = e.error ? 'evaluator error' : e.passed ? 'passed' : 'failed';
          return el('li', { className: e.error ? 'evaluation errored' : e.passed ? 'evaluation passed' : 'evaluation failed' }, [
            el('span', { className: `codicon codicon-${e.error ? 'warning' : e.passed ? 'pass' : 'error'}`, attrs: { role: 'img', 'aria-label': verdict } }),
            grading.evaluatorName(e.evaluatorName),
            el('span', { className: 'score', text: formatScore(e.score), title: 'Score (0–1)' }),
            e.details ? el('span', { className: 'details', text: e.details }) : undefined,
          ]);
        }),
      ),
    );
  return block;
}

export class RunView {
  private readonly title = el('h1', { className: 'title', text: 'PromptLab run' });
  private readonly subtitle = el('div', { className: 'subtitle' });
  private readonly stats = el('div', { className: 'stats', attrs: { role: 'group', 'aria-label': 'Run totals' } });
  private readonly progress = el('progress', { className: 'progress', attrs: { max: '1', value: '0', 'aria-label': 'Run progress' } });
  private readonly statusText = el('div', { className: 'status-text', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly warnings = el('div', { className: 'warnings' });
  private readonly list = el('div', { className: 'cases', attrs: { role: 'list', 'aria-label': 'Test cases', 'data-filter': 'all' } });
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly filterButtons = new Map<Filter, HTMLButtonElement>();
  private readonly exportButtons: HTMLButtonElement[] = [];
  private readonly rows = new Map<number, CaseRow>();
  private promptFile = '';
  private runId: string | undefined;
  private header: RunHeaderView | undefined;
  private running = false;
  private trusted = true;
  private runCases = new Set<number>();
  private finishedInRun = 0;
  private readonly visibility: IntersectionObserver;
  private readonly rowsByElement = new WeakMap<Element, CaseRow>();
  private readonly grading: GradingController;

  constructor(
    root: HTMLElement,
    private readonly post: (message: RunViewMessage) => void,
    private readonly saveState: (state: RunPanelState) => void,
  ) {
    this.runButton = iconButton('play', 'Run all cases', () => this.post({ type: 'run' }), 'Run');
    this.cancelButton = iconButton('debug-stop', 'Cancel the run', () => this.post({ type: 'cancel' }), 'Cancel');
    const filters = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Show cases' } });
    for (const [filter, label] of [['all', 'All'], ['failed', 'Failed'], ['errors', 'Errors']] as const) {
      const button = el('button', { className: 'segment', text: label, attrs: { type: 'button', 'aria-pressed': String(filter === 'all') } });
      button.addEventListener('click', () => this.setFilter(filter));
      this.filterButtons.set(filter, button);
      filters.append(button);
    }
    const exports = el('div', { className: 'segmented', attrs: { role: 'group', 'aria-label': 'Export results' } }, [el('span', { className: 'group-label', text: 'Export' })]);
    for (const [format, label] of [['json', 'JSON'], ['csv', 'CSV'], ['markdown', 'Markdown']] as [ExportFormat, string][]) {
      const button = iconButton('export', `Export results as ${label}`, () => this.post({ type: 'export', format }), label);
      this.exportButtons.push(button);
      exports.append(button);
    }
    this.list.addEventListener('click', (event) => this.onListClick(event));
    this.grading = new GradingController(root, {
      post: (message) => this.post(message),
      outputs: () => this.gradableOutputs(),
      elementOf: (output) => {
        const row = this.rows.get(output.caseIndex);
        row?.build();
        return row?.root.querySelector<HTMLElement>(`.sample[data-case="${output.caseIndex}"][data-sample="${output.sample}"]`) ?? undefined;
      },
    });
    // Row details are built when a row comes near the viewport (see CaseRow).
    this.visibility = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          this.rowsByElement.get(entry.target)?.build();
          this.visibility.unobserve(entry.target);
        }
      },
      { rootMargin: '600px 0px' },
    );
    root.replaceChildren(
      el('header', { className: 'run-header' }, [
        el('div', { className: 'title-row' }, [this.title, this.subtitle]),
        this.stats,
        el('div', { className: 'progress-row' }, [this.progress, this.statusText]),
        el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Run actions' } }, [this.runButton, this.cancelButton, filters, exports]),
        this.grading.hint(),
        this.warnings,
      ]),
      el('main', {}, [this.list]),
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
        return this.grading.select({ caseIndex: message.caseIndex, sample: message.sample });
      case 'estimate':
        this.statusText.textContent = message.text;
        this.statusText.classList.remove('error-text');
        return;
      case 'run-failed':
        this.running = false;
        for (const row of this.rows.values()) if (!row.result && row.currentStatus !== 'idle') row.abandon();
        this.statusText.textContent = message.message;
        this.statusText.classList.add('error-text');
        this.updateControls();
        return;
    }
  }

  private init(promptFile: string, promptName: string | undefined, model: string | undefined, cases: CaseInfo[], trusted: boolean): void {
    this.promptFile = promptFile;
    this.trusted = trusted;
    this.title.textContent = promptName ?? basename(promptFile);
    if (!this.header) this.subtitle.textContent = model ? `model ${model}` : '';
    const wanted = new Set(cases.map((c) => c.caseIndex));
    for (const [index, row] of this.rows) {
      if (!wanted.has(index) && !row.result) {
        this.visibility.unobserve(row.root);
        row.root.remove();
        this.rows.delete(index);
      }
    }
    const fragment = document.createDocumentFragment();
    for (const info of cases) {
      const existing = this.rows.get(info.caseIndex);
      if (existing) {
        if (!existing.result) existing.setVars(info.vars);
      } else {
        const row = this.createRow(info.caseIndex, info.vars);
        this.rows.set(info.caseIndex, row);
        fragment.append(row.root);
      }
    }
    this.list.append(fragment);
    this.sortRowsIfNeeded();
    if (!this.header && !this.running) this.statusText.textContent = trusted ? `${cases.length} test case${cases.length === 1 ? '' : 's'}, not run yet` : 'Restricted Mode: runs are disabled until you trust this workspace';
    this.persist();
    this.updateControls();
  }

  private runStarted(header: RunHeaderView, caseIndexes: number[]): void {
    this.header = header;
    this.running = true;
    this.runCases = new Set(caseIndexes);
    this.finishedInRun = 0;
    this.statusText.classList.remove('error-text');
    this.showHeader(header);
    const fragment = document.createDocumentFragment();
    for (const index of caseIndexes) {
      let row = this.rows.get(index);
      if (!row) {
        row = this.createRow(index, {});
        this.rows.set(index, row);
        fragment.append(row.root);
      }
      row.queue();
    }
    this.list.append(fragment);
    this.sortRowsIfNeeded();
    this.renderProgress();
    this.updateControls();
  }

  private applyProgress(message: Extract<RunHostMessage, { type: 'progress' }>): void {
    for (const s of message.started) this.rows.get(s.caseIndex)?.start(s.sample);
    for (const d of message.deltas) this.rows.get(d.caseIndex)?.append(d.sample, d.text);
    this.addResults(message.finished, true);
    this.renderStats(message.summary);
    this.renderProgress();
  }

  private runFinished(summary: SummaryView, cancelled: boolean, runId: string): void {
    this.running = false;
    this.runId = runId;
    if (cancelled) for (const index of this.runCases) this.rows.get(index)?.abandon();
    this.renderStats(summary);
    this.progress.value = this.runCases.size === 0 ? 1 : this.finishedInRun / this.runCases.size;
    this.statusText.textContent = cancelled
      ? `Cancelled: ${this.finishedInRun} of ${this.runCases.size} cases finished (kept)`
      : `Finished ${this.finishedInRun} case${this.finishedInRun === 1 ? '' : 's'} in ${formatMs(summary.durationMs)}`;
    this.persist();
    this.updateControls();
  }

  private runLoaded(header: RunHeaderView, results: CaseResultView[], summary: SummaryView, warnings: string[]): void {
    this.header = header;
    this.runId = header.runId;
    this.running = false;
    this.runCases = new Set(results.map((r) => r.caseIndex));
    this.finishedInRun = 0;
    this.showHeader(header);
    this.addResults(results, true);
    this.renderStats(summary);
    this.progress.value = 1;
    this.statusText.classList.remove('error-text');
    this.statusText.textContent = `Run of ${new Date(header.startedAt).toLocaleString()}: ${results.length} case${results.length === 1 ? '' : 's'}`;
    this.warnings.replaceChildren(...warnings.map((w) => el('div', { className: 'warning-text' }, [icon('warning'), el('span', { text: w })])));
    this.persist();
    this.updateControls();
  }

  private addResults(results: CaseResultView[], countInRun: boolean): void {
    if (results.length === 0) return;
    const multiSample = (this.header?.repeat ?? 1) > 1;
    const fragment = document.createDocumentFragment();
    for (const result of results) {
      let row = this.rows.get(result.caseIndex);
      if (!row) {
        row = this.createRow(result.caseIndex, result.vars);
        this.rows.set(result.caseIndex, row);
        fragment.append(row.root);
      } else {
        row.setVars(result.vars);
      }
      row.finish(result, multiSample || result.samples.length > 1);
      if (countInRun && this.runCases.has(result.caseIndex)) this.finishedInRun++;
    }
    if (fragment.childNodes.length > 0) {
      this.list.append(fragment);
      this.sortRowsIfNeeded();
    }
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
          title: "Run on the editor's language model: the system prompt is folded into the first user message and model parameters may be ignored",
        }),
      );
  }

  private renderStats(summary: SummaryView | undefined): void {
    if (!summary) {
      this.stats.replaceChildren(stat('Pass rate', '—'), stat('Passed', '—'), stat('Failed', '—'), stat('Errors', '—'), stat('Tokens', '—'), stat('Cost', '—'), stat('Time', '—'));
      return;
    }
    this.stats.replaceChildren(
      stat('Pass rate', formatPercent(summary.passRate), summary.failedTests + summary.erroredTests > 0 ? 'bad' : 'good'),
      stat('Passed', String(summary.passedTests)),
      stat('Failed', String(summary.failedTests), summary.failedTests > 0 ? 'bad' : undefined),
      stat('Errors', String(summary.erroredTests), summary.erroredTests > 0 ? 'bad' : undefined),
      stat('Tokens', formatTokens(summary.tokens.total), undefined, `${summary.tokens.prompt} prompt + ${summary.tokens.completion} completion`),
      stat('Cost', formatCost(summary.costUsd), undefined, summary.costUsd === null ? 'Unknown: no price for this model' : this.header?.priceSource ? `Prices: ${this.header.priceSource}` : undefined),
      stat('Time', formatMs(summary.durationMs), undefined, summary.meanLatencyMs === null ? undefined : `mean latency ${formatMs(summary.meanLatencyMs)}`),
      stat('Cached', String(summary.cachedSamples)),
    );
  }

  private renderProgress(): void {
    if (!this.running) return;
    const total = this.runCases.size;
    this.progress.value = total === 0 ? 1 : this.finishedInRun / total;
    this.statusText.textContent = `Running: ${this.finishedInRun} of ${total} case${total === 1 ? '' : 's'} finished`;
  }

  /** Outputs with a reply, in case order, for moving through them with the keyboard. */
  private gradableOutputs(): GradableOutput[] {
    const outputs: GradableOutput[] = [];
    for (const row of [...this.rows.values()].sort((a, b) => a.caseIndex - b.caseIndex)) {
      for (const sample of row.result?.samples ?? []) if (sample.error === undefined) outputs.push({ caseIndex: row.caseIndex, sample: sample.sample });
    }
    return outputs;
  }

  private createRow(caseIndex: number, vars: Record<string, unknown>): CaseRow {
    const row = new CaseRow(caseIndex, vars, () => this.canRun(), this.grading);
    this.rowsByElement.set(row.root, row);
    this.visibility.observe(row.root);
    return row;
  }

  private canRun(): boolean {
    return this.trusted && !this.running && this.promptFile !== '';
  }

  private setFilter(filter: Filter): void {
    this.list.dataset.filter = filter;
    for (const [f, button] of this.filterButtons) button.setAttribute('aria-pressed', String(f === filter));
  }

  private onListClick(event: MouseEvent): void {
    const target = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
    if (!(target instanceof HTMLButtonElement) || target.disabled) return;
    const caseIndex = Number(target.dataset.case);
    if (!Number.isInteger(caseIndex)) return;
    switch (target.dataset.action) {
      case 'rerun-case':
        this.post({ type: 'rerun-case', caseIndex });
        break;
      case 'reveal-case':
        this.post({ type: 'reveal-case', caseIndex });
        break;
      case 'open-output':
        this.post({ type: 'open-output', caseIndex, sample: Number(target.dataset.sample ?? 0) });
        break;
    }
  }

  private updateControls(): void {
    const canRun = this.canRun();
    this.runButton.disabled = !canRun;
    this.cancelButton.disabled = !this.running;
    const hasResults = [...this.rows.values()].some((r) => r.result);
    for (const b of this.exportButtons) b.disabled = !hasResults || this.running;
    this.list.classList.toggle('can-rerun', canRun);
    for (const button of this.list.querySelectorAll<HTMLButtonElement>('button[data-action="rerun-case"]')) button.disabled = !canRun;
  }

  private sortRowsIfNeeded(): void {
    let previous = -1;
    let sorted = true;
    for (const child of this.list.children) {
      const index = Number((child as HTMLElement).dataset.case);
      if (index < previous) {
        sorted = false;
        break;
      }
      previous = index;
    }
    if (sorted) return;
    const ordered = [...this.rows.values()].sort((a, b) => a.caseIndex - b.caseIndex).map((r) => r.root);
    this.list.replaceChildren(...ordered);
  }

  private persist(): void {
    if (!this.promptFile) return;
    this.saveState(this.runId ? { promptFile: this.promptFile, runId: this.runId } : { promptFile: this.promptFile });
  }
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
