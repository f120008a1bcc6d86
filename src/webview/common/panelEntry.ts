// What every panel entry script does before its view takes over: find the page's root element and
// let through only the host messages that pass the panel's validator.

import { describeRejected } from '../../protocol/common';

/** The page's `#app` element, where the panel renders. */
export function appRoot(panel: string): HTMLElement {
  const root = document.getElementById('app');
  if (!root) throw new Error(`${panel}: #app element missing`);
  return root;
}

/**
 * Calls `handle` with each host message that passes `isMessage`. Any other is logged (and given to
 * `rejected`, for a panel that tells its host) and never reaches the view.
 */
export function onHostMessages<M>(
  panel: string,
  isMessage: (value: unknown) => value is M,
  handle: (message: M) => void,
  rejected?: (detail: string) => void,
): void {
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isMessage(message)) {
      const detail = describeRejected(message);
      console.warn(`PromptLab ${panel}: rejected ${detail}`);
      rejected?.(detail);
      return;
    }
    handle(message);
  });
}
