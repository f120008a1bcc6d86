// Model replies shown as Markdown, inert by construction: markdown-it only parses (raw HTML off),
// and the tokens become DOM elements from a fixed list with text nodes for every piece of text.
// Nothing is ever assigned as HTML, no attribute of the reply is copied onto an element, links are
// not followable (their target is shown as text) and images are never fetched (shown as their
// alt text and address). So no script, event handler, javascript: link or remote image can act.

import MarkdownIt from 'markdown-it';
const parser = new MarkdownIt({ html: false, linkify: false, typographer: false });
type Token = ReturnType<MarkdownIt['parse']>[number];

/** Block and inline tags a token may become; anything else becomes a plain container. */
const ALLOWED_TAGS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'blockquote',
  'pre',
  'code',
  'em',
  'strong',
  's',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'hr',
  'br',
]);

function element(tag: string): HTMLElement {
  return document.createElement(ALLOWED_TAGS.has(tag) ? tag : 'span');
}

/** Opens an element for an opening token, closes the current one for a closing token; false for neither. */
function nest(token: Token, stack: HTMLElement[], top: () => HTMLElement): boolean {
  if (token.nesting === 1) {
    const opened = element(token.tag);
    top().append(opened);
    stack.push(opened);
    return true;
  }
  if (token.nesting === -1) {
    if (stack.length > 1) stack.pop();
    return true;
  }
  return false;
}

export function renderMarkdownInert(source: string): HTMLElement {
  const root = document.createElement('div');
  root.className = 'markdown';
  const tokens = parser.parse(source, {});
  const stack: HTMLElement[] = [root];
  const top = (): HTMLElement => stack[stack.length - 1] ?? root;
  for (const token of tokens) {
    if (token.type === 'inline') {
      renderInline(token.children ?? [], top());
      continue;
    }
    if (nest(token, stack, top)) continue;
    if (token.type === 'fence' || token.type === 'code_block') {
      const pre = document.createElement('pre');
      const code = document.createElement('code');
      code.textContent = token.content;
      pre.append(code);
      top().append(pre);
    } else if (token.type === 'hr') {
      top().append(document.createElement('hr'));
    } else if (token.content) {
      top().append(document.createTextNode(token.content));
    }
  }
  return root;
}

function renderInline(tokens: Token[], parent: HTMLElement): void {
  const stack: HTMLElement[] = [parent];
  const top = (): HTMLElement => stack[stack.length - 1] ?? parent;
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
      case 'html_inline':
        top().append(document.createTextNode(token.content));
        break;
      case 'code_inline': {
        const code = document.createElement('code');
        code.textContent = token.content;
        top().append(code);
        break;
      }
      case 'softbreak':
        top().append(document.createTextNode('\n'));
        break;
      case 'hardbreak':
        top().append(document.createElement('br'));
        break;
      case 'link_open': {
        // Shown as text with its address beside it; a webview link could navigate or open anything.
        const link = document.createElement('span');
        link.className = 'md-link';
        link.title = token.attrGet('href') ?? '';
        top().append(link);
        stack.push(link);
        break;
      }
      case 'link_close': {
        const link = stack.length > 1 ? stack.pop() : undefined;
        const href = link?.title ?? '';
        if (link && href && href !== link.textContent) {
          const target = document.createElement('span');
          target.className = 'md-link-target';
          target.textContent = ` (${href})`;
          top().append(target);
        }
        break;
      }
      case 'image': {
        const image = document.createElement('span');
        image.className = 'md-image';
        image.textContent = `[image: ${token.content || 'no description'}]`;
        image.title = token.attrGet('src') ?? '';
        top().append(image);
        break;
      }
      default:
        if (!nest(token, stack, top) && token.content) top().append(document.createTextNode(token.content));
    }
  }
}
