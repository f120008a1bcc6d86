// The prompt workspace: "a prompt file as the editor sees it", owned in one place. It holds the one
// FileReader that sees unsaved edits (remote-capable), validates each open prompt document once per
// version (diagnostics, CodeLens, Test Explorer, run and compare all read that result), knows each
// file's workspace root and settings, and creates the run store, response cache and model resolver.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FileReader, LoadResult } from '../../core/model';
import type { SchemaCheck } from '../../core/promptfile/checker';
import type { PromptDocument } from '../../core/promptfile/positions';
// The parser without Ajv: the activation bundle must not carry the engine (see parseAsEditor).
import { parsePromptFile } from '../../core/promptfile/parse';
import type { ModelResolver } from '../../core/providers/types';
import type { ResponseCache } from '../../core/store/cache';
import type { RunStore } from '../../core/store/runStore';
import { loadEngine } from '../engine';
import { KeyedDebouncer } from '../keyedDebouncer';
import type { Logger } from '../log';
import type { EndpointModels } from '../../core/providers/listModels';
import {
  configuredEndpoints,
  createEditorResolver,
  listEndpointModels,
  type ConfiguredEndpoint,
} from '../models/resolver';
import type { KeyStore } from '../secrets';
import { readSettings, type RunSettings } from '../settings';
import { editorFileReader } from './fileReader';
import { ParsedDocuments } from './parsedDocuments';
import { isPromptDocument } from './promptFiles';

const DEBOUNCE_MS = 250;
/** How long the endpoints' model lists are reused (one picker after another should not ask again). */
const MODEL_LIST_TTL_MS = 60_000;

/** One validation of one document version. */
export interface Validation {
  readonly document: vscode.TextDocument;
  readonly version: number;
  readonly result: LoadResult;
  /** Absolute paths read while validating (test data, message content files). */
  readonly dependencies: ReadonlySet<string>;
}

export class PromptWorkspace implements vscode.Disposable {
  /** The editor's incremental YAML parse of each open prompt document (outline, definition, quick fixes). */
  readonly parsed = new ParsedDocuments();
  /** Validation waits for a pause in typing, per document. */
  private readonly pendingValidations = new KeyedDebouncer();
  /** Bumped on every change; a validation whose number is no longer current is dropped. */
  private readonly generations = new Map<string, number>();
  private readonly validations = new Map<string, Validation>();
  private readonly validated = new vscode.EventEmitter<Validation>();
  private readonly forgotten = new vscode.EventEmitter<vscode.TextDocument>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Ajv's JSON Schema check, taken from the engine once it is loaded. */
  private schemaCheck: SchemaCheck | undefined;
  /** The last picker's endpoint model lists (one folder's); dropped when a key or a `promptlab` setting changes. */
  private modelLists: { folder: string; at: number; lists: Promise<EndpointModels[]> } | undefined;
  /** Fires when a prompt document's validation (and so `current(doc)`) is new. */
  readonly onDidValidate = this.validated.event;
  /** Fires when a validated prompt document was closed. */
  readonly onDidForget = this.forgotten.event;

