// PromptLab set-ups several UI scripts share.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait.mjs';

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
