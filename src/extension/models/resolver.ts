// Model resolution in the editor, with one resolver: the workspace's provider configuration
// (promptlab.config.yaml, or the machine-level promptlab.providerConfigFile) plus the machine-level
// `promptlab.endpoints` setting turned into provider entries of that same configuration, then the
// editor's language models as the zero-key fallback. Keys come from the environment or SecretStorage
// by origin and are only sent to that origin.
import * as path from 'node:path';
import type { ProviderConfig } from '../../core/providers/config';
import type { EndpointModels } from '../../core/providers/listModels';
import type { ModelResolver, ResolvedModel } from '../../core/providers/types';
import { loadEngine } from '../engine';
import type { Logger } from '../log';
import { httpOrigin } from '../../core/providers/origin';
import type { RunSettings } from '../settings';
import { endpointEntries } from './endpointEntries';
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

const isGlob = (id: string) => /[*?]/.test(id);

/** The workspace's provider configuration with the endpoint settings added as providers after its own. */
export async function loadModelConfig(workspaceDir: string, settings: RunSettings): Promise<ProviderConfig> {
  const { loadProviderConfig } = await loadEngine();
  const config = settings.providerConfigFile
    ? await loadProviderConfig(path.dirname(settings.providerConfigFile), settings.providerConfigFile)
    : await loadProviderConfig(workspaceDir);
  const providers = { ...config.providers };
  for (const entry of endpointEntries(settings.endpoints))
    if (!Object.hasOwn(providers, entry.name)) providers[entry.name] = entry;
  return { ...config, providers };
}

/** Endpoints and model ids the user configured (workspace config and settings), for the pickers. */
export async function configuredEndpoints(workspaceDir: string, settings: RunSettings): Promise<ConfiguredEndpoint[]> {
  const config = await loadModelConfig(workspaceDir, settings);
  const { OPENAI_DEFAULT_BASE_URL } = await loadEngine();
  const endpoints: ConfiguredEndpoint[] = [];
  for (const entry of Object.values(config.providers)) {
    const url = entry.baseURL ?? entry.endpoint ?? (entry.preset === 'openai' ? OPENAI_DEFAULT_BASE_URL : undefined);
    const origin = url ? httpOrigin(url) : undefined;
    if (!origin) continue;
    const routed = Object.entries(config.models)
      .filter(([id, route]) => route.provider === entry.name && !isGlob(id))
      .map(([id]) => id);
    endpoints.push({ origin, models: [...routed, ...(entry.models ?? []).filter((m) => !isGlob(m))] });
  }
  return endpoints;
}

/** What each configured endpoint lists at GET /models, asked with the keys a run would send there. */
export async function listEndpointModels(
  workspaceDir: string,
  settings: RunSettings,
  keys: ReadonlyMap<string, string>,
): Promise<EndpointModels[]> {
  const { listConfiguredModels } = await loadEngine();
  const config = await loadModelConfig(workspaceDir, settings);
  return listConfiguredModels(config, { env: process.env, keyFor: (origin) => keys.get(origin), timeoutMs: 4000 });
}

export async function createEditorResolver(options: EditorResolverOptions): Promise<ModelResolver> {
  const { createResolver } = await loadEngine();
  const config = await loadModelConfig(options.workspaceDir, options.settings);
  const wantsEditorModels = options.modelIds.some((id) => id.startsWith(`${EDITOR_MODEL_PREFIX}/`));
  let lm: VscodeLmProvider | undefined;
  const build = (): ModelResolver =>
    createResolver(config, {
      env: process.env,
      keyFor: (origin: string) => options.keys.get(origin),
      ...(options.modelOverride ? { modelOverride: options.modelOverride } : {}),
      ...(lm ? { extraProviders: { [EDITOR_MODEL_PREFIX]: lm } } : {}),
    });
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
    options.log.info(
      `No endpoint serves ${id}: using the editor's language model ${model.vendor}/${model.id} (approximate results)`,
    );
    fallback.set(id, { provider: lm, model: model.id, requestedId: id });
  }
  const resolver = base;
  return {
    resolve(modelId: string): ResolvedModel {
      const editor = fallback.get(modelId);
      if (editor) return editor;
      // Unrouted: the error says which model; the editor shows it as "no provider set up" with the fix.
      return resolver.resolve(modelId);
    },
  };
}
