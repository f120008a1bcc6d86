// Harness self-test for UI scripts: the packaged extension is installed in code-server, a prompt file opened from
// the explorer shows the PromptLab language in the status bar, and screenshots land in .artifacts/screenshots.
import fs from 'node:fs';
import {
  activeEditorTab,
  answerQuickInput,
  e2e,
  openFileFromExplorer,
  runCommand,
  screenshot,
  statusBarLanguage,
  waitFor,
} from './lib/index.mjs';

await e2e('harness-smoke', async ({ page, log }) => {
  await openFileFromExplorer(page, 'harness/greeting.prompt.yml');
  log('opened harness/greeting.prompt.yml from the explorer');
  await waitFor(async () => (await statusBarLanguage(page)) === 'Prompt YAML', {
    message: 'status bar language "Prompt YAML"',
  });

  // The command palette runs a built-in command, quick open takes a typed answer; a plain .yml is YAML.
  await runCommand(page, 'View: Close All Editors');
  await waitFor(async () => (await page.locator('.tabs-container .tab').count()) === 0, {
    message: 'all editors closed',
  });
  await page.keyboard.press('Control+P');
  await answerQuickInput(page, 'plain.yml', { expectItem: 'plain.yml' });
  await activeEditorTab(page, 'plain.yml').waitFor({ timeout: 30_000 });
  await waitFor(async () => (await statusBarLanguage(page)) === 'YAML', { message: 'status bar language "YAML"' });

  const shot = await screenshot(page, 'harness-smoke');
  if (fs.statSync(shot).size === 0) throw new Error(`empty screenshot ${shot}`);
  log(`screenshot ${shot}`);
});
