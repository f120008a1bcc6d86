// The one place a failed user action becomes a message: every command and panel request hands its
// error here. A message says what went wrong once and offers the action that fixes it (the run panel
// shows the same message and buttons for a run it shows): the failures recognised below get a short
// sentence of their own, any other shows the error's own text. The full error always goes to the
// log, redacted.
import { PromptLabError } from '../core/errors';
import { describeError, type Logger } from './log';
import { Actions, Text, isUnroutedModelError, showErrorWith, type Action, type ActionContext } from './messages';
import { RunRefusedError, type TrustGuard } from './trust';

/** The user did not confirm a run's estimated cost; nothing was sent (not an error to show). */
export class CostNotConfirmedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CostNotConfirmedError';
  }
}

export interface ErrorReporter {
  /** Logs the error and shows it; never throws and does not wait for the user. `what` names the action. */
  report(error: unknown, what?: string): void;
}

/** A failure as the user sees it: one message, and the actions that fix it. */
export interface ExplainedFailure {
  message: string;
  actions: Action[];
  context: ActionContext;
}

const unroutedModel = (error: unknown, detail: string): string | undefined => {
  if (!isUnroutedModelError(detail)) return undefined;
  const id = (error as { modelId?: unknown }).modelId;
  return typeof id === 'string' ? id : (/model "([^"]+)"/.exec(detail)?.[1] ?? 'this model');
};

/**
 * One explanation per failure, for the toast and the run panel alike. An unrouted model and a refused
 * key get a short message (the config snippet and the provider's words only in the log); any other
 * failure shows its own text (`Text.runFailed(detail)`), which can include what the provider said.
 */
export function explainFailure(error: unknown): ExplainedFailure {
  const detail = describeError(error);
  const model = unroutedModel(error, detail);
  if (model !== undefined)
    return {
      message: Text.noProvider(model),
      actions: [Actions.setUpProvider, Actions.configureModels],
      context: {},
    };
  const keyRefused = /\((401|403)\) (?:for|at) (https?:\/\/[^\s;,:]+(?::\d+)?)/.exec(detail);
  if (keyRefused && /api key|401/i.test(detail)) {
    const origin = keyRefused[2] ?? '';
    return {
      message: Text.keyRefused(origin, keyRefused[1] ?? '401'),
      actions: [Actions.setApiKey, Actions.showLog],
      context: { origin },
    };
  }
  if (/api key|401|403|unauthori[sz]ed|authenticat/i.test(detail))
    return { message: Text.runFailed(detail), actions: [Actions.setApiKey, Actions.showLog], context: {} };
  if (error instanceof PromptLabError && error.kind === 'config')
    return { message: Text.runFailed(detail), actions: [Actions.openSettings, Actions.showLog], context: {} };
  if (error instanceof PromptLabError && error.kind === 'input' && error.location)
    return { message: detail, actions: [Actions.showProblems, Actions.showLog], context: {} };
  // Bad input without a place in a file (no commits yet, a run file that does not parse): the message says it all.
  if (error instanceof PromptLabError && error.kind === 'input')
    return { message: Text.failed(detail), actions: [Actions.showLog], context: {} };
  return { message: Text.runFailed(detail), actions: [Actions.showLog], context: {} };
}

/** Marks an error the run panel already shows with its actions: the reporter then only logs it. */
const SHOWN_IN_PANEL = Symbol('promptlab.shownInPanel');

export function markShownInPanel(error: unknown): void {
  if (typeof error === 'object' && error !== null) (error as Record<symbol, boolean>)[SHOWN_IN_PANEL] = true;
}

const shownInPanel = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[SHOWN_IN_PANEL] === true;

export function createErrorReporter(log: Logger, trust: TrustGuard): ErrorReporter {
  return {
    report(error, what = 'Run') {
      if (error instanceof CostNotConfirmedError) {
        log.info(error.message);
        return;
      }
      if (error instanceof RunRefusedError) {
        log.warn(`${what} refused: ${error.message}`);
        void trust.explainRefusal();
        return;
      }
      log.error(`${what} failed`, error);
      // Said once: where the run panel shows the failure and its buttons, no toast repeats it.
      if (shownInPanel(error)) return;
      const { message, actions, context } = explainFailure(error);
      void showErrorWith(message, actions, context);
    },
  };
}
