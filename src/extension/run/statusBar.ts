// The status-bar item while a run is going: "PromptLab 3/10" (plus "rate limited, …" while the
// provider holds the run back), click to show the results. It reads
// the shared run state, so runs from every starter show the same way.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { Text } from '../messages';
import type { RunState } from './runState';

export function createRunStatusBar(state: RunState): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('promptlab.run', vscode.StatusBarAlignment.Left, 10);
  item.name = 'PromptLab run';
  const update = (): void => {
    const record = state.running().at(-1);
    if (!record) {
      item.hide();
      return;
    }
    item.text = Text.statusRunning(record.results.size, record.caseIndexes.length, record.throttle);
    item.tooltip = Text.statusTooltip;
    item.command = { title: 'Show run panel', command: Commands.showRunPanel, arguments: [record.uri] };
    item.show();
  };
  const subscription = state.onDidChange(update);
  return vscode.Disposable.from(subscription, item);
}
