/// <reference lib="dom" />
// The run panel's results grid in a real browser (Chromium through playwright-core, the built
// dist/webview/run.main.js with the panel's CSS, a fake acquireVsCodeApi): sort by a column
// header, text search, keyboard navigation between failures, a row's rendered messages and the
// judge's reply, and untrusted output (script tags, event handlers, javascript: links, remote
// images) staying inert as plain text and in the Markdown view.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { CaseResultView, RunHostMessage } from '../../../src/protocol/run';
import { type OpenedPage, type WebviewPages, webviewPages } from '../support/webviewPage';

let pages: WebviewPages;

const HOSTILE = [
  '# Title',
  '',
  '**bold** <script>window.__pwned = 1</script> <img src=x onerror="window.__pwned = 2">',
  '',
  '[click](javascript:window.__pwned=3) and ![remote](https://example.invalid/track.png)',
  '',
  '<a href="javascript:window.__pwned=4" onclick="window.__pwned=5">raw link</a>',
].join('\n');

function result(
  caseIndex: number,
  passed: boolean,
  latencyMs: number,
  output: string,
  judgeReason?: string,
): CaseResultView {
  return {
    caseIndex,
    caseKey: `k${caseIndex}`,
    vars: { city: `City ${caseIndex}` },
    messages: [
      { role: 'system', content: 'You answer with one word.' },
      { role: 'user', content: `Capital of City ${caseIndex}?` },
    ],
    samples: [
      {
        sample: 0,
        output,
        evaluations: [
          { evaluatorName: 'exact', score: passed ? 1 : 0, passed, details: passed ? 'matched' : 'did not match' },
          {
            evaluatorName: 'judge',
            score: passed ? 1 : 0,
            passed,
            details: `Judge score ${passed ? 1 : 0}`,
            judge: {
              model: 'openai/judge',
              reply: `{"score": ${passed ? 1 : 0}, "reason": "${judgeReason ?? 'fine'}"}`,
              ...(judgeReason ? { reason: judgeReason } : {}),
            },
          },
        ],
        passed,
        usage: { prompt: 10, completion: 5, total: 15 },
        latencyMs,
        costUsd: 0.0001,
        cached: false,
      },
    ],
    passRate: passed ? 1 : 0,
    passed,
  };
}

const results = [
  result(0, true, 300, HOSTILE),
  result(1, false, 100, 'Wrong answer', 'The reply names the wrong city.'),
  result(2, true, 200, 'Right'),
  result(3, false, 50, 'Also wrong', 'Off topic.'),
];
const summary = {
  totalTests: 4,
  passedTests: 2,
  failedTests: 2,
  erroredTests: 0,
  passRate: 50,
  meanScore: 0.5,
  tokens: { prompt: 40, completion: 20, total: 60 },
  costUsd: 0.0004,
  durationMs: 700,
  meanLatencyMs: 162.5,
  latency: { p50: 100, p90: 300, max: 300, bins: [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1] },
  cachedSamples: 0,
};
const header = {
  runId: 'r1',
  promptFile: '/w/capitals.prompt.yml',
  promptName: 'Capitals',
  model: 'openai/m',
  endpointOrigin: 'http://127.0.0.1:1',
  provider: 'custom',
  repeat: 1,
  caseCount: 4,
  startedAt: new Date(0).toISOString(),
};
const messages: RunHostMessage[] = [
  {
    type: 'init',
    promptFile: header.promptFile,
    promptName: 'Capitals',
    cases: results.map((r) => ({ caseIndex: r.caseIndex, vars: r.vars })),
    trusted: true,
  },
  { type: 'run-loaded', header, results, summary, warnings: [] },
];

before(async () => {
  pages = await webviewPages('dist/webview/run.main.js', ['media/run.css', 'media/grading.css']);
});
after(async () => {
  await pages?.close();
});

async function openPanel(): Promise<OpenedPage> {
  const opened = await pages.open();
  for (const m of messages) await opened.page.evaluate((message) => window.postMessage(message, '*'), m);
  await opened.page.locator('.grid-row[data-case="3"]').waitFor();
  return opened;
}

