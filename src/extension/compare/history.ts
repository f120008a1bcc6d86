// The Run History tree in the PromptLab activity bar container: prompt files → their stored runs
// (model, revision, pass rate, cost, when). Runs are read from each workspace folder's run store.
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo } from '../../core/store/runStore';
import { formatCost, formatPercent } from '../../format/numbers';
import type { Logger } from '../log';
import { resumeContextSuffix } from '../run/resume';
import type { PromptWorkspace } from '../workspace/promptWorkspace';

export const HISTORY_VIEW_ID = 'promptlab.runHistory';

export class PromptFileNode {
  readonly kind = 'file';
  constructor(
    readonly promptFile: string,
    readonly runs: RunNode[],
  ) {}
}

export class RunNode {
  readonly kind = 'run';
  constructor(readonly info: RunInfo) {}

  /** The prompt file this run is of (commands resolve their target from it). */
  get promptFile(): string {
    return this.info.header.promptFile;
  }

  get file(): string {
    return this.info.file;
  }
}

export type HistoryNode = PromptFileNode | RunNode;

function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

const cost = (usd: number | null | undefined): string | undefined =>
  usd === null || usd === undefined ? undefined : formatCost(usd);

/** A batch run's provider batch as the running editor last saw it. */
export interface LiveBatch {
  status: string;
  counts: { total: number; completed: number; failed: number };
}

export function describeRun(info: RunInfo, live?: LiveBatch): { label: string; description: string; tooltip: string } {
  const h = info.header;
  const s = info.summary;
  const batchState =
    h.mode !== 'batch'
      ? undefined
      : s
        ? 'batch'
        : live
          ? `batch ${live.status} ${live.counts.completed}/${live.counts.total}`
          : 'batch waiting';
  const revision = h.git?.revision
    ? `@${h.git.revision}`
    : h.git
      ? `@${h.git.commit.slice(0, 7)}${h.git.dirty ? '*' : ''}`
      : undefined;
  const parts = [
    h.label && h.label !== h.model ? h.label : undefined,
    revision,
    batchState,
    s ? formatPercent(s.passRate) : batchState ? undefined : 'unfinished',
    cost(s?.costUsd),
    relativeTime(h.startedAt),
  ].filter((p): p is string => Boolean(p));
  const tooltip = [
    `${h.promptName ?? path.basename(h.promptFile)} — ${h.model}`,
    h.label ? `Label: ${h.label}` : undefined,
    h.git
      ? `Revision: ${h.git.revision ?? ''} ${h.git.commit}${h.git.dirty ? ' (with uncommitted changes)' : ''}`
      : undefined,
    s
      ? `Passed ${s.passedTests}/${s.totalTests} (${formatPercent(s.passRate)}), cost ${cost(s.costUsd) ?? 'unknown'}`
      : batchState
        ? `Its provider batch has not been read yet (${batchState}): Resume Run waits for it and collects it (another machine can, with promptlab eval --resume).`
        : 'The run did not finish.',
    `Started ${new Date(h.startedAt).toLocaleString()}`,
    `Run ${info.id}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { label: h.model, description: parts.join(' · '), tooltip };
}

export class RunHistoryProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The run picked with "Select for Compare". */
  selectedForCompare: RunNode | undefined;

  constructor(
    private readonly workspace: PromptWorkspace,
    private readonly log: Logger,
    /** The live batch state of a run in progress (from the editor's run state). */
    private readonly liveBatch: (runId: string) => LiveBatch | undefined = () => undefined,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node instanceof RunNode) return [];
    if (node instanceof PromptFileNode) return node.runs;
    const runs = await this.allRuns();
    const byFile = new Map<string, RunNode[]>();
    for (const info of runs) {
      const key = info.header.promptFile;
      const list = byFile.get(key);
      const runNode = new RunNode(info);
      if (list) list.push(runNode);
      else byFile.set(key, [runNode]);
    }
    return [...byFile.entries()]
      .sort(([a], [b]) => path.basename(a).localeCompare(path.basename(b)))
      .map(([file, list]) => new PromptFileNode(file, list));
  }

  /** Every stored run of every workspace folder, newest first. */
  async allRuns(): Promise<RunInfo[]> {
    const all: RunInfo[] = [];
    const seenDirs = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const store = await this.workspace.storeFor(folder.uri);
      if (seenDirs.has(store.dir)) continue;
      seenDirs.add(store.dir);
      try {
        all.push(...(await store.list()));
      } catch (error) {
        this.log.warn(`Could not list runs in ${store.dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return all.sort((a, b) => b.header.startedAt.localeCompare(a.header.startedAt));
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    if (node instanceof PromptFileNode) {
      const item = new vscode.TreeItem(path.basename(node.promptFile), vscode.TreeItemCollapsibleState.Expanded);
      item.resourceUri = vscode.Uri.file(node.promptFile);
      item.description = `${node.runs.length} run${node.runs.length === 1 ? '' : 's'}`;
      item.tooltip = node.promptFile;
      item.contextValue = 'promptFile';
      item.iconPath = vscode.ThemeIcon.File;
      return item;
    }
    const { label, description, tooltip } = describeRun(node.info, this.liveBatch(node.info.header.runId));
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const selected = this.selectedForCompare?.file === node.file;
    item.description = selected ? `${description} · selected for compare` : description;
    item.tooltip = tooltip;
    item.id = node.file;
    // `.incomplete` / `.errored` offer "Resume Run" / "Re-run Errored Cases" (package.json menus).
    item.contextValue = `${selected ? 'run.selected' : 'run'}${resumeContextSuffix(node.info)}`;
    const s = node.info.summary;
    item.iconPath = !s
      ? new vscode.ThemeIcon('circle-slash')
      : s.failedTests === 0
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
        : new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
