// Test Explorer: prompt files and their test cases as test items, run through the same engine
// as the CodeLens. A failed string evaluator shows expected vs actual (TestMessage.diff) at the
// case's line; other failures show the evaluator's details.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluatorSpec, PromptFile, TestCase } from '../../core/model';
import type { CaseResult, SampleResult } from '../../core/run/types';
import { renderTemplate } from '../../core/template';
import { KeyedDebouncer } from '../keyedDebouncer';
import { describeError, type Logger } from '../log';
import { Text } from '../messages';
import { RunRefusedError } from '../trust';
import { EXCLUDE_GLOB, PROMPT_GLOB } from '../workspace/promptFiles';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import type { EditorRuns } from './editorRuns';
import type { RunChange, RunState } from './runState';

const REPARSE_DELAY_MS = 300;

export function caseItemId(fileUri: vscode.Uri, caseIndex: number): string {
  return `${fileUri.toString()}#case-${caseIndex}`;
}

function shortVars(vars: Record<string, unknown>): string {
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ')
    .replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
}

interface MirroredRun {
  run: vscode.TestRun;
  items: Map<number, vscode.TestItem>;
  done: Set<number>;
  evaluators: Map<string, EvaluatorSpec>;
}

/** What the Test Explorer was told about one case (also fired for the extension's own tests). */
export interface TestOutcomeReport {
  item: vscode.TestItem;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages: vscode.TestMessage[];
}

