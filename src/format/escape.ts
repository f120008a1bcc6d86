// One escaper per output kind for untrusted text (model output, test data, file names). Each says
// what it guarantees; callers never write their own.

/** Markdown inline text: every ASCII punctuation character backslash-escaped (no links, HTML, emphasis or @mentions). */
export function escapeMarkdown(text: string, lineBreak: 'space' | 'br' = 'space'): string {
  const escaped = text.replace(/[!-/:-@[-`{-~]/g, (ch) => `\\${ch}`);
  // Inside a table cell a raw line break would end the row: a space, or our own <br>.
  return lineBreak === 'br' ? escaped.replace(/\r?\n/g, '<br>') : escaped.replace(/[\r\n]+/g, ' ');
}

/** A Markdown code fence longer than any backtick run in the text, so the text cannot close it. */
export function markdownFence(text: string, language = 'text'): string {
  const longestRun = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** A CSV cell: quoted when needed; a leading = + - @ is neutralised so spreadsheets never run it as a formula. */
export function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

/** Terminal text: control characters (escape sequences) dropped; line breaks and tabs become spaces unless kept. */
export function sanitizeForTerminal(text: string, keepLines = false): string {
  let out = '';
  for (const ch of text) {
    if (!isControl(ch.codePointAt(0) ?? 0)) out += ch;
    else if (ch === '\n' || ch === '\t') out += keepLines ? ch : ' ';
    else if (ch === '\r' && !keepLines) out += ' ';
  }
  return out;
}

/** XML 1.0 allows tab, line feed, carriage return and U+0020 up; model output may hold anything. */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    code >= 0x10000
  );
}

/** XML text and attribute values: the five special characters as entities, characters XML cannot hold as U+FFFD. */
export function escapeXml(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (!isXmlChar(code)) out += '\ufffd';
    else if (ch === '&') out += '&amp;';
    else if (ch === '<') out += '&lt;';
    else if (ch === '>') out += '&gt;';
    else if (ch === '"') out += '&quot;';
    else if (ch === "'") out += '&apos;';
    else out += ch;
  }
  return out;
}

/** HTML text and attribute values (a webview's shell; the views themselves only set textContent). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