/** The rendered rows top to bottom, after the grid's next paint (it paints on animation frames). */
const shownOrder = (page: Page): Promise<number[]> =>
  page.evaluate(async () => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return [...document.querySelectorAll<HTMLElement>('.grid-row:not([hidden])')]
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((r) => Number(r.dataset.case));
  });

void describe('run panel results grid (Chromium)', () => {
  void it('sorts by a clicked column, both ways, and says so in aria-sort', async () => {
    const { page } = await openPanel();
    assert.deepEqual(await shownOrder(page), [0, 1, 2, 3]);
    await page.locator('.head-cell button[data-sort="latency"]').click();
    await page.waitForFunction(() => document.querySelector('.head-cell[aria-sort="ascending"] [data-sort="latency"]'));
    assert.deepEqual(await shownOrder(page), [3, 1, 2, 0]);
    await page.locator('.head-cell button[data-sort="latency"]').click();
    await page.waitForFunction(() =>
      document.querySelector('.head-cell[aria-sort="descending"] [data-sort="latency"]'),
    );
    assert.deepEqual(await shownOrder(page), [0, 2, 1, 3]);
    await page.locator('.head-cell button[data-sort="eval:judge"]').click();
    await page.waitForFunction(() =>
      document.querySelector('.head-cell[aria-sort="ascending"] [data-sort="eval:judge"]'),
    );
    assert.deepEqual(await shownOrder(page), [1, 3, 0, 2]);
    await page.close();
  });

  void it('a start that arrives after its case finished leaves the row finished (a replay raced a batch)', async () => {
    const { page } = await openPanel();
    try {
      const post = (m: RunHostMessage): Promise<void> =>
        page.evaluate((message) => window.postMessage(message, '*'), m);
      await post({ type: 'run-started', header, caseIndexes: [2] });
      await post({ type: 'progress', started: [], deltas: [], finished: [results[2]!], summary });
      await post({ type: 'progress', started: [{ caseIndex: 2, sample: 0 }], deltas: [], finished: [], summary });
      const icon = page.locator('.grid-row[data-case="2"] .codicon').first();
      await page.waitForFunction(() => document.querySelector('.grid-row[data-case="2"] .codicon') !== null);
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      assert.equal(await icon.getAttribute('aria-label'), 'passed');
    } finally {
      await page.close();
    }
  });

  void it('searches and filters', async () => {
    const { page } = await openPanel();
    await page.locator('input.search').fill('city 2');
    await page.waitForFunction(() => document.querySelectorAll('.grid-row:not([hidden])').length === 1);
    assert.deepEqual(await shownOrder(page), [2]);
    assert.equal(await page.locator('.shown-text').textContent(), '1 of 4 cases shown');
    await page.locator('input.search').fill('');
    await page.locator('button.segment', { hasText: 'Failed' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.grid-row:not([hidden])').length === 2);
    assert.deepEqual(await shownOrder(page), [1, 3]);
    await page.close();
  });

  void it('keyboard: N / Shift+N jump between failures, arrows move, Enter expands the messages and the judge', async () => {
    const { page } = await openPanel();
    await page.locator('.grid').focus();
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.querySelector('.grid-row.focused')?.getAttribute('data-case') === '1');
    await page.keyboard.press('n');
    await page.waitForFunction(() => document.querySelector('.grid-row.focused')?.getAttribute('data-case') === '3');
    await page.keyboard.press('Shift+N');
    await page.waitForFunction(() => document.querySelector('.grid-row.focused')?.getAttribute('data-case') === '1');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('.grid-row.focused')?.getAttribute('data-case') === '2');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const detail = page.locator('.detail');
    await detail.waitFor();
    // The row's aria-expanded is painted on the next animation frame, after the details exist.
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="1"]')?.getAttribute('aria-expanded') === 'true',
      undefined,
      { timeout: 5000 },
    );
    assert.deepEqual(await detail.locator('.message-content').allTextContents(), [
      'You answer with one word.',
      'Capital of City 1?',
    ]);
    assert.equal(await detail.locator('.judge-reason span').textContent(), 'The reply names the wrong city.');
    assert.match(
      (await detail.locator('.judge-reply').textContent()) ?? '',
      /"reason": "The reply names the wrong city\."/,
    );
    assert.match((await detail.locator('.judge-model').textContent()) ?? '', /openai\/judge/);
    // The expanded details push the next row down instead of covering it (once measured, next frame).
    await page.waitForFunction(
      () => {
        const box = document.querySelector('.detail')?.getBoundingClientRect();
        const next = document.querySelector('.grid-row[data-case="2"]')?.getBoundingClientRect();
        return box !== undefined && next !== undefined && box.height > 50 && next.top >= box.bottom - 1;
      },
      undefined,
      { timeout: 5000 },
    );
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('.detail'));
    await page.close();
  });

  void it('untrusted output stays inert as text and in the Markdown view', async () => {
    const { page, dialogs, requests } = await openPanel();
    await page.locator('.grid-row[data-case="0"]').click();
    const reply = page.locator('.detail .reply');
    await reply.waitFor();
    assert.equal(await reply.textContent(), HOSTILE);
    await page.locator('button[data-action="toggle-markdown"]').click();
    await page.locator('.detail .markdown').waitFor();
    const md = await page.evaluate(() => {
      const view = document.querySelector('.detail .markdown');
      return {
        h1: view?.querySelector('h1')?.textContent,
        strong: view?.querySelector('strong')?.textContent,
        text: view?.textContent ?? '',
        elements: [...(view?.querySelectorAll('*') ?? [])].map((e) => e.tagName.toLowerCase()),
        attributes: [...(view?.querySelectorAll('*') ?? [])].flatMap((e) => [...e.attributes].map((a) => a.name)),
        images: document.querySelectorAll('img').length,
        anchors: document.querySelectorAll('a').length,
        scripts: document.querySelectorAll('#app script').length,
        pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
      };
    });
    assert.equal(md.h1, 'Title');
    assert.equal(md.strong, 'bold');
    assert.ok(md.text.includes('<script>window.__pwned = 1</script>'), 'raw HTML is shown as text');
    assert.ok(md.text.includes('(javascript:window.__pwned=3)'), "a link's target is shown, not followable");
    assert.ok(md.text.includes('[image: remote]'), 'an image is shown as its description');
    assert.deepEqual(
      [...new Set(md.elements)].filter((t) => !['h1', 'p', 'strong', 'span'].includes(t)),
      [],
    );
    assert.deepEqual([...new Set(md.attributes)].sort(), ['class', 'title']);
    assert.equal(md.images, 0);
    assert.equal(md.anchors, 0);
    assert.equal(md.scripts, 0);
    await page.waitForTimeout(100);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null), null);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(requests, [], 'nothing was fetched from outside');
    await page.close();
  });

  void it('the totals bar shows the pass rate, cost and the latency distribution', async () => {
    const { page } = await openPanel();
    const stats = await page.locator('.stats').textContent();
    assert.match(stats ?? '', /50%Pass rate/);
    assert.match(stats ?? '', /\$0\.00040Cost/);
    assert.match(stats ?? '', /Latency p50 · p90 300 ms · max 300 ms/);
    assert.equal(await page.locator('.histogram .bar').count(), 12);
    await page.close();
  });

  void it('grades on the grid: the Grade column, keys on the selected row, the details and the poor-judge mark', async () => {
    const { page } = await openPanel();
    const posted = (): Promise<Array<Record<string, unknown>>> =>
      page.evaluate(() =>
        (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted.filter((m) => m.type === 'grade'),
      );
    const trust = [{ name: 'judge', n: 12, kappa: 0.1, agreement: 0.5, poor: true, summary: 'κ 0.10 on 12 grades' }];
    await page.evaluate((message) => window.postMessage(message, '*'), {
      type: 'grades',
      grades: [{ caseIndex: 1, sample: 0, verdict: 'pass', score: 4, at: new Date(0).toISOString() }],
      trust,
      appliedSeq: 0,
    });
    const cell = (caseIndex: number) => page.locator(`.grid-row[data-case="${caseIndex}"] .grade-cell`);
    await page.waitForFunction(() => document.querySelector('.grid-row[data-case="1"] .grade-cell.graded') !== null);
    assert.equal(await cell(1).getAttribute('data-verdict'), 'pass');
    assert.equal(await cell(1).getAttribute('data-score'), '4');
    assert.equal(await cell(1).textContent(), 'pass · 4/5');
    assert.equal(await cell(0).getAttribute('data-verdict'), null);
    // The judge agrees poorly with the grades: its column head says so; the exact matcher's does not.
    assert.match(
      (await page.locator('.head-cell.poor-agreement .trust-mark').getAttribute('aria-label')) ?? '',
      /Poor agreement with your grades: κ 0\.10/,
    );
    assert.equal(await page.locator('.head-cell.poor-agreement').count(), 1);
    assert.match(
      (await page.locator('.grading-hint').textContent()) ?? '',
      /j \/ k .* p pass · f fail · 1–5 score · e note/,
    );

    // j selects the first output's row; f grades it (shown at once, sent to the host).
    await page.locator('h1.title').click();
    await page.keyboard.press('j');
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="0"]')?.getAttribute('aria-selected') === 'true',
    );
    await page.keyboard.press('f');
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="0"] .grade-cell')?.getAttribute('data-verdict') === 'fail',
    );
    assert.deepEqual(await posted(), [
      { type: 'grade', caseIndex: 0, sample: 0, verdict: 'fail', score: null, note: '', seq: 1 },
    ]);

    // Enter expands the selected row: its details carry the grade bar and mark the selected reply.
    await page.keyboard.press('Enter');
    await page.locator('.detail .grade-bar[data-case="0"]').waitFor();
    assert.equal(
      await page
        .locator('.detail .grade-bar[data-case="0"] button[data-grade-action="fail"]')
        .getAttribute('aria-pressed'),
      'true',
    );
    assert.equal(await page.locator('.detail .sample.grading-selected[data-case="0"]').count(), 1);
    assert.equal(
      await page.locator('.detail .evaluator-name.poor-agreement[data-evaluator="judge"] .trust-mark').count(),
      1,
    );
    await page.keyboard.press('Escape');

    // n stays the grid's next failure (case 2); the grade keys follow the grid's selection there.
    await page.keyboard.press('n');
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="1"]')?.getAttribute('aria-selected') === 'true',
    );
    assert.equal(await page.locator('.grade-note-input').count(), 0, 'n opened no note');
    await page.keyboard.press('3');
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="1"] .grade-cell')?.getAttribute('data-score') === '3',
    );
    assert.deepEqual((await posted())[1], {
      type: 'grade',
      caseIndex: 1,
      sample: 0,
      verdict: 'pass',
      score: 3,
      note: '',
      seq: 2,
    });
    // An answer read before the host saved the second grade keeps it on screen; the saved first one is the host's.
    await page.evaluate((message) => window.postMessage(message, '*'), {
      type: 'grades',
      grades: [
        { caseIndex: 0, sample: 0, verdict: 'fail', at: new Date(0).toISOString() },
        { caseIndex: 1, sample: 0, verdict: 'pass', score: 4, at: new Date(0).toISOString() },
        { caseIndex: 2, sample: 0, score: 2, at: new Date(0).toISOString() },
      ],
      trust,
      appliedSeq: 1,
    });
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="2"] .grade-cell')?.getAttribute('data-score') === '2',
    );
    assert.equal(await cell(1).getAttribute('data-score'), '3', 'the unsaved grade of case 2 stays as given');
    assert.equal(await cell(0).getAttribute('data-verdict'), 'fail');

    // The Agreement view's "show disagreements" expands the case and selects its output.
    await page.evaluate((message) => window.postMessage(message, '*'), { type: 'focus-case', caseIndex: 3, sample: 0 });
    await page.locator('.detail .sample.grading-selected[data-case="3"]').waitFor();
    // The row's aria-expanded is set when the grid paints (next animation frame), not with the details.
    await page.waitForFunction(
      () => document.querySelector('.grid-row[data-case="3"]')?.getAttribute('aria-expanded') === 'true',
      undefined,
      { timeout: 5_000 },
    );
    await page.close();
  });
});