  constructor(
    private readonly keys: KeyStore,
    private readonly log: Logger,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', true, false, false);
    this.subscriptions.push(
      this.validated,
      this.forgotten,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChanged(event.document)),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClosed(doc)),
      vscode.workspace.onDidSaveTextDocument((doc) => this.revalidateDependents(doc.uri.fsPath)),
      watcher,
      watcher.onDidChange((uri) => this.revalidateDependents(uri.fsPath)),
      watcher.onDidDelete((uri) => this.revalidateDependents(uri.fsPath)),
      this.keys.onDidChange(() => (this.modelLists = undefined)),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('promptlab')) this.modelLists = undefined;
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  // Reading and validating -------------------------------------------------------------------

  /** A FileReader that sees unsaved edits; `requested` collects every path it was asked for. */
  readerFor(base: vscode.Uri, requested = new Set<string>()): FileReader {
    return editorFileReader(base, requested);
  }

  /** The validation of an open prompt document's current version, if it is done. */
  current(doc: vscode.TextDocument): LoadResult | undefined {
    const entry = this.validations.get(doc.uri.toString());
    return entry && entry.version === doc.version ? entry.result : undefined;
  }

  /** The last validation of this document, even if it is one edit behind. */
  latest(doc: vscode.TextDocument): LoadResult | undefined {
    return this.validations.get(doc.uri.toString())?.result;
  }

  /** Validates now (skipping the debounce) and resolves with the result for this version. */
  async validateNow(doc: vscode.TextDocument): Promise<LoadResult | undefined> {
    if (!isPromptDocument(doc)) return undefined;
    const current = this.current(doc);
    if (current) return current;
    this.pendingValidations.cancel(doc.uri.toString());
    await this.validate(doc);
    return this.current(doc);
  }

  /**
   * A prompt file as the editor sees it now: an open document's validation of its current version
   * (made now if it is not done yet), else the file read through the editor's reader and parsed.
   */
  async load(uri: vscode.Uri): Promise<LoadResult> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    const validated = open ? await this.validateNow(open) : undefined;
    if (validated) return validated;
    const reader = this.readerFor(uri);
    return this.parseAsEditor(uri.fsPath, open ? open.getText() : await reader.readFile(uri.fsPath), reader);
  }

  /**
   * Parses like the CLI does. Compiling JSON Schemas needs Ajv, which lives in the engine bundle: a
   * file with a schema is parsed a second time once the engine is loaded (only until it is), so
   * files without one never load the engine just to show their diagnostics.
   */
  private async parseAsEditor(
    file: string,
    text: string,
    reader: FileReader,
    parsed?: PromptDocument,
  ): Promise<LoadResult> {
    if (this.schemaCheck)
      return parsePromptFile(file, text, reader, { schemaCheck: this.schemaCheck, ...(parsed ? { parsed } : {}) });
    let hasSchema = false;
    const first = await parsePromptFile(file, text, reader, {
      schemaCheck: () => {
        hasSchema = true;
        return undefined;
      },
      ...(parsed ? { parsed } : {}),
    });
    if (!hasSchema) return first;
    this.schemaCheck = (await loadEngine()).schemaCompileError;
    return parsePromptFile(file, text, reader, { schemaCheck: this.schemaCheck, ...(parsed ? { parsed } : {}) });
  }

  private onChanged(doc: vscode.TextDocument): void {
    if (isPromptDocument(doc)) this.schedule(doc, DEBOUNCE_MS);
    else this.revalidateDependents(doc.uri.fsPath);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isPromptDocument(doc)) return;
    const key = doc.uri.toString();
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.pendingValidations.schedule(key, delay, () => void this.validate(doc));
  }

  /** Re-checks every open prompt file that read `fsPath` last time (a data file changed). */
  private revalidateDependents(fsPath: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (!isPromptDocument(doc) || doc.uri.fsPath === fsPath) continue;
      if (this.validations.get(doc.uri.toString())?.dependencies.has(fsPath)) this.schedule(doc, DEBOUNCE_MS);
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
      result = await this.parseAsEditor(
        doc.uri.fsPath,
        text,
        this.readerFor(doc.uri, dependencies),
        this.parsed.get(doc),
      );
    } catch (e) {
      // parsePromptFile reports bad input as diagnostics; this only guards against a bug in it.
      const message = e instanceof Error ? e.message : String(e);
      const at = { line: 0, column: 0 };
      result = {
        diagnostics: [
          {
            file: doc.uri.fsPath,
            range: { start: at, end: at },
            severity: 'error',
            code: 'internal-error',
            message: `PromptLab could not validate this file: ${message}`,
          },
        ],
      };
    }
    if (doc.isClosed || this.generations.get(key) !== generation || doc.version !== version) return;
    const validation: Validation = { document: doc, version, result, dependencies };
    this.validations.set(key, validation);
    this.validated.fire(validation);
  }

  private onClosed(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    this.pendingValidations.cancel(key);
    this.generations.set(key, (this.generations.get(key) ?? 0) + 1);
    this.parsed.forget(doc);
    if (!this.validations.delete(key)) return;
    this.forgotten.fire(doc);
  }

  // Where runs happen ------------------------------------------------------------------------

  /** The workspace folder holding `uri` (or the file's own folder outside any workspace folder). */
  rootFor(uri: vscode.Uri): string {
    return vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
  }

  settingsFor(uri: vscode.Uri | undefined): RunSettings {
    return readSettings(uri);
  }

  async storeFor(uri: vscode.Uri): Promise<RunStore> {
    const engine = await loadEngine();
    return new engine.RunStore(path.resolve(this.rootFor(uri), readSettings(uri).runsDirectory));
  }

  async cacheFor(uri: vscode.Uri): Promise<ResponseCache | undefined> {
    const settings = readSettings(uri);
    if (!settings.cacheEnabled) return undefined;
    const engine = await loadEngine();
    return new engine.ResponseCache(path.resolve(this.rootFor(uri), settings.cacheDirectory));
  }

  /** The one resolver for this file's workspace: configured endpoints with stored keys, then editor models. */
  async resolverFor(uri: vscode.Uri, modelIds: string[], modelOverride?: string): Promise<ModelResolver> {
    return createEditorResolver({
      workspaceDir: this.rootFor(uri),
      settings: readSettings(uri),
      keys: await this.keys.snapshot(),
      modelIds,
      log: this.log,
      ...(modelOverride ? { modelOverride } : {}),
    });
  }

  /** Endpoints the user configured for `uri`'s workspace (the first folder without one), for pickers. */
  async configuredEndpoints(uri: vscode.Uri | undefined): Promise<ConfiguredEndpoint[]> {
    const target = this.pickerWorkspace(uri);
    if (!target) return [];
    try {
      return await configuredEndpoints(target.folder, target.settings);
    } catch (error) {
      this.log.warn(
        `Could not read the provider configuration for the model list: ${error instanceof Error ? error.message : String(error)}`,
      );
      return [];
    }
  }

  /**
   * Each configured endpoint's GET /models for `uri`'s workspace, reused for a minute; failures are in the entries.
   * None in Restricted Mode: the workspace's config chose those hosts and which stored key goes there.
   */
  async offeredModels(uri: vscode.Uri | undefined): Promise<EndpointModels[]> {
    if (!vscode.workspace.isTrusted) return [];
    const target = this.pickerWorkspace(uri);
    if (!target) return [];
    const cached = this.modelLists;
    if (cached && cached.folder === target.folder && Date.now() - cached.at < MODEL_LIST_TTL_MS) return cached.lists;
    // Stored before the first await, so a second picker opened meanwhile shares this request.
    const lists = this.keys
      .snapshot()
      .then((keys) => listEndpointModels(target.folder, target.settings, keys))
      .catch((error: unknown) => {
        this.log.warn(
          `Could not list the endpoints' models: ${error instanceof Error ? error.message : String(error)}`,
        );
        return [];
      });
    this.modelLists = { folder: target.folder, at: Date.now(), lists };
    return lists;
  }

  /** The folder a picker for `uri` lists (the first one without a file) and its settings. */
  private pickerWorkspace(uri: vscode.Uri | undefined): { folder: string; settings: RunSettings } | undefined {
    const fallback = vscode.workspace.workspaceFolders?.[0]?.uri;
    const folder = uri ? this.rootFor(uri) : fallback?.fsPath;
    return folder ? { folder, settings: readSettings(uri ?? fallback) } : undefined;
  }

  dispose(): void {
    this.pendingValidations.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
