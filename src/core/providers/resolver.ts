// Model-id resolution over a provider configuration: which provider serves an id, with which key,
// at which price. Provider clients (the `openai` client) are created on first use and shared.
import path from 'node:path';
import { formatLocation, PromptLabError } from '../errors';
import type { Range } from '../model';
import {
  AZURE_DEFAULT_API_VERSION,
  LOCAL_PRESETS,
  OPENAI_DEFAULT_BASE_URL,
  PRESET_BASE_URLS,
  PRESET_KEY_ENV,
  PROVIDER_PRESETS,
  type ProviderConfig,
  type ProviderEntry,
  type ProviderPreset,
} from './config';
import { ALLOW_KEYS_ENV, keyDecision, type KeyGrant, parseKeyGrants, refusedKeyMessage } from './keyPolicy';
import { OpenAICompatibleProvider } from './openai';
import { originOf } from './origin';
import { globSpecificity, globToRegExp, lookupPrice } from './pricing';
import type { ModelResolver, Provider, ResolvedModel } from './types';

export interface ResolverOptions {
  /** Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * The model forced by the user (`--model`). Its provider becomes the fallback for ids that map to
   * nothing else (judges, embeddings), so `--model` on a lone local endpoint runs whole files.
   */
  modelOverride?: string;
  /** Stored keys by origin (the editor's SecretStorage); consulted when no env variable has the key. */
  keyFor?: (origin: string) => string | undefined;
  /** Providers made outside the config (e.g. `vscode-lm`): `<name>/<model>` ids and routes reach them. */
  extraProviders?: Record<string, Provider>;
  /**
   * Variable-and-host pairs the user allows (`--allow-key`), on top of `PROMPTLAB_ALLOW_KEYS` in
   * `env`. Never read from the config: the repository is not the user (see keyPolicy.ts).
   */
  allowKeys?: readonly KeyGrant[];
}

/** No endpoint for a model id; `hint` holds a config snippet that would map it. */
export class ModelResolutionError extends PromptLabError {
  constructor(
    message: string,
    readonly modelId: string,
    hint: string,
  ) {
    super(message, 'config', undefined, hint);
    this.name = 'ModelResolutionError';
  }
}

