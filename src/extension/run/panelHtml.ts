// The run panel's HTML shell: a strict CSP with a fresh nonce per load; only the bundled script,
// the theme-aware CSS and the codicon font from the extension's own media/ and dist/ folders.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { escapeHtml } from '../../format/escape';

/** Only these folders are visible to webviews (localResourceRoots). */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, localResourceRoots: webviewRoots(extensionUri), enableFindWidget: true };
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource}`,
  ].join('; ');
}

export function panelHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  entry: string,
  styles: string[],
  title: string,
): string {
  const nonce = randomBytes(18).toString('base64');
  const asset = (...segments: string[]) =>
    webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...segments)).toString();
  const links = ['media/codicons/codicon.css', 'media/webview.css', ...styles]
    .map((style) => `<link rel="stylesheet" href="${asset(...style.split('/'))}">`)
    .join('\n    ');
  const safeTitle = escapeHtml(title);
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    ${links}
    <title>${safeTitle}</title>
  </head>
  <body>
    <div id="app"></div>
    <script nonce="${nonce}" src="${asset('dist', 'webview', entry)}"></script>
  </body>
</html>`;
}
