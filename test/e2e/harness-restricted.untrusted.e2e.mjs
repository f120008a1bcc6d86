// Harness self-test for the Restricted Mode server: a workspace nobody trusted opens in Restricted Mode,
// as a user sees it (status bar indicator), while the explorer still lists the files.
import { e2e, explorerRow, screenshot } from './lib/index.mjs';

await e2e('harness-restricted', async ({ page, env, log }) => {
  if (env.trusted) throw new Error('this script must run against the untrusted code-server');
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 30_000 });
  log('status bar shows Restricted Mode');
  await explorerRow(page, 'harness', 1).waitFor({ timeout: 30_000 });
  log(`screenshot ${await screenshot(page, 'harness-restricted')}`);
});