function bareId(id: string): string {
  const slash = id.indexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

function matchGlobKey<T>(table: Record<string, T>, id: string): T | undefined {
  if (Object.hasOwn(table, id)) return table[id];
  const globs = Object.keys(table)
    .filter((key) => /[*?]/.test(key) && globToRegExp(key).test(id))
    .sort((a, b) => globSpecificity(b) - globSpecificity(a));
  return globs[0] === undefined ? undefined : table[globs[0]];
}

const ENV_REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

function envReferences(value: string): string[] {
  return [...value.matchAll(ENV_REFERENCE)].map((m) => m[1] as string);
}

function mappingHint(id: string, config: ProviderConfig): string {
  const file = config.file ? path.basename(config.file) : 'promptlab.config.yaml';
  const looksOpenAI = id.startsWith('openai/') || !id.includes('/');
  const providerName = Object.keys(config.providers)[0];
  const lines = [`Map it in ${file} at the workspace root${config.file ? '' : ' (or pass --config FILE)'}, e.g.:`, ''];
  if (providerName) {
    lines.push('models:', `  "${id}": ${providerName}`);
  } else if (looksOpenAI) {
    lines.push(
      'providers:',
      '  openai:',
      '    preset: openai        # key from OPENAI_API_KEY',
      'models:',
      `  "${id}": openai`,
    );
  } else {
    lines.push(
      'providers:',
      '  local:',
      '    preset: ollama        # http://localhost:11434/v1, no key',
      'models:',
      `  "${id}": { provider: local, model: ${bareId(id)} }`,
    );
  }
  if (looksOpenAI)
    lines.push(
      '',
      'or set OPENAI_API_KEY (and OPENAI_BASE_URL for another OpenAI-compatible server) in the environment.',
    );
  return lines.join('\n');
}

/** A resolver over a provider configuration, which can also hand out a configured provider by name. */
export interface ConfigResolver extends ModelResolver {
  /** The client of the config's provider `name` (built as a run would build it: same URL, key policy, headers). */
  providerNamed(name: string): Provider;
}

/** Turns a config into a ModelResolver; provider clients are created on first use and shared. */
export function createResolver(config: ProviderConfig, options: ResolverOptions = {}): ConfigResolver {
  const env = options.env ?? process.env;
  const extra = options.extraProviders ?? {};
  const grants = [
    ...(env[ALLOW_KEYS_ENV] ? parseKeyGrants(env[ALLOW_KEYS_ENV], ALLOW_KEYS_ENV) : []),
    ...(options.allowKeys ?? []),
  ];
  /** Throws, naming the variable, the host and the config line, unless `variable` may go to `origin`. */
  const checkKey = (entry: ProviderEntry, variable: string, origin: string, range: Range | undefined): void => {
    const decision = keyDecision(variable, origin, env, grants);
    if (decision.allowed) return;
    const at = range ?? entry.range;
    const location = config.file ? { file: config.file, ...(at ? { range: at } : {}) } : undefined;
    throw new PromptLabError(refusedKeyMessage(entry.name, variable, origin, decision.reason), 'config', location);
  };
  const built = new Map<string, Provider>();

  const implicitEntry = (name: string): ProviderEntry | undefined =>
    config.providers[name] ??
    ((PROVIDER_PRESETS as readonly string[]).includes(name) && name !== 'custom'
      ? { name, preset: name as ProviderPreset }
      : undefined);

  // OPENAI_API_KEY in the environment, or a key the user stored for api.openai.com (the editor's
  // "Set API Key"), serves openai/* ids on OpenAI without a config.
  const envOpenAI = (): ProviderEntry | undefined =>
    config.providers.openai === undefined &&
    (env.OPENAI_API_KEY || env.OPENAI_BASE_URL || options.keyFor?.(originOf(OPENAI_DEFAULT_BASE_URL)))
      ? { name: 'openai', preset: 'openai' }
      : undefined;

  const build = (entry: ProviderEntry): Provider => {
    const cached = built.get(entry.name);
    if (cached) return cached;
    const where = config.file ? formatLocation(config.file, entry.range) : 'the provider config';
    let baseURL: string;
    switch (entry.preset) {
      case 'openai':
        baseURL = entry.baseURL ?? env.OPENAI_BASE_URL?.replace(/\/+$/, '') ?? OPENAI_DEFAULT_BASE_URL;
        break;
      case 'azure': {
        const endpoint = entry.endpoint ?? entry.baseURL ?? env.AZURE_OPENAI_ENDPOINT?.replace(/\/+$/, '');
        if (!endpoint)
          throw new PromptLabError(
            `provider "${entry.name}" (azure) needs an endpoint: set endpoint in ${where} or AZURE_OPENAI_ENDPOINT`,
            'config',
          );
        baseURL = endpoint;
        break;
      }
      case 'custom':
        if (!entry.baseURL) throw new PromptLabError(`provider "${entry.name}" needs a baseURL (${where})`, 'config');
        baseURL = entry.baseURL;
        break;
      default:
        baseURL = entry.baseURL ?? PRESET_BASE_URLS[entry.preset] ?? OPENAI_DEFAULT_BASE_URL;
    }
    const origin = originOf(baseURL);
    const keyEnv = entry.apiKeyEnv ?? PRESET_KEY_ENV[entry.preset];
    let apiKey: string | undefined;
    if (keyEnv && env[keyEnv]) {
      checkKey(entry, keyEnv, origin, entry.apiKeyEnvRange);
      apiKey = env[keyEnv];
    }
    apiKey ??= options.keyFor?.(origin);
    const keyHint =
      entry.keyHint ??
      (keyEnv
        ? `the ${keyEnv} environment variable (or "PromptLab: Set API Key" in the editor)`
        : `apiKeyEnv for provider "${entry.name}" in ${config.file ? path.basename(config.file) : 'promptlab.config.yaml'} (or "PromptLab: Set API Key" in the editor)`);
    // A header can carry a secret as well as apiKeyEnv can: `${env:NAME}` follows the same rules.
    const headers = entry.headers
      ? Object.fromEntries(
          Object.entries(entry.headers).map(([k, v]) => {
            for (const name of envReferences(v)) if (env[name]) checkKey(entry, name, origin, entry.headersRange);
            return [k, v.replace(ENV_REFERENCE, (_, name: string) => env[name] ?? '')];
          }),
        )
      : undefined;
    const provider = new OpenAICompatibleProvider({
      kind: entry.kind ?? entry.preset,
      name: entry.name,
      baseURL,
      keyHint,
      ...(apiKey ? { apiKey } : {}),
      ...(entry.preset === 'azure' ? { azureApiVersion: entry.apiVersion ?? AZURE_DEFAULT_API_VERSION } : {}),
      ...(headers ? { headers } : {}),
      ...(entry.timeoutMs !== undefined ? { timeoutMs: entry.timeoutMs } : {}),
      ...(entry.maxRetries !== undefined ? { maxRetries: entry.maxRetries } : {}),
    });
    built.set(entry.name, provider);
    return provider;
  };

  const modelFor = (entry: ProviderEntry, id: string): string => {
    if (entry.keepPrefix) return id;
    const bare = bareId(id);
    if (entry.preset === 'azure')
      return entry.deployments?.[id] ?? entry.deployments?.[bare] ?? entry.deployment ?? bare;
    return bare;
  };

  const finish = (
    requestedId: string,
    provider: Provider,
    model: string,
    preset: ProviderPreset | undefined,
  ): ResolvedModel => {
    const useCatalogue = preset === undefined ? false : !LOCAL_PRESETS.has(preset);
    const price = lookupPrice({
      requestedId,
      ...(model !== requestedId ? { endpointModel: model } : {}),
      overrides: config.pricing,
      ...(config.file ? { configFile: config.file } : {}),
      ...(useCatalogue && preset ? { endpoint: { kind: preset, origin: provider.endpointOrigin } } : {}),
    });
    return { provider, model, requestedId, ...(price ? { price } : {}) };
  };

  // An entry labelled as a local server (the editor's endpoint settings) is priced like that preset.
  const pricingPreset = (entry: ProviderEntry): ProviderPreset =>
    entry.kind !== undefined && (PROVIDER_PRESETS as readonly string[]).includes(entry.kind)
      ? (entry.kind as ProviderPreset)
      : entry.preset;

  const onEntry = (requestedId: string, entry: ProviderEntry, model?: string): ResolvedModel =>
    finish(requestedId, build(entry), model ?? modelFor(entry, requestedId), pricingPreset(entry));

  const resolveWithoutFallback = (id: string): ResolvedModel | undefined => {
    const route = matchGlobKey(config.models, id);
    if (route) {
      const external = extra[route.provider];
      if (external && !config.providers[route.provider])
        return finish(id, external, route.model ?? bareId(id), undefined);
      const entry = implicitEntry(route.provider);
      if (entry) return onEntry(id, entry, route.model);
    }
    const slash = id.indexOf('/');
    if (slash > 0) {
      const prefix = id.slice(0, slash);
      if (config.providers[prefix]) return onEntry(id, config.providers[prefix]);
      const external = extra[prefix];
      if (external) return finish(id, external, id.slice(slash + 1), undefined);
    }
    const listed = Object.values(config.providers).find((entry) =>
      entry.models?.some((pattern) => globToRegExp(pattern).test(id)),
    );
    if (listed) return onEntry(id, listed);
    if (config.defaultProvider !== undefined) {
      const entry = implicitEntry(config.defaultProvider);
      if (entry) return onEntry(id, entry);
      const external = extra[config.defaultProvider];
      if (external) return finish(id, external, bareId(id), undefined);
    }
    const fromEnv = envOpenAI();
    if (fromEnv && (id.startsWith('openai/') || !id.includes('/'))) return onEntry(id, fromEnv);
    return undefined;
  };

  return {
    providerNamed(name: string): Provider {
      const entry = config.providers[name];
      if (!entry) throw new PromptLabError(`no provider named "${name}" in the provider config`, 'config');
      return build(entry);
    },
    resolve(modelId: string): ResolvedModel {
      const id = modelId.trim();
      if (id === '') throw new PromptLabError('empty model id', 'config');
      const direct = resolveWithoutFallback(id);
      if (direct) return direct;
      const override = options.modelOverride?.trim();
      if (override && override !== id) {
        const forced = resolveWithoutFallback(override);
        if (forced) {
          const provider = forced.provider;
          const entry =
            Object.values(config.providers).find((e) => built.get(e.name) === provider) ??
            (built.get('openai') === provider ? envOpenAI() : undefined);
          return finish(
            id,
            provider,
            entry ? modelFor(entry, id) : bareId(id),
            entry ? pricingPreset(entry) : undefined,
          );
        }
      }
      throw new ModelResolutionError(
        `no endpoint configured for model "${id}"; map it under models: in promptlab.config.yaml`,
        id,
        mappingHint(id, config),
      );
    },
  };
}
