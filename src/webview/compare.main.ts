// Entry of the compare view (bundled to dist/webview/compare.main.js). Every host message is
// validated before use; the saved state (filter, run files) survives reloads and restarts.

import {
  isCompareHostMessage,
  isCompareViewState,
  type CompareViewMessage,
  type CompareViewState,
} from '../protocol/compare';
import { appRoot, onHostMessages } from './common/panelEntry';
import { connectToHost } from './common/vscodeApi';
import { CompareView } from './compareView';

const host = connectToHost<CompareViewMessage, CompareViewState>();
const view = new CompareView(
  appRoot('compare view'),
  (message) => host.post(message),
  (state) => host.saveState(state),
  host.loadState(isCompareViewState),
);

onHostMessages('compare view', isCompareHostMessage, (message) => view.handle(message));

host.post({ type: 'ready' });
