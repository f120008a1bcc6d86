// The one place a failed user action becomes a message: every command and panel request hands its
// error here. Each message names what went wrong and offers "Show Log" (plus the action that fixes
// it when there is one); the full error goes to the log, redacted.
import { PromptLabError } from '../core/errors';
import { describeError, type Logger } from './log';
import { Actions, Text, isUnroutedModelError, showError } from './messages';
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
      const detail = describeError(error);
      log.error(`${what} failed`, error);
      // First: the unrouted-model message also mentions setting an API key.
      if (isUnroutedModelError(detail))
        void showError(Text.runFailed(detail), Actions.configureModels, Actions.openSettings, Actions.showLog);
      else if (/api key|401|403|unauthori[sz]ed|authenticat/i.test(detail))
        void showError(Text.runFailed(detail), Actions.setApiKey, Actions.showLog);
      else if (error instanceof PromptLabError && error.kind === 'config')
        void showError(Text.runFailed(detail), Actions.openSettings, Actions.showLog);
      else if (error instanceof PromptLabError && error.kind === 'input' && error.location)
        void showError(detail, Actions.showProblems, Actions.showLog);
      // Bad input without a place in a file (no commits yet, a run file that does not parse): the message says it all.
      else if (error instanceof PromptLabError && error.kind === 'input')
        void showError(Text.failed(detail), Actions.showLog);
      else void showError(Text.runFailed(detail), Actions.showLog);
    },
  };
}
