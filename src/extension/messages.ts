// Every user-facing string of the extension in one place, and the one way messages reach the user:
// a single clear message with an action that leads to the fix.
import * as vscode from 'vscode';
import { Commands } from './commands/ids';

export const Text = {
  outputChannel: 'PromptLab',
  panelTitle: (name: string) => `Run: ${name}`,
  runLens: '▶ Run prompt',
  runLensTooltip: 'Run every test case of this prompt file',
  runCaseLens: '▶ Run case',
  runCaseLensTooltip: (index: number) => `Run test case ${index + 1}`,
  runWithModelLens: 'Run with model…',
  runAsBatchLens: 'Run as batch…',
  runAsBatchTooltip: "Send every test case through the provider's Batch API: half the price, results within 24 hours",
  batchConfirm: (name: string, requests: number, estimate: string) =>
    `Run ${name} as a batch? ${requests} request${requests === 1 ? '' : 's'} (judge and embedding requests follow in a second batch) ` +
    `at the batch price, 50% of the standard price${estimate}. The provider answers within 24 hours; PromptLab waits and shows the results when the batch completes.`,
  batchEstimate: (batchUsd: string, standardUsd: string) =>
    `: about ${batchUsd} instead of ${standardUsd} (from the last run of this file)`,
  batchStart: 'Run as Batch',
  batchProgress: (status: string, completed: number, total: number) =>
    `batch ${status}: ${completed} of ${total} requests`,
  batchCompleted: (name: string, passed: number, total: number) =>
    `Batch run of ${name} completed: ${passed} of ${total} cases passed`,
  batchDetached: (name: string, file: string) =>
    `Stopped waiting for the batch of ${name}; it goes on at the provider. Collect it later with Resume Run in Run History, or: promptlab eval --resume ${file}`,
  showResults: 'Show Results',
  runWithModelTooltip: 'Pick a model and run every test case with it',
  statusRunning: (done: number, total: number, held = '') =>
    `$(loading~spin) PromptLab ${done}/${total}${held ? ` · ${held}` : ''}`,
  statusTooltip: 'PromptLab run in progress: click to show the results',
  progressTitle: (name: string) => `PromptLab: running ${name}`,
  progressCases: (done: number, total: number, held = '') =>
    `${done} of ${total} cases finished${held ? ` (${held})` : ''}`,
  finished: (name: string, passed: number, total: number) => `${name}: ${passed} of ${total} cases passed`,
  noPromptFile: 'Open a .prompt.yml or .prompt.yaml file to run it.',
  notAPromptFile: (file: string) => `${file} is not a prompt file (.prompt.yml or .prompt.yaml).`,
  fileHasErrors: (file: string, count: number, first: string) =>
    `${file} has ${count} problem${count === 1 ? '' : 's'} to fix before it can run: ${first}`,
  noTestCase: (index: number, file: string) => `Test case ${index + 1} does not exist in ${file}.`,
  alreadyRunning: (file: string) => `${file} is already running. Cancel that run first.`,
  untrusted:
    "PromptLab does not run prompts in Restricted Mode: a run sends this workspace's prompts and test data to a model endpoint and uses this workspace's provider configuration. Trust the workspace to run prompts.",
  costEstimate: (requests: number, inputTokens: number, tokenizer: string, cost: string) =>
    `Estimate: ${requests.toLocaleString('en-US')} requests, ${inputTokens.toLocaleString('en-US')} input tokens (${tokenizer}), cost ${cost}`,
  confirmCost: (name: string, high: string, threshold: string, detail: string) =>
    `Running ${name} may cost up to ${high}, above your limit of ${threshold} (promptlab.confirmCostAboveUsd). ${detail}`,
  confirmCostRun: 'Run',
  costDeclined: (high: string) => `Not run: the estimated cost (up to ${high}) was not confirmed.`,
  noModel: (file: string) =>
    `${file} names no model. Add "model:" to the file, set "promptlab.defaultModel", or use "Run with model…".`,
  noEditorModels:
    'No endpoint is configured for this model and the editor offers no language model. Configure an endpoint (promptlab.config.yaml or the promptlab.endpoints setting) and set its API key.',
  editorModelRefused: (detail: string) => `The editor's language model refused the request: ${detail}`,
  pickModel: 'Model to run this prompt with',
  pickModelPlaceholder: 'Type a model id (e.g. openai/gpt-4o-mini) or pick one',
  defaultModelSet: (model: string) => `PromptLab default model set to ${model}.`,
  pickEndpoint: 'Endpoint the key belongs to',
  customEndpoint: 'Another endpoint…',
  customEndpointDetail: 'any OpenAI-compatible server: type its URL',
  customEndpointPrompt: 'Base URL of the endpoint (the key is only ever sent to this origin)',
  invalidUrl: 'Enter an http:// or https:// URL.',
  apiKeyPrompt: (origin: string) => `API key for ${origin} (stored in the editor's secret storage)`,
  apiKeySaved: (origin: string) => `API key for ${origin} saved in secret storage.`,
  apiKeyDeleted: (origin: string) => `API key for ${origin} deleted.`,
  noStoredKeys: 'No API keys are stored.',
  runFailed: (detail: string) => `PromptLab run failed: ${detail}`,
  noProvider: (model: string) => `No model provider is set up for ${model}.`,
  keyRefused: (origin: string, status: string) =>
    `${origin} did not accept the API key (${status}). Set the key for ${origin}.`,
  noRunsStored: 'No stored runs for this prompt file yet.',
  exported: (file: string) => `Results exported to ${file}.`,
  noResultsToExport: 'There are no results to export yet.',
  noCaseOutput: 'That output is no longer available; run the case again.',
  runTestCaseTitle: 'Test case to run',
  deleteKeyTitle: 'Delete the API key of',
  emptyKey: 'The key cannot be empty.',
  typedModel: 'typed model id',
  runsOf: (file: string) => `Runs of ${file}`,
  failed: (detail: string) => `PromptLab: ${detail}`,
  openPromptToCompareModels: 'Open a .prompt.yml file to compare models on its test cases.',
  openPromptToCompareRevision: 'Open a .prompt.yml file to compare it with an earlier revision.',
  pickTwoRuns: 'Pick at least two runs to compare.',
  pickTwoModels: 'Pick at least two models to compare.',
  differentPromptFiles: (count: number) =>
    `These runs are of ${count} different prompt files; cases are matched by their variables.`,
  selectFirst: 'First choose "Select for Compare" on a run, then "Compare with Selected" on another.',
  openComparisonFirst: 'Open a comparison of two runs first.',
  fileHasErrorsToCompare: (file: string, first: string | undefined) =>
    `${file} has errors${first ? `: ${first}` : ''}; fix them before comparing.`,
  noCommits: (file: string) => `${file} has no commits yet.`,
  commitFirst: 'Commit it first.',
  confirmDeleteRun: (what: string) => `Delete ${what}? The run file is removed from disk.`,
  deleteAction: 'Delete',
  compareModelsTitle: 'Compare models: pick two or more',
  compareModelsPlaceholder: 'The same test cases run on each model (cached replies are reused)',
  typeModelIds: '$(edit) Type model ids…',
  typeModelIdsPrompt: 'Model ids, separated by commas',
  compareRunsTitle: 'Compare runs: pick two or more',
  notInBothRuns: (label: string) => `${label} was not run in both of the chosen runs.`,
  compareModelsLens: '$(diff) Compare models…',
  compareRevisionLens: '$(git-compare) Compare with revision…',
} as const;

