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

type Filter = 'all' | 'failed' | 'errors';
type RowStatus = 'idle' | 'queued' | 'running' | 'passed' | 'failed';

const STATUS_ICONS: Record<RowStatus, [string, string]> = {
  idle: ['circle-large-outline', 'not run'],
  queued: ['clock', 'queued'],
  running: ['loading', 'running'],
  passed: ['pass', 'passed'],
  failed: ['error', 'failed'],
};

/** Longest variable value shown inline; the full text is in the row's tooltip and in exports. */
const MAX_VAR_CHARS = 400;

class CaseRow {
  readonly root: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusLabel: HTMLElement;
  private readonly vars: HTMLElement;
  private readonly metrics: HTMLElement;
  private readonly body: HTMLElement;
  private readonly streams = new Map<number, Text>();
  result: CaseResultView | undefined;

  constructor(readonly caseIndex: number, vars: Record<string, unknown>) {
    this.status = icon(STATUS_ICONS.idle[0]);
    this.statusLabel = el('span', { className: 'visually-hidden', text: STATUS_ICONS.idle[1] });
    this.vars = el('div', { className: 'vars' });
    this.metrics = el('div', { className: 'metrics' });
    this.body = el('div', { className: 'case-body' });
    const index = String(caseIndex);
    this.root = el('section', { className: 'case idle', attrs: { role: 'listitem', 'data-case': index, 'aria-label': `Case ${caseIndex + 1}` } }, [
      el('div', { className: 'case-head' }, [
        el('span', { className: 'status' }, [this.status, this.statusLabel]),
        el('span', { className: 'case-number', text: `#${caseIndex + 1}` }),
        this.vars,
        this.metrics,
        el('span', { className: 'case-actions' }, [
          actionButton('debug-rerun', `Re-run case ${caseIndex + 1}`, 'rerun-case', index),
          actionButton('go-to-file', `Show case ${caseIndex + 1} in the prompt file`, 'reveal-case', index),
        ]),
      ]),
      this.body,
    ]);
    this.setVars(vars);
  }

  setVars(vars: Record<string, unknown>): void {
    const entries = Object.entries(vars);
    this.vars.replaceChildren(
      ...entries.map(([name, value]) => {
        const text = formatValue(value);
        return el('span', { className: 'var' }, [
          el('span', { className: 'var-name', text: name }),
          el('span', { className: 'var-value', text: text.length > MAX_VAR_CHARS ? text.slice(0, MAX_VAR_CHARS) + '…' : text }),
        ]);
      }),
    );
    this.vars.title = entries.map(([name, value]) => `${name}: ${formatValue(value)}`).join('\n').slice(0, 4000);
  }

  get currentStatus(): RowStatus {
    return (['queued', 'running', 'passed', 'failed'] as const).find((s) => this.root.classList.contains(s)) ?? 'idle';
  }

  private setStatus(status: RowStatus, errored = false): void {
    this.root.classList.remove('idle', 'queued', 'running', 'passed', 'failed', 'errored');
    this.root.classList.add(status);
    if (errored) this.root.classList.add('errored');
    const [iconName, label] = STATUS_ICONS[status];
    setIcon(this.status, iconName, status === 'running' ? 'codicon-modifier-spin' : '');
    this.statusLabel.textContent = errored ? 'error' : label;
  }

  queue(): void {
    this.result = undefined;
    this.streams.clear();
    this.body.replaceChildren();
    this.metrics.replaceChildren();
    this.setStatus('queued');
  }

  start(sample: number): void {
    this.setStatus('running');
    this.stream(sample);
  }

  append(sample: number, text: string): void {
    this.stream(sample).appendData(text);
  }

  private stream(sample: number): Text {
    let node = this.streams.get(sample);
    if (!node) {
      node = document.createTextNode('');
      this.streams.set(sample, node);
      this.body.append(el('div', { className: 'sample' }, [sampleLabel(sample), el('pre', { className: 'output streaming' }, [node])]));
    }
    return node;
  }

  /** Stops the live indicator of a case that never finished (the run was cancelled). */
  abandon(): void {
    if (this.result) return;
    this.setStatus('idle');
    this.statusLabel.textContent = 'cancelled';
    for (const pre of this.body.querySelectorAll('pre.streaming')) pre.classList.remove('streaming');
  }

  finish(result: CaseResultView, multiSample: boolean): void {
    this.result = result;
    this.streams.clear();
    const errored = result.error !== undefined || result.samples.some((s) => s.error !== undefined || s.evaluations.some((e) => e.error));
    this.setStatus(result.passed ? 'passed' : 'failed', errored);
    if (multiSample) this.statusLabel.textContent += `, ${formatPercent(Math.round(result.passRate * 1000) / 10)} of samples passed`;
    this.metrics.replaceChildren(...caseMetrics(result));
    this.body.replaceChildren(...result.samples.map((s) => sampleBlock(result.caseIndex, s, multiSample)));
    if (result.error !== undefined && result.samples.length === 0) this.body.append(el('div', { className: 'error-text', text: result.error }));
  }
}

