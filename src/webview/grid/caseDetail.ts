// A grid row's expanded details: the rendered messages actually sent, each sample's full reply
// (plain text, or inert Markdown on request), every evaluator's verdict with the judge's own reply
// and reason, and the sample's tokens, latency and cost. All untrusted text is set as text.

import type { CaseResultView, EvaluationView, SampleView, SentMessageView } from '../../protocol/run';
import { el, icon } from '../common/dom';
import { formatCost, formatMs, formatScore, formatValue } from '../common/format';
import { renderMarkdownInert } from './markdown';

export interface DetailActions {
  canRerun: boolean;
  markdown: boolean;
}

export function actionButton(
  iconName: string,
  label: string,
  action: string,
  caseIndex: number,
  text?: string,
  sample?: number,
): HTMLButtonElement {
  const attrs: Record<string, string> = {
    type: 'button',
    'aria-label': label,
    'data-action': action,
    'data-case': String(caseIndex),
  };
  if (sample !== undefined) attrs['data-sample'] = String(sample);
  return el('button', { className: text ? 'link-button' : 'icon-button', title: label, attrs }, [
    icon(iconName),
    text ? el('span', { text }) : undefined,
  ]);
}

export function caseDetail(
  caseIndex: number,
  vars: Record<string, unknown>,
  result: CaseResultView | undefined,
  streamed: ReadonlyMap<number, string>,
  options: DetailActions,
): HTMLElement {
  const rerun = actionButton('debug-rerun', `Re-run case ${caseIndex + 1}`, 'rerun-case', caseIndex, 'Re-run');
  rerun.disabled = !options.canRerun;
  const toggle = actionButton(
    'markdown',
    'Show replies as rendered Markdown (links and images stay inert)',
    'toggle-markdown',
    caseIndex,
    options.markdown ? 'Plain text' : 'Markdown',
  );
  toggle.setAttribute('aria-pressed', String(options.markdown));
  const root = el(
    'div',
    { className: 'detail', attrs: { role: 'region', 'aria-label': `Details of case ${caseIndex + 1}` } },
    [
      el('div', { className: 'detail-actions' }, [
        rerun,
        actionButton(
          'go-to-file',
          `Show case ${caseIndex + 1} in the prompt file`,
          'reveal-case',
          caseIndex,
          'Show in file',
        ),
        toggle,
      ]),
    ],
  );
  const varEntries = Object.entries(vars);
  if (varEntries.length > 0)
    root.append(
      section('Variables', [
        el(
          'dl',
          { className: 'vars-list' },
          varEntries.flatMap(([name, value]) => [
            el('dt', { text: name }),
            el('dd', {}, [el('pre', { className: 'value', text: formatValue(value) })]),
          ]),
        ),
      ]),
    );
  if (result?.messages) root.append(section('Messages sent', result.messages.map(messageBlock)));
  if (result) {
    const multi = result.samples.length > 1;
    for (const sample of result.samples) root.append(sampleSection(caseIndex, sample, multi, options.markdown));
    if (result.error !== undefined && result.samples.length === 0)
      root.append(el('div', { className: 'error-text', text: result.error }));
  } else {
    for (const [sample, text] of streamed)
      root.append(
        section(streamed.size > 1 ? `Reply, sample ${sample + 1} (streaming)` : 'Reply (streaming)', [
          el('pre', { className: 'output streaming', text, attrs: { 'data-sample': String(sample) } }),
        ]),
      );
    if (streamed.size === 0) root.append(el('div', { className: 'muted', text: 'Not run yet.' }));
  }
  return root;
}

function section(title: string, children: HTMLElement[]): HTMLElement {
  return el('section', { className: 'detail-section' }, [el('h3', { text: title }), ...children]);
}

function messageBlock(message: SentMessageView): HTMLElement {
  return el(
    'div',
    {
      className: `message role-${message.role === 'system' ? 'system' : message.role === 'assistant' ? 'assistant' : 'user'}`,
    },
    [
      el('div', { className: 'message-role', text: message.role }),
      el('pre', { className: 'message-content', text: message.content }),
    ],
  );
}

