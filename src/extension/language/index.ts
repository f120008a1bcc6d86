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
  ModelIds,
} from './providers';
import { ParsedDocuments } from './documents';

export { PROMPT_LANGUAGE_ID } from './diagnostics';

/** What the language side shares: the validated model of each open prompt document. */
export interface LanguageServices {
  readonly diagnostics: PromptDiagnostics;
}

export function registerLanguageFeatures(context: vscode.ExtensionContext): LanguageServices {
  const selector: vscode.DocumentSelector = { language: PROMPT_LANGUAGE_ID };
  const parsed = new ParsedDocuments();
  const diagnostics = new PromptDiagnostics(parsed);
  const modelExamples = (promptSchemaDocs.infoAt(['model'])?.examples ?? []).filter((e): e is string => typeof e === 'string');
  const modelIds = new ModelIds(diagnostics, modelExamples);
  context.subscriptions.push(
    diagnostics,
    modelIds,
    vscode.workspace.onDidCloseTextDocument((doc) => parsed.forget(doc)),
    vscode.languages.registerCompletionItemProvider(selector, new PromptCompletionProvider(diagnostics, (doc) => modelIds.for(doc)), '{', ':', ' '),
    vscode.languages.registerHoverProvider(selector, new PromptHoverProvider(diagnostics)),
    vscode.languages.registerDocumentSymbolProvider(selector, new PromptSymbolProvider(parsed), { label: 'Prompt' }),
    vscode.languages.registerDefinitionProvider(selector, new PromptDefinitionProvider(parsed)),
    vscode.languages.registerCodeActionsProvider(selector, new PromptCodeActionProvider(diagnostics, parsed), PromptCodeActionProvider.metadata),
  );
  return { diagnostics };
}
