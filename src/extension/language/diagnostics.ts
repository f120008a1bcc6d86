// Diagnostics as you type: publishes the prompt workspace's validation of each document version;
// problems found inside referenced files (a broken .jsonl line) are shown on those files.
// Validation needs no network and no trust.
import * as vscode from 'vscode';
import type { Diagnostic, Range, Severity } from '../../core/model';
import type { PromptWorkspace, Validation } from '../workspace/promptWorkspace';

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

interface Published {
  /** The core diagnostic behind each published diagnostic, for quick fixes. */
  published: { vscode: vscode.Diagnostic; core: Diagnostic; uri: vscode.Uri }[];
}

export class PromptDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('promptlab');
  private readonly validated = new Map<string, Published>();
  /** Diagnostics on files other than a prompt file, per target file, per prompt file that found them. */
  private readonly foreign = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(workspace: PromptWorkspace) {
    this.subscriptions.push(
      this.collection,
      workspace.onDidValidate((validation) => this.publish(validation)),
      workspace.onDidForget((doc) => this.onClosed(doc)),
    );
  }

  /** The core diagnostic behind a published one (matched by range, code and message). */
  coreDiagnostic(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Diagnostic | undefined {
    const key = uri.toString();
    for (const entry of this.validated.values()) {
      for (const p of entry.published) {
        if (p.uri.toString() !== key) continue;
        if (
          p.vscode.range.isEqual(diagnostic.range) &&
          p.vscode.message === diagnostic.message &&
          String(p.vscode.code) === String(diagnostic.code)
        )
          return p.core;
      }
    }
    return undefined;
  }

  private publish({ document: doc, result }: Validation): void {
    const promptKey = doc.uri.toString();
    const own: vscode.Diagnostic[] = [];
    const others = new Map<string, { uri: vscode.Uri; list: vscode.Diagnostic[] }>();
    const published: Published['published'] = [];
    for (const core of result.diagnostics) {
      const diagnostic = new vscode.Diagnostic(toVscodeRange(core.range), core.message, toSeverity(core.severity));
      diagnostic.source = SOURCE;
      diagnostic.code = core.code;
      if (core.code === 'unused-variable') diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
      const samePath = core.file === doc.uri.fsPath;
      const uri = samePath
        ? doc.uri
        : doc.uri.scheme === 'file'
          ? vscode.Uri.file(core.file)
          : doc.uri.with({ path: vscode.Uri.file(core.file).path });
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
    this.validated.set(promptKey, { published });
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
    if (!this.validated.has(key)) return;
    this.validated.delete(key);
    this.collection.delete(doc.uri);
    this.replaceForeign(key, new Map());
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
