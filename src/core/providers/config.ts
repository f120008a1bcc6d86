// Provider configuration (`promptlab.config.yaml` / `.json`): loading and validation. Resolution
// (which needs the `openai` client) is in ./resolver.ts, so the editor's language features can read
// a config without loading the client. The file says where models run; keys never live in it.
// Format documented in docs/providers.md; keep the two in step.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { PromptLabError } from '../errors';
import type { Range } from '../model';
import type { ModelPrice } from './types';

export const CONFIG_FILE_NAMES = ['promptlab.config.yaml', 'promptlab.config.yml', 'promptlab.config.json'] as const;
export const PROVIDER_PRESETS = ['openai', 'azure', 'ollama', 'lmstudio', 'custom'] as const;
export type ProviderPreset = (typeof PROVIDER_PRESETS)[number];

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const AZURE_DEFAULT_API_VERSION = '2024-10-21';
export const PRESET_BASE_URLS: Partial<Record<ProviderPreset, string>> = {
  ollama: 'http://localhost:11434/v1',
  lmstudio: 'http://localhost:1234/v1',
};
export const PRESET_KEY_ENV: Partial<Record<ProviderPreset, string>> = {
  openai: 'OPENAI_API_KEY',
  azure: 'AZURE_OPENAI_API_KEY',
};
/** Local servers cost nothing only when the config's `pricing` says so; the public catalogue never applies to them. */
export const LOCAL_PRESETS: ReadonlySet<ProviderPreset> = new Set(['ollama', 'lmstudio']);

export interface ProviderEntry {
  name: string;
  preset: ProviderPreset;
  baseURL?: string;
  /** Name of the environment variable holding the key. */
  apiKeyEnv?: string;
  /** Where `apiKeyEnv` is written (for a refused key's message). */
  apiKeyEnvRange?: Range;
  /** Azure resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint?: string;
  /** Azure: the deployment used for every model of this provider. */
  deployment?: string;
  /** Azure: model id (bare or as written) → deployment name. */
  deployments?: Record<string, string>;
  apiVersion?: string;
  /** Extra request headers; `${env:NAME}` in a value is replaced from the environment. */
  headers?: Record<string, string>;
  /** Where `headers` is written. */
  headersRange?: Range;
  /** Model ids or globs served by this provider (routing without a `models:` entry). */
  models?: string[];
  /** Send ids as written (`openai/gpt-4o`), as OpenRouter expects, instead of dropping the `publisher/` part. */
  keepPrefix?: boolean;
  timeoutMs?: number;
  maxRetries?: number;
  /** Where the entry is in the config file (for messages). */
  range?: Range;
  /** Provider kind shown in run headers (`ollama`, `vllm`, …); default the preset. Not read from files. */
  kind?: string;
  /** How the user sets this endpoint's key, for the 401 message; default derived from the preset. Not read from files. */
  keyHint?: string;
}

export interface ModelRoute {
  provider: string;
  /** Id sent to the endpoint; default: the requested id without its `publisher/` part. */
  model?: string;
}

export interface ProviderConfig {
  /** Absolute path of the file this came from; absent when no file exists. */
  file?: string;
  defaultProvider?: string;
  providers: Record<string, ProviderEntry>;
  models: Record<string, ModelRoute>;
  pricing: Record<string, ModelPrice>;
  judgeModel?: string;
  embeddingModel?: string;
  /** Model for prompt files that name none (`--default-model` wins over it; `--model` over both). */
  defaultModel?: string;
}

export function emptyProviderConfig(): ProviderConfig {
  return { providers: {}, models: {}, pricing: {} };
}

// ---------------------------------------------------------------------------------------------
// Loading and validation

class ConfigReader {
  private readonly lines = new LineCounter();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {}

  parse(): YamlNode | null {
    // YAML accepts sloppy JSON (`{"a": }`), so JSON files get a strict pass first.
    if (this.file.endsWith('.json')) {
      try {
        JSON.parse(this.text);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const position = /position (\d+)/.exec(message)?.[1];
        throw this.error(`invalid JSON: ${message}`, position === undefined ? 0 : Number(position));
      }
    }
    const doc = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const [first] = doc.errors;
    if (first)
      throw this.error(`invalid ${this.file.endsWith('.json') ? 'JSON' : 'YAML'}: ${first.message}`, first.pos[0]);
    return doc.contents;
  }

  rangeOf(node: YamlNode | null | undefined): Range | undefined {
    const offsets = node?.range;
    if (!offsets) return undefined;
    const at = (offset: number): { line: number; column: number } => {
      const { line, col } = this.lines.linePos(offset);
      return { line: line - 1, column: col - 1 };
    };
    return { start: at(offsets[0]), end: at(offsets[1]) };
  }

