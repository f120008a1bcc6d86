// The prompt-yaml language in the editor: diagnostics as you type, completion, hover, outline,
// go-to-definition for referenced files and quick fixes. Everything here works in Restricted
// Mode: it reads files, never runs a prompt or touches the network.
import * as vscode from 'vscode';
import { promptSchemaDocs } from '../../core/language';
import { PromptDiagnostics, PROMPT_LANGUAGE_ID } from './diagnostics';
import {
  PromptCodeActionProvider,
  PromptCompletionProvider,
  PromptDefinitionProvider,
  PromptHoverProvider,
  PromptSymbolProvider,
  workspaceModelIds,
} from './providers';

export { PROMPT_LANGUAGE_ID } from './diagnostics';

/** What the language side shares: the validated model of each open prompt document. */
export interface LanguageServices {
  readonly diagnostics: PromptDiagnostics;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext): LanguageServices {
  const selector: vscode.DocumentSelector = { language: PROMPT_LANGUAGE_ID };
  const diagnostics = new PromptDiagnostics();
  const modelExamples = (promptSchemaDocs.infoAt(['model'])?.examples ?? []).filter((e): e is string => typeof e === 'string');
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCompletionItemProvider(selector, new PromptCompletionProvider(diagnostics, workspaceModelIds(diagnostics, modelExamples)), '{', ':', ' '),
    vscode.languages.registerHoverProvider(selector, new PromptHoverProvider(diagnostics)),
    vscode.languages.registerDocumentSymbolProvider(selector, new PromptSymbolProvider(), { label: 'Prompt' }),
    vscode.languages.registerDefinitionProvider(selector, new PromptDefinitionProvider()),
    vscode.languages.registerCodeActionsProvider(selector, new PromptCodeActionProvider(diagnostics), PromptCodeActionProvider.metadata),
  );
  return { diagnostics };
}
