// Diagnostics as you type: each prompt document is validated by core's parsePromptFile a short
// while after its last change; stale work is dropped; problems found inside referenced files (a
// broken .jsonl line) are shown on those files. Validation needs no network and no trust.
import * as vscode from 'vscode';
import type { Diagnostic, LoadResult, Range, Severity } from '../../core/model';
import { parsePromptFile } from '../../core/promptfile';
import type { ParsedDocuments } from './documents';
import { editorFileReader } from './fileReader';

export const PROMPT_LANGUAGE_ID = 'prompt-yaml';
const DEBOUNCE_MS = 250;
const SOURCE = 'PromptLab';

export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.column, range.end.line, range.end.column);
}

function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    case 'info':
      return vscode.DiagnosticSeverity.Information;
  }
}

export function isPromptDocument(doc: vscode.TextDocument): boolean {
  return doc.languageId === PROMPT_LANGUAGE_ID;
}

interface Validated {
  version: number;
  result: LoadResult;
  /** Absolute paths of files read while validating (test data, message content files). */
  dependencies: Set<string>;
  /** The core diagnostic behind each published diagnostic, for quick fixes. */
  published: { vscode: vscode.Diagnostic; core: Diagnostic; uri: vscode.Uri }[];
}

export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptlab');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped on every change; a validation whose number is no longer current is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly validated = new Map<string, Validated>();
  /** Diagnostics on files other than a prompt file, per target file, per prompt file that found them. */
  private readonly foreign = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly validatedEmitter = new vscode.EventEmitter<vscode.TextDocument>();
  /** Fires when a prompt document's validation result (and so `current(doc)`) is new. */
  readonly onDidValidate = this.validatedEmitter.event;

  /** `parsed` shares the editor's incremental YAML parse, so a big file is not parsed whole per change. */
  constructor(private readonly parsed: ParsedDocuments) {
    this.subscriptions.push(
      this.collection,
      this.validatedEmitter,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChanged(event.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClosed(doc)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.revalidateDependents(doc.uri.fsPath)),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, false, false);
    this.subscriptions.push(
      watcher,
      watcher.onDidChange((uri) => this.revalidateDependents(uri.fsPath)),
      watcher.onDidDelete((uri) => this.revalidateDependents(uri.fsPath)),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The last validation of an open prompt document (for completion and hover), if current. */
  current(doc: vscode.TextDocument): LoadResult | undefined {
    const entry = this.validated.get(doc.uri.toString());
    return entry && entry.version === doc.version ? entry.result : undefined;
  }

  /** The last validation of this document, even if it is one edit behind. */
  latest(doc: vscode.TextDocument): LoadResult | undefined {
    return this.validated.get(doc.uri.toString())?.result;
  }

  /** The core diagnostic behind a published one (matched by range, code and message). */
  coreDiagnostic(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Diagnostic | undefined {
    const key = uri.toString();
    for (const entry of this.validated.values()) {
      for (const p of entry.published) {
        if (p.uri.toString() !== key) continue;
        if (p.vscode.range.isEqual(diagnostic.range) && p.vscode.message === diagnostic.message && String(p.vscode.code) === String(diagnostic.code)) return p.core;
      }
    }
    return undefined;
  }

  /** Validates now (skipping the debounce) and resolves with the result for this version. */
  async validateNow(doc: vscode.TextDocument): Promise<LoadResult | undefined> {
    if (!isPromptDocument(doc)) return undefined;
    this.cancelTimer(doc.uri.toString());
    await this.validate(doc);
    return this.current(doc);
  }

  private onChanged(doc: vscode.TextDocument): void {
    if (isPromptDocument(doc)) this.schedule(doc, DEBOUNCE_MS);
    else this.revalidateDependents(doc.uri.fsPath);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isPromptDocument(doc)) return;
    const key = doc.uri.toString();
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.cancelTimer(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(doc);
      }, delay),
    );
  }

  private cancelTimer(key: string): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  /** Re-checks every open prompt file that read `fsPath` last time (a data file changed). */
  private revalidateDependents(fsPath: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (!isPromptDocument(doc) || doc.uri.fsPath === fsPath) continue;
      if (this.validated.get(doc.uri.toString())?.dependencies.has(fsPath)) this.schedule(doc, DEBOUNCE_MS);
    }
  }

  private async validate(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const generation = this.generations.get(key) ?? 0;
    const version = doc.version;
    const text = doc.getText();
    const dependencies = new Set<string>();
    let result: LoadResult;
    try {
      result = await parsePromptFile(doc.uri.fsPath, text, editorFileReader(doc.uri, dependencies), { parsed: this.parsed.get(doc) });
    } catch (e) {
      // parsePromptFile reports bad input as diagnostics; this only guards against a bug in it.
      const message = e instanceof Error ? e.message : String(e);
      result = { diagnostics: [{ file: doc.uri.fsPath, range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } }, severity: 'error', code: 'internal-error', message: `PromptLab could not validate this file: ${message}` }] };
    }
    if (doc.isClosed || this.generations.get(key) !== generation || doc.version !== version) return;
    this.publish(doc, version, result, dependencies);
  }

  private publish(doc: vscode.TextDocument, version: number, result: LoadResult, dependencies: Set<string>): void {
    const promptKey = doc.uri.toString();
    const own: vscode.Diagnostic[] = [];
    const others = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const published: Validated['published'] = [];
    for (const core of result.diagnostics) {
      const diagnostic = new vscode.Diagnostic(toVscodeRange(core.range), core.message, toSeverity(core.severity));
      diagnostic.source = SOURCE;
      diagnostic.code = core.code;
      if (core.code === 'unused-variable') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
      const samePath = core.file === doc.uri.fsPath;
      const uri = samePath ? doc.uri : doc.uri.scheme === 'file' ? vscode.Uri.file(core.file) : doc.uri.with({ path: vscode.Uri.file(core.file).path });
      if (samePath) own.push(diagnostic);
      else {
        const target = others.get(uri.toString()) ?? { uri, list: [] };
        target.list.push(diagnostic);
        others.set(uri.toString(), target);
      }
      published.push({ vscode: diagnostic, core, uri });
    }
    this.collection.set(doc.uri, own);
    this.replaceForeign(promptKey, others);
    this.validated.set(promptKey, { version, result, dependencies, published });
    this.validatedEmitter.fire(doc);
  }

  /** Updates this prompt's contribution to other files' diagnostics and re-merges those files. */
  private replaceForeign(promptKey: string, next: Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>): void {
    const touched = new Map<string, vscode.Uri>();
    for (const [target, byPrompt] of this.foreign) {
      if (byPrompt.delete(promptKey)) touched.set(target, vscode.Uri.parse(target));
    }
    for (const [target, { uri, list }] of next) {
      const byPrompt = this.foreign.get(target) ?? new Map<string, vscode.Diagnostic[]>();
      byPrompt.set(promptKey, list);
      this.foreign.set(target, byPrompt);
      touched.set(target, uri);
    }
    for (const [target, uri] of touched) {
      const byPrompt = this.foreign.get(target);
      if (!byPrompt || byPrompt.size === 0) {
        this.foreign.delete(target);
        // An open prompt file keeps its own diagnostics.
        if (!this.validated.has(target)) this.collection.delete(uri);
        continue;
      }
      if (this.validated.has(target)) continue;
      // Two prompt files sharing one data file report the same problem once.
      const seen = new Set<string>();
      const merged: vscode.Diagnostic[] = [];
      for (const list of byPrompt.values()) {
        for (const d of list) {
          const id = `${d.range.start.line}:${d.range.start.character}:${String(d.code)}:${d.message}`;
          if (seen.has(id)) continue;
          seen.add(id);
          merged.push(d);
        }
      }
      this.collection.set(uri, merged);
    }
  }

  private onClosed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.cancelTimer(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    if (!this.validated.has(key)) return;
    this.validated.delete(key);
    this.collection.delete(doc.uri);
    this.replaceForeign(key, new Map());
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}
