// The one shared state of the editor's runs. Whoever starts a run (CodeLens, run panel, Test
// Explorer, a command) goes through EditorRuns, which records it here; every surface (run panel,
// Test Explorer, Run History, status bar) reads this state and listens to its changes instead of
// being told by the starter. The latest run of each prompt file stays here after it ended.
import * as vscode from 'vscode';
import type { CaseResult, RunEvent, RunHeader, RunSummary } from '../../core/run/types';
import { describeThrottle } from '../../core/schedule/scheduler';
import type { Action, ActionContext } from '../messages';

/** Who started a run: the Test Explorer reports its own runs with the TestRun it already has. */
export type RunOrigin = 'editor' | 'tests';

export interface RunRecord {
  readonly uri: vscode.Uri;
  readonly origin: RunOrigin;
  /** Cases this run runs (0-based); known once the prompt file is loaded. */
  caseIndexes: readonly number[];
  /** Whether the starter wants the run panel shown (a panel that is open always follows). */
  readonly reveal: boolean;
  /** Known once the engine has resolved the model (`run-started`). */
  header?: RunHeader;
  /** Finished cases so far, by case index. */
  readonly results: Map<number, CaseResult>;
  running: boolean;
  /** Set when the run ended with a summary (also when cancelled). */
  ended?: { summary: RunSummary; cancelled: boolean; runFile?: string };
  /** Set when the run failed before or while running (bad file, no endpoint, …): one short sentence. */
  failure?: string;
  /** The actions that fix the failure (the run panel shows them as buttons). */
  fix?: { actions: Action[]; context: ActionContext };
  /** A batch run (`Run as batch…`): its provider batch as last reported. */
  batch?: {
    batchId: string;
    stage: number;
    status: string;
    counts: { total: number; completed: number; failed: number };
  };
  /** Core's estimate of a large run, shown before it starts. */
  estimate?: string;
  /** "rate limited, 12 in flight, waiting 0.8 s" while the provider holds the run back, else empty. */
  throttle?: string;
}

export type RunChange =
  /** Recorded, before the prompt is loaded (a failure to load still belongs to this run). */
  | { kind: 'begun'; record: RunRecord }
  /** The engine resolved the model: `record.header` is set. */
  | { kind: 'started'; record: RunRecord }
  /** The estimate of a large run is known: `record.estimate` is set (before any request). */
  | { kind: 'estimated'; record: RunRecord }
  | { kind: 'event'; record: RunRecord; event: RunEvent }
  | { kind: 'ended'; record: RunRecord }
  | { kind: 'failed'; record: RunRecord };

interface Active {
  record: RunRecord;
  abort: AbortController;
}

export class RunState implements vscode.Disposable {
  private readonly latestByFile = new Map<string, RunRecord>();
  private readonly active = new Map<string, Active>();
  private readonly changed = new vscode.EventEmitter<RunChange>();
  readonly onDidChange = this.changed.event;

  /** The latest run of a prompt file in this session (running or ended). */
  latest(uri: vscode.Uri): RunRecord | undefined {
    return this.latestByFile.get(uri.toString());
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.active.has(uri.toString());
  }

  /** Runs going on now. */
  running(): RunRecord[] {
    return [...this.active.values()].map((a) => a.record);
  }

  /** The live batch state of a running run, by run id (Run History shows it). */
  batchOf(runId: string): RunRecord['batch'] {
    for (const { record } of this.active.values()) if (record.header?.runId === runId) return record.batch;
    return undefined;
  }

  /** Records a new run; undefined when the file is already running. */
  begin(
    uri: vscode.Uri,
    origin: RunOrigin,
    caseIndexes: readonly number[],
    reveal: boolean,
  ): { record: RunRecord; signal: AbortSignal } | undefined {
    const key = uri.toString();
    if (this.active.has(key)) return undefined;
    const record: RunRecord = { uri, origin, caseIndexes, reveal, results: new Map(), running: true };
    const abort = new AbortController();
    this.active.set(key, { record, abort });
    this.latestByFile.set(key, record);
    this.changed.fire({ kind: 'begun', record });
    return { record, signal: abort.signal };
  }

  /** Feeds one engine event into the record and tells every surface. */
  onEvent(record: RunRecord, event: RunEvent): void {
    if (event.type === 'run-started') {
      record.header = event.header;
      this.changed.fire({ kind: 'started', record });
      return;
    }
    if (event.type === 'case-finished' || event.type === 'case-failed')
      record.results.set(event.result.caseIndex, event.result);
    if (event.type === 'batch-status')
      record.batch = { batchId: event.batchId, stage: event.stage, status: event.status, counts: event.counts };
    if (event.type === 'throttle') record.throttle = describeThrottle(event.state);
    this.changed.fire({ kind: 'event', record, event });
  }

  estimate(record: RunRecord, text: string): void {
    record.estimate = text;
    this.changed.fire({ kind: 'estimated', record });
  }

  end(record: RunRecord, ended: NonNullable<RunRecord['ended']>): void {
    record.ended = ended;
    this.finish(record);
    this.changed.fire({ kind: 'ended', record });
  }

  fail(record: RunRecord, message: string, fix?: RunRecord['fix']): void {
    record.failure = message;
    if (fix) record.fix = fix;
    this.finish(record);
    this.changed.fire({ kind: 'failed', record });
  }

  cancel(uri: vscode.Uri): boolean {
    const active = this.active.get(uri.toString());
    if (!active) return false;
    active.abort.abort();
    return true;
  }

  cancelAll(): void {
    for (const active of this.active.values()) active.abort.abort();
  }

  private finish(record: RunRecord): void {
    record.running = false;
    const key = record.uri.toString();
    if (this.active.get(key)?.record === record) this.active.delete(key);
  }

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
  }
}
