// Model resolution in the editor, in order: the workspace's provider configuration
// (promptlab.config.yaml, or the machine-level promptlab.providerConfigFile), the machine-level
// `promptlab.endpoints` setting, then the editor's language models as the zero-key fallback.
// Keys come from the environment or SecretStorage by origin and are only sent to that origin.
import * as path from 'node:path';
import { PromptLabError } from '../../core/errors';
import type { ProviderConfig } from '../../core/providers/config';
import type { ModelResolver, ResolvedModel } from '../../core/providers/types';
import type { Logger } from '../log';
import { Text } from '../messages';
import { originOf } from '../secrets';
import type { EndpointSetting, RunSettings } from '../settings';
import { editorModels, pickEditorModel, VscodeLmProvider } from './vscodeLm';

export interface EditorResolverOptions {
  workspaceDir: string;
  settings: RunSettings;
  /** Stored keys by origin; the resolver only ever asks for the origin a request goes to. */
  keys: ReadonlyMap<string, string>;
  /** Ids this run will resolve (prompt model, judges): editor models are selected for those no endpoint serves. */
  modelIds: string[];
  /** The model the user forced (Run with model…): judges without a mapping fall back to its endpoint. */
  modelOverride?: string;
  log: Logger;
}

export interface ConfiguredEndpoint {
  origin: string;
  models: string[];
}

/** Prefix for ids that name an editor model explicitly, e.g. `vscode-lm/gpt-4o`. */
export const EDITOR_MODEL_PREFIX = 'vscode-lm';

/** Does a model pattern from the settings serve `modelId`? `openai/*` is a prefix, anything else exact. */
export function patternMatches(pattern: string, modelId: string): boolean {
  return pattern.endsWith('*') ? modelId.startsWith(pattern.slice(0, -1)) : pattern === modelId;
}

/** The id sent to the endpoint: a prefix pattern `vendor/*` strips the vendor (`openai/gpt-4o` → `gpt-4o`). */
export function endpointModelId(pattern: string, modelId: string): string {
  return pattern.endsWith('/*') ? modelId.slice(pattern.length - 1) : modelId;
}

const isGlob = (id: string) => /[*?]/.test(id);

async function loadConfig(workspaceDir: string, settings: RunSettings): Promise<ProviderConfig> {
  const { loadProviderConfig } = await import('../../core/providers/config');
  return settings.providerConfigFile ? loadProviderConfig(path.dirname(settings.providerConfigFile), settings.providerConfigFile) : loadProviderConfig(workspaceDir);
}

/** Endpoints and model ids the user configured (workspace config and settings), for the pickers. */
export async function configuredEndpoints(workspaceDir: string, settings: RunSettings): Promise<ConfiguredEndpoint[]> {
  const { OPENAI_DEFAULT_BASE_URL } = await import('../../core/providers/config');
  const config = await loadConfig(workspaceDir, settings);
  const endpoints: ConfiguredEndpoint[] = [];
  for (const entry of Object.values(config.providers)) {
    const url = entry.baseURL ?? entry.endpoint ?? (entry.preset === 'openai' ? OPENAI_DEFAULT_BASE_URL : undefined);
    const origin = url ? originOf(url) : undefined;
    if (!origin) continue;
    const routed = Object.entries(config.models).filter(([id, route]) => route.provider === entry.name && !isGlob(id)).map(([id]) => id);
    endpoints.push({ origin, models: [...routed, ...(entry.models ?? []).filter((m) => !isGlob(m))] });
  }
  for (const e of settings.endpoints) {
    const origin = originOf(e.baseURL);
    if (origin) endpoints.push({ origin, models: e.models.filter((m) => !m.endsWith('*')) });
  }
  return endpoints;
}

/** Endpoint kinds whose models are priced only by the config's `pricing:` (they run on the user's machine). */
const LOCAL_KINDS = new Set(['ollama', 'lmstudio']);

