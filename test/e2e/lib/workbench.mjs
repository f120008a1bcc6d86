// Playwright helpers for the VS Code workbench served by code-server. Selectors were checked against
// code-server 4.139 (VS Code 1.139); every helper waits on what the user would see, with a deadline.
import fs from 'node:fs';
import path from 'node:path';
import { waitFor } from './wait.mjs';

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text) => new RegExp(`^${escapeRegExp(text)}$`);

/**
 * Opens the workbench on `folder` (an absolute path on the code-server machine) and waits until the
 * explorer shows the folder's contents.
 * @param {import('playwright-core').Page} page
 * @param {{ baseUrl: string, folder: string, timeout?: number }} options
 */
export async function openWorkbench(page, { baseUrl, folder, timeout = 120_000 }) {
  await page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout });
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
}

/**
 * The explorer row of one entry. `level` is 1 for entries at the folder root.
 * @param {import('playwright-core').Page} page
 */
export function explorerRow(page, name, level) {
  return page
    .locator(`.explorer-folders-view .monaco-list-row[aria-level="${level}"]`)
    .filter({ has: page.locator('.label-name', { hasText: exactly(name) }) });
}

/**
 * Opens a file by clicking through the explorer, like a person would: expands each folder of
 * `relativePath` ("prompts/greeting.prompt.yml"), clicks the file and waits for its editor tab.
 * @param {import('playwright-core').Page} page
 */
