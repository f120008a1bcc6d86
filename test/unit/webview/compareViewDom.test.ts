/// <reference lib="dom" />
// The compare view in a real browser (Chromium through playwright-core, the built
// dist/webview/compare.main.js with its CSS, a fake acquireVsCodeApi), fed a comparison computed by
// core: hostile model output and a hostile prompt (script tags, event handlers, javascript: links,
// remote images) stay text in the rows, the word diffs and the prompt diff; the plain-language
// verdict and the prompt diff are shown.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareRuns, qualityPoints } from '../../../src/core/compare';
import { kase, run } from '../support/runBuilders';
import { type WebviewPages, webviewPages } from '../support/webviewPage';

let pages: WebviewPages;

const HOSTILE =
  '<script>window.__pwned = 1</script> <img src="https://example.invalid/t.png" onerror="window.__pwned = 2"> ' +
  '[click](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4" onclick="window.__pwned=5">raw</a>';

/** Three cases; B's replies are hostile and fail case 1, its system prompt carries markup too. */
function side(runId: string, model: string, hostileReply: boolean, systemText: string) {
  const cases = [0, 1, 2].map((i) => ({
    ...kase(i, `k${i}`, [hostileReply ? i !== 0 : true], hostileReply ? `${HOSTILE} #${i}` : `Hello Person ${i}`),
    vars: { name: i === 1 ? '<b onmouseover="window.__pwned=6">Ada</b>' : `Person ${i}` },
  }));
  return run(runId, cases, {
    model,
    messages: [
      { role: 'system', content: systemText },
      { role: 'user', content: 'Say hello to {{name}}' },
    ],
  });
}

before(async () => {
  pages = await webviewPages('dist/webview/compare.main.js', ['media/compare.css']);
});
after(async () => {
  await pages?.close();
});

void describe('compare view (Chromium)', () => {
  void it('hostile output and prompt text stay inert; the prompt diff and the plain-language verdict show', async () => {
    const a = side('A', 'openai/a', false, 'Be kind.');
    const b = side(
      'B',
      'openai/b',
      true,
      'Be kind. <img src=x onerror="window.__pwned=7"><script>window.__pwned=8</script>',
    );
    const comparison = compareRuns(a, b);
    const message = {
      type: 'show',
      content: {
        kind: 'pair',
        title: 'Compare: openai/a ↔ openai/b',
        runFiles: ['/w/a.jsonl', '/w/b.jsonl'],
        rowCount: comparison.rows.length,
        comparison,
        points: qualityPoints([comparison.a, comparison.b]),
      },
    };
    const { page, dialogs, requests } = await pages.open({ width: 1100, height: 800 });
    try {
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      await page.evaluate((m) => window.postMessage(m, '*'), message);
      await page.locator('ol.rows > li.row').first().waitFor();
      await page.locator('.verdict-headline').waitFor();
      const seen = await page.evaluate(() => {
        const app = document.getElementById('app');
        return {
          text: app?.textContent ?? '',
          promptChange: document.querySelector('.prompt-change')?.textContent ?? '',
          headline: document.querySelector('.verdict-headline')?.textContent ?? '',
          images: document.querySelectorAll('img').length,
          anchors: app?.querySelectorAll('a').length ?? -1,
          bold: app?.querySelectorAll('b').length ?? -1,
          scripts: app?.querySelectorAll('script').length ?? -1,
          handlers: [...(app?.querySelectorAll('*') ?? [])].filter((e) =>
            [...e.attributes].some((attr) => attr.name.startsWith('on') || attr.name === 'href' || attr.name === 'src'),
          ).length,
        };
      });
      assert.ok(seen.text.includes('<script>window.__pwned = 1</script>'), 'the reply’s markup is shown as text');
      assert.ok(seen.text.includes('[click](javascript:window.__pwned=3)'), 'a javascript: link is text');
      assert.ok(seen.text.includes('<b onmouseover="window.__pwned=6">Ada</b>'), 'a variable’s markup is text');
      assert.match(seen.promptChange, /openai\/a[\s\S]*openai\/b/, 'the prompt diff names the model change');
      assert.ok(
        seen.promptChange.includes('<script>window.__pwned=8</script>'),
        'the prompt diff shows markup as text',
      );
      assert.match(seen.headline, /^B is worse on 1 of 3 cases/);
      assert.deepEqual(
        { images: seen.images, anchors: seen.anchors, bold: seen.bold, scripts: seen.scripts, handlers: seen.handlers },
        { images: 0, anchors: 0, bold: 0, scripts: 0, handlers: 0 },
      );
      await page.waitForTimeout(100);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null), null);
      assert.deepEqual(dialogs, []);
      assert.deepEqual(requests, [], 'nothing was fetched from outside');
    } finally {
      await page.close();
    }
  });

  void it('each changed prompt message says what happened to it: role, content, removed or added', async () => {
    const messages = (...list: [string, string][]) => list.map(([role, content]) => ({ role, content }));
    const a = run('A', [kase(0, 'k0', [true])], {
      contentHash: 'h1',
      messages: messages(['system', 'Be kind.'], ['user', 'Say hello'], ['user', 'Thanks']),
    });
    const b = run('B', [kase(0, 'k0', [true])], {
      contentHash: 'h2',
      messages: messages(['user', 'Be kind.'], ['user', 'Say hello to Ada']),
    });
    const { page } = await pages.open({ width: 1100, height: 800 });
    try {
      await page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
      );
      const messageLines = async (left: typeof a, right: typeof b, title: string): Promise<string[]> => {
        const comparison = compareRuns(left, right);
        const content = { kind: 'pair', title, runFiles: [], rowCount: comparison.rows.length, comparison, points: [] };
        await page.evaluate((m) => window.postMessage(m, '*'), { type: 'show', content });
        await page.waitForFunction((t) => document.body.textContent?.includes(t), title);
        return page.locator('.prompt-message .message-role').allTextContents();
      };
      assert.deepEqual(await messageLines(a, b, 'A to B'), [
        'Message 1 (user) — role system → user',
        'Message 2 (user) — changed',
        'Message 3 (user) — removed in B',
      ]);
      assert.deepEqual(await messageLines(b, a, 'B to A'), [
        'Message 1 (system) — role user → system',
        'Message 2 (user) — changed',
        'Message 3 (user) — added in B',
      ]);
    } finally {
      await page.close();
    }
  });
});
