// A throw-away code-server (VS Code in the browser) for one test run: own user-data and extensions folders,
// a free port on 127.0.0.1, its own process group, and an environment without the caller's credentials.
import fs from 'node:fs';
import path from 'node:path';
import { freePort, runToEnd, spawnGroup, stopGroup } from './processes.mjs';
import { waitFor } from '../../e2e/lib/wait.mjs';

/** Settings that keep a test workbench quiet and deterministic (no tours, updates, recommendations, AI panel). */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/**
 * How the workspace is trusted. code-server serves the workbench with `enableWorkspaceTrust` unless it is started
 * with --disable-workspace-trust; with trust enabled, a fresh browser profile has trusted nothing, so the folder
 * opens in Restricted Mode (the startup prompt is turned off so nothing modal covers the workbench).
 */
function trustSettings(trusted) {
  return trusted
    ? { 'security.workspace.trust.enabled': false }
    : {
        'security.workspace.trust.enabled': true,
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
      };
}

/** Names of environment variables that must never reach the editor under test. */
const secretName = /(API_KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)/i;

/** The caller's environment minus credentials, with Node 24 first on PATH (code-server 4.139 needs it). */
export function codeServerEnv(node24Home, extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!secretName.test(name)) env[name] = value;
  env.PATH = `${path.join(node24Home, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  delete env.NODE_OPTIONS;
  // No extension gallery: the default (open-vsx.org) is unreachable here and its DNS failure held up the
  // workbench (and so the test start) by about 25 s. An empty gallery definition disables the gallery.
  env.EXTENSIONS_GALLERY = '{}';
  return { ...env, ...extra };
}

/**
 * Starts code-server and waits until it answers /healthz.
 * @param {{
 *   binary: string, node24Home: string, runDir: string, name: string, trusted: boolean,
 *   vsix?: string, testVsixes?: string[], extraEnv?: Record<string, string>, startTimeoutMs?: number
 * }} options
 * @returns {Promise<{ baseUrl: string, pgid: number, logFile: string, userDataDir: string, stop: () => Promise<void> }>}
 */
export async function startCodeServer(options) {
  const { binary, node24Home, runDir, name, trusted } = options;
  const dir = path.join(runDir, name);
  const userDataDir = path.join(dir, 'user-data');
  const extensionsDir = path.join(dir, 'extensions');
  const config = path.join(dir, 'config.yaml');
  const logFile = path.join(dir, 'code-server.log');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...quietSettings, ...trustSettings(trusted) }, null, 2),
  );
  fs.writeFileSync(config, 'auth: none\n');
  const env = codeServerEnv(node24Home, options.extraEnv);
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--config', config];

  if (options.vsix)
    await runToEnd(binary, [...common, '--install-extension', options.vsix], { env, timeoutMs: 120_000 });
  // Test-only helper extensions (e.g. the chat model provider in test/vscode/lm-provider).
  for (const extra of options.testVsixes ?? [])
    await runToEnd(binary, [...common, '--install-extension', extra], { env, timeoutMs: 120_000 });

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const args = [
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--reconnection-grace-time',
    '5',
    // Lets the workbench URL's ?payload= start extension tests and exposes window.codeAutomationExit.
    '--vscode-option',
    'enable-smoke-test-driver',
    ...(trusted ? ['--disable-workspace-trust'] : []),
    ...common,
  ];
  const child = spawnGroup(binary, args, { env, logFile });
  const pgid = child.pid;
  let exited = false;
  child.once('exit', () => (exited = true));
  const timeout = options.startTimeoutMs ?? 60_000;
  await waitFor(
    async () => {
      if (exited) throw new Error(`code-server exited during start-up; log: ${logFile}\n${tail(logFile)}`);
      const response = await fetch(`${baseUrl}/healthz`).catch(() => undefined);
      return response?.ok;
    },
    { timeout, interval: 200, message: `code-server on ${baseUrl} to answer /healthz (log: ${logFile})` },
  ).catch(async (err) => {
    await stopGroup(pgid);
    throw err;
  });
  return { baseUrl, pgid, logFile, userDataDir, stop: () => stopGroup(pgid).then(() => undefined) };
}

export function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
