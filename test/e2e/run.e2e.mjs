// A person's view of running prompts, against the INSTALLED .vsix in code-server and the stand-in:
// {{var}} tokens are highlighted apart from the text around them; "▶ Run prompt" fills the results
// grid with verdicts; the grid sorts by a column, searches, moves between failures from the keyboard
// and expands a row to the messages sent and the judge's own reply and reason; a slow run can be
// cancelled and keeps its finished cases; HTML and script in model output show up as text and run
// nothing, in the Markdown view too. Screenshots go to .artifacts/screenshots/.
import { execFileSync } from 'node:child_process';
import {
  e2e,
  findCodeLens,
  openFileFromExplorer,
  runCommand,
  runPanel,
  runPromptFromLens,
  screenshot,
  setColorTheme,
  useStandinForAllModels,
  waitFor,
} from './lib/index.mjs';

await e2e(
  'run',
  async ({ page, env, log }) => {
    // The workspace routes `standin/*` ids to the stand-in, as a user's promptlab.config.yaml would.
    useStandinForAllModels(env);
    // The workspace as a git repository: PromptLab's runs and cache must not show up as changes.
    execFileSync('git', ['init', '-q'], { cwd: env.workspace });
    const dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    // 1. Highlighting: {{name}} is coloured differently from the text around it, in the default light
    //    theme (Light Modern), where plain YAML text and the braces used to share one blue.
    await setColorTheme(page, 'Light Modern');
    await openFileFromExplorer(page, 'run/greet.prompt.yml');
    // Tokenizing is asynchronous: wait until the token is coloured apart (or time out saying what was seen).
    let lastSeen;
    const colours = await waitFor(
      async () => {
        lastSeen = await page.evaluate(() => {
          // The editor renders spaces as no-break spaces.
          const textOf = (node) => (node?.textContent ?? '').replace(/\u00a0/g, ' ');
          const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) =>
            textOf(l).includes('Say hello to {{name}}'),
          );
          if (!line) return undefined;
          const spans = [...line.querySelectorAll('span span')];
          const variable = spans.find((s) => textOf(s).trim() === 'name' || textOf(s).trim() === '{{name}}');
          const text = spans.find((s) => textOf(s).includes('Say hello to'));
          if (!variable || !text || variable === text) return undefined;
          return {
            variable: getComputedStyle(variable).color,
            text: getComputedStyle(text).color,
            variableText: textOf(variable),
          };
        });
        return lastSeen && lastSeen.variable !== lastSeen.text ? lastSeen : undefined;
      },
      { message: '{{name}} coloured apart from "Say hello to"', timeout: 60_000 },
    ).catch((error) => {
      throw new Error(`${error.message}; last seen ${JSON.stringify(lastSeen)}`);
    });
    log(`colours: text ${colours.text}, ${JSON.stringify(colours.variableText)} ${colours.variable}`);
    await screenshot(page, 'run-highlight-light');

    // 2. "▶ Run prompt" fills the panel with the stand-in's verdicts.
    const greet = await runPromptFromLens(page, 'Greeting');
    await greet.locator('.case.passed').first().waitFor({ timeout: 60_000 });
    await waitFor(
      async () =>
        (await greet.locator('.case.failed').count()) === 2 && (await greet.locator('.case.passed').count()) === 1,
      {
        timeout: 60_000,
        message: '1 passed and 2 failed cases in the panel',
      },
    );
    await greet.locator('.grid-row[data-case="0"]').click();
    const firstOutput = await greet.locator('.detail pre.reply').textContent();
    if (firstOutput !== 'Echo: Say hello to Ada') throw new Error(`case 1 output is ${JSON.stringify(firstOutput)}`);
    await greet.locator('.grid-row[data-case="1"]').click();
    await waitFor(
      async () => (await greet.locator('.grid-row[data-case="1"]').getAttribute('aria-expanded')) === 'true',
      { message: 'case 2 expanded' },
    );
    const verdicts = await greet.locator('.detail .evaluation.failed .evaluator-name').allTextContents();
    if (!verdicts.includes('greets Ada')) throw new Error(`case 2 failed verdicts: ${JSON.stringify(verdicts)}`);
    await greet.locator('.grid-row[data-case="1"]').click();
    const passRate = await greet.locator('.stat', { hasText: 'Pass rate' }).locator('.stat-value').textContent();
    if (passRate !== '33.3%') throw new Error(`pass rate shows ${passRate}`);
    log(`panel: 1 passed, 2 failed, pass rate ${passRate}`);
    const shot = await screenshot(page, 'run-panel');
    log(`screenshot ${shot}`);

    // 2a. The Test Explorer shows the panel run's results (the shared run state), not "Not yet run".
    await runCommand(page, 'View: Show Testing');
    const explorer = page.locator('.test-explorer');
    const ariaLabels = () =>
      explorer.locator('.monaco-list-row').evaluateAll((r) => r.map((e) => e.getAttribute('aria-label') ?? ''));
    // The file's item is named after the prompt (Greeting); its cases after their variables.
    const fileRow = explorer.locator('.monaco-list-row[aria-label^="Greeting ("]', { hasText: 'Greeting' }).first();
    await fileRow.waitFor({ timeout: 30_000 });
    if ((await fileRow.getAttribute('aria-expanded')) === 'false') {
      await fileRow.click();
      await page.keyboard.press('ArrowRight');
    }
    const expected = ['name=Ada (Passed)', 'name=Grace (Failed)', 'name=Linus (Failed)'];
    let labels = [];
    await waitFor(
      async () => {
        labels = await ariaLabels();
        return expected.every((state) => labels.some((label) => label.startsWith(state)));
      },
      { timeout: 30_000, message: 'the Test Explorer marking Ada passed and Grace, Linus failed' },
    ).catch((error) => {
      throw new Error(`${error.message}; rows ${JSON.stringify(labels)}`);
    });
    log(`Test Explorer after the panel run: ${JSON.stringify(labels.filter((l) => l.startsWith('name=')))}`);
    await screenshot(page, 'run-test-explorer');
    await runCommand(page, 'View: Show Explorer');

    // Keyboard: the filter buttons are reachable and work.
    await greet.locator('button.segment', { hasText: 'Failed' }).focus();
    await page.keyboard.press('Enter');
    await waitFor(async () => !(await greet.locator('.case[data-case="0"]').isVisible()), {
      message: 'the passed case hidden by the "Failed" filter',
    });
    await greet.locator('button.segment', { hasText: 'All' }).click();
    // The selected filter keeps readable colours under the pointer (it once went white on white).
    const selected = greet.locator('button.segment[aria-pressed="true"]', { hasText: 'All' });
    await selected.hover();
    const hovered = await selected.evaluate((b) => ({
      color: getComputedStyle(b).color,
      background: getComputedStyle(b).backgroundColor,
    }));
    if (hovered.color === hovered.background)
      throw new Error(`the hovered selected filter is ${hovered.color} on ${hovered.background}`);
    log(`hovered selected filter: ${hovered.color} on ${hovered.background}`);

    // 2b. The grid: sort by a column, search, keyboard between failures, a row's messages and judge.
    await runCommand(page, 'View: Close All Editors');
    await openFileFromExplorer(page, 'run/grid.prompt.yml');
    const grid = await runPromptFromLens(page, 'Capitals grid');
    await waitFor(
      async () =>
        (await grid.locator('.grid-row.passed').count()) === 2 &&
        (await grid.locator('.grid-row.failed').count()) === 2,
      {
        timeout: 60_000,
        message: '2 passed and 2 failed rows in the grid',
      },
    );
    const shownOrder = () =>
      grid.locator('.grid-body').evaluate(async (body) => {
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        return [...body.querySelectorAll('.grid-row:not([hidden])')]
          .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
          .map((r) => Number(r.dataset.case));
      });
    // Sort by the judge's column: the lowest score first, then the other way round.
    await grid.locator('.head-cell button[data-sort="eval:judge"]').click();
    let order = await shownOrder();
    if (JSON.stringify(order) !== '[1,2,3,0]') throw new Error(`sorted by judge ascending: ${JSON.stringify(order)}`);
    await grid.locator('.head-cell button[data-sort="eval:judge"]').click();
    order = await shownOrder();
    if (JSON.stringify(order) !== '[0,3,2,1]') throw new Error(`sorted by judge descending: ${JSON.stringify(order)}`);
    log(`sorted by the judge column: ${JSON.stringify(order)}`);
    await grid.locator('.head-cell button[data-sort="index"]').click();
    // Search narrows the rows.
    await grid.locator('input.search').fill('nice');
    await waitFor(async () => JSON.stringify(await shownOrder()) === '[2]', {
      message: 'only the Nice case after searching "nice"',
    });
    await grid.locator('input.search').fill('');
    await waitFor(async () => (await shownOrder()).length === 4, { message: 'all four rows back' });
    // Keyboard: N moves to the next failure, Shift+N back, Enter expands.
    await grid.locator('.grid').focus();
    await page.keyboard.press('n');
    await waitFor(async () => (await grid.locator('.grid-row.focused').getAttribute('data-case')) === '1', {
      message: 'N focuses the first failure (case 2)',
    });
    await page.keyboard.press('n');
    await waitFor(async () => (await grid.locator('.grid-row.focused').getAttribute('data-case')) === '2', {
      message: 'N again focuses case 3',
    });
    await page.keyboard.press('Shift+N');
    await waitFor(async () => (await grid.locator('.grid-row.focused').getAttribute('data-case')) === '1', {
      message: 'Shift+N goes back to case 2',
    });
    await page.keyboard.press('Enter');
    const detail = grid.locator('.detail');
    await detail.waitFor({ timeout: 10_000 });
    const sent = await detail.locator('.message-content').allTextContents();
    if (JSON.stringify(sent) !== JSON.stringify(['You answer in one line.', 'Is Lyon the capital of France?']))
      throw new Error(`messages sent: ${JSON.stringify(sent)}`);
    const reason = await detail.locator('.judge-reason span').textContent();
    if (reason !== 'Lyon is not the capital of France.') throw new Error(`judge reason: ${JSON.stringify(reason)}`);
    const judgeReply = (await detail.locator('.judge-reply').textContent()) ?? '';
    if (!judgeReply.includes('"score": 0.1')) throw new Error(`judge reply: ${JSON.stringify(judgeReply)}`);
    log(`case 2: messages ${JSON.stringify(sent)}, judge reason ${JSON.stringify(reason)}`);
    await screenshot(page, 'run-grid-expanded');

    // 3. Cancel a slow run: the finished cases stay.
    await runCommand(page, 'View: Close All Editors');
    await openFileFromExplorer(page, 'run/slow.prompt.yml');
    const slow = await runPromptFromLens(page, 'Slow cases');
    await waitFor(async () => (await slow.locator('.case.passed').count()) === 2, {
      timeout: 60_000,
      message: 'the two quick cases to pass',
    });
    await slow.locator('button[aria-label="Cancel the run"]').click();
    log('clicked Cancel');
    await slow.locator('.status-text', { hasText: 'Cancelled' }).waitFor({ timeout: 60_000 });
    const status = await slow.locator('.status-text').textContent();
    if (!/2 of 4 cases finished/.test(status ?? '')) throw new Error(`status after cancel: ${status}`);
    if ((await slow.locator('.case.passed').count()) !== 2) throw new Error('finished cases were lost on cancel');
    log(`after cancel: ${status}`);
    await screenshot(page, 'run-cancelled');

    // 4. Untrusted model output is text: no element, no script.
    await runCommand(page, 'View: Close All Editors');
    await openFileFromExplorer(page, 'run/untrusted-output.prompt.yml');
    const untrusted = await runPromptFromLens(page, 'Untrusted output');
    await waitFor(async () => (await untrusted.locator('.case.passed').count()) === 3, {
      timeout: 60_000,
      message: 'the three untrusted-output cases to finish',
    });
    const outputs = [];
    for (const index of [2, 0, 1]) {
      await untrusted.locator(`.grid-row[data-case="${index}"]`).click();
      await waitFor(
        async () =>
          (await untrusted.locator(`.grid-row[data-case="${index}"]`).getAttribute('aria-expanded')) === 'true',
        { message: `case ${index + 1} expanded` },
      );
      outputs.push(await untrusted.locator('.detail pre.reply').textContent());
    }
    // The rendered-Markdown view of the same reply stays inert too.
    await untrusted.locator('.detail button[data-action="toggle-markdown"]').click();
    await untrusted.locator('.detail .markdown').waitFor();
    const markdownText = (await untrusted.locator('.detail .markdown').textContent()) ?? '';
    if (!markdownText.includes('<script>window.__promptlabPwned=2</script>'))
      throw new Error(`the Markdown view does not show the markup as text: ${JSON.stringify(markdownText)}`);
    if (!outputs.some((o) => o.includes('<img src=x onerror=alert(1)><script>alert(2)</script>')))
      throw new Error(`the [[html]] payload is not shown as text: ${JSON.stringify(outputs)}`);
    if (!outputs.some((o) => o.includes('<script>window.__promptlabPwned=2</script><b>bold?</b>')))
      throw new Error(`the flag payload is not shown as text: ${JSON.stringify(outputs)}`);
    // javascript: links and remote images in the Markdown view of case 3: shown as text, nothing to follow or fetch.
    await untrusted.locator('.grid-row[data-case="2"]').click();
    await waitFor(
      async () => ((await untrusted.locator('.detail .markdown').textContent()) ?? '').includes('javascript:'),
      { message: 'case 3 expanded in the Markdown view' },
    );
    const linksAndImages = await untrusted.locator('.detail .markdown').evaluate((view) => ({
      text: view.textContent ?? '',
      anchors: view.querySelectorAll('a').length,
      images: view.querySelectorAll('img').length,
      withUrls: [...view.querySelectorAll('*')].filter((e) => e.hasAttribute('href') || e.hasAttribute('src')).length,
    }));
    if (linksAndImages.anchors || linksAndImages.images || linksAndImages.withUrls)
      throw new Error(`a link or image became an element: ${JSON.stringify(linksAndImages)}`);
    if (
      !linksAndImages.text.includes('(javascript:window.__promptlabPwned=3)') ||
      !linksAndImages.text.includes('[image: remote]')
    )
      throw new Error(`the Markdown view does not show the link target and the image as text: ${linksAndImages.text}`);
    const injected = await untrusted.locator('body').evaluate(() => ({
      images: document.querySelectorAll('img').length,
      // Only VS Code's and the panel's own scripts exist; none came from the output.
      scripts: document.querySelectorAll('#app script').length,
      injectedScripts: [...document.querySelectorAll('script')].filter((s) =>
        s.textContent?.includes('__promptlabPwned'),
      ).length,
      bold: document.querySelectorAll('b').length,
      links: document.querySelectorAll('#app a').length,
      flag: window.__promptlabPwned ?? null,
    }));
    log(`webview after untrusted output: ${JSON.stringify(injected)}, dialogs: ${dialogs.length}`);
    if (injected.images !== 0 || injected.bold !== 0 || injected.links !== 0)
      throw new Error(`model output became elements: ${JSON.stringify(injected)}`);
    if (injected.scripts !== 0 || injected.injectedScripts !== 0)
      throw new Error(`a <script> from the model output is in the page: ${JSON.stringify(injected)}`);
    if (injected.flag !== null) throw new Error(`a script from the model output ran (flag ${injected.flag})`);
    if (dialogs.length > 0) throw new Error(`a dialog opened: ${dialogs.join(' | ')}`);
    await screenshot(page, 'run-untrusted-output');

    // 5. "Run with model…" lists the editor's language models (here the harness's test provider,
    //    test/vscode/lm-provider); picking one runs the prompt through vscode.lm.
    await runCommand(page, 'View: Close All Editors');
    await openFileFromExplorer(page, 'run/greet.prompt.yml');
    await (await findCodeLens(page, 'Run with model', { timeout: 60_000 })).click();
    const lmRow = page.locator('.quick-input-widget .monaco-list-row', { hasText: 'promptlab-test/echo-lm' }).first();
    await lmRow.waitFor({ timeout: 30_000 });
    // The list also has what the stand-in offers at GET /v1/models, under its own heading.
    const picker = page.locator('.quick-input-widget');
    await picker.locator('.monaco-list-row', { hasText: 'standin/standin-upper' }).first().waitFor({ timeout: 30_000 });
    const headings = await picker.locator('.quick-input-list-separator').allTextContents();
    if (!headings.some((h) => /^Offered by http:\/\/127\.0\.0\.1:\d+$/.test(h.trim())))
      throw new Error(`no "Offered by" group in the model picker: ${JSON.stringify(headings)}`);
    log(`model picker groups: ${JSON.stringify(headings.map((h) => h.trim()))}`);
    await screenshot(page, 'run-with-model-picker');
    await page.mouse.move(1, 1);
    await lmRow.click();
    log('picked promptlab-test/echo-lm in "Run with model…"');
    const viaLm = await runPanel(page, 'Greeting');
    const lmFirstRow = viaLm.locator('.grid-row[data-case="0"]');
    await waitFor(async () => /\b(passed|failed)\b/.test((await lmFirstRow.getAttribute('class')) ?? ''), {
      timeout: 60_000,
      message: 'case 1 finished via the editor model',
    });
    await lmFirstRow.click();
    await waitFor(async () => (await lmFirstRow.getAttribute('aria-expanded')) === 'true', {
      message: 'case 1 expanded',
    });
    await waitFor(
      async () =>
        ((await viaLm.locator('.detail pre.reply').textContent()) ?? '').startsWith('[user] You greet people.'),
      {
        timeout: 60_000,
        message: 'case 1 answered by the editor model, the system prompt folded into the user message',
      },
    );
    await screenshot(page, 'run-editor-model');

    // 6. `.promptlab/` is ignored by git: after these runs only its own .gitignore is new there.
    const gitStatus = execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], {
      cwd: env.workspace,
      encoding: 'utf8',
    });
    const promptlabPaths = gitStatus.split('\n').filter((line) => line.includes('.promptlab/'));
    log(`git status under .promptlab/: ${JSON.stringify(promptlabPaths)}`);
    if (JSON.stringify(promptlabPaths) !== JSON.stringify(['?? .promptlab/.gitignore']))
      throw new Error(`.promptlab/ shows in git status: ${JSON.stringify(promptlabPaths)}`);
  },
  { timeout: 420_000 },
);
