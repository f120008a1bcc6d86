// The editor's run path, for every starter (CodeLens, run panel, Test Explorer, commands): load the
// prompt as the prompt workspace sees it, check trust, resolve models through the one resolver, run
// the engine (with a cancellable notification unless the starter shows its own progress) and
// record everything in the shared RunState, which the panel, Test Explorer and Run History read.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunOptions, RunOutcome } from '../../core/engine';
import { PromptLabError, formatLocation } from '../../core/errors';
import type { PromptFile } from '../../core/model';
import type { RunEvent } from '../../core/run/types';
import type { ModelResolver } from '../../core/providers/types';
import type { RunStore } from '../../core/store/runStore';
import { type Engine, loadEngine } from '../engine';
import { CostNotConfirmedError, explainFailure, markShownInPanel } from '../errors';
import type { Logger } from '../log';
import { Text } from '../messages';
import type { TrustGuard } from '../trust';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import type { RunSettings } from '../settings';
import type { RunOrigin, RunRecord, RunState } from './runState';

export interface RunRequest {
  /** Run only these cases (0-based); default all. */
  caseIndexes?: number[];
  /** Model id overriding the file's `model`. */
  model?: string;
  label?: string;
  /** Show the run panel (default true). A panel that is already open is always updated. */
  reveal?: boolean;
  /** Show cancellable window progress (default true). */
  progress?: boolean;
  /** Who starts the run (default 'editor'). */
  origin?: RunOrigin;
  onEvent?: (event: RunEvent) => void;
  token?: vscode.CancellationToken;
  /** Through the provider's Batch API (Run as batch…): the progress shows the batch's state. */
  batch?: boolean;
  /** Complete this stored run (its file) instead of starting a new one: only missing and errored cases run. */
  resume?: string;
}

/** Runs of at least this many requests get an estimate (and, above the setting, a question) first. */
export const LARGE_RUN_REQUESTS = 10;

function usd(value: number): string {
  if (value === 0) return '$0';
  return value >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}

function costRange(low: number | null, high: number | null): string {
  if (low === null || high === null) return 'unknown (no price for some model)';
  return `${usd(low)} – ${usd(high)}`;
}

export class EditorRuns {
  constructor(
    private readonly workspace: PromptWorkspace,
    private readonly state: RunState,
    private readonly trust: TrustGuard,
    private readonly log: Logger,
  ) {}