export const Actions = {
  setUpProvider: 'Set Up a Model Provider…',
  setApiKey: 'Set API Key',
  openSettings: 'Open Settings',
  showLog: 'Show Log',
  manageTrust: 'Manage Workspace Trust',
  showProblems: 'Show Problems',
  configureModels: 'Configure Models…',
} as const;

export type Action = (typeof Actions)[keyof typeof Actions];

/** What an action needs to know about the failure it fixes (the endpoint whose key was refused). */
export interface ActionContext {
  origin?: string;
}

const actionCommands: Record<Action, (context: ActionContext) => Thenable<unknown>> = {
  [Actions.setUpProvider]: () => vscode.commands.executeCommand(Commands.setUpProvider),
  [Actions.setApiKey]: (context) =>
    context.origin
      ? vscode.commands.executeCommand(Commands.setApiKey, context.origin)
      : vscode.commands.executeCommand(Commands.setApiKey),
  [Actions.openSettings]: () => vscode.commands.executeCommand('workbench.action.openSettings', 'promptlab'),
  [Actions.showLog]: () => vscode.commands.executeCommand(Commands.showLog),
  [Actions.manageTrust]: () => vscode.commands.executeCommand('workbench.trust.manage'),
  [Actions.showProblems]: () => vscode.commands.executeCommand('workbench.actions.view.problems'),
  [Actions.configureModels]: () => vscode.commands.executeCommand(Commands.configureModels),
};

/** A model id no endpoint serves: "Configure Models…" writes the routes (src/extension/setup). */
export function isUnroutedModelError(detail: string): boolean {
  return /no endpoint (?:configured for|serves the) model/i.test(detail);
}

export const isAction = (value: unknown): value is Action =>
  typeof value === 'string' && Object.hasOwn(actionCommands, value);

/** Runs the command behind an action (a toast's button, or the run panel's button for the same failure). */
export async function runAction(action: Action, context: ActionContext = {}): Promise<void> {
  await actionCommands[action](context);
}

/** Shows one error with its actions and runs the chosen one. Never throws. */
export async function showError(message: string, ...actions: Action[]): Promise<void> {
  await showErrorWith(message, actions, {});
}

export async function showErrorWith(
  message: string,
  actions: readonly Action[],
  context: ActionContext,
): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, ...actions);
  if (choice) await runAction(choice, context);
}

export async function showWarning(message: string, ...actions: Action[]): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, ...actions);
  if (choice) await runAction(choice);
}
