// Grading as a person does it, against the INSTALLED .vsix in code-server and the stand-in: run a
// prompt, grade three outputs with the keyboard in the run panel, re-run the prompt and see the
// grades come back on the identical outputs, then read each evaluator's κ in the Judge Agreement
// view, and compare the two runs with the grades as evidence. Screenshots (light, and dark at the
// end) go to .artifacts/screenshots/.
import path from 'node:path';
import {
  contextMenuAction,
  e2e,
  expectGreetingAgreement,
  readGrades,
  runGreeting,
  screenshot,
  useDarkTheme,
  useStandinForAllModels,
  waitFor,
  webviewWith,
} from './lib/index.mjs';

/**
 * The grade of one case as the results grid shows it: aria-pressed of the grade buttons in the
 * case's expanded details (e.g. { pass: true, fail: false, score: 3 }), which must match what the
 * row's Grade cell says. Expands the case's row (collapsing any other).
 */
async function gradeOf(panel, caseIndex) {
  const row = panel.locator(`.grid-row[data-case="${caseIndex}"]`);
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.cell.vars').click();
  await waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', {
    message: `case ${caseIndex + 1} expanded`,
  });
  const bar = panel.locator(`.detail .grade-bar[data-case="${caseIndex}"]`);
  const pressed = async (action) =>
    (await bar.locator(`button[data-grade-action="${action}"]`).getAttribute('aria-pressed')) === 'true';
  let score = null;
  for (let s = 1; s <= 5; s++) if (await pressed(`score-${s}`)) score = s;
  const grade = { pass: await pressed('pass'), fail: await pressed('fail'), score };
  const cell = row.locator('.grade-cell');
  const shown = {
    verdict: (await cell.getAttribute('data-verdict')) ?? null,
    score: Number((await cell.getAttribute('data-score')) ?? NaN),
  };
  const expectedVerdict = grade.pass ? 'pass' : grade.fail ? 'fail' : null;
  if (
    shown.verdict !== expectedVerdict ||
    (grade.score === null ? !Number.isNaN(shown.score) : shown.score !== grade.score)
  )
    throw new Error(
      `case ${caseIndex + 1}: the row's Grade cell ${JSON.stringify(shown)} disagrees with its details ${JSON.stringify(grade)}`,
    );
  return grade;
}

