// Entry of the compare view (bundled to dist/webview/compare.main.js). Every host message is
// validated before use; the saved state (filter, run files) survives reloads and restarts.

import { describeRejected } from '../protocol/common';
import {
  isCompareHostMessage,
  isCompareViewState,
  type CompareViewMessage,
  type CompareViewState,
} from '../protocol/compare';
import { connectToHost } from './common/vscodeApi';
import { CompareView } from './compareView';

const host = connectToHost<CompareViewMessage, CompareViewState>();
const root = document.getElementById('app');
if (!root) throw new Error('compare view: #app element missing');

const view = new CompareView(
  root,
  (message) => host.post(message),
  (state) => host.saveState(state),
  host.loadState(isCompareViewState),
);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isCompareHostMessage(message)) {
    console.warn(`PromptLab compare view: rejected ${describeRejected(message)}`);
    return;
  }
  view.handle(message);
});

host.post({ type: 'ready' });