  error(message: string, nodeOrOffset: YamlNode | null | undefined | number): PromptLabError {
    const range =
      typeof nodeOrOffset === 'number'
        ? this.rangeOf({ range: [nodeOrOffset, nodeOrOffset, nodeOrOffset] } as YamlNode)
        : this.rangeOf(nodeOrOffset);
    return new PromptLabError(message, 'config', range ? { file: this.file, range } : { file: this.file });
  }

  /** Map entries as [key text, key node, value node]. */
  entries(node: YamlNode | null, what: string): [string, YamlNode, YamlNode | null][] {
    if (!isMap(node)) throw this.error(`${what} must be a mapping`, node);
    return node.items.map((pair: Pair<unknown, unknown>) => {
      const key = pair.key as YamlNode | null;
      if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number'))
        throw this.error(`${what}: keys must be plain text`, key);
      return [String(key.value), key, (pair.value as YamlNode | null) ?? null];
    });
  }

  string(node: YamlNode | null, what: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '')
      throw this.error(`${what} must be a non-empty string`, node);
    return node.value;
  }

  number(node: YamlNode | null, what: string, min = 0): number {
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isFinite(node.value) || node.value < min)
      throw this.error(`${what} must be a number ≥ ${min}`, node);
    return node.value;
  }

  boolean(node: YamlNode | null, what: string): boolean {
    if (!isScalar(node) || typeof node.value !== 'boolean') throw this.error(`${what} must be true or false`, node);
    return node.value;
  }

  url(node: YamlNode | null, what: string): string {
    const text = this.string(node, what);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      throw this.error(`${what} must be an http(s) URL, got "${text}"`, node);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw this.error(`${what} must be an http(s) URL, got "${text}"`, node);
    if (parsed.username || parsed.password)
      throw this.error(`${what} must not contain credentials; use apiKeyEnv`, node);
    return text.replace(/\/+$/, '');
  }

  stringMap(node: YamlNode | null, what: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, , value] of this.entries(node, what)) result[key] = this.string(value, `${what}.${key}`);
    return result;
  }

  stringList(node: YamlNode | null, what: string): string[] {
    if (!isSeq(node)) throw this.error(`${what} must be a list of strings`, node);
    return node.items.map((item, i) => this.string(item as YamlNode | null, `${what}[${i}]`));
  }

  oneOf<T extends string>(node: YamlNode | null, what: string, allowed: readonly T[]): T {
    const text = this.string(node, what);
    if (!(allowed as readonly string[]).includes(text))
      throw this.error(`unknown ${what} "${text}" (expected ${listWords(allowed)})`, node);
    return text as T;
  }

  unknownKey(key: string, keyNode: YamlNode, where: string, allowed: readonly string[]): PromptLabError {
    const close = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
    return this.error(
      `unknown key "${key}" in ${where}${close ? ` (did you mean "${close}"?)` : ` (expected ${listWords(allowed)})`}`,
      keyNode,
    );
  }
}

function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

const TOP_KEYS = [
  'defaultProvider',
  'providers',
  'models',
  'pricing',
  'judgeModel',
  'embeddingModel',
  'defaultModel',
  '$schema',
] as const;
const PROVIDER_KEYS = [
  'preset',
  'baseURL',
  'apiKeyEnv',
  'endpoint',
  'deployment',
  'deployments',
  'apiVersion',
  'headers',
  'models',
  'keepPrefix',
  'timeoutMs',
  'maxRetries',
] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type FieldReader<T> = (reader: ConfigReader, node: YamlNode | null, what: string) => T;
/** The provider keys read as a plain value; `what` is the key's path for messages (`providers.x.timeoutMs`). */
type PlainProviderField =
  | 'baseURL'
  | 'endpoint'
  | 'deployment'
  | 'deployments'
  | 'apiVersion'
  | 'models'
  | 'keepPrefix'
  | 'timeoutMs'
  | 'maxRetries';
const PLAIN_PROVIDER_FIELDS: { readonly [K in PlainProviderField]: FieldReader<NonNullable<ProviderEntry[K]>> } = {
  baseURL: (reader, node, what) => reader.url(node, what),
  endpoint: (reader, node, what) => reader.url(node, what),
  deployment: (reader, node, what) => reader.string(node, what),
  deployments: (reader, node, what) => reader.stringMap(node, what),
  apiVersion: (reader, node, what) => reader.string(node, what),
  models: (reader, node, what) => reader.stringList(node, what),
  keepPrefix: (reader, node, what) => reader.boolean(node, what),
  timeoutMs: (reader, node, what) => reader.number(node, what, 1),
  maxRetries: (reader, node, what) => reader.number(node, what, 0),
};
const isPlainProviderField = (key: string): key is PlainProviderField => Object.hasOwn(PLAIN_PROVIDER_FIELDS, key);