export async function openFileFromExplorer(page, relativePath, { timeout = 30_000 } = {}) {
  const segments = relativePath.split('/').filter(Boolean);
  const fileName = segments[segments.length - 1];
  for (const [index, segment] of segments.entries()) {
    const isFolder = index < segments.length - 1;
    // A row can move between finding it and clicking it (the explorer adds and removes rows while the
    // workspace settles), so a click that did not do what it should is tried again.
    for (let attempt = 1; ; attempt++) {
      const row = explorerRow(page, segment, index + 1).first();
      await row.waitFor({ timeout });
      // The pointer rests where the last click was: its hover (a folder's path) would cover the next row.
      await page.mouse.move(1, 1);
      await explorerSettled(page, timeout);
      if (isFolder && (await row.getAttribute('aria-expanded')) === 'true') break;
      await row.click();
      const done = isFolder
        ? waitFor(async () => (await row.getAttribute('aria-expanded')) === 'true', {
            timeout: 3_000,
            message: `explorer folder ${segments.slice(0, index + 1).join('/')} to expand`,
          })
        : activeEditorTab(page, fileName).waitFor({ timeout: 5_000 });
      try {
        await done;
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
      }
    }
  }
  await activeEditorTab(page, fileName).waitFor({ timeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** Resolves once the explorer's visible rows stay the same for half a second. */
async function explorerSettled(page, timeout) {
  const rows = () =>
    page
      .locator('.explorer-folders-view .monaco-list-row')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('aria-level')}:${e.textContent}:${e.style.top}`).join('|'),
      );
  const deadline = Date.now() + timeout;
  let previous = await rows();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const current = await rows();
    if (current === previous || Date.now() > deadline) return;
    previous = current;
  }
}

/** The active editor tab if it shows the file `fileName` (tab labels split name and suffix, so match the resource). */
export function activeEditorTab(page, fileName) {
  return page.locator(`.tabs-container .tab.active[data-resource-name=${JSON.stringify(fileName)}]`);
}

/**
 * A CodeLens link above the editor's text, by (part of) its text; waits until it is visible.
 * @param {import('playwright-core').Page} page
 * @param {string | RegExp} text
 */
export async function findCodeLens(page, text, { timeout = 30_000 } = {}) {
  const lens = page.locator('.codelens-decoration a', { hasText: text }).first();
  await lens.waitFor({ timeout });
  return lens;
}

/**
 * The content frame of a webview (panel or view). Webviews are an outer iframe (VS Code's host page) holding
 * the extension's document in `#active-frame`. With several webviews open, `nth` picks one (-1 = newest).
 * @param {import('playwright-core').Page} page
 * @returns {import('playwright-core').FrameLocator}
 */
export function webviewFrame(page, { nth } = {}) {
  if (nth === undefined) return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  return page.locator('iframe.webview.ready').nth(nth).contentFrame().frameLocator('#active-frame');
}

/**
 * The content frame of the first ready webview holding `selector` (several webviews may be open); waits for it.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<import('playwright-core').FrameLocator>}
 */
export async function webviewWith(page, selector, { timeout = 60_000, message = selector } = {}) {
  return waitFor(
    async () => {
      const frames = page.locator('iframe.webview.ready');
      for (let i = 0; i < (await frames.count()); i++) {
        const inner = frames.nth(i).contentFrame().frameLocator('#active-frame');
        if ((await inner.locator(selector).count()) > 0) return inner;
      }
      return undefined;
    },
    { timeout, message },
  );
}

/**
 * Right-clicks `row` (a tree or list row) and runs the context menu entry `title`; returns once the menu is gone.
 * @param {import('playwright-core').Page} page
 * @param {import('playwright-core').Locator} row
 */
export async function contextMenuAction(page, row, title) {
  const item = page.locator('.context-view .action-label', { hasText: title }).first();
  // An entry shown by a context key (e.g. "Compare with Selected" after "Select for Compare") can
  // be missing from a menu opened just before the key reached the workbench: close it, open it again.
  await waitFor(
    async () => {
      await row.click({ button: 'right' });
      if (
        await item.waitFor({ timeout: 2_000 }).then(
          () => true,
          () => false,
        )
      )
        return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { timeout: 15_000, message: `the context menu entry "${title}"` },
  );
  await item.hover();
  await item.click();
  // On a busy machine a click can land while the menu is still settling: the entry is
  // highlighted by the hover then, and Enter runs it.
  const menu = page.locator('.context-view .monaco-menu');
  if (
    !(await menu.waitFor({ state: 'hidden', timeout: 3_000 }).then(
      () => true,
      () => false,
    ))
  )
    await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Runs a command from the command palette by its title as shown there (e.g. "PromptLab: Run Prompt").
 * Presses Enter once the highlighted entry is exactly that title: the palette's rows are recycled while it
 * filters, so clicking a row found a moment earlier can hit another command.
 * @param {import('playwright-core').Page} page
 */
export async function runCommand(page, title, { timeout = 30_000 } = {}) {
  const { input } = quickInput(page);
  await page.keyboard.press('F1');
  await input.waitFor({ timeout });
  await input.fill(`>${title}`);
  // Recently used commands are listed first, so a longer title that matches the filter ("Create and Run
  // the Example Prompt" for "Run Prompt") can be highlighted: move down to the exact entry.
  await waitFor(
    async () => {
      const focused = await focusedQuickItemLabel(page);
      if (focused === title) return true;
      if (focused) await input.press('ArrowDown');
      return false;
    },
    { timeout, message: `command palette entry "${title}"` },
  );
  await input.press('Enter');
  await input.waitFor({ state: 'hidden', timeout });
}

/** Label of the highlighted quick input row ('' when none). */
export async function focusedQuickItemLabel(page) {
  const label = quickInput(page).rows.and(page.locator('.focused')).first().locator('.label-name').first();
  if (!(await label.count())) return '';
  return ((await label.textContent()) ?? '').replace(/\u00a0/g, ' ').trim();
}

/**
 * The quick input (command palette, quick picks, input boxes) and its parts.
 * @param {import('playwright-core').Page} page
 */
export function quickInput(page) {
  const widget = page.locator('.quick-input-widget');
  return {
    widget,
    input: widget.locator('.quick-input-box input'),
    rows: widget.locator('.quick-input-list .monaco-list-row'),
  };
}

/** Switches the workbench to the colour theme `name` (e.g. `Light Modern`, `Dark Modern`) through the palette. */
export async function setColorTheme(page, name, { timeout = 60_000 } = {}) {
  const { input } = quickInput(page);
  await page.keyboard.press('F1');
  await input.fill('>Preferences: Color Theme');
  await pickQuickItem(page, 'Preferences: Color Theme', { timeout });
  // Right after start-up the theme list can take a while to fill: filter it to the one wanted.
  await waitFor(async () => ((await input.getAttribute('placeholder')) ?? '').includes('Color Theme'), {
    timeout,
    message: 'the colour theme picker',
  });
  await input.fill(name);
  await pickQuickItem(page, name, { timeout });
  await input.waitFor({ state: 'hidden', timeout });
}

/** Waits for a quick pick row whose label contains `label` and clicks it. */
export async function pickQuickItem(page, label, { timeout = 30_000 } = {}) {
  const row = quickInput(page).rows.filter({ hasText: label }).first();
  await row.waitFor({ timeout });
  await row.click();
}

/**
 * Types `text` into the open input box or quick pick filter and presses Enter.
 * `placeholder`: wait until the box's placeholder or prompt contains it (the answer goes to the intended box).
 * `expectItem`: in a pick list, wait until the highlighted entry contains it (results load asynchronously).
 */
export async function answerQuickInput(page, text, { placeholder, expectItem, timeout = 30_000 } = {}) {
  const { widget, input } = quickInput(page);
  await input.waitFor({ timeout });
  if (placeholder)
    await waitFor(
      async () =>
        ((await input.getAttribute('placeholder')) ?? '').includes(placeholder) ||
        (
          (await widget
            .locator('.quick-input-message')
            .textContent()
            .catch(() => '')) ?? ''
        ).includes(placeholder),
      { timeout, message: `an input box asking for "${placeholder}"` },
    );
  await input.fill(text);
  if (expectItem)
    await waitFor(async () => (await focusedQuickItemLabel(page)).includes(expectItem), {
      timeout,
      message: `highlighted entry "${expectItem}"`,
    });
  await input.press('Enter');
}

/** The language shown in the status bar for the active editor (e.g. "Prompt YAML"). */
export async function statusBarLanguage(page, { timeout = 30_000 } = {}) {
  const item = page.locator('.statusbar-item[id="status.editor.mode"]');
  await item.waitFor({ timeout });
  return (await item.textContent())?.trim() ?? '';
}

/** Texts of the notification toasts currently shown. */
export async function notificationTexts(page) {
  return page.locator('.notification-toast .notification-list-item-message').allTextContents();
}

/** Waits for a notification toast containing `text` and returns its message. */
export async function waitForNotification(page, text, { timeout = 30_000 } = {}) {
  const toast = page.locator('.notification-toast .notification-list-item-message', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return (await toast.textContent()) ?? '';
}

/** Folder for screenshots: `<artifacts>/screenshots`, created on first use. */
export function screenshotDir() {
  const artifacts = process.env.PROMPTLAB_ARTIFACTS ?? path.resolve(import.meta.dirname, '../../../.artifacts');
  const dir = path.join(artifacts, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Saves a full-window screenshot as `.artifacts/screenshots/<name>.png` and returns its path.
 * @param {import('playwright-core').Page} page
 */
export async function screenshot(page, name) {
  const file = path.join(screenshotDir(), `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The run panel's frame whose title is `title` (several panels may be open). */
export async function runPanel(page, title, timeout = 60_000) {
  return waitFor(
    async () => {
      const frames = page.locator('iframe.webview.ready');
      const count = await frames.count();
      for (let i = 0; i < count; i++) {
        const inner = frames.nth(i).contentFrame().frameLocator('#active-frame');
        const heading = inner.locator('h1.title');
        if ((await heading.count()) > 0 && (await heading.textContent()) === title) return inner;
      }
      return undefined;
    },
    { timeout, message: `the run panel "${title}"` },
  );
}