  /**
   * Runs a prompt file in the editor. Throws RunRefusedError in Restricted Mode and PromptLabError
   * for anything the user must fix; never loses finished cases (they are in the run file and the
   * run state even when the run fails or is cancelled).
   */
  async run(uri: vscode.Uri, request: RunRequest = {}): Promise<RunOutcome> {
    this.trust.assertRunAllowed();
    const name = path.basename(uri.fsPath);
    const begun = this.state.begin(
      uri,
      request.origin ?? 'editor',
      request.caseIndexes ?? [],
      request.reveal !== false,
    );
    if (!begun) throw new PromptLabError(Text.alreadyRunning(name), 'input', { file: uri.fsPath });
    const { record, signal } = begun;
    const cancelSubscription = request.token?.onCancellationRequested(() => this.state.cancel(uri));
    try {
      const prompt = await this.checkedPrompt(uri);
      const settings = this.workspace.settingsFor(uri);
      const store = await this.workspace.storeFor(uri);
      const stored = request.resume !== undefined ? await store.load(request.resume) : undefined;
      const model = stored?.header.model ?? request.model ?? prompt.model ?? settings.defaultModel;
      if (!model) throw new PromptLabError(Text.noModel(name), 'input', { file: uri.fsPath });
      const engine = await loadEngine();
      // A batch run whose provider batches are still pending is reattached to them (polled, then
      // collected): never submitted again, never run live.
      const reattach = stored !== undefined && engine.hasPendingBatches(stored);
      // A resume is checked (same prompt revision, model, cases) before any model is resolved.
      const plan = stored && !reattach ? engine.planResume(stored, prompt) : undefined;
      const modelIds = [model, engine.DEFAULT_JUDGE_MODEL, ...evaluatorModels(prompt)];
      const [resolver, cache] = await Promise.all([
        this.workspace.resolverFor(uri, modelIds, request.model),
        this.workspace.cacheFor(uri),
      ]);
      record.caseIndexes = plan
        ? [...plan.kept.map((c) => c.caseIndex), ...plan.pending.map((c) => c.index)].sort((a, b) => a - b)
        : stored?.header.caseIndexes
          ? [...stored.header.caseIndexes]
          : (request.caseIndexes ?? (prompt.testData.length === 0 ? [0] : prompt.testData.map((c) => c.index)));
      // The estimate covers what will be sent: the chosen cases, or what a resume still needs. A
      // reattached batch was paid for when it was submitted.
      if (!reattach)
        await this.confirmCost(engine, {
          name,
          prompt,
          model,
          resolver,
          store,
          record,
          settings,
          ...(plan ? { caseSamples: engine.pendingSampleCounts(plan) } : {}),
        });
      const caseCount = record.caseIndexes.length;
      let finished = 0;
      const options: RunOptions = {
        prompt,
        resolver,
        model,
        concurrency: settings.concurrency,
        store,
        signal,
        workspaceRoot: this.workspace.rootFor(uri),
        runWithoutTestData: true,
        onWarning: (warning) => this.log.warn(`${name}: ${warning}`),
        ...(request.caseIndexes ? { caseIndexes: request.caseIndexes } : {}),
        ...(cache ? { cache } : {}),
        ...(request.label ? { label: request.label } : {}),
        ...(request.batch ? { batch: {} } : {}),
      };
      const runWithProgress = (report: (done: number, message?: string) => void): Promise<RunOutcome> => {
        const onEvent = (event: RunEvent): void => {
          if (event.type === 'run-started') {
            const h = event.header;
            this.log.info(
              `Run ${h.runId}: ${name}, ${h.caseCount} case(s), model ${h.model} via ${h.provider} (${h.endpointOrigin})${h.approximate ? ', approximate' : ''}`,
            );
          }
          const held = record.throttle;
          this.state.onEvent(record, event);
          if (event.type === 'throttle' && record.throttle !== held) report(finished);
          if (event.type === 'batch-status')
            report(finished, Text.batchProgress(event.status, event.counts.completed, event.counts.total));
          if (event.type === 'case-finished' || event.type === 'case-failed') {
            finished++;
            report(finished);
            const result = event.result;
            if (!result.passed)
              this.log.info(
                `${name} case ${result.caseIndex + 1}: ${result.error ? `error: ${result.error}` : 'failed'}`,
              );
          }
          request.onEvent?.(event);
        };
        if (!stored) return engine.runPrompt({ ...options, onEvent });
        const {
          store: _store,
          workspaceRoot: _root,
          runWithoutTestData: _noData,
          caseIndexes: _cases,
          label: _label,
          batch: _batch,
          ...shared
        } = options;
        if (reattach) return engine.resumeBatchRun({ ...shared, run: stored, store, batch: {}, onEvent });
        return engine.resumeRun({ ...shared, run: stored, onEvent });
      };
      const outcome =
        request.progress === false
          ? await runWithProgress(() => undefined)
          : await vscode.window.withProgress(
              { location: vscode.ProgressLocation.Notification, title: Text.progressTitle(name), cancellable: true },
              (progress, token) => {
                token.onCancellationRequested(() => this.state.cancel(uri));
                let reported = 0;
                return runWithProgress((done, message) => {
                  const increment = (100 * (done - reported)) / Math.max(1, caseCount);
                  reported = done;
                  progress.report({
                    message: message ?? Text.progressCases(done, caseCount, record.throttle),
                    increment,
                  });
                });
              },
            );
      const s = outcome.summary;
      this.log.info(
        `Run ${outcome.header.runId} ${outcome.cancelled ? 'cancelled' : 'finished'}: ${s.passedTests}/${s.totalTests} passed, ${s.erroredTests} with errors, ${Math.round(s.durationMs)} ms${outcome.runFile ? `, stored in ${outcome.runFile}` : ''}`,
      );
      this.state.end(record, {
        summary: s,
        cancelled: outcome.cancelled,
        ...(outcome.runFile ? { runFile: outcome.runFile } : {}),
      });
      vscode.window.setStatusBarMessage(Text.finished(prompt.name ?? name, s.passedTests, s.totalTests), 5000);
      if (request.batch || reattach) this.announceBatch(uri, prompt.name ?? name, outcome);
      return outcome;
    } catch (error) {
      if (record.running) {
        const { message, actions, context } = explainFailure(error);
        this.state.fail(record, message, { actions, context });
        // The revealed panel shows the message and its buttons; no toast says it again.
        if (record.reveal) markShownInPanel(error);
      }
      throw error;
    } finally {
      cancelSubscription?.dispose();
    }
  }