function actionButton(iconName: string, label: string, action: RunViewMessage['type'], caseIndex: string, sample?: number): HTMLButtonElement {
  const attrs: Record<string, string> = { type: 'button', 'aria-label': label, 'data-action': action, 'data-case': caseIndex };
  if (sample !== undefined) attrs['data-sample'] = String(sample);
  return el('button', { className: 'icon-button', title: label, attrs }, [icon(iconName)]);
}

function sampleLabel(sample: number): HTMLElement | undefined {
  return sample > 0 ? el('div', { className: 'sample-label', text: `Sample ${sample + 1}` }) : undefined;
}

function caseMetrics(result: CaseResultView): HTMLElement[] {
  const samples = result.samples;
  const first = samples[0];
  if (!first) return [];
  const parts: HTMLElement[] = [];
  // One sample: its own figures. Several: the first sample's, labelled as such in the tooltip.
  const suffix = samples.length > 1 ? ' (sample 1)' : '';
  parts.push(metric('watch', formatMs(first.latencyMs), `Latency${suffix}` + (first.ttftMs !== undefined ? `, first token after ${formatMs(first.ttftMs)}` : '')));
  if (first.usage) parts.push(metric('symbol-number', formatTokens(first.usage.total), `Tokens${suffix}: ${first.usage.prompt} prompt + ${first.usage.completion} completion`));
  parts.push(metric('credit-card', formatCost(first.costUsd), first.costUsd === null ? 'Cost unknown: no price for this model' : `Cost${suffix}`));
  if (samples.some((s) => s.cached)) parts.push(el('span', { className: 'badge cached', text: 'cached', title: 'Served from the response cache' }));
  return parts;
}

function metric(iconName: string, text: string, label: string): HTMLElement {
  return el('span', { className: 'metric', title: label, attrs: { 'aria-label': `${label}: ${text}` } }, [icon(iconName), el('span', { text })]);
}

function sampleBlock(caseIndex: number, sample: SampleView, multiSample: boolean): HTMLElement {
  const output = el('pre', { className: 'output', text: sample.output });
  const head = el('div', { className: 'sample-head' }, [
    multiSample ? el('span', { className: 'sample-label', text: `Sample ${sample.sample + 1}${sample.passed ? '' : ' — failed'}` }) : undefined,
    actionButton('go-to-file', `Open the output of case ${caseIndex + 1}${multiSample ? ` sample ${sample.sample + 1}` : ''} in an editor`, 'open-output', String(caseIndex), sample.sample),
  ]);
  const block = el('div', { className: 'sample' }, [head, output]);
  if (sample.error !== undefined) block.append(el('div', { className: 'error-text', attrs: { role: 'note' } }, [icon('warning'), el('span', { text: sample.error })]));
  if (sample.evaluations.length > 0)
    block.append(
      el(
        'ul',
        { className: 'evaluations', attrs: { 'aria-label': 'Evaluator verdicts' } },
        sample.evaluations.map((e) =>
          el('li', { className: e.error ? 'evaluation errored' : e.passed ? 'evaluation passed' : 'evaluation failed' }, [
            icon(e.error ? 'warning' : e.passed ? 'pass' : 'error'),
            el('span', { className: 'visually-hidden', text: e.error ? 'evaluator error' : e.passed ? 'passed' : 'failed' }),
            el('span', { className: 'evaluator-name', text: e.evaluatorName }),
            el('span', { className: 'score', text: formatScore(e.score), title: 'Score (0–1)' }),
            e.details ? el('span', { className: 'details', text: e.details }) : undefined,
          ]),
        ),
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
    root.replaceChildren(
      el('header', { className: 'run-header' }, [
        el('div', { className: 'title-row' }, [this.title, this.subtitle]),
        this.stats,
        el('div', { className: 'progress-row' }, [this.progress, this.statusText]),
        el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Run actions' } }, [this.runButton, this.cancelButton, filters, exports]),
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
        const row = new CaseRow(info.caseIndex, info.vars);
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
        row = new CaseRow(index, {});
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
        row = new CaseRow(result.caseIndex, result.vars);
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
      stat('Cost', formatCost(summary.costUsd), undefined, summary.costUsd === null ? 'Unknown: no price for this model' : undefined),
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
    const canRun = this.trusted && !this.running && this.promptFile !== '';
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
