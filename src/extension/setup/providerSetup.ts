// "Set Up a Model Provider…" (the walkthrough's first step, the Run History empty state, the action
// of a "no provider" error): pick where prompts run, answer only what that choice needs, and it is
// written where it belongs — the key in SecretStorage for the origin the user chose (never in a
// setting or a file), the endpoint in the machine-level `promptlab.endpoints` setting (which a
// workspace cannot change). Then it offers to create and run the example prompt.
import * as vscode from 'vscode';
import { Commands } from '../commands/ids';
import { activeWorkspaceFolder } from '../commands/targets';
import { loadEngine } from '../engine';
import { editorModels } from '../models/vscodeLm';
import { EDITOR_MODEL_PREFIX } from '../models/resolver';
import type { EndpointSetting } from '../settings';
import {
  baseUrlProblem,
  EXAMPLE_FILE_NAME,
  examplePromptText,
  keyOriginFor,
  planProvider,
  providerChoice,
  providerChoices,
  mergeEndpoint,
  PROVIDER_CHOICES,
  type ProviderAnswers,
  type ProviderChoiceId,
  type ProviderPlan,
} from './providerChoices';
import type { SetupServices } from './services';
import { SetupText } from './text';
import { writeText } from './writeText';

/** Scripted use (tests): answers given in advance; the key is never an argument (it is asked for or already stored). */
export interface SetUpProviderArgs {
  provider?: ProviderChoiceId;
  baseURL?: string;
  deployment?: string;
  servedModel?: string;
  /** true: create and run the example without asking; false: do not offer it. */
  example?: boolean;
}

export interface SetUpProviderResult {
  plan: ProviderPlan;
  /** The example file, when it was created (or reused) and its run started. */
  example?: vscode.Uri;
}

/** The model the last set-up routed, for "Create and Run the Example" later (a model id, no secret). */
const EXAMPLE_MODEL_KEY = 'promptlab.exampleModel';

const isChoice = (value: unknown): value is ProviderChoiceId =>
  typeof value === 'string' && (PROVIDER_CHOICES as readonly string[]).includes(value);

async function askChoice(): Promise<ProviderChoiceId | undefined> {
  const picked = await vscode.window.showQuickPick(
    providerChoices().map((c) => ({ label: c.label, detail: c.detail, id: c.id })),
    { title: SetupText.setupTitle, placeHolder: SetupText.setupPlaceholder, ignoreFocusOut: true },
  );
  return picked?.id;
}

async function askBaseURL(id: ProviderChoiceId): Promise<string | undefined> {
  const choice = providerChoice(id);
  const answer = await vscode.window.showInputBox({
    title: choice.label,
    prompt: SetupText.baseUrlQuestion(id),
    ...(choice.baseURL ? { value: choice.baseURL } : { placeHolder: SetupText.baseUrlPlaceholder(id) }),
    ignoreFocusOut: true,
    validateInput: (v) => baseUrlProblem(v),
  });
  return answer?.trim();
}

async function askKey(id: ProviderChoiceId, origin: string, stored: boolean): Promise<{ key?: string } | undefined> {
  const choice = providerChoice(id);
  const optional = choice.key === 'optional' || stored;
  const answer = await vscode.window.showInputBox({
    title: choice.label,
    prompt: SetupText.keyQuestion(origin, choice.key === 'optional', stored),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (optional || v.trim() ? undefined : SetupText.keyRequired),
  });
  if (answer === undefined) return undefined;
  return answer.trim() ? { key: answer.trim() } : {};
}

/** A model the server lists (GET /models), or one typed when it lists none or cannot be reached. */
async function askServedModel(
  id: ProviderChoiceId,
  baseURL: string,
  apiKey: string | undefined,
): Promise<string | undefined> {
  const core = await loadEngine();
  let listed: string[] = [];
  let problem: string | undefined;
  try {
    listed = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: SetupText.listingModels(baseURL) },
      () => core.listModelsAt({ baseURL, ...(apiKey ? { apiKey } : {}) }),
    );
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const title = providerChoice(id).label;
  if (listed.length > 0) {
    const typeOwn = { label: SetupText.typeModel, id: '' };
    const picked = await vscode.window.showQuickPick([...listed.map((m) => ({ label: m, id: m })), typeOwn], {
      title,
      placeHolder: SetupText.pickServedModel(listed.length),
      ignoreFocusOut: true,
    });
    if (!picked) return undefined;
    if (picked !== typeOwn) return picked.id;
  }
  const typed = await vscode.window.showInputBox({
    title,
    prompt: problem ? SetupText.typeModelAfter(problem) : SetupText.typeModelPrompt,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : SetupText.modelRequired),
  });
  return typed?.trim();
}

/** The editor's models: which one the example uses. Undefined when there is none (said) or none was picked. */
async function askEditorModel(): Promise<string | undefined> {
  const models = await editorModels();
  if (models.length === 0) {
    void vscode.window.showWarningMessage(SetupText.noEditorModels);
    return undefined;
  }
  const picked =
    models.length === 1
      ? models[0]
      : (
          await vscode.window.showQuickPick(
            models.map((m) => ({ label: m.name, description: `${m.vendor}/${m.id}`, model: m })),
            { title: providerChoice('editor').label, placeHolder: SetupText.pickEditorModel, ignoreFocusOut: true },
          )
        )?.model;
  return picked ? `${EDITOR_MODEL_PREFIX}/${picked.id}` : undefined;
}