async function settingsResolver(endpoints: EndpointSetting[], keys: ReadonlyMap<string, string>, pricing: ProviderConfig['pricing'], configFile: string | undefined): Promise<ModelResolver> {
  const { OpenAICompatibleProvider } = await import('../../core/providers/openai');
  const { lookupPrice } = await import('../../core/providers/pricing');
  const providers = new Map<EndpointSetting, InstanceType<typeof OpenAICompatibleProvider>>();
  return {
    resolve(modelId: string): ResolvedModel {
      for (const endpoint of endpoints) {
        const pattern = endpoint.models.find((p) => patternMatches(p, modelId));
        const origin = originOf(endpoint.baseURL);
        if (pattern === undefined || !origin) continue;
        let provider = providers.get(endpoint);
        if (!provider) {
          const apiKey = keys.get(origin);
          provider = new OpenAICompatibleProvider({
            kind: endpoint.kind ?? 'custom',
            baseURL: endpoint.baseURL,
            keyHint: `"PromptLab: Set API Key…" for ${origin}`,
            ...(apiKey ? { apiKey } : {}),
          });
          providers.set(endpoint, provider);
        }
        const model = endpointModelId(pattern, modelId);
        const kind = endpoint.kind ?? 'custom';
        // Priced as configured endpoints are: the config's pricing:, else the price catalogue.
        const price = lookupPrice({
          requestedId: modelId,
          ...(model !== modelId ? { endpointModel: model } : {}),
          overrides: pricing,
          ...(configFile ? { configFile } : {}),
          ...(LOCAL_KINDS.has(kind) ? {} : { endpoint: { kind, origin } }),
        });
        return { provider, model, requestedId: modelId, ...(price ? { price } : {}) };
      }
      throw new PromptLabError(`No endpoint serves the model '${modelId}'`, 'config');
    },
  };
}

/** Tries each resolver in turn; the first one's error is the one reported (it carries the mapping hint). */
function chain(resolvers: ModelResolver[]): ModelResolver {
  return {
    resolve(modelId: string): ResolvedModel {
      let first: unknown;
      for (const resolver of resolvers) {
        try {
          return resolver.resolve(modelId);
        } catch (error) {
          first ??= error;
        }
      }
      throw first instanceof Error ? first : new PromptLabError(`No endpoint serves the model '${modelId}'`, 'config');
    },
  };
}

export async function createEditorResolver(options: EditorResolverOptions): Promise<ModelResolver> {
  const { createResolver } = await import('../../core/providers/config');
  const config = await loadConfig(options.workspaceDir, options.settings);
  const wantsEditorModels = options.modelIds.some((id) => id.startsWith(`${EDITOR_MODEL_PREFIX}/`));
  let lm: VscodeLmProvider | undefined;
  const fromSettings = options.settings.endpoints.length > 0 ? [await settingsResolver(options.settings.endpoints, options.keys, config.pricing, config.file)] : [];
  const build = (): ModelResolver =>
    chain([
      createResolver(config, {
        env: process.env,
        keyFor: (origin: string) => options.keys.get(origin),
        ...(options.modelOverride ? { modelOverride: options.modelOverride } : {}),
        ...(lm ? { extraProviders: { [EDITOR_MODEL_PREFIX]: lm } } : {}),
      }),
      ...fromSettings,
    ]);
  let base = build();
  const unresolved = options.modelIds.filter((id) => {
    try {
      base.resolve(id);
      return false;
    } catch {
      return true;
    }
  });
  if ((unresolved.length === 0 && !wantsEditorModels) || !options.settings.useEditorLanguageModels) return base;

  // Only now (a user-started run needs it) ask the editor for its models.
  const models = await editorModels();
  if (models.length > 0) {
    lm = new VscodeLmProvider(models);
    base = build();
  }
  const fallback = new Map<string, ResolvedModel>();
  for (const id of unresolved) {
    const model = lm ? pickEditorModel(models, id) : undefined;
    if (!lm || !model) continue;
    options.log.info(`No endpoint serves ${id}: using the editor's language model ${model.vendor}/${model.id} (approximate results)`);
    fallback.set(id, { provider: lm, model: model.id, requestedId: id });
  }
  const resolver = base;
  return {
    resolve(modelId: string): ResolvedModel {
      const editor = fallback.get(modelId);
      if (editor) return editor;
      try {
        return resolver.resolve(modelId);
      } catch (error) {
        if (models.length === 0 && error instanceof PromptLabError) throw new PromptLabError(`${error.message}. ${Text.noEditorModels}`, error.kind, error.location, error.hint);
        throw error;
      }
    },
  };
}
