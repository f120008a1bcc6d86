// Entry of the run panel (bundled to dist/webview/run.main.js). Every host message is validated
// before use; messages are applied once per animation frame so streaming stays smooth.

import { describeRejected } from '../protocol/common';
import { isRunHostMessage, type RunHostMessage, type RunPanelState, type RunViewMessage } from '../protocol/run';
import { connectToHost } from './common/vscodeApi';
import { RunView } from './runView';

const host = connectToHost<RunViewMessage, RunPanelState>();
const root = document.getElementById('app');
if (!root) throw new Error('run panel: #app element missing');

const view = new RunView(
  root,
  (message) => host.post(message),
  (state) => host.saveState(state),
);

const pending: RunHostMessage[] = [];
let frameRequested = false;

function flush(): void {
  frameRequested = false;
  const batch = pending.splice(0, pending.length);
  for (const message of batch) view.handle(message);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isRunHostMessage(message)) {
    const detail = describeRejected(message);
    console.warn(`PromptLab run panel: rejected ${detail}`);
    host.post({ type: 'rejected', detail });
    return;
  }
  pending.push(message);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(flush);
  }
});

host.post({ type: 'ready' });
