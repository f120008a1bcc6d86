// Model resolution in the editor, in order: the workspace's provider configuration, the
// machine-level `promptlab.endpoints` setting, then the editor's language models as the zero-key
// fallback. Keys come from SecretStorage by origin and are only ever sent to that origin.
import { PromptLabError } from '../../core/errors';
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
  log: Logger;
}

export interface ConfiguredEndpoint {
  origin: string;
  models: string[];
}

/** Does a model pattern from the settings serve `modelId`? `openai/*` is a prefix, anything else exact. */
export function patternMatches(pattern: string, modelId: string): boolean {
  return pattern.endsWith('*') ? modelId.startsWith(pattern.slice(0, -1)) : pattern === modelId;
}

/** The id sent to the endpoint: a prefix pattern `vendor/*` strips the vendor (`openai/gpt-4o` → `gpt-4o`). */
export function endpointModelId(pattern: string, modelId: string): string {
  return pattern.endsWith('/*') ? modelId.slice(pattern.length - 1) : modelId;
}

/** Endpoints the user configured (settings), for the model and endpoint pickers. */
export async function configuredEndpoints(_workspaceDir: string, settings: RunSettings): Promise<ConfiguredEndpoint[]> {
  return settings.endpoints.flatMap((e) => {
    const origin = originOf(e.baseURL);
    return origin ? [{ origin, models: e.models.filter((m) => !m.endsWith('*')) }] : [];
  });
}

async function settingsResolver(endpoints: EndpointSetting[], keys: ReadonlyMap<string, string>): Promise<ModelResolver> {
  const { OpenAICompatibleProvider } = await import('../../core/providers/openai');
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
            keyHint: `PromptLab: Set API Key… for ${origin}`,
            ...(apiKey ? { apiKey } : {}),
          });
          providers.set(endpoint, provider);
        }
        return { provider, model: endpointModelId(pattern, modelId), requestedId: modelId };
      }
      throw new PromptLabError(`No endpoint serves the model '${modelId}'`, 'config', undefined, 'Map it in promptlab.config.yaml or the promptlab.endpoints setting, or pick another model with "Run with model…".');
    },
  };
}

export async function createEditorResolver(options: EditorResolverOptions): Promise<ModelResolver> {
  const base = await settingsResolver(options.settings.endpoints, options.keys);
  const unresolved = new Set<string>();
  for (const id of new Set(options.modelIds)) {
    try {
      base.resolve(id);
    } catch {
      unresolved.add(id);
    }
  }
  if (unresolved.size === 0 || !options.settings.useEditorLanguageModels) return base;
  const models = await editorModels();
  const fallback = new Map<string, ResolvedModel>();
  for (const id of unresolved) {
    const model = pickEditorModel(models, id);
    if (!model) continue;
    options.log.info(`No endpoint serves ${id}: using the editor's language model ${model.vendor}/${model.id} (approximate results)`);
    fallback.set(id, { provider: new VscodeLmProvider(model), model: model.id, requestedId: id });
  }
  return {
    resolve(modelId: string): ResolvedModel {
      const editor = fallback.get(modelId);
      if (editor) return editor;
      try {
        return base.resolve(modelId);
      } catch (error) {
        if (models.length === 0 && error instanceof PromptLabError) throw new PromptLabError(`${error.message}. ${Text.noEditorModels}`, 'config', error.location, error.hint);
        throw error;
      }
    },
  };
}
