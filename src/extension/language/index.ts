// The prompt-yaml language in the editor: diagnostics as you type, completion, hover, outline,
// go-to-definition for referenced files and quick fixes. Everything here works in Restricted
// Mode: it reads files, never runs a prompt or touches the network.
import * as vscode from 'vscode';
import { promptSchemaDocs } from '../../core/language';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { PROMPT_LANGUAGE_ID } from '../workspace/promptFiles';
import { PromptDiagnostics } from './diagnostics';
import {
  PromptCodeActionProvider,
  PromptCompletionProvider,
  PromptDefinitionProvider,
  PromptHoverProvider,
  PromptSymbolProvider,
  ModelIds,
} from './providers';

export function registerLanguageFeatures(context: vscode.ExtensionContext, workspace: PromptWorkspace): void {
  const selector: vscode.DocumentSelector = { language: PROMPT_LANGUAGE_ID };
  const parsed = workspace.parsed;
  const diagnostics = new PromptDiagnostics(workspace);
  const modelExamples = (promptSchemaDocs.infoAt(['model'])?.examples ?? []).filter(
    (e): e is string => typeof e === 'string',
  );
  const modelIds = new ModelIds(workspace, modelExamples);
  context.subscriptions.push(
    diagnostics,
    modelIds,
    vscode.languages.registerCompletionItemProvider(
      selector,
      new PromptCompletionProvider(workspace, (doc) => modelIds.for(doc)),
      '{',
      ':',
      ' ',
    ),
    vscode.languages.registerHoverProvider(selector, new PromptHoverProvider(workspace)),
    vscode.languages.registerDocumentSymbolProvider(selector, new PromptSymbolProvider(parsed), { label: 'Prompt' }),
    vscode.languages.registerDefinitionProvider(selector, new PromptDefinitionProvider(parsed)),
    vscode.languages.registerCodeActionsProvider(
      selector,
      new PromptCodeActionProvider(diagnostics, parsed),
      PromptCodeActionProvider.metadata,
    ),
  );
}
