// "Generate Test Cases…": core plans the new rows (planGeneration), the diff editor previews the
// file before and after, and only a confirmed plan is written. An open document is edited in place
// (undoable) and saved; a closed file is replaced whole.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GeneratePlan } from '../../core/generate/generate';
import { loadEngine } from '../engine';
import type { MemoryDocuments } from '../memoryDocuments';
import type { SetupServices } from './services';
import { SetupText } from './text';
import { writeText } from './writeText';

export interface GenerateTestCasesArgs {
  count?: number;
  focus?: string;
  model?: string;
  expected?: boolean;
  /** Write after the preview without asking (scripted use; the diff is still opened). */
  write?: boolean;
}

export interface GenerateTestCasesResult {
  plan: GeneratePlan;
  written: boolean;
  /** The two sides the preview showed. */
  preview?: { before: vscode.Uri; after: vscode.Uri };
}

async function askCount(max: number): Promise<number | undefined> {
  const answer = await vscode.window.showInputBox({
    prompt: SetupText.countPrompt,
    value: '5',
    validateInput: (v) =>
      /^\d+$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= max ? undefined : SetupText.countInvalid(max),
  });
  return answer === undefined ? undefined : Number(answer.trim());
}

async function applyText(uri: vscode.Uri, oldText: string, newText: string): Promise<boolean> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
  if (open) {
    if (open.getText() !== oldText) return false;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(oldText.length)), newText);
    if (!(await vscode.workspace.applyEdit(edit))) return false;
    return open.save();
  }
  const current = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '');
  if (current !== oldText) return false;
  await writeText(uri, newText);
  return true;
}

export async function generateTestCases(
  { workspace, trust, log }: SetupServices,
  documents: MemoryDocuments,
  uri: vscode.Uri,
  args: GenerateTestCasesArgs = {},
): Promise<GenerateTestCasesResult | undefined> {
  // Generation sends the workspace's prompt to a model chosen by the workspace's configuration.
  trust.assertRunAllowed();
  const core = await loadEngine();
  const loaded = await workspace.load(uri);
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  const name = path.basename(uri.fsPath);
  if (!loaded.prompt || errors.length)
    throw new core.PromptLabError(
      `${name} has errors to fix before generating test cases: ${errors[0]?.message ?? 'not a prompt file'}`,
      'input',
      { file: uri.fsPath, ...(errors[0] ? { range: errors[0].range } : {}) },
    );
  const prompt = loaded.prompt;
  const count = args.count ?? (await askCount(core.MAX_GENERATE_COUNT));
  if (count === undefined) return undefined;
  const focus =
    args.focus ??
    (args.count === undefined ? await vscode.window.showInputBox({ prompt: SetupText.focusPrompt }) : undefined);
  if (focus === undefined && args.count === undefined) return undefined;
  const config = await core.loadProviderConfig(workspace.rootFor(uri)).catch(() => undefined);
  const model = args.model ?? prompt.model ?? workspace.settingsFor(uri).defaultModel ?? config?.defaultModel;
  if (!model) throw new core.PromptLabError(SetupText.noModel(name), 'input', { file: uri.fsPath });
  const resolver = await workspace.resolverFor(uri, [model]);

  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: SetupText.generating(model, count), cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return core.planGeneration({
        prompt,
        resolver,
        model,
        count,
        signal: abort.signal,
        reader: workspace.readerFor(uri),
        ...(args.expected !== undefined ? { expected: args.expected } : {}),
        ...(focus ? { focus } : {}),
      });
    },
  );
  const targetName = path.basename(plan.targetFile);
  for (const note of plan.notes) log.info(`Generate test cases: ${note}`);
  if (plan.added.length === 0) {
    void vscode.window.showInformationMessage(SetupText.nothingNew(targetName));
    return { plan, written: false };
  }
  const before = documents.add(`${targetName} (now)`, plan.oldText);
  const after = documents.add(targetName, plan.newText);
  await vscode.commands.executeCommand(
    'vscode.diff',
    before,
    after,
    SetupText.previewTitle(targetName, plan.added.length),
    { preview: true },
  );
  const confirmed =
    args.write === true ||
    (await vscode.window.showInformationMessage(
      SetupText.writeRows(plan.added.length, targetName, plan.duplicates.length),
      { modal: true },
      SetupText.write,
    )) === SetupText.write;
  if (!confirmed) return { plan, written: false, preview: { before, after } };
  if (!(await applyText(vscode.Uri.file(plan.targetFile), plan.oldText, plan.newText)))
    throw new core.PromptLabError(SetupText.changedMeanwhile(targetName), 'input', { file: plan.targetFile });
  log.info(`Generate test cases: added ${plan.added.length} row(s) to ${plan.targetFile} with ${model}`);
  void vscode.window.showInformationMessage(SetupText.added(plan.added.length, targetName));
  return { plan, written: true, preview: { before, after } };
}