  /** A batch takes minutes to hours: say when it is done (or how to finish it when the wait stopped). */
  private announceBatch(uri: vscode.Uri, name: string, outcome: RunOutcome): void {
    if (outcome.pendingBatches) {
      void vscode.window.showInformationMessage(Text.batchDetached(name, outcome.runFile ?? outcome.header.runId));
      return;
    }
    const s = outcome.summary;
    void vscode.window
      .showInformationMessage(Text.batchCompleted(name, s.passedTests, s.totalTests), Text.showResults)
      .then((choice) => {
        if (choice === Text.showResults) void vscode.commands.executeCommand('promptlab.showRunPanel', uri);
      });
  }

  /**
   * Before a run of LARGE_RUN_REQUESTS or more requests: core's estimate goes to the run state (the
   * panel shows it) and the log; when its upper bound is above `promptlab.confirmCostAboveUsd` a
   * modal question decides. Throws CostNotConfirmedError unless the user confirms (nothing sent).
   * A resume (Resume Run, Re-run Errored Cases) passes `caseSamples`: only the samples it still
   * sends are counted.
   */
  private async confirmCost(
    engine: Engine,
    run: {
      name: string;
      prompt: PromptFile;
      model: string;
      resolver: ModelResolver;
      store: RunStore;
      record: RunRecord;
      settings: RunSettings;
      caseSamples?: ReadonlyMap<number, number>;
    },
  ): Promise<void> {
    const { prompt, record, caseSamples } = run;
    const requests = caseSamples
      ? [...caseSamples.values()].reduce((n, samples) => n + samples, 0)
      : record.caseIndexes.length * Math.max(1, prompt.repeat || 1);
    if (requests < LARGE_RUN_REQUESTS) return;
    const chosen = new Set(record.caseIndexes);
    const cases =
      prompt.testData.length === 0 || caseSamples
        ? prompt
        : { ...prompt, testData: prompt.testData.filter((c) => chosen.has(c.index)) };
    const estimate = await engine.estimatePrompt({
      prompt: cases,
      resolver: run.resolver,
      model: run.model,
      store: run.store,
      runWithoutTestData: true,
      ...(caseSamples ? { caseSamples } : {}),
    });
    const text = Text.costEstimate(
      estimate.requests,
      estimate.inputTokens,
      estimate.tokenizer,
      costRange(estimate.costUsdLow, estimate.costUsdHigh),
    );
    this.log.info(`${run.name}: ${text}; prices: ${estimate.priceSource}`);
    this.state.estimate(record, `${text} (prices: ${estimate.priceSource})`);
    if (estimate.costUsdHigh === null || estimate.costUsdHigh <= run.settings.confirmCostAboveUsd) return;
    const high = usd(estimate.costUsdHigh);
    const detail = `${text}. Prices: ${estimate.priceSource}.`;
    const answer = await vscode.window.showWarningMessage(
      Text.confirmCost(run.name, high, usd(run.settings.confirmCostAboveUsd), detail),
      { modal: true },
      Text.confirmCostRun,
    );
    if (answer !== Text.confirmCostRun) throw new CostNotConfirmedError(Text.costDeclined(high));
  }

  cancel(uri: vscode.Uri): boolean {
    const cancelled = this.state.cancel(uri);
    if (cancelled) this.log.info(`Cancelling the run of ${uri.fsPath}`);
    return cancelled;
  }

  cancelAll(): void {
    this.state.cancelAll();
  }

  isRunning(uri: vscode.Uri): boolean {
    return this.state.isRunning(uri);
  }

  private async checkedPrompt(uri: vscode.Uri): Promise<PromptFile> {
    const loaded = await this.workspace.load(uri);
    const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0];
    if (!loaded.prompt || first) {
      const where = first
        ? `${formatLocation(path.basename(first.file), first.range)} ${first.message}`
        : 'not a YAML mapping';
      throw new PromptLabError(
        Text.fileHasErrors(path.basename(uri.fsPath), Math.max(1, errors.length), where),
        'input',
        {
          file: uri.fsPath,
          ...(first ? { range: first.range } : {}),
        },
      );
    }
    return loaded.prompt;
  }
}

function evaluatorModels(prompt: PromptFile): string[] {
  const ids: string[] = [];
  for (const e of prompt.evaluators) {
    if ((e.kind === 'llm' || e.kind === 'similarity') && e.modelId) ids.push(e.modelId);
  }
  return ids;
}