function readPlainField<K extends PlainProviderField>(
  reader: ConfigReader,
  entry: Partial<ProviderEntry>,
  key: K,
  node: YamlNode | null,
  where: string,
): void {
  entry[key] = PLAIN_PROVIDER_FIELDS[key](reader, node, `${where}.${key}`);
}

function readProvider(reader: ConfigReader, name: string, node: YamlNode | null): ProviderEntry {
  const where = `providers.${name}`;
  const entry: Partial<ProviderEntry> & { name: string } = { name };
  const range = reader.rangeOf(node);
  if (range) entry.range = range;
  let presetNode: YamlNode | null = null;
  for (const [key, keyNode, value] of reader.entries(node, where)) {
    if (isPlainProviderField(key)) {
      readPlainField(reader, entry, key, value, where);
      continue;
    }
    switch (key) {
      case 'preset':
        entry.preset = reader.oneOf(value, 'preset', PROVIDER_PRESETS);
        presetNode = value;
        break;
      case 'apiKeyEnv': {
        const envName = reader.string(value, `${where}.apiKeyEnv`);
        if (!ENV_NAME.test(envName))
          throw reader.error(
            `${where}.apiKeyEnv must name an environment variable (letters, digits, _), got "${envName}"`,
            value,
          );
        entry.apiKeyEnv = envName;
        const keyRange = reader.rangeOf(value);
        if (keyRange) entry.apiKeyEnvRange = keyRange;
        break;
      }
      case 'headers': {
        entry.headers = reader.stringMap(value, `${where}.headers`);
        const headersRange = reader.rangeOf(value);
        if (headersRange) entry.headersRange = headersRange;
        break;
      }
      case 'apiKey':
      case 'key':
      case 'token':
        throw reader.error(
          `${where}.${key}: keys do not belong in config files (they get committed); put the key in an environment variable and name it with apiKeyEnv, or use "PromptLab: Set API Key" in the editor`,
          keyNode,
        );
      default:
        throw reader.unknownKey(key, keyNode, where, PROVIDER_KEYS);
    }
  }
  if (!entry.preset) {
    if ((PROVIDER_PRESETS as readonly string[]).includes(name)) entry.preset = name as ProviderPreset;
    else if (entry.baseURL) entry.preset = 'custom';
    else if (entry.endpoint) entry.preset = 'azure';
    else throw reader.error(`${where} needs a preset (${listWords(PROVIDER_PRESETS)}) or a baseURL`, node);
  }
  if (entry.preset === 'custom' && !entry.baseURL)
    throw reader.error(`${where}: preset custom needs a baseURL`, presetNode ?? node);
  if (entry.preset !== 'azure') {
    for (const azureOnly of ['endpoint', 'deployment', 'deployments', 'apiVersion'] as const) {
      if (entry[azureOnly] !== undefined)
        throw reader.error(
          `${where}.${azureOnly} only applies to preset azure (this provider is ${entry.preset})`,
          node,
        );
    }
  }
  return entry as ProviderEntry;
}

function readRoute(
  reader: ConfigReader,
  id: string,
  node: YamlNode | null,
  knownProviders: ReadonlySet<string>,
): ModelRoute {
  const where = `models."${id}"`;
  let route: ModelRoute;
  let providerNode: YamlNode | null = node;
  if (isScalar(node)) route = { provider: reader.string(node, where) };
  else if (isMap(node)) {
    route = { provider: '' };
    for (const [key, keyNode, value] of reader.entries(node, where)) {
      if (key === 'provider') {
        route.provider = reader.string(value, `${where}.provider`);
        providerNode = value;
      } else if (key === 'model') route.model = reader.string(value, `${where}.model`);
      else throw reader.unknownKey(key, keyNode, where, ['provider', 'model']);
    }
    if (route.provider === '') throw reader.error(`${where} needs a provider`, node);
  } else throw reader.error(`${where} must be a provider name or {provider, model}`, node);
  if (!knownProviders.has(route.provider)) {
    throw reader.error(
      `${where}: unknown provider "${route.provider}" (define it under providers:, or use a preset name: ${listWords(PROVIDER_PRESETS.filter((p) => p !== 'custom'))})`,
      providerNode,
    );
  }
  return route;
}