await e2e(
  'grading',
  async ({ page, env, log }) => {
    useStandinForAllModels(env);
    const gradesFile = path.join(env.workspace, '.promptlab', 'grades.jsonl');

    // 1. Run the prompt; three outputs appear.
    const panel = await runGreeting(page);
    const hint = await panel.locator('.grading-hint').textContent();
    if (!/j \/ k .* p pass · f fail · 1–5 score/.test(hint ?? ''))
      throw new Error(`no keyboard hint: ${JSON.stringify(hint)}`);

    // 2. Grade with the keyboard only: j selects the next output, p / f / 1–5 grade it.
    await panel.locator('h1.title').click();
    for (const key of ['j', 'p', 'j', 'f', 'j', 'f', '2']) await page.keyboard.press(key);
    await waitFor(async () => (await panel.locator('.grid-row .grade-cell.graded').count()) === 3, {
      message: 'three graded rows in the grid',
    });
    // Each key is saved in turn: wait for the last one (case 3's score) before reading the file.
    await waitFor(
      () => {
        const grades = readGrades(gradesFile);
        return grades.length === 3 && grades.some((g) => g.caseNumber === 3 && g.score === 2);
      },
      { message: "three lines in .promptlab/grades.jsonl, case 3's with its score" },
    );
    const stored = readGrades(gradesFile);
    const byCase = new Map(stored.map((g) => [g.caseNumber, g]));
    if (
      byCase.get(1)?.verdict !== 'pass' ||
      byCase.get(2)?.verdict !== 'fail' ||
      byCase.get(3)?.verdict !== 'fail' ||
      byCase.get(3)?.score !== 2
    )
      throw new Error(`stored grades: ${JSON.stringify(stored)}`);
    if (!stored.every((g) => g.prompt === 'run/greet.prompt.yml' && /^[0-9a-f]{16}$/.test(g.outputHash)))
      throw new Error(`grade keys: ${JSON.stringify(stored)}`);
    log(
      `graded with the keyboard: ${stored.map((g) => `${g.caseNumber}=${g.verdict}${g.score ? `/${g.score}` : ''}`).join(' ')}`,
    );
    await screenshot(page, 'grading-run-panel');

    const before = [await gradeOf(panel, 0), await gradeOf(panel, 1), await gradeOf(panel, 2)];

    // 3. Re-run: the details are rebuilt, and the grades come back on the identical outputs.
    await panel
      .locator('.detail .grade-bar')
      .first()
      .evaluate((bar) => bar.setAttribute('data-old', '1'));
    await panel.locator('button[aria-label="Run all cases"]').click();
    await panel.locator('.status-text', { hasText: 'Finished' }).waitFor({ timeout: 60_000 });
    await waitFor(async () => (await panel.locator('.grid-row .grade-cell.graded').count()) === 3, {
      message: 'the grades to reappear after the re-run',
    });
    if ((await panel.locator('.grade-bar[data-old]').count()) !== 0)
      throw new Error('the grade bars were not rebuilt by the re-run');
    const after = [await gradeOf(panel, 0), await gradeOf(panel, 1), await gradeOf(panel, 2)];
    const expected = [
      { pass: true, fail: false, score: null },
      { pass: false, fail: true, score: null },
      { pass: false, fail: true, score: 2 },
    ];
    if (JSON.stringify(before) !== JSON.stringify(expected))
      throw new Error(`grades before the re-run: ${JSON.stringify(before)}`);
    if (JSON.stringify(after) !== JSON.stringify(expected))
      throw new Error(`grades after the re-run: ${JSON.stringify(after)}`);
    log('grades reappeared on the re-run outputs');

    // 4. The Judge Agreement view shows each evaluator's κ for this prompt.
    const { greets, mentions } = await expectGreetingAgreement(page);
    log(`agreement view: ${(await greets.textContent())?.trim()} | ${(await mentions.textContent())?.trim()}`);
    await screenshot(page, 'grading-agreement');

    // 5. "Show disagreements" selects case 2 in the run panel.
    await mentions.hover();
    await mentions.locator('.action-label[aria-label="Show Disagreements in the Run Panel"]').click();
    await waitFor(async () => (await panel.locator('.sample.grading-selected[data-case="1"]').count()) === 1, {
      message: 'case 2 selected in the run panel',
    });
    log('show disagreements selected case 2');

    // 6. Compare the two runs from Run History: graded outputs show the grade, and the comparison
    //    can be restricted to graded cases.
    // Run History labels a run by its model without the vendor (`standin/echo` → `echo`).
    const historyRows = page.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^echo$/ }) });
    await waitFor(async () => (await historyRows.count()) >= 2, { message: 'both runs in Run History' });
    await contextMenuAction(page, historyRows.nth(0), 'Select for Compare');
    await contextMenuAction(page, historyRows.nth(1), 'Compare with Selected');
    const compare = await webviewWith(page, '.grade-chip', { message: 'a compare panel showing grades' });
    await waitFor(async () => (await compare.locator('.grade-chip').count()) === 6, {
      message: 'a grade on both sides of the three cases',
    });
    const chips = await compare.locator('.grade-chip').allTextContents();
    if (!chips.includes('you: pass') || !chips.includes('you: fail · 2/5'))
      throw new Error(`grade chips: ${JSON.stringify(chips)}`);
    await compare.locator('button.segment', { hasText: 'Graded by you (3)' }).click();
    await waitFor(
      async () =>
        (await compare.locator('button.segment[aria-pressed="true"]', { hasText: 'Graded by you' }).count()) === 1,
      { message: 'the graded filter on' },
    );
    log(`compare shows grades: ${JSON.stringify(chips)}`);
    await screenshot(page, 'grading-compare');

    // The dark theme too (the workbench starts light).
    await useDarkTheme(page, env);
    await screenshot(page, 'grading-compare-dark');
  },
  { timeout: 300_000 },
);
