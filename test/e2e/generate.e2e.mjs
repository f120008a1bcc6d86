// "Generate test cases…" like a person: the CodeLens on `testData:`, the two questions, the diff
// preview with the "Write" dialog over it, then the file on disk. Screenshots (light, then dark):
// .artifacts/screenshots/generate-*.png
import fs from 'node:fs';
import path from 'node:path';
import {
  answerQuickInput,
  e2e,
  findCodeLens,
  openFileFromExplorer,
  screenshot,
  useDarkTheme,
  useStandinForAllModels,
  waitFor,
} from './lib/index.mjs';

await e2e(
  'generate',
  async ({ page, env, log }) => {
    useStandinForAllModels(env);
    const file = path.join(env.workspace, 'setup/generate.prompt.yml');
    const before = fs.readFileSync(file, 'utf8');

    await openFileFromExplorer(page, 'setup/generate.prompt.yml');
    await (await findCodeLens(page, 'Generate test cases', { timeout: 90_000 })).click();
    await page.mouse.move(1, 1);
    await answerQuickInput(page, '3', { placeholder: 'How many test cases?' });
    await answerQuickInput(page, 'short phrases', { placeholder: 'Focus' });
    log('asked for 3 cases');

    const diffTab = page.locator('.tabs-container .tab', { hasText: '3 generated test cases (preview)' }).first();
    await diffTab.waitFor({ timeout: 60_000 });
    await page.locator('.monaco-diff-editor').first().waitFor();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const question = (await dialog.textContent()) ?? '';
    if (!question.includes('Write 3 new test cases to generate.prompt.yml?'))
      throw new Error(`unexpected dialog: ${question}`);
    if (fs.readFileSync(file, 'utf8') !== before) throw new Error('the file changed before "Write" was clicked');
    await screenshot(page, 'generate-preview-light');
    log('diff preview and the Write dialog are showing; file untouched');

    await dialog.getByRole('button', { name: 'Write' }).click();
    await waitFor(() => fs.readFileSync(file, 'utf8') !== before, {
      timeout: 30_000,
      message: 'the file to be written',
    });
    const after = fs.readFileSync(file, 'utf8');
    const generated = after.split('\n').filter((line) => line.includes('_generated:')).length;
    if (generated !== 3) throw new Error(`expected 3 generated rows, found ${generated}:\n${after}`);
    if (!after.startsWith(before.slice(0, before.indexOf('evaluators:')).trimEnd()))
      throw new Error('existing lines changed');
    log('3 rows written, existing lines kept');

    // The same view in the dark theme (a workspace setting the workbench applies live).
    await useDarkTheme(page, env);
    await page.mouse.move(1, 1);
    await screenshot(page, 'generate-written-dark');
  },
  { timeout: 240_000 },
);
