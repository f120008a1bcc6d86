// A person's view of the cost confirmation, against the INSTALLED .vsix in code-server: a run whose
// estimate passes the default limit of promptlab.confirmCostAboveUsd ($1) asks first (modal dialog
// with the amount and the estimate, the run panel showing the estimate behind it), and "Cancel"
// sends nothing. Screenshots in the dark and the light theme go to .artifacts/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import {
  e2e,
  openFileFromExplorer,
  pickQuickItem,
  quickInput,
  runCommand,
  screenshot,
  useStandinForAllModels,
  waitFor,
} from './lib/index.mjs';

await e2e('cost', async ({ page, env, log }) => {
  // The workspace routes `standin/*` ids to the stand-in, as a user's promptlab.config.yaml would.
  useStandinForAllModels(env);
  const runsDir = path.join(env.workspace, '.promptlab', 'runs');
  const runsOf = () =>
    fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((f) => f.includes('expensive')).length : 0;
  await openFileFromExplorer(page, 'run/expensive.prompt.yml');

  // The workbench starts in its light default theme; the second round switches to Dark Modern.
  for (const theme of ['light', 'dark']) {
    if (theme === 'dark') {
      const { input } = quickInput(page);
      await page.keyboard.press('F1');
      await input.fill('>Preferences: Color Theme');
      await pickQuickItem(page, 'Preferences: Color Theme');
      await pickQuickItem(page, 'Dark Modern');
      await input.waitFor({ state: 'hidden', timeout: 30_000 });
    }
    await runCommand(page, 'PromptLab: Run Prompt');
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const message = (await dialog.textContent()) ?? '';
    if (!/may cost up to \$\d+\.\d\d, above your limit of \$1\.00 \(promptlab\.confirmCostAboveUsd\)/.test(message))
      throw new Error(`dialog says: ${message}`);
    if (!/Estimate: 120 requests/.test(message) || !/genai-prices/.test(message))
      throw new Error(`dialog lacks the estimate: ${message}`);
    log(`dialog (${theme}): ${message.slice(0, 200)}`);
    const shot = await screenshot(page, `cost-confirm-${theme}`);
    log(`screenshot ${shot}`);
    await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await waitFor(
      async () => /Not run: the estimated cost/.test((await panel.locator('.status-text').textContent()) ?? ''),
      {
        timeout: 30_000,
        message: 'the panel to say the run was not confirmed',
      },
    );
    await screenshot(page, `cost-declined-${theme}`);
  }
  if (runsOf() !== 0) throw new Error('a run file was written although the run was not confirmed');
  log('declined twice: no run file, nothing sent');
});
