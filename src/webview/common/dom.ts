// Tiny DOM builders. Text always goes through textContent / Text nodes: model output and
// test variables are untrusted and must never be parsed as HTML.

export interface ElementOptions {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: (Node | undefined)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.text !== undefined) element.textContent = options.text;
  if (options.title !== undefined) element.title = options.title;
  if (options.attrs) for (const [name, value] of Object.entries(options.attrs)) element.setAttribute(name, value);
  for (const child of children) if (child) element.append(child);
  return element;
}

/** A codicon glyph; decorative, so hidden from screen readers (the owner carries the label). */
export function icon(name: string, extraClass = ''): HTMLElement {
  return el('span', {
    className: `codicon codicon-${name}${extraClass ? ' ' + extraClass : ''}`,
    attrs: { 'aria-hidden': 'true' },
  });
}

export function iconButton(iconName: string, label: string, onClick: () => void, text?: string): HTMLButtonElement {
  const button = el(
    'button',
    { className: text ? 'button' : 'icon-button', title: label, attrs: { type: 'button', 'aria-label': label } },
    [icon(iconName), text ? el('span', { text }) : undefined],
  );
  button.addEventListener('click', onClick);
  return button;
}

export function setIcon(element: HTMLElement, name: string, extraClass = ''): void {
  element.className = `codicon codicon-${name}${extraClass ? ' ' + extraClass : ''}`;
}
