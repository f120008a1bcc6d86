/// <reference lib="dom" />
// Grading in the compare view in a real browser (Chromium through playwright-core, the built
// dist/webview/compare.main.js with the panel's CSS, a fake acquireVsCodeApi): the host's grades
// shown on either side of a pair and in any matrix column, the run panel's keys grading the selected
// output (the messages the host receives), the "Graded by you" filter in pairs and matrices, edits
// kept on screen until the host has saved them, and untrusted output staying inert text.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { compareRuns } from '../../../src/core/compare/compare';
import { buildMatrix, qualityPoints } from '../../../src/core/compare/matrix';
import type { CompareHostMessage } from '../../../src/protocol/compare';
import { GRADING_HINT } from '../../../src/webview/gradeControls';
import { kase, run } from '../support/runBuilders';
import { type WebviewPages, webviewPages } from '../support/webviewPage';

const HOSTILE = '<img src=x onerror="window.__pwned = 1"><script>window.__pwned = 2</script>';

// Row order: the regression (k1: pass → fail) first, then the improvement (k2).
const a = run('A', [kase(0, 'k1', [true], 'the cat'), kase(1, 'k2', [false], HOSTILE)]);
const b = run('B', [kase(0, 'k1', [false], 'the dog'), kase(1, 'k2', [true], 'fixed')], { model: 'm2' });
const c = run('C', [kase(0, 'k1', [true], 'a cat'), kase(1, 'k2', [true], 'fine')], { model: 'm3' });
const comparison = compareRuns(a, b);
const pairShow: CompareHostMessage = {
  type: 'show',
  content: {
    kind: 'pair',
    title: 'Compare A ↔ B',
    runFiles: ['/a.jsonl', '/b.jsonl'],
    rowCount: comparison.rows.length,
    comparison,
    points: qualityPoints([comparison.a, comparison.b]),
  },
};
const matrix = buildMatrix([a, b, c]);
const matrixShow: CompareHostMessage = {
  type: 'show',
  content: {
    kind: 'matrix',
    title: 'Compare 3 runs',
    runFiles: ['/a.jsonl', '/b.jsonl', '/c.jsonl'],
    rowCount: matrix.rows.length,
    matrix,
    points: qualityPoints(matrix.columns.map((col) => col.summary)),
  },
};

let pages: WebviewPages | undefined;
before(async () => {
  pages = await webviewPages('dist/webview/compare.main.js', ['media/compare.css', 'media/grading.css']);
});
after(async () => {
  await pages?.close();
});

async function open(show: CompareHostMessage, state?: unknown): Promise<Page> {
  const { page } = await pages!.open({ width: 1200, height: 900 }, state);
  await send(page, show);
  await page.locator('h1').first().waitFor();
  return page;
}

const send = (page: Page, message: unknown): Promise<void> => page.evaluate((m) => window.postMessage(m, '*'), message);

