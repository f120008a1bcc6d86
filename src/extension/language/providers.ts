// vscode adapters over core's language services: completion, hover, outline, definition, quick fixes.
import * as vscode from 'vscode';
import type { Position } from '../../core/model';
import {
  complete,
  documentSymbols,
  hover,
  promptSchemaDocs,
  quickFixes,
  referenceAt,
  fileReferences,
  type CompletionKind,
  type OutlineKind,
  type OutlineSymbol,
} from '../../core/language';
import { loadProviderConfig } from '../../core/providers/config';
import { modelIdsFromConfig } from '../../core/language';
import { openDocumentText } from '../workspace/fileReader';
import type { ParsedDocuments } from '../workspace/parsedDocuments';
import type { PromptWorkspace } from '../workspace/promptWorkspace';
import { toVscodeRange, type PromptDiagnostics } from './diagnostics';

const toPosition = (p: vscode.Position): Position => ({ line: p.line, column: p.character });

const COMPLETION_KINDS: Record<CompletionKind, vscode.CompletionItemKind> = {
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  variable: vscode.CompletionItemKind.Variable,
  model: vscode.CompletionItemKind.Module,
  evaluator: vscode.CompletionItemKind.Function,
};

export class PromptCompletionProvider implements vscode.CompletionItemProvider {
  constructor(
    private readonly workspace: PromptWorkspace,
    private readonly modelIds: (doc: vscode.TextDocument) => Promise<string[]>,
  ) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionItem[]> {
    const prompt = this.workspace.latest(doc)?.prompt;
    const entries = complete(doc.getText(), toPosition(position), {
      docs: promptSchemaDocs,
      modelIds: await this.modelIds(doc),
      ...(prompt ? { prompt } : {}),
      indentUnit: indentUnitOf(doc),
    });
    return entries.map((entry) => {
      const item = new vscode.CompletionItem(entry.label, COMPLETION_KINDS[entry.kind]);
      item.insertText = entry.snippet ? new vscode.SnippetString(entry.insertText) : entry.insertText;
      // Core wrote the continuation lines with their full indentation.
      item.keepWhitespace = true;
      item.range = toVscodeRange(entry.range);
      item.sortText = entry.sortText;
      if (entry.detail) item.detail = entry.detail;
      if (entry.documentation) item.documentation = new vscode.MarkdownString(entry.documentation);
      return item;
    });
  }
}

function indentUnitOf(doc: vscode.TextDocument): string {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  const size = editor && typeof editor.options.tabSize === 'number' ? editor.options.tabSize : 2;
  return ' '.repeat(size);
}

export class PromptHoverProvider implements vscode.HoverProvider {
  constructor(private readonly workspace: PromptWorkspace) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const prompt = this.workspace.latest(doc)?.prompt;
    const result = hover(doc.getText(), toPosition(position), {
      docs: promptSchemaDocs,
      ...(prompt ? { prompt } : {}),
    });
    if (!result) return undefined;
    const markdown = new vscode.MarkdownString(result.contents);
    // Values come from the user's files: show them as text, never as links to commands or HTML.
    markdown.isTrusted = false;
    markdown.supportHtml = false;
    return new vscode.Hover(markdown, toVscodeRange(result.range));
  }
}

const SYMBOL_KINDS: Record<OutlineKind, vscode.SymbolKind> = {
  key: vscode.SymbolKind.Property,
  section: vscode.SymbolKind.Namespace,
  message: vscode.SymbolKind.String,
  testCase: vscode.SymbolKind.Struct,
  evaluator: vscode.SymbolKind.Function,
};

export class PromptSymbolProvider implements vscode.DocumentSymbolProvider {
  constructor(private readonly parsed: ParsedDocuments) {}

  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return documentSymbols(this.parsed.get(doc)).map(toDocumentSymbol);
  }
}

function toDocumentSymbol(symbol: OutlineSymbol): vscode.DocumentSymbol {
  const range = toVscodeRange(symbol.range);
  const selection = toVscodeRange(symbol.selectionRange);
  // VS Code rejects a selection range outside the full range.
  const result = new vscode.DocumentSymbol(
    symbol.name,
    symbol.detail,
    SYMBOL_KINDS[symbol.kind],
    range.union(selection),
    selection,
  );
  result.children = symbol.children.map(toDocumentSymbol);
  return result;
}

export class PromptDefinitionProvider implements vscode.DefinitionProvider {
  constructor(private readonly parsed: ParsedDocuments) {}

