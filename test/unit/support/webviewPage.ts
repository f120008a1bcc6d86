/// <reference lib="dom" />
// A built webview script (dist/webview/*.main.js) with its CSS in headless Chromium, behind a fake
// acquireVsCodeApi that records what the page posts: the plain-Node DOM tests of the run panel and
// the compare view. The fake keeps setState()'s value for getState(). Each opened page records its dialogs and every request that left file://.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';

export interface OpenedPage {
  page: Page;
  dialogs: string[];
  /** URLs the page asked for outside file:// (there should be none). */
  requests: string[];
}

export interface WebviewPages {
  /** `state` is what the page's getState() returns at load, as VS Code restores a webview's state. */
  open(viewport?: { width: number; height: number }, state?: unknown): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Launches Chromium on a page loading `script` (relative to the repository) with `styles` from media/. */
export async function webviewPages(script: string, styles: string[]): Promise<WebviewPages> {
  const root = process.cwd();
  const fileUrl = (p: string): string => 'file://' + path.join(root, p);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-webview-'));
  const pagePath = path.join(scratch, 'page.html');
  fs.writeFileSync(
    pagePath,
    `<!DOCTYPE html><html><head><meta charset="utf-8">
${['media/codicons/codicon.css', 'media/webview.css', ...styles].map((css) => `<link rel="stylesheet" href="${fileUrl(css)}">`).join('\n')}
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script>
</head><body><div id="app"></div><script src="${fileUrl(script)}"></script></body></html>`,
  );
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
  });
  return {
    async open(viewport = { width: 1000, height: 700 }, state?: unknown) {
      const page = await browser.newPage({ viewport });
      if (state !== undefined)
        await page.addInitScript((s) => ((window as unknown as { __state: unknown }).__state = s), state);
      const dialogs: string[] = [];
      const requests: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      page.on('request', (r) => {
        if (!r.url().startsWith('file://')) requests.push(r.url());
      });
      await page.goto('file://' + pagePath);
      return { page, dialogs, requests };
    },
    async close() {
      await browser.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