function sampleSection(caseIndex: number, sample: SampleView, multi: boolean, markdown: boolean): HTMLElement {
  const title = multi ? `Sample ${sample.sample + 1} — ${sample.passed ? 'passed' : 'failed'}` : 'Reply';
  const reply = markdown ? renderMarkdownInert(sample.output) : el('pre', { className: 'output', text: sample.output });
  reply.classList.add('reply');
  const figures = [
    sample.latencyIsLookup
      ? `cache lookup ${formatMs(sample.latencyMs)} (the request's latency was not recorded)`
      : `latency ${formatMs(sample.latencyMs)}`,
  ];
  if (sample.ttftMs !== undefined) figures.push(`first token ${formatMs(sample.ttftMs)}`);
  if (sample.usage) figures.push(`${sample.usage.prompt} prompt + ${sample.usage.completion} completion tokens`);
  figures.push(
    sample.cached
      ? `cost ${formatCost(sample.costUsd)} when first paid — cached, $0 now`
      : `cost ${formatCost(sample.costUsd)}`,
  );
  const children: HTMLElement[] = [
    el('div', { className: 'sample-figures' }, [
      el('span', { text: figures.join(' · ') }),
      actionButton(
        'link-external',
        `Open the reply of case ${caseIndex + 1}${multi ? ` sample ${sample.sample + 1}` : ''} in an editor tab`,
        'open-output',
        caseIndex,
        undefined,
        sample.sample,
      ),
    ]),
    reply,
  ];
  if (sample.finishReason === 'length')
    children.push(el('div', { className: 'warning-text', text: 'The reply was cut off by maxTokens.' }));
  if (sample.error !== undefined)
    children.push(
      el('div', { className: 'error-text', attrs: { role: 'note' } }, [
        icon('warning'),
        el('span', { text: sample.error }),
      ]),
    );
  if (sample.evaluations.length > 0) children.push(verdicts(sample.evaluations));
  const attrs: Record<string, string> = {
    'data-case': String(caseIndex),
    'data-sample': String(sample.sample),
    tabindex: '-1',
  };
  if (sample.error !== undefined) attrs['data-error'] = '';
  return el('section', { className: 'detail-section sample', attrs }, [el('h3', { text: title }), ...children]);
}

function verdicts(evaluations: EvaluationView[]): HTMLElement {
  return el(
    'ul',
    { className: 'evaluations', attrs: { 'aria-label': 'Evaluator verdicts' } },
    evaluations.map((e) => {
      const verdict = e.error ? 'evaluator error' : e.passed ? 'passed' : 'failed';
      const item = el('li', { className: `evaluation ${e.error ? 'errored' : e.passed ? 'passed' : 'failed'}` }, [
        el('div', { className: 'evaluation-head' }, [
          el('span', {
            className: `codicon codicon-${e.error ? 'warning' : e.passed ? 'pass' : 'error'}`,
            attrs: { role: 'img', 'aria-label': verdict },
          }),
          el('span', {
            className: 'evaluator-name',
            text: e.evaluatorName,
            attrs: { 'data-evaluator': e.evaluatorName },
          }),
          el('span', { className: 'score', text: `score ${formatScore(e.score)}`, title: 'Score (0–1)' }),
          e.details ? el('span', { className: 'details', text: e.details }) : undefined,
        ]),
      ]);
      if (e.judge) {
        const judge = el('div', { className: 'judge' }, [
          el('div', { className: 'judge-model', text: `Judge ${e.judge.model} replied:` }),
        ]);
        if (e.judge.reason)
          judge.append(
            el('div', { className: 'judge-reason' }, [
              el('strong', { text: 'Reason: ' }),
              el('span', { text: e.judge.reason }),
            ]),
          );
        judge.append(el('pre', { className: 'judge-reply', text: e.judge.reply }));
        item.append(judge);
      }
      return item;
    }),
  );
}