const gradesPosted = (page: Page): Promise<Array<Record<string, unknown>>> =>
  page.evaluate(() =>
    (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted.filter((m) => m.type === 'grade'),
  );

const side = (page: Page, column: number, caseIndex: number) =>
  page.locator(`.gradable[data-grade-column="${column}"][data-grade-case="${caseIndex}"]`);

const pressed = async (page: Page, column: number, caseIndex: number): Promise<string[]> => {
  const buttons = side(page, column, caseIndex).locator('.grade-bar button[aria-pressed="true"]');
  return buttons.evaluateAll((list) => list.map((b) => (b as HTMLElement).dataset.gradeAction ?? ''));
};

void describe('compare view grading (Chromium)', () => {
  void it('shows the host grades on either side and grades the selected output with the run panel keys', async () => {
    const page = await open(pairShow);
    assert.equal(await page.locator('.grading-hint .grading-keys').textContent(), GRADING_HINT);
    await send(page, {
      type: 'grades',
      columns: [
        [{ caseIndex: 1, shown: { verdict: 'fail', score: 2, note: 'made up', by: 'Ada' }, gradedSamples: 1 }],
        [],
      ],
      appliedSeq: 0,
    });
    await side(page, 0, 1).locator('.grade-chip').waitFor();
    assert.equal(await side(page, 0, 1).locator('.grade-chip').textContent(), 'you: fail · 2/5');
    assert.match((await side(page, 0, 1).locator('.grade-chip').getAttribute('title')) ?? '', /made up/);
    assert.deepEqual(await pressed(page, 0, 1), ['fail', 'score-2']);
    assert.equal(await side(page, 1, 1).locator('.grade-chip').count(), 0, 'B of the same case is not graded');
    assert.equal(await page.locator('button.segment', { hasText: 'Graded by you (1)' }).count(), 1);

    // j selects the first output (A of the regression row), then B of it; p / f / 1–5 grade the selected one.
    await page.locator('h1').first().click();
    await page.keyboard.press('j');
    await page.waitForFunction(() =>
      document.querySelector('.gradable.grading-selected[data-grade-column="0"][data-grade-case="0"]'),
    );
    await page.keyboard.press('p');
    await page.keyboard.press('j');
    await page.keyboard.press('f');
    await page.keyboard.press('4');
    assert.deepEqual(await gradesPosted(page), [
      { type: 'grade', column: 0, caseIndex: 0, verdict: 'pass', score: null, note: '', seq: 1 },
      { type: 'grade', column: 1, caseIndex: 0, verdict: 'fail', score: null, note: '', seq: 2 },
      { type: 'grade', column: 1, caseIndex: 0, verdict: 'fail', score: 4, note: '', seq: 3 },
    ]);
    // Shown at once, before the host answers.
    assert.deepEqual(await pressed(page, 0, 0), ['pass']);
    assert.deepEqual(await pressed(page, 1, 0), ['fail', 'score-4']);
    assert.equal(await side(page, 1, 0).locator('.grade-chip').textContent(), 'you: fail · 4/5');
    assert.match((await page.locator('.grading-status').textContent()) ?? '', /case 1 · B: score 4/);
    assert.equal(await page.locator('button.segment', { hasText: 'Graded by you (2)' }).count(), 1);

    // An answer read before the last edits were saved does not undo them on screen.
    await send(page, {
      type: 'grades',
      columns: [[{ caseIndex: 0, shown: { verdict: 'pass' }, gradedSamples: 1 }], []],
      appliedSeq: 1,
    });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(r)));
    assert.deepEqual(await pressed(page, 1, 0), ['fail', 'score-4']);
    assert.equal(await side(page, 0, 1).locator('.grade-chip').count(), 0, 'the host no longer has case 2 graded');

    // e opens a note (Enter saves it); x removes the grade; p again takes a verdict back.
    await page.keyboard.press('e');
    await side(page, 1, 0).locator('.grade-note-input').fill('wrong animal');
    await page.keyboard.press('Enter');
    await page.keyboard.press('k');
    await page.keyboard.press('p');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    assert.deepEqual((await gradesPosted(page)).slice(3), [
      { type: 'grade', column: 1, caseIndex: 0, verdict: 'fail', score: 4, note: 'wrong animal', seq: 4 },
      { type: 'grade', column: 0, caseIndex: 0, verdict: null, score: null, note: '', seq: 5 },
      { type: 'grade', column: 1, caseIndex: 0, verdict: null, score: null, note: '', seq: 6 },
    ]);
    assert.equal(await page.locator('.grade-chip').count(), 0);

    // The mouse: the buttons of a side's grade bar do the same.
    await side(page, 1, 1).locator('button[data-grade-action="score-5"]').click();
    assert.deepEqual((await gradesPosted(page)).at(-1), {
      type: 'grade',
      column: 1,
      caseIndex: 1,
      verdict: null,
      score: 5,
      note: '',
      seq: 7,
    });

    // Untrusted output is text: nothing in it ran.
    assert.equal(await side(page, 0, 1).locator('.output').textContent(), HOSTILE);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.close();
  });

  void it('restricts a pair to graded cases, also from a saved filter before the grades arrive', async () => {
    const page = await open(pairShow, { filter: 'graded', expanded: [] });
    await send(page, {
      type: 'grades',
      columns: [[], [{ caseIndex: 1, shown: { verdict: 'pass' }, gradedSamples: 1 }]],
      appliedSeq: 0,
    });
    await page.waitForFunction(() => document.querySelectorAll('ol.rows li.row').length === 1);
    assert.equal(await page.locator('ol.rows li.row').getAttribute('data-case-key'), 'k2');
    await page.locator('button.segment', { hasText: 'All' }).click();
    await page.waitForFunction(() => document.querySelectorAll('ol.rows li.row').length === 2);
    await page.close();
  });

  void it('in a matrix: grades in any column, a grade bar in the selected cell, j / k through the cells, the graded filter', async () => {
    const page = await open(matrixShow);
    // Repeats: the first sample's grade is shown, and the other graded samples are counted.
    await send(page, {
      type: 'grades',
      columns: [[], [], [{ caseIndex: 1, shown: { verdict: 'pass', score: 5 }, gradedSamples: 2 }]],
      appliedSeq: 0,
    });
    await side(page, 2, 1).locator('.grade-chip').waitFor();
    assert.equal(await side(page, 2, 1).locator('.grade-chip').textContent(), 'you: pass · 5/5 · +1 sample');
    assert.equal(await page.locator('table.matrix .grade-bar').count(), 0, 'no bar before a cell is selected');
    assert.equal(await page.locator('button.segment', { hasText: 'Graded by you (1)' }).count(), 1);

    // Rows: k1 (the runs disagree) first, then k2; cells left to right.
    await page.locator('h1').first().click();
    for (const key of ['j', 'j', 'j']) await page.keyboard.press(key);
    await page.waitForFunction(() =>
      document.querySelector('td.gradable.grading-selected[data-grade-column="2"][data-grade-case="0"]'),
    );
    assert.equal(await page.locator('table.matrix .grade-bar').count(), 1);
    assert.equal(await side(page, 2, 0).locator('.grade-bar').count(), 1);
    await page.keyboard.press('f');
    await page.keyboard.press('j');
    await page.keyboard.press('p');
    assert.deepEqual(await gradesPosted(page), [
      { type: 'grade', column: 2, caseIndex: 0, verdict: 'fail', score: null, note: '', seq: 1 },
      { type: 'grade', column: 0, caseIndex: 1, verdict: 'pass', score: null, note: '', seq: 2 },
    ]);
    assert.equal(await side(page, 2, 0).locator('.grade-chip').textContent(), 'you: fail');
    assert.equal(await side(page, 2, 0).locator('.grade-bar').count(), 0, 'the bar moved with the selection');
    assert.match((await page.locator('.grading-status').textContent()) ?? '', /case 2 · 1\. openai\/gpt-4o: pass/);

    // A click selects a cell too.
    await side(page, 1, 1).click();
    await side(page, 1, 1).locator('.grade-bar').waitFor();

    await page.locator('button.segment', { hasText: 'Graded by you (2)' }).click();
    await page.waitForFunction(() => document.querySelectorAll('table.matrix tbody tr[data-case-key]').length === 2);
    await send(page, {
      type: 'grades',
      columns: [[], [], [{ caseIndex: 1, shown: { verdict: 'pass' }, gradedSamples: 1 }]],
      appliedSeq: 2,
    });
    await page.locator('button.segment', { hasText: 'Graded by you (1)' }).waitFor();
    await page.close();
  });

  void it('ignores a grades message that fails validation', async () => {
    const page = await open(pairShow);
    await send(page, {
      type: 'grades',
      columns: [[{ caseIndex: 0, shown: { verdict: 'pass', score: 7 }, gradedSamples: 1 }]],
      appliedSeq: 0,
    });
    await send(page, {
      type: 'grades',
      columns: [[{ caseIndex: 1, shown: { verdict: 'fail' }, gradedSamples: 1 }], []],
      appliedSeq: 0,
    });
    await side(page, 0, 1).locator('.grade-chip').waitFor();
    assert.equal(await side(page, 0, 0).locator('.grade-chip').count(), 0);
    await page.close();
  });
});