  provideDefinition(doc: vscode.TextDocument, position: vscode.Position): vscode.LocationLink[] | undefined {
    const reference = referenceAt(doc.uri.fsPath, this.parsed.get(doc), toPosition(position));
    if (!reference) return undefined;
    const target = uriFor(doc.uri, reference.target);
    const start = new vscode.Range(0, 0, 0, 0);
    return [
      {
        originSelectionRange: toVscodeRange(reference.range),
        targetUri: target,
        targetRange: start,
        targetSelectionRange: start,
      },
    ];
  }
}

/** A path in the same file system as `base` (file, or the remote/virtual scheme of the workspace). */
export function uriFor(base: vscode.Uri, absolutePath: string): vscode.Uri {
  return base.scheme === 'file'
    ? vscode.Uri.file(absolutePath)
    : base.with({ path: vscode.Uri.file(absolutePath).path });
}

export class PromptCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(
    private readonly diagnostics: PromptDiagnostics,
    private readonly parsed: ParsedDocuments,
  ) {}

  async provideCodeActions(
    doc: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const core = this.diagnostics.coreDiagnostic(doc.uri, diagnostic);
      if (!core?.fix) continue;
      // Adding a variable may edit an external .jsonl test-data file: read it first.
      const parsed = this.parsed.get(doc);
      const texts = core.fix.kind === 'addVariable' ? await referencedTexts(doc, parsed) : new Map<string, string>();
      const fixes = quickFixes(core, {
        promptPath: doc.uri.fsPath,
        promptText: doc.getText(),
        parsed,
        readText: (p) => texts.get(p),
      });
      actions.push(...this.toActions(fixes, diagnostic, doc.uri));
    }
    return actions;
  }

  private toActions(
    fixes: ReturnType<typeof quickFixes>,
    diagnostic: vscode.Diagnostic,
    base: vscode.Uri,
  ): vscode.CodeAction[] {
    return fixes.map((fix) => {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) edit.replace(uriFor(base, e.file), toVscodeRange(e.range), e.newText);
      action.edit = edit;
      action.diagnostics = [diagnostic];
      action.isPreferred = fix.preferred;
      return action;
    });
  }
}

/** Texts of the test-data file a prompt references (unsaved edits first), for edits that change it. */
async function referencedTexts(
  doc: vscode.TextDocument,
  parsed: ReturnType<ParsedDocuments['get']>,
): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const reference of fileReferences(doc.uri.fsPath, parsed)) {
    if (reference.kind !== 'testData') continue;
    const open = openDocumentText(reference.target);
    if (open !== undefined) {
      texts.set(reference.target, open);
      continue;
    }
    try {
      texts.set(
        reference.target,
        new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uriFor(doc.uri, reference.target))),
      );
    } catch {
      // A missing data file already has its own diagnostic; there is simply nothing to edit.
    }
  }
  return texts;
}

/**
 * Model ids worth offering: the schema's examples, the ids the workspace's provider configuration
 * names, and the models other open prompt files use. The configuration is re-read when it changes.
 */
export class ModelIds implements vscode.Disposable {
  private readonly fromConfig = new Map<string, Promise<string[]>>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/promptlab.config.{yaml,yml,json}');
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly workspace: PromptWorkspace,
    private readonly examples: readonly string[],
  ) {
    const forget = () => this.fromConfig.clear();
    this.subscriptions = [
      this.watcher,
      this.watcher.onDidChange(forget),
      this.watcher.onDidCreate(forget),
      this.watcher.onDidDelete(forget),
    ];
  }

  async for(doc: vscode.TextDocument): Promise<string[]> {
    const ids = new Set<string>(this.examples);
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    if (folder && folder.uri.scheme === 'file') for (const id of await this.configured(folder.uri.fsPath)) ids.add(id);
    for (const other of vscode.workspace.textDocuments) {
      if (other === doc) continue;
      const prompt = this.workspace.latest(other)?.prompt;
      if (prompt?.model) ids.add(prompt.model);
      for (const evaluator of prompt?.evaluators ?? [])
        if (evaluator.kind === 'llm' && evaluator.modelId) ids.add(evaluator.modelId);
    }
    return [...ids].sort((a, b) => a.localeCompare(b));
  }

  private configured(folder: string): Promise<string[]> {
    let ids = this.fromConfig.get(folder);
    if (!ids) {
      // A broken configuration is reported when a run needs it; completion just offers nothing from it.
      ids = loadProviderConfig(folder).then(modelIdsFromConfig, () => []);
      this.fromConfig.set(folder, ids);
    }
    return ids;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
