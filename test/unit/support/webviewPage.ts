// A built webview bundle in headless Chromium for DOM tests: a page with the panel's CSS and a fake
// acquireVsCodeApi whose posted messages collect in `window.__posted` and whose state lives in
// `window.__state`. The extension's own HTML (CSP, nonces) is tested in the extension host.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export interface WebviewTestPage {
  browser: Browser;
  /** The page's file:// URL. */
  url: string;
  close(): Promise<void>;
}

/** `bundle` and `styles` are paths from the repository root (`process.cwd()`). */
export async function webviewTestPage(bundle: string, styles: string[]): Promise<WebviewTestPage> {
  const fileUrl = (p: string): string => 'file://' + path.join(process.cwd(), p);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-webview-'));
  const pagePath = path.join(scratch, 'page.html');
  const links = ['media/codicons/codicon.css', 'media/webview.css', ...styles]
    .map((css) => `<link rel="stylesheet" href="${fileUrl(css)}">`)
    .join('\n');
  fs.writeFileSync(
    pagePath,
    `<!DOCTYPE html><html><head><meta charset="utf-8">
${links}
<script>window.__posted = []; window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });</script>
</head><body><div id="app"></div><script src="${fileUrl(bundle)}"></script></body></html>`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
  });
  return {
    browser,
    url: 'file://' + pagePath,
    close: async () => {
      await browser.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