async function writeEndpoint(endpoint: EndpointSetting): Promise<void> {
  const config = vscode.workspace.getConfiguration('promptlab');
  const current = config.inspect<unknown[]>('endpoints')?.globalValue;
  await config.update(
    'endpoints',
    mergeEndpoint(Array.isArray(current) ? current : [], endpoint),
    vscode.ConfigurationTarget.Global,
  );
}

export async function setUpProvider(
  services: SetupServices,
  args: SetUpProviderArgs = {},
): Promise<SetUpProviderResult | undefined> {
  const { keys, log } = services;
  const id = isChoice(args.provider) ? args.provider : await askChoice();
  if (!id) return undefined;
  const choice = providerChoice(id);
  let plan: ProviderPlan;
  if (id === 'editor') {
    const model = await askEditorModel();
    if (!model) return undefined;
    const config = vscode.workspace.getConfiguration('promptlab');
    if (!config.get<boolean>('useEditorLanguageModels', true))
      await config.update('useEditorLanguageModels', true, vscode.ConfigurationTarget.Global);
    plan = { exampleModel: model };
  } else {
    const answers: ProviderAnswers = {};
    const baseURL = args.baseURL ?? (choice.asksBaseURL ? await askBaseURL(id) : choice.baseURL);
    if (!baseURL) return undefined;
    answers.baseURL = baseURL;
    if (choice.asksDeployment) {
      const deployment =
        args.deployment ??
        (await vscode.window.showInputBox({
          title: choice.label,
          prompt: SetupText.deploymentQuestion,
          value: 'gpt-4o-mini',
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : SetupText.deploymentRequired),
        }));
      if (!deployment) return undefined;
      answers.deployment = deployment;
    }
    const keyOrigin = keyOriginFor(id, baseURL);
    let key: string | undefined;
    if (keyOrigin) {
      const storedKey = await keys.get(keyOrigin);
      const answer = await askKey(id, keyOrigin, storedKey !== undefined);
      if (!answer) return undefined;
      key = answer.key ?? storedKey;
      if (answer.key) await keys.set(keyOrigin, answer.key);
    }
    if (choice.picksServedModel) {
      const served = args.servedModel ?? (await askServedModel(id, baseURL, key));
      if (!served) return undefined;
      answers.servedModel = served;
    }
    plan = planProvider(id, answers);
    if (plan.endpoint) await writeEndpoint(plan.endpoint);
    log.info(
      `Set up ${choice.label}: ${plan.endpoint?.models.join(', ')} → ${plan.endpoint?.baseURL} (promptlab.endpoints, user settings)${keyOrigin ? `; key for ${keyOrigin} in secret storage` : ''}`,
    );
  }
  await services.context.globalState.update(EXAMPLE_MODEL_KEY, plan.exampleModel);
  const result: SetUpProviderResult = { plan };
  if (args.example === false) return result;
  const run =
    args.example === true ||
    (await vscode.window.showInformationMessage(
      SetupText.providerReady(choice.label, plan.exampleModel),
      SetupText.createExample,
    )) === SetupText.createExample;
  if (run) {
    const example = await createAndRunExample(services, plan.exampleModel);
    if (example) result.example = example;
  }
  return result;
}

/** Replaces a file's text; an open document is edited and saved (a run reads the open buffer). */
async function replaceText(uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (!open) return writeText(uri, text);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
  await vscode.workspace.applyEdit(edit);
  await open.save();
}

/**
 * Writes the example at the folder root (an existing one with other text is replaced only when the
 * user agrees), opens it and runs it: the run panel shows the result. Undefined when nothing ran.
 */
export async function createAndRunExample(services: SetupServices, model?: string): Promise<vscode.Uri | undefined> {
  const chosen = model ?? services.context.globalState.get<string>(EXAMPLE_MODEL_KEY);
  if (!chosen) {
    const answer = await vscode.window.showInformationMessage(SetupText.setUpFirst, SetupText.setUpAction);
    if (answer === SetupText.setUpAction) await vscode.commands.executeCommand(Commands.setUpProvider);
    return undefined;
  }
  const folder = activeWorkspaceFolder();
  if (!folder) {
    const answer = await vscode.window.showInformationMessage(SetupText.exampleNeedsFolder, SetupText.openFolder);
    if (answer === SetupText.openFolder) await vscode.commands.executeCommand('workbench.action.files.openFolder');
    return undefined;
  }
  const uri = vscode.Uri.joinPath(folder.uri, EXAMPLE_FILE_NAME);
  const text = examplePromptText(chosen);
  let existing: string | undefined;
  try {
    existing = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    // not there yet
  }
  if (existing !== undefined && existing !== text) {
    const answer = await vscode.window.showWarningMessage(
      SetupText.replaceExample(EXAMPLE_FILE_NAME, chosen),
      { modal: true },
      SetupText.replace,
      SetupText.keepExample,
    );
    if (answer === undefined) return undefined;
    if (answer === SetupText.replace) await replaceText(uri, text);
  } else if (existing === undefined) {
    await writeText(uri, text);
  }
  await vscode.window.showTextDocument(uri, { preview: false });
  services.log.info(`First-run example: ${uri.fsPath} with ${chosen}`);
  await vscode.commands.executeCommand(Commands.runPrompt, uri);
  return uri;
}
