// Shared helpers of the run-side extension-host tests (not a test file itself).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptLabApi } from '../../../src/extension/extension';

export const extensionId = 'promptlab.promptlab';

export function workspaceFile(relativePath: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the harness opens a workspace folder');
  return vscode.Uri.joinPath(folder.uri, relativePath);
}

export async function promptLab(): Promise<PromptLabApi> {
  const extension = vscode.extensions.getExtension<PromptLabApi>(extensionId);
  assert.ok(extension, `${extensionId} is installed`);
  const api = await extension.activate();
  assert.ok(api && api.runs, 'activate() returns the PromptLab API');
  return api;
}

/** Runs the Test Explorer item of the prompt file `uri` (as its Run button does) to the end; returns the item. */
export async function runFileTests(api: PromptLabApi, uri: vscode.Uri): Promise<vscode.TestItem> {
  const fileItem = api.testController.items.get(uri.toString());
  assert.ok(fileItem, `the Test Explorer lists ${uri.path}`);
  const cancellation = new vscode.CancellationTokenSource();
  try {
    await api.tests.runTests(new vscode.TestRunRequest([fileItem]), cancellation.token);
  } finally {
    cancellation.dispose();
  }
  return fileItem;
}

/** Polls `condition` until it holds or `timeoutMs` passes (then fails with `what`). */
export async function waitFor<T>(
  condition: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sets `promptlab.*` settings in the user's settings (Global), as a person would; `undefined` removes one. */
export async function setSettings(values: Record<string, unknown>): Promise<void> {
  for (const [key, value] of Object.entries(values))
    await vscode.workspace.getConfiguration('promptlab').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Points the `standin/*` model ids at the harness's stand-in server (machine-level setting, as a user would). */
export async function useStandin(): Promise<string> {
  const url = process.env.PROMPTLAB_STANDIN_URL;
  assert.ok(url, 'the harness passes PROMPTLAB_STANDIN_URL to the extension host');
  await setSettings({ endpoints: [{ baseURL: url, models: ['standin/*'], kind: 'custom' }] });
  return url;
}

type Window = Record<string, unknown>;

/**
 * Answers dialogs by replacing the window functions the extension calls (the tests share its vscode
 * API object), as a person would click; restore() puts the originals back.
 */
export function answerDialogs(replacements: Window): { restore: () => void } {
  const win = vscode.window as unknown as Window;
  const originals: Window = {};
  for (const [name, fn] of Object.entries(replacements)) {
    originals[name] = win[name];
    win[name] = fn;
  }
  return { restore: () => Object.assign(win, originals) };
}

/**
 * Adds an endpoint serving `models` (e.g. `resumable/*`) at `baseURL` to the user's endpoints, as a
 * test's own stand-in; the returned function puts the endpoints back as they were.
 */
export async function addEndpoint(baseURL: string, models: string, kind = 'custom'): Promise<() => Promise<void>> {
  const config = vscode.workspace.getConfiguration('promptlab');
  const before = config.inspect('endpoints')?.globalValue;
  const others = Array.isArray(before) ? before : [];
  await config.update('endpoints', [...others, { baseURL, models: [models], kind }], vscode.ConfigurationTarget.Global);
  return async () => {
    await vscode.workspace.getConfiguration('promptlab').update('endpoints', before, vscode.ConfigurationTarget.Global);
  };
}

/** What the cost question was asked (each message) and how the test answers it (`Run`, or undefined: declined). */
export interface CostQuestions {
  asked: string[];
  answer: string | undefined;
  restore(): void;
}

/**
 * Answers the modal cost question (promptlab.confirmCostAboveUsd) by replacing
 * vscode.window.showWarningMessage: a modal dialog cannot be clicked from the extension host.
 * Every other warning goes to the real window.
 */
export function answerCostQuestions(): CostQuestions {
  type Show = (...args: unknown[]) => Thenable<string | undefined>;
  const window = vscode.window as unknown as { showWarningMessage: Show };
  const original = window.showWarningMessage;
  const questions: CostQuestions = {
    asked: [],
    answer: undefined,
    restore: () => {
      window.showWarningMessage = original;
    },
  };
  window.showWarningMessage = (message: unknown, ...rest: unknown[]) => {
    const options = rest[0] as { modal?: boolean } | undefined;
    if (options?.modal && typeof message === 'string' && message.includes('confirmCostAboveUsd')) {
      questions.asked.push(message);
      return Promise.resolve(questions.answer);
    }
    return original.call(vscode.window, message, ...rest);
  };
  return questions;
}
