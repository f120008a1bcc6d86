// What the setup features use from the shared services built in activate().
import type { Logger } from '../log';
import type { TrustGuard } from '../trust';
import type { PromptWorkspace } from '../workspace/promptWorkspace';

export interface SetupServices {
  workspace: PromptWorkspace;
  trust: TrustGuard;
  log: Logger;
}
