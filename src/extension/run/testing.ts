// Test Explorer: prompt files and their test cases as test items, run through the same engine
// as the CodeLens. A failed string evaluator shows expected vs actual (TestMessage.diff) at the
// case's line; other failures show the evaluator's details.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EvaluatorSpec, PromptFile, TestCase } from '../../core/model';
import type { CaseResult, SampleResult } from '../../core/run/types';
import { describeError, type Logger } from '../log';
import { Text } from '../messages';
import { RunRefusedError } from '../trust';
import { loadCore, type RunController } from './controller';

const PROMPT_GLOB = '**/*.prompt.{yml,yaml}';
const EXCLUDE_GLOB = '**/{node_modules,.git,.promptlab}/**';
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
  private readonly reparseTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private discovery: Promise<void> | undefined;

  constructor(
    private readonly runs: RunController,
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
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.runTests(request, token), true);

    const watcher = vscode.workspace.createFileSystemWatcher(PROMPT_GLOB);
    this.disposables.push(
      this.controller,
      this.reported,
      watcher,
      watcher.onDidCreate((uri) => void this.parseFile(uri)),
      watcher.onDidChange((uri) => this.scheduleParse(uri)),
      watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString())),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme === 'file' && /\.prompt\.ya?ml$/i.test(e.document.uri.path)) this.scheduleParse(e.document.uri);
      }),
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
    const key = uri.toString();
    const pending = this.reparseTimers.get(key);
    if (pending) clearTimeout(pending);
    this.reparseTimers.set(
      key,
      setTimeout(() => {
        this.reparseTimers.delete(key);
        void this.parseFile(uri);
      }, REPARSE_DELAY_MS),
    );
  }

  /** (Re)builds a file's item and its case children from the parsed model. */
  async parseFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    let prompt: PromptFile | undefined;
    try {
      prompt = (await this.runs.loadPrompt(uri)).prompt;
    } catch (error) {
      this.log.warn(`Test Explorer: could not read ${uri.fsPath}: ${describeError(error)}`);
    }
    const fileItem = this.controller.items.get(uri.toString()) ?? this.controller.createTestItem(uri.toString(), path.basename(uri.fsPath), uri);
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
    item.range = new vscode.Range(testCase.range.start.line, testCase.range.start.column, testCase.range.end.line, testCase.range.end.column);
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

  private async runFile(run: vscode.TestRun, fileItem: vscode.TestItem, caseItems: vscode.TestItem[], token: vscode.CancellationToken): Promise<void> {
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
      prompt = (await this.runs.loadPrompt(uri)).prompt;
      const evaluators = new Map((prompt?.evaluators ?? []).map((e) => [e.name, e]));
      const core = await loadCore();
      const outcome = await this.runs.run(uri, {
        caseIndexes: [...byIndex.keys()],
        reveal: false,
        progress: false,
        token,
        onEvent: (event) => {
          if (event.type === 'case-started' && event.sample === 0) {
            const item = byIndex.get(event.caseIndex);
            if (item) run.started(item);
          } else if (event.type === 'case-finished' || event.type === 'case-failed') {
            const item = byIndex.get(event.result.caseIndex);
            if (!item) return;
            done.add(event.result.caseIndex);
            this.report(run, item, event.result, evaluators, (template, vars) => core.renderTemplate(template, vars));
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
      for (const [index, item] of byIndex) if (!done.has(index)) this.error(run, item, [new vscode.TestMessage(message)]);
      if (!(error instanceof RunRefusedError)) this.log.error(`Test run of ${uri.fsPath} failed`, error);
    }
  }

  private report(
    run: vscode.TestRun,
    item: vscode.TestItem,
    result: CaseResult,
    evaluators: Map<string, EvaluatorSpec>,
    render: (template: string, vars: Record<string, unknown>) => string,
  ): void {
    const duration = result.samples.reduce((sum, s) => sum + s.latencyMs, 0);
    const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
    for (const sample of result.samples) {
      const prefix = result.samples.length > 1 ? `[case ${result.caseIndex + 1}, sample ${sample.sample + 1}] ` : `[case ${result.caseIndex + 1}] `;
      run.appendOutput(`${prefix}${(sample.error !== undefined ? `error: ${sample.error}` : sample.output).replace(/\r?\n/g, '\r\n')}\r\n`, location, item);
    }
    if (result.passed) {
      run.passed(item, duration);
      this.reported.fire({ item, state: 'passed', messages: [] });
      return;
    }
    const messages = result.samples.flatMap((sample) => this.failureMessages(sample, result, evaluators, render, result.samples.length > 1));
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
    render: (template: string, vars: Record<string, unknown>) => string,
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
        if (spec?.kind === 'string' && !evaluation.error) return vscode.TestMessage.diff(text, render(spec.value, result.vars), sample.output);
        return new vscode.TestMessage(text);
      });
  }

  dispose(): void {
    for (const timer of this.reparseTimers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}