export class PromptTests implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly reported = new vscode.EventEmitter<TestOutcomeReport>();
  /** Fires after each case result is reported to a TestRun. */
  readonly onDidReport = this.reported.event;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly reparses = new KeyedDebouncer();
  private discovery: Promise<void> | undefined;

  /** Test runs mirroring runs started elsewhere (CodeLens, run panel), by prompt file. */
  private readonly mirrored = new Map<string, MirroredRun>();

  constructor(
    private readonly runs: EditorRuns,
    private readonly workspace: PromptWorkspace,
    state: RunState,
    private readonly log: Logger,
  ) {
    this.controller = vscode.tests.createTestController('promptlab', 'PromptLab');
    this.controller.resolveHandler = async (item) => {
      if (item) await this.parseFile(item.uri ?? vscode.Uri.parse(item.id));
      else await this.discoverAll();
    };
    this.controller.refreshHandler = async () => {
      this.discovery = undefined;
      await this.discoverAll();
    };
    this.controller.createRunProfile(
      'Run',
      vscode.TestRunProfileKind.Run,
      (request, token) => this.runTests(request, token),
      true,
    );

    const watcher = vscode.workspace.createFileSystemWatcher(PROMPT_GLOB);
    this.disposables.push(
      this.controller,
      this.reported,
      this.reparses,
      watcher,
      watcher.onDidCreate((uri) => void this.parseFile(uri)),
      watcher.onDidChange((uri) => this.scheduleParse(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      // An open document's items follow the prompt workspace's validation (no parse of our own).
      workspace.onDidValidate(({ document, result }) => {
        if (document.uri.scheme === 'file') this.updateItem(document.uri, result.prompt);
      }),
      state.onDidChange((change) => this.mirror(change)),
    );
  }

  /** Finds every prompt file in the workspace and parses it (idempotent; later calls wait for the first). */
  discoverAll(): Promise<void> {
    this.discovery ??= (async () => {
      const files = await vscode.workspace.findFiles(PROMPT_GLOB, EXCLUDE_GLOB);
      await Promise.all(files.map((uri) => this.parseFile(uri)));
    })();
    return this.discovery;
  }

  private scheduleParse(uri: vscode.Uri): void {
    this.reparses.schedule(uri.toString(), REPARSE_DELAY_MS, () => void this.parseFile(uri));
  }

  /** (Re)builds a file's item and its case children from the parsed model. */
  async parseFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    let prompt: PromptFile | undefined;
    try {
      prompt = (await this.workspace.load(uri)).prompt;
    } catch (error) {
      this.log.warn(`Test Explorer: could not read ${uri.fsPath}: ${describeError(error)}`);
    }
    return this.updateItem(uri, prompt);
  }

  private updateItem(uri: vscode.Uri, prompt: PromptFile | undefined): vscode.TestItem {
    const fileItem =
      this.controller.items.get(uri.toString()) ??
      this.controller.createTestItem(uri.toString(), path.basename(uri.fsPath), uri);
    fileItem.description = prompt?.name;
    fileItem.canResolveChildren = false;
    fileItem.range = new vscode.Range(0, 0, 0, 0);
    const children = (prompt?.testData ?? []).map((testCase) => this.caseItem(uri, testCase));
    fileItem.children.replace(children);
    this.controller.items.add(fileItem);
    return fileItem;
  }

  private caseItem(uri: vscode.Uri, testCase: TestCase): vscode.TestItem {
    const itemUri = testCase.sourceFile ? vscode.Uri.file(testCase.sourceFile) : uri;
    const item = this.controller.createTestItem(caseItemId(uri, testCase.index), `Case ${testCase.index + 1}`, itemUri);
    item.description = shortVars(testCase.vars);
    item.range = new vscode.Range(
      testCase.range.start.line,
      testCase.range.start.column,
      testCase.range.end.line,
      testCase.range.end.column,
    );
    item.sortText = String(testCase.index).padStart(6, '0');
    return item;
  }

  /** Runs the requested items, one prompt file at a time. Resolves when the TestRun has ended. */
  async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    await this.discoverAll();
    const run = this.controller.createTestRun(request);
    try {
      for (const [fileItem, caseItems] of this.groupByFile(request)) {
        if (token.isCancellationRequested) {
          for (const item of caseItems) this.skip(run, item);
          continue;
        }
        await this.runFile(run, fileItem, caseItems, token);
      }
    } finally {
      run.end();
    }
  }

  private groupByFile(request: vscode.TestRunRequest): Map<vscode.TestItem, vscode.TestItem[]> {
    const excluded = new Set((request.exclude ?? []).map((i) => i.id));
    const groups = new Map<vscode.TestItem, vscode.TestItem[]>();
    const roots: vscode.TestItem[] = [];
    if (request.include) roots.push(...request.include);
    else this.controller.items.forEach((item) => roots.push(item));
    for (const item of roots) {
      if (excluded.has(item.id)) continue;
      const fileItem = item.parent ?? item;
      const list = groups.get(fileItem) ?? [];
      if (item.parent) list.push(item);
      else item.children.forEach((child) => void (excluded.has(child.id) || list.push(child)));
      groups.set(fileItem, list);
    }
    return groups;
  }

  private async runFile(
    run: vscode.TestRun,
    fileItem: vscode.TestItem,
    caseItems: vscode.TestItem[],
    token: vscode.CancellationToken,
  ): Promise<void> {
    const uri = fileItem.uri;
    if (!uri || caseItems.length === 0) return;
    const byIndex = new Map<number, vscode.TestItem>();
    for (const item of caseItems) {
      const index = Number(item.id.slice(item.id.lastIndexOf('#case-') + 6));
      if (Number.isInteger(index)) byIndex.set(index, item);
    }
    for (const item of byIndex.values()) run.enqueued(item);
    const done = new Set<number>();
    let prompt: PromptFile | undefined;
    try {
      prompt = (await this.workspace.load(uri)).prompt;
      const evaluators = new Map((prompt?.evaluators ?? []).map((e) => [e.name, e]));
      const outcome = await this.runs.run(uri, {
        caseIndexes: [...byIndex.keys()],
        reveal: false,
        progress: false,
        origin: 'tests',
        token,
        onEvent: (event) => {
          if (event.type === 'case-started' && event.sample === 0) {
            const item = byIndex.get(event.caseIndex);
            if (item) run.started(item);
          } else if (event.type === 'case-finished' || event.type === 'case-failed') {
            const item = byIndex.get(event.result.caseIndex);
            if (!item) return;
            done.add(event.result.caseIndex);
            this.report(run, item, event.result, evaluators);
          }
        },
      });
      for (const [index, item] of byIndex) {
        if (done.has(index)) continue;
        if (outcome.cancelled) this.skip(run, item);
        else this.error(run, item, [new vscode.TestMessage('The case produced no result.')]);
      }
    } catch (error) {
      const message = error instanceof RunRefusedError ? Text.untrusted : describeError(error);
      for (const [index, item] of byIndex)
        if (!done.has(index)) this.error(run, item, [new vscode.TestMessage(message)]);
      if (!(error instanceof RunRefusedError)) this.log.error(`Test run of ${uri.fsPath} failed`, error);
    }
  }

  private report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    result: CaseResult,
    evaluators: Map<string, EvaluatorSpec>,
  ): void {
    const duration = result.samples.reduce((sum, s) => sum + s.latencyMs, 0);
    const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
    for (const sample of result.samples) {
      const prefix =
        result.samples.length > 1
          ? `[case ${result.caseIndex + 1}, sample ${sample.sample + 1}] `
          : `[case ${result.caseIndex + 1}] `;
      run.appendOutput(
        `${prefix}${(sample.error !== undefined ? `error: ${sample.error}` : sample.output).replace(/\r?\n/g, '\r\n')}\r\n`,
        location,
        item,
      );
    }
    if (result.passed) {
      run.passed(item, duration);
      this.reported.fire({ item, state: 'passed', messages: [] });
      return;
    }
    const messages = result.samples.flatMap((sample) =>
      this.failureMessages(sample, result, evaluators, result.samples.length > 1),
    );
    if (result.error !== undefined && messages.length === 0) messages.push(new vscode.TestMessage(result.error));
    for (const m of messages) if (location) m.location = location;
    const errored = result.error !== undefined || result.samples.every((s) => s.error !== undefined);
    if (errored) {
      this.error(run, item, messages, duration);
    } else {
      const failures = messages.length > 0 ? messages : [new vscode.TestMessage('The case failed.')];
      run.failed(item, failures, duration);
      this.reported.fire({ item, state: 'failed', messages: failures });
    }
  }

  private error(run: vscode.TestRun, item: vscode.TestItem, messages: vscode.TestMessage[], duration?: number): void {
    run.errored(item, messages, duration);
    this.reported.fire({ item, state: 'errored', messages });
  }

  private skip(run: vscode.TestRun, item: vscode.TestItem): void {
    run.skipped(item);
    this.reported.fire({ item, state: 'skipped', messages: [] });
  }

  private failureMessages(
    sample: SampleResult,
    result: CaseResult,
    evaluators: Map<string, EvaluatorSpec>,
    multiSample: boolean,
  ): vscode.TestMessage[] {
    if (sample.passed) return [];
    const prefix = multiSample ? `Sample ${sample.sample + 1}: ` : '';
    if (sample.error !== undefined) return [new vscode.TestMessage(`${prefix}${sample.error}`)];
    return sample.evaluations
      .filter((e) => !e.passed)
      .map((evaluation) => {
        const spec = evaluators.get(evaluation.evaluatorName);
        const text = `${prefix}${evaluation.evaluatorName}${evaluation.error ? ' (evaluator error)' : ''}: ${evaluation.details}`;
        if (spec?.kind === 'string' && !evaluation.error)
          return vscode.TestMessage.diff(text, renderTemplate(spec.value, result.vars), sample.output);
        return new vscode.TestMessage(text);
      });
  }

  /**
   * A run started elsewhere (CodeLens, run panel, a command) shows in the Test Explorer too: its
   * cases get a TestRun of their own, fed from the shared run state. The Test Explorer's own runs
   * are reported by runFile.
   */
  private mirror(change: RunChange): void {
    const { record } = change;
    if (record.origin === 'tests') return;
    const key = record.uri.toString();
    if (change.kind === 'started') {
      const fileItem = this.controller.items.get(key);
      if (!fileItem) return;
      const items = new Map<number, vscode.TestItem>();
      for (const index of record.caseIndexes) {
        const item = fileItem.children.get(caseItemId(record.uri, index));
        if (item) items.set(index, item);
      }
      if (items.size === 0) return;
      const run = this.controller.createTestRun(
        new vscode.TestRunRequest([...items.values()]),
        record.header?.label ?? record.header?.model,
        false,
      );
      for (const item of items.values()) run.enqueued(item);
      const mirrored: MirroredRun = { run, items, done: new Set(), evaluators: new Map() };
      this.mirrored.set(key, mirrored);
      // For expected-vs-actual diffs; the run loaded this version already, so this is the cached validation.
      this.workspace.load(record.uri).then(
        (loaded) => (mirrored.evaluators = new Map((loaded.prompt?.evaluators ?? []).map((e) => [e.name, e]))),
        () => undefined,
      );
      return;
    }
    const mirrored = this.mirrored.get(key);
    if (!mirrored) return;
    if (change.kind === 'event') {
      const event = change.event;
      if (event.type === 'case-started' && event.sample === 0) {
        const item = mirrored.items.get(event.caseIndex);
        if (item) mirrored.run.started(item);
      } else if (event.type === 'case-finished' || event.type === 'case-failed') {
        const item = mirrored.items.get(event.result.caseIndex);
        if (!item) return;
        mirrored.done.add(event.result.caseIndex);
        this.report(mirrored.run, item, event.result, mirrored.evaluators);
      }
      return;
    }
    if (change.kind === 'ended' || change.kind === 'failed') {
      for (const [index, item] of mirrored.items) {
        if (mirrored.done.has(index)) continue;
        if (change.kind === 'failed')
          this.error(mirrored.run, item, [new vscode.TestMessage(record.failure ?? 'The run failed.')]);
        else this.skip(mirrored.run, item);
      }
      mirrored.run.end();
      this.mirrored.delete(key);
    }
  }

  dispose(): void {
    for (const { run } of this.mirrored.values()) run.end();
    for (const d of this.disposables) d.dispose();
  }
}
