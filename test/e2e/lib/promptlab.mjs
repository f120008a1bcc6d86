// PromptLab set-ups several UI scripts share.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait.mjs';
import { findCodeLens, openFileFromExplorer, runCommand, runPanel } from './workbench.mjs';

/** Routes every `standin/*` model id to the harness's stand-in server (promptlab.config.yaml in the workspace). */
export function useStandinForAllModels(env) {
  if (!env.standinUrl) throw new Error('the harness passes no stand-in URL (dist/standin.js not built?)');
  fs.writeFileSync(
    path.join(env.workspace, 'promptlab.config.yaml'),
    [
      'providers:',
      '  standin:',
      '    preset: custom',
      `    baseURL: ${env.standinUrl}`,
      'models:',
      '  "standin/*": standin',
      '',
    ].join('\n'),
  );
}

/** Switches the workbench to the dark theme (it starts light) through the workspace settings. */
export async function useDarkTheme(page, env) {
  fs.mkdirSync(path.join(env.workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(env.workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'workbench.colorTheme': 'Default Dark Modern' }),
  );
  await waitFor(async () => (await page.locator('.monaco-workbench.vs-dark').count()) > 0, {
    timeout: 30_000,
    message: 'the dark theme',
  });
}

/** Clicks the "▶ Run prompt" CodeLens of the open prompt file; the run panel titled `title`. */
export async function runPromptFromLens(page, title, { timeout = 60_000 } = {}) {
  await (await findCodeLens(page, '▶ Run prompt', { timeout })).click();
  return runPanel(page, title);
}

/** Opens run/greet.prompt.yml and runs it; the run panel once its three cases have finished. */
export async function runGreeting(page, { timeout = 60_000 } = {}) {
  await openFileFromExplorer(page, 'run/greet.prompt.yml');
  const panel = await runPromptFromLens(page, 'Greeting', { timeout });
  await waitFor(async () => (await panel.locator('.case.passed, .case.failed').count()) === 3, {
    timeout: 60_000,
    message: 'three finished cases',
  });
  return panel;
}

/**
 * After a click on "Compare models…": keeps the pre-checked model (the file's), checks "Type model ids…"
 * and types `modelIds` (comma-separated) into the box that follows.
 */
export async function compareWithTypedModels(page, modelIds) {
  const quickInput = page.locator('.quick-input-widget');
  const typeRow = quickInput.locator('.monaco-list-row', { hasText: 'Type model ids' }).first();
  await typeRow.waitFor();
  // The pointer is still where the CodeLens was; a row's hover there would cover the row we click.
  await page.mouse.move(1, 1);
  await typeRow.click();
  await waitFor(async () => (await typeRow.getAttribute('aria-checked')) === 'true', {
    message: '"Type model ids…" checked',
  });
  await page.keyboard.press('Enter');
  const box = quickInput.locator('.quick-input-box input');
  await waitFor(async () => ((await box.getAttribute('placeholder')) ?? '').includes('gpt-4o'), {
    message: 'the model id input box',
  });
  await box.fill(modelIds);
  await page.keyboard.press('Enter');
}

/** The lines of a grades file (.promptlab/grades.jsonl), parsed; none when it does not exist yet. */
export function readGrades(file) {
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line))
    : [];
}

/**
 * Focuses the Judge Agreement view and waits for run/greet.prompt.yml's evaluators graded pass, fail, fail:
 * "greets Ada" passes case 1 only, as the grades do (κ 1); "mentions the name" passes all three (κ 0).
 * Returns both rows.
 */
export async function expectGreetingAgreement(page) {
  await runCommand(page, 'PromptLab: Focus on Judge Agreement View');
  const greets = page.locator('.monaco-list-row', { hasText: 'greets Ada' }).first();
  await greets.waitFor({ timeout: 30_000 });
  await waitFor(async () => /κ 1\.00 · 100 % agreement · n 3/.test((await greets.textContent()) ?? ''), {
    message: '"greets Ada" with κ 1.00 on 3 grades',
  });
  const mentions = page.locator('.monaco-list-row', { hasText: 'mentions the name' }).first();
  await waitFor(async () => /κ 0\.00 · 33 % agreement · n 3/.test((await mentions.textContent()) ?? ''), {
    message: '"mentions the name" with κ 0.00',
  });
  return { greets, mentions };
}
