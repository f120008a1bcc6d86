// Compare two stand-in models from the CodeLens like a person would: pick the models, see the compare
// view list the regression first, open that case in VS Code's diff editor, find both runs in the
// Run History view. Screenshots: .artifacts/screenshots/compare-*.png
import fs from 'node:fs';
import {
  compareWithTypedModels,
  e2e,
  findCodeLens,
  openFileFromExplorer,
  screenshot,
  setColorTheme,
  useStandinForAllModels,
  waitFor,
  webviewFrame,
} from './lib/index.mjs';

await e2e(
  'compare',
  async ({ page, env, log }) => {
    // The workspace's provider config sends both model ids to the stand-in (model `echo` / `bad`).
    useStandinForAllModels(env);

    await openFileFromExplorer(page, 'compare/mixed.prompt.yml');
    // Activation can take a while on a busy machine (workspaceContains search, then onLanguage).
    await (await findCodeLens(page, 'Compare models', { timeout: 90_000 })).click();
    log('clicked the "Compare models…" CodeLens');

    // Multi-select pick: the file's model is pre-checked; add the other through "Type model ids…".
    await compareWithTypedModels(page, 'standin/bad');
    log('picked standin/echo and standin/bad');

    const view = webviewFrame(page, { nth: -1 });
    const rows = view.locator('ol.rows > li.row');
    await rows.first().waitFor({ timeout: 60_000 });
    await waitFor(async () => (await rows.count()) === 3, { message: 'three compared cases', timeout: 30_000 });
    const order = await rows.evaluateAll((items) =>
      items.map((li) => `${li.querySelector('.row-label')?.textContent}:${li.className}`),
    );
    log(`rows: ${order.join(', ')}`);
    const expected = ['case 3:row row-regression', 'case 1:row row-improvement', 'case 2:row row-unchanged'];
    if (JSON.stringify(order) !== JSON.stringify(expected))
      throw new Error(`rows not ordered regressions first: ${order.join(', ')}`);
    // Word-level differences are highlighted as spans (text, never HTML).
    await view.locator('li.row-regression .side-b .output .ins').first().waitFor();
    // What changed in the prompt comes first: here the model.
    const promptChange = (await view.locator('.prompt-change').textContent()) ?? '';
    if (!/model\s*standin\/echo\s*standin\/bad/.test(promptChange))
      throw new Error(`the prompt diff does not name the model change: ${promptChange}`);
    // The verdict is plain language computed by core; the test's details are one click away.
    const headline = (await view.locator('.verdict-headline').textContent()) ?? '';
    if (headline !== 'B is worse on 1 and better on 1 of 3 cases: no clear difference (p = 1.00).')
      throw new Error(`verdict: ${headline}`);
    if (await view.locator('.verdict-detail').isVisible()) throw new Error('the test details should start folded');
    await view.locator('.verdict button', { hasText: 'Test details' }).click();
    const details = (await view.locator('.verdict-detail').textContent()) ?? '';
    if (!/exact McNemar p=1\.000/.test(details)) throw new Error(`test details: ${details}`);
    // One sample per case: no row claims to be beyond noise.
    if ((await view.locator('li.row .noise').count()) !== 0) throw new Error('a single-sample row shows a noise claim');
    log(`prompt change: ${promptChange.replace(/\s+/g, ' ').trim()}; verdict: ${headline}`);
    await screenshot(page, 'compare-view');

    await rows
      .first()
      .getByRole('button', { name: /Open case 3 in the diff editor/ })
      .click();
    const diffTab = page.locator('.tabs-container .tab', { hasText: 'case 3: standin/echo ↔ standin/bad' }).first();
    await diffTab.waitFor({ timeout: 30_000 });
    await page.locator('.monaco-diff-editor').first().waitFor();
    // Monaco renders spaces as no-break spaces.
    const diffText = async () =>
      (await page.locator('.monaco-diff-editor .view-lines').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
    await waitFor(
      async () =>
        (await diffText()).includes('Sorry, I cannot help with that.') &&
        (await diffText()).includes('Echo: Say hello to Ada'),
      {
        message: 'the diff editor showing standin/bad’s reply',
      },
    );
    log('diff editor open');
    const shot = await screenshot(page, 'compare-diff-editor');
    if (fs.statSync(shot).size === 0) throw new Error(`empty screenshot ${shot}`);

    // Both runs are listed in the PromptLab activity bar's Run History.
    await page
      .locator(
        '.activitybar .action-item a[aria-label^="PromptLab"], .activitybar .action-item[aria-label^="PromptLab"]',
      )
      .first()
      .click();
    // Each row: the model (without its vendor, for the narrow sidebar), then pass rate, time and cost;
    // the icon follows the pass rate (here 66.7 % for both: a warning, not the red cross of a 0 % run).
    const historyRow = (model) =>
      page
        .locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${model}$`) }) })
        .first();
    for (const model of ['bad', 'echo']) {
      const row = historyRow(model);
      await row.waitFor({ timeout: 30_000 });
      const text = ((await row.textContent()) ?? '').replace(/\s+/g, ' ');
      if (!/66\.7%/.test(text)) throw new Error(`Run History row for ${model} lacks its pass rate: ${text}`);
      if ((await row.locator('.codicon-warning').count()) !== 1)
        throw new Error(`Run History row for ${model} has no pass-rate (warning) icon: ${await row.innerHTML()}`);
    }
    await screenshot(page, 'compare-history');
    log('run history lists both runs');

    // The same view in the dark theme and with a narrow sidebar (screenshots for docs/).
    await setColorTheme(page, 'Dark Modern');
    await screenshot(page, 'compare-history-dark');
    const sash = page.locator('.part.sidebar + .monaco-sash, .monaco-sash.vertical').first();
    const sidebar = await page.locator('.part.sidebar').boundingBox();
    if (sidebar && (await sash.count())) {
      await page.mouse.move(sidebar.x + sidebar.width, sidebar.y + 200);
      await page.mouse.down();
      await page.mouse.move(sidebar.x + 200, sidebar.y + 200, { steps: 5 });
      await page.mouse.up();
    }
    await screenshot(page, 'compare-history-dark-narrow');
  },
  { timeout: 240_000 },
);
