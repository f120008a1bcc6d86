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
  constructor(
    readonly info: RunInfo,
    /** How the row tells this run from the file's other runs. */
    readonly shown: DescribeOptions = {},
  ) {}

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
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** When a run started, short: the time today, else the day and time (seconds when two runs would read alike). */
export function startedText(iso: string, withSeconds = false, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
  });
  if (date.toDateString() === now.toDateString()) return time;
  const day = date.toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
  return `${day} ${time}`;
}

const cost = (usd: number | null | undefined): string | undefined =>
  usd === null || usd === undefined ? undefined : formatCost(usd);

/** A batch run's provider batch as the running editor last saw it. */
export interface LiveBatch {
  status: string;
  counts: { total: number; completed: number; failed: number };
}

/** Pass rate at or above which a run counts as mostly passing (a green outline check, not a red cross). */
export const MOSTLY_PASSING_PERCENT = 80;
/** Below this a run is mostly failing (a red cross); in between, a warning. */
export const MOSTLY_FAILING_PERCENT = 50;

/** The icon of a finished run by its pass rate: every case passed, most, some, or few. */
export function passRateIcon(passRate: number | undefined): { id: string; color?: string; meaning: string } {
  if (passRate === undefined) return { id: 'circle-slash', meaning: 'did not finish' };
  if (passRate >= 100) return { id: 'pass-filled', color: 'testing.iconPassed', meaning: 'every case passed' };
  if (passRate >= MOSTLY_PASSING_PERCENT)
    return { id: 'pass', color: 'testing.iconPassed', meaning: `${MOSTLY_PASSING_PERCENT}% or more passed` };
  if (passRate >= MOSTLY_FAILING_PERCENT)
    return {
      id: 'warning',
      color: 'editorWarning.foreground',
      meaning: `${MOSTLY_FAILING_PERCENT}–${MOSTLY_PASSING_PERCENT}% passed`,
    };
  return { id: 'error', color: 'testing.iconFailed', meaning: `under ${MOSTLY_FAILING_PERCENT}% passed` };
}

/** A model id without its `vendor/` part (`openai/gpt-4o-mini` → `gpt-4o-mini`), for the narrow label. */
const shortModel = (model: string): string => model.slice(model.lastIndexOf('/') + 1) || model;

export interface DescribeOptions {
  /** Keep the vendor in the label (another run of the file has the same short name on another vendor). */
  fullModel?: boolean;
  /** Give the start time to the second (another run of the file would read the same). */
  seconds?: boolean;
}

/**
 * A run as one tree row, most telling first so the default sidebar width shows it: the label is the
 * model, the description the pass rate, revision, start time and cost; the tooltip has it all in full.
 */
export function describeRun(
  info: RunInfo,
  live?: LiveBatch,
  options: DescribeOptions = {},
): { label: string; description: string; tooltip: string } {
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
    batchState,
    s ? formatPercent(s.passRate) : batchState ? undefined : 'unfinished',
    revision,
    startedText(h.startedAt, options.seconds),
    cost(s?.costUsd),
  ].filter((p): p is string => Boolean(p));
  const icon = passRateIcon(s?.passRate);
  const tooltip = [
    `${h.promptName ?? path.basename(h.promptFile)} — ${h.model}`,
    h.label ? `Label: ${h.label}` : undefined,
    h.git
      ? `Revision: ${h.git.revision ?? ''} ${h.git.commit}${h.git.dirty ? ' (with uncommitted changes)' : ''}`
      : 'Revision: not in a git repository',
    s
      ? `Passed ${s.passedTests} of ${s.totalTests} (${formatPercent(s.passRate)}: ${icon.meaning})${s.erroredTests ? `, ${s.erroredTests} errored` : ''}; cost ${cost(s.costUsd) ?? 'unknown'}`
      : batchState
        ? `Its provider batch has not been read yet (${batchState}): Resume Run waits for it and collects it (another machine can, with promptlab eval --resume).`
        : 'The run did not finish.',
    `Started ${new Date(h.startedAt).toLocaleString()} (${relativeTime(h.startedAt)})`,
    `Run ${info.id}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { label: options.fullModel ? h.model : shortModel(h.model), description: parts.join(' · '), tooltip };
}

/** How each run of one file is told apart from the others (vendor kept, seconds shown) where needed. */
export function distinguishRuns(runs: readonly RunInfo[]): DescribeOptions[] {
  const shortNames = new Map<string, Set<string>>();
  for (const run of runs) {
    const name = shortModel(run.header.model);
    shortNames.set(name, (shortNames.get(name) ?? new Set()).add(run.header.model));
  }
  const options = runs.map((run) => ({ fullModel: (shortNames.get(shortModel(run.header.model))?.size ?? 0) > 1 }));
  const keys = runs.map((run, i) => {
    const { label, description } = describeRun(run, undefined, options[i]);
    return `${label}\u0000${description}`;
  });
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return options.map((o, i) => ({ ...o, seconds: (counts.get(keys[i] ?? '') ?? 0) > 1 }));
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
    const byFile = new Map<string, RunInfo[]>();
    for (const info of runs) {
      const key = info.header.promptFile;
      const list = byFile.get(key);
      if (list) list.push(info);
      else byFile.set(key, [info]);
    }
    return [...byFile.entries()]
      .sort(([a], [b]) => path.basename(a).localeCompare(path.basename(b)))
      .map(([file, list]) => {
        const shown = distinguishRuns(list);
        return new PromptFileNode(
          file,
          list.map((info, i) => new RunNode(info, shown[i])),
        );
      });
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
    const { label, description, tooltip } = describeRun(node.info, this.liveBatch(node.info.header.runId), node.shown);
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    const selected = this.selectedForCompare?.file === node.file;
    item.description = selected ? `${description} · selected for compare` : description;
    item.tooltip = tooltip;
    item.id = node.file;
    // `.incomplete` / `.errored` offer "Resume Run" / "Re-run Errored Cases" (package.json menus).
    item.contextValue = `${selected ? 'run.selected' : 'run'}${resumeContextSuffix(node.info)}`;
    const icon = passRateIcon(node.info.summary?.passRate);
    item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
