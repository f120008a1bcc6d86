// Entry of the run panel (bundled to dist/webview/run.main.js). Every host message is validated
// before use; messages are applied once per animation frame so streaming stays smooth.

import { isRunHostMessage, type RunHostMessage, type RunPanelState, type RunViewMessage } from '../protocol/run';
import { appRoot, onHostMessages } from './common/panelEntry';
import { connectToHost } from './common/vscodeApi';
import { RunView } from './runView';

const host = connectToHost<RunViewMessage, RunPanelState>();
const view = new RunView(
  appRoot('run panel'),
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

onHostMessages(
  'run panel',
  isRunHostMessage,
  (message) => {
    pending.push(message);
    if (!frameRequested) {
      frameRequested = true;
      requestAnimationFrame(flush);
    }
  },
  (detail) => host.post({ type: 'rejected', detail }),
);

host.post({ type: 'ready' });