const PRICE_KEYS: Readonly<Record<string, keyof ModelPrice>> = {
  input: 'inputPerMTok',
  inputPerMTok: 'inputPerMTok',
  output: 'outputPerMTok',
  outputPerMTok: 'outputPerMTok',
  cachedInput: 'cachedInputPerMTok',
  batchInput: 'batchInputPerMTok',
  batchOutput: 'batchOutputPerMTok',
};

function readPrice(reader: ConfigReader, id: string, node: YamlNode | null): ModelPrice {
  const where = `pricing."${id}"`;
  const read: Partial<
    Record<'inputPerMTok' | 'outputPerMTok' | 'cachedInputPerMTok' | 'batchInputPerMTok' | 'batchOutputPerMTok', number>
  > = {};
  for (const [key, keyNode, value] of reader.entries(node, where)) {
    const target = Object.hasOwn(PRICE_KEYS, key) ? PRICE_KEYS[key] : undefined;
    if (target === undefined)
      throw reader.unknownKey(key, keyNode, where, ['input', 'output', 'cachedInput', 'batchInput', 'batchOutput']);
    read[target as keyof typeof read] = reader.number(value, `${where}.${key}`);
  }
  if (read.inputPerMTok === undefined || read.outputPerMTok === undefined)
    throw reader.error(`${where} needs input and output (USD per 1M tokens)`, node);
  if ((read.batchInputPerMTok === undefined) !== (read.batchOutputPerMTok === undefined))
    throw reader.error(`${where}: give both batchInput and batchOutput, or neither`, node);
  return { ...read, inputPerMTok: read.inputPerMTok, outputPerMTok: read.outputPerMTok };
}

/** Parses and validates config text; every problem is a PromptLabError('config') with file:line:col. */
export function parseProviderConfig(text: string, file: string): ProviderConfig {
  const reader = new ConfigReader(file, text);
  const root = reader.parse();
  const config: ProviderConfig = { ...emptyProviderConfig(), file };
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return config;
  const entries = reader.entries(root, 'the config file');
  let modelsNode: YamlNode | null = null;
  let defaultNode: YamlNode | null = null;
  for (const [key, keyNode, value] of entries) {
    switch (key) {
      case 'providers':
        for (const [name, , providerNode] of reader.entries(value, 'providers'))
          config.providers[name] = readProvider(reader, name, providerNode);
        break;
      case 'models':
        modelsNode = value;
        break;
      case 'pricing':
        for (const [id, , priceNode] of reader.entries(value, 'pricing'))
          config.pricing[id] = readPrice(reader, id, priceNode);
        break;
      case 'defaultProvider':
        config.defaultProvider = reader.string(value, 'defaultProvider');
        defaultNode = value;
        break;
      case 'judgeModel':
        config.judgeModel = reader.string(value, 'judgeModel');
        break;
      case 'embeddingModel':
        config.embeddingModel = reader.string(value, 'embeddingModel');
        break;
      case 'defaultModel':
        config.defaultModel = reader.string(value, 'defaultModel');
        break;
      case '$schema':
        break;
      default:
        throw reader.unknownKey(key, keyNode, 'the config file', TOP_KEYS);
    }
  }
  // Routes may name a preset directly (`"openai/*": openai`) without a providers: entry.
  const known = new Set([...Object.keys(config.providers), ...PROVIDER_PRESETS.filter((p) => p !== 'custom')]);
  if (modelsNode !== null) {
    for (const [id, , routeNode] of reader.entries(modelsNode, 'models'))
      config.models[id] = readRoute(reader, id, routeNode, known);
  }
  if (config.defaultProvider !== undefined && !known.has(config.defaultProvider)) {
    throw reader.error(`defaultProvider: unknown provider "${config.defaultProvider}"`, defaultNode);
  }
  return config;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PromptLabError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      'config',
      { file },
    );
  }
}

/**
 * Loads `explicitFile` (relative to `workspaceDir`) or the first of promptlab.config.yaml/.yml/.json
 * in `workspaceDir`. No file: an empty config (env-based OpenAI still resolves).
 */
export async function loadProviderConfig(workspaceDir: string, explicitFile?: string): Promise<ProviderConfig> {
  if (explicitFile !== undefined) {
    const file = path.resolve(workspaceDir, explicitFile);
    const text = await readIfExists(file);
    if (text === undefined) throw new PromptLabError(`config file not found: ${file}`, 'config', { file });
    return parseProviderConfig(text, file);
  }
  for (const name of CONFIG_FILE_NAMES) {
    const file = path.join(workspaceDir, name);
    const text = await readIfExists(file);
    if (text !== undefined) return parseProviderConfig(text, file);
  }
  return emptyProviderConfig();
}
