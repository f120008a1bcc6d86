// Grading from the compare view as a person does it, against the INSTALLED .vsix in code-server and the
// stand-in: run a prompt, compare it on two models, grade outputs on both sides with the keyboard in
// the compare view; the grades land in .promptlab/grades.jsonl, show in the run panel's Grade column
// and in the Judge Agreement view's κ; then a three-run matrix shows them in every column, takes a
// keyboard grade in its own column and restricts itself to graded cases. Screenshots (light, then
// dark): .artifacts/screenshots/compare-grading-*.png
import path from 'node:path';
import {
  compareWithTypedModels,
  contextMenuAction,
  e2e,
  expectGreetingAgreement,
  findCodeLens,
  readGrades,
  runCommand,
  runGreeting,
  screenshot,
  useDarkTheme,
  useStandinForAllModels,
  waitFor,
  webviewWith,
} from './lib/index.mjs';

/** A compared output's chip text ('' when ungraded). */
async function chip(view, column, caseIndex) {
  const found = view.locator(`.gradable[data-grade-column="${column}"][data-grade-case="${caseIndex}"] .grade-chip`);
  return (await found.count()) ? ((await found.textContent()) ?? '') : '';
}

await e2e(
  'compare-grading',
  async ({ page, env, log }) => {
    useStandinForAllModels(env);
    const gradesFile = path.join(env.workspace, '.promptlab', 'grades.jsonl');

    // 1. Run the prompt (standin/echo): three outputs in the run panel, none graded.
    const panel = await runGreeting(page, { timeout: 90_000 });

    // 2. Compare models: standin/echo (the file's model, picked) and standin/bad (typed). The lens is in the
    //    prompt's editor (the run panel is beside it); the comparison opens in that editor's group.
    await (await findCodeLens(page, 'Compare models', { timeout: 60_000 })).click();
    await compareWithTypedModels(page, 'standin/bad');
    const compare = await webviewWith(page, 'ol.rows > li.row', { message: 'the compare view' });
    await waitFor(async () => (await compare.locator('ol.rows > li.row').count()) === 3, {
      timeout: 60_000,
      message: 'three compared cases',
    });
    const hint = (await compare.locator('.grading-hint').textContent()) ?? '';
    if (!/j \/ k .* p pass · f fail · 1–5 score · e note · x clear/.test(hint))
      throw new Error(`no keyboard hint in the compare view: ${JSON.stringify(hint)}`);
    // Rows: case 1 (echo passes it, bad does not) first, then cases 2 and 3.
    const order = await compare
      .locator('ol.rows > li.row .row-label')
      .evaluateAll((labels) => labels.map((l) => l.textContent));
    if (JSON.stringify(order) !== JSON.stringify(['case 1', 'case 2', 'case 3'])) throw new Error(`rows: ${order}`);

    // 3. Grade with the keyboard only: j walks A, B of each row; p / f / 1–5 grade the selected output.
    await compare.locator('h1').click();
    for (const key of ['j', 'p', 'j', 'f', 'j', 'f', '2', 'j', 'j', 'f']) await page.keyboard.press(key);
    await waitFor(() => readGrades(gradesFile).length === 4, {
      timeout: 30_000,
      message: 'four lines in .promptlab/grades.jsonl',
    });
    await waitFor(
      async () =>
        (await chip(compare, 0, 0)) === 'you: pass' &&
        (await chip(compare, 1, 0)) === 'you: fail' &&
        (await chip(compare, 0, 1)) === 'you: fail · 2/5' &&
        (await chip(compare, 0, 2)) === 'you: fail',
      { message: 'the grades on both sides of the compare view' },
    );
    const stored = readGrades(gradesFile);
    const echoRun = stored.find((g) => g.caseNumber === 1 && g.verdict === 'pass')?.runId;
    const badGrade = stored.find((g) => g.runId !== echoRun);
    if (!echoRun || !badGrade || badGrade.caseNumber !== 1 || badGrade.verdict !== 'fail')
      throw new Error(`stored grades: ${JSON.stringify(stored)}`);
    if (!stored.every((g) => g.prompt === 'run/greet.prompt.yml' && /^[0-9a-f]{16}$/.test(g.outputHash)))
      throw new Error(`grade keys: ${JSON.stringify(stored)}`);
    log(
      `graded in compare: ${stored.map((g) => `${g.caseNumber}=${g.verdict}${g.score ? `/${g.score}` : ''}`).join(' ')}`,
    );

    // The comparison restricted to graded cases: all three have a grade.
    await compare.locator('button.segment', { hasText: 'Graded by you (3)' }).click();
    await waitFor(
      async () =>
        (await compare.locator('button.segment[aria-pressed="true"]', { hasText: 'Graded by you' }).count()) === 1,
      { message: 'the graded filter on' },
    );
    // A click on a side (its title, not its buttons) selects it too.
    await compare
      .locator('.gradable[data-grade-column="1"][data-grade-case="0"] .side-title')
      .click({ position: { x: 5, y: 5 } });
    await compare.locator('.gradable.grading-selected[data-grade-column="1"][data-grade-case="0"]').waitFor();
    // Room for the comparison: no side bar in the screenshot.
    await runCommand(page, 'View: Close Primary Side Bar');
    await compare.locator('.grading-hint').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-grading-pair');

    // 4. The run panel shows the grades given in compare on its identical outputs (the same case, the same reply).
    const cell = (caseIndex) => panel.locator(`.grid-row[data-case="${caseIndex}"] .grade-cell`);
    await waitFor(
      async () =>
        (await cell(0).getAttribute('data-verdict')) === 'pass' &&
        (await cell(1).getAttribute('data-verdict')) === 'fail' &&
        (await cell(1).getAttribute('data-score')) === '2' &&
        (await cell(2).getAttribute('data-verdict')) === 'fail',
      { timeout: 30_000, message: 'the compare grades in the run panel' },
    );
    log('the run panel shows the grades given in compare');

    // 5. The Judge Agreement view: "greets Ada" passes case 1 only, as graded (κ 1); "mentions the name" passes all three (κ 0).
    const { greets, mentions } = await expectGreetingAgreement(page);
    log(`agreement view: ${(await greets.textContent())?.trim()} | ${(await mentions.textContent())?.trim()}`);

    // 6. Three runs (the run panel's and both compared) in a matrix from Run History.
    await runCommand(page, 'PromptLab: Focus on Run History View');
    // Run History labels a run by its model without the vendor (`echo`, `bad`).
    const runLabel = page.locator('.label-name', { hasText: /^(echo|bad)$/ });
    const historyRows = page.locator('.monaco-list-row', { has: runLabel });
    await waitFor(async () => (await historyRows.count()) >= 3, {
      timeout: 30_000,
      message: 'three runs in Run History',
    });
    await historyRows.nth(0).click();
    await historyRows.nth(1).click({ modifiers: ['Control'] });
    await historyRows.nth(2).click({ modifiers: ['Control'] });
    await waitFor(async () => (await page.locator('.monaco-list-row.selected', { has: runLabel }).count()) === 3, {
      message: 'three runs selected',
    });
    await contextMenuAction(page, historyRows.nth(2), 'Compare Runs');
    const matrix = await webviewWith(page, 'table.matrix tbody tr[data-case-key]', { message: 'the three-run matrix' });
    const heads = await matrix.locator('table.matrix thead th').allTextContents();
    const badColumn = heads.slice(1, 4).findIndex((h) => h.includes('standin/bad'));
    if (badColumn < 0) throw new Error(`matrix columns: ${JSON.stringify(heads)}`);
    const echoColumns = [0, 1, 2].filter((c) => c !== badColumn);
    // Every echo column shows the echo grades (identical replies), the bad column its own one.
    await waitFor(
      async () => {
        for (const column of echoColumns)
          if (
            (await chip(matrix, column, 0)) !== 'you: pass' ||
            (await chip(matrix, column, 1)) !== 'you: fail · 2/5' ||
            (await chip(matrix, column, 2)) !== 'you: fail'
          )
            return false;
        return (await chip(matrix, badColumn, 0)) === 'you: fail' && (await chip(matrix, badColumn, 1)) === '';
      },
      { message: 'the grades in every matrix column' },
    );

    // Keyboard in the matrix: j walks the cells row by row (case 1, 2, 3), left to right; grade bad's case 2.
    await matrix.locator('h1').click();
    const presses = 1 * 3 + badColumn + 1;
    for (let i = 0; i < presses; i++) await page.keyboard.press('j');
    await matrix
      .locator(`td.gradable.grading-selected[data-grade-column="${badColumn}"][data-grade-case="1"] .grade-bar`)
      .waitFor({ timeout: 10_000 });
    await page.keyboard.press('f');
    await page.keyboard.press('1');
    // f is saved first, then 1: wait for both.
    await waitFor(
      () => {
        const grades = readGrades(gradesFile);
        const given = grades.find((g) => g.caseNumber === 2 && g.runId === badGrade.runId);
        return grades.length === 5 && given?.verdict === 'fail' && given.score === 1;
      },
      { timeout: 30_000, message: 'the matrix grade (fail, 1/5) stored' },
    );
    await waitFor(async () => (await chip(matrix, badColumn, 1)) === 'you: fail · 1/5', {
      message: 'the matrix grade shown',
    });
    log(`graded in the matrix: column ${badColumn + 1}, case 2`);
    await matrix.locator('button.segment', { hasText: 'Graded by you (3)' }).click();
    await waitFor(async () => (await matrix.locator('table.matrix tbody tr[data-case-key]').count()) === 3, {
      message: 'the matrix restricted to graded cases',
    });
    await runCommand(page, 'View: Close Primary Side Bar');
    await screenshot(page, 'compare-grading-matrix');

    // The dark theme too (the workbench starts light).
    await useDarkTheme(page, env);
    await screenshot(page, 'compare-grading-matrix-dark');
    // Back to the pair (a hidden webview is rebuilt when shown again: the grades come back with it).
    await page.locator('.tabs-container .tab', { hasText: 'Compare: standin/echo ↔ standin/bad' }).first().click();
    const pairAgain = await webviewWith(page, 'ol.rows > li.row .grade-chip', {
      message: 'the pair again, with its grades',
    });
    await pairAgain.locator('h1').click();
    for (const key of ['j', 'j']) await page.keyboard.press(key);
    await pairAgain.locator('.gradable.grading-selected[data-grade-column="1"][data-grade-case="0"]').waitFor();
    await pairAgain.locator('.grading-hint').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-grading-pair-dark');
  },
  { timeout: 360_000 },
);
