// What the configured endpoints offer: each provider's `GET /models` (through the `openai` client,
// with the key a run would send to that origin), as model ids that route back to that endpoint.
// For the editor's model pickers; a failed list is reported per endpoint, never thrown.
import { errorMessage } from '../errors';
import type { ProviderConfig, ProviderEntry } from './config';
import { createResolver, type ResolverOptions } from './resolver';
import { OpenAICompatibleProvider } from './openai';
import type { Provider } from './types';

export interface EndpointModels {
  /** The provider's name in the config (`openai`, `promptlab.endpoints[0]`, …). */
  provider: string;
  origin: string;
  /** Model ids as a prompt file writes them, each resolving to this endpoint. */
  ids: string[];
  /** Why the endpoint's list is missing (unreachable, 401, no /models), in one line. */
  error?: string;
}

export interface ListModelsOptions extends ResolverOptions {
  /** Per endpoint. Default 5000 ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Listable extends Provider {
  listModels(options: { timeoutMs?: number; signal?: AbortSignal }): Promise<string[]>;
}

const isListable = (provider: Provider): provider is Listable =>
  typeof (provider as Partial<Listable>).listModels === 'function';

/** Ways to write an endpoint's model `listed` as a prompt-file id, most specific first. */
function candidateIds(entry: ProviderEntry, listed: string, config: ProviderConfig): string[] {
  if (entry.keepPrefix) return [listed];
  const vendorPatterns = [
    ...(entry.models ?? []),
    ...Object.entries(config.models)
      .filter(([, route]) => route.provider === entry.name && route.model === undefined)
      .map(([id]) => id),
  ]
    .filter((pattern) => /^[^*?/]+\/\*$/.test(pattern))
    .map((pattern) => `${pattern.slice(0, -1)}${listed}`);
  const byName = /^[A-Za-z0-9_.-]+$/.test(entry.name) ? [`${entry.name}/${listed}`] : [];
  return [...vendorPatterns, ...byName, listed];
}

/** Asks every configured endpoint (Azure excepted: it lists base models, not deployments) for its models. */
export async function listConfiguredModels(
  config: ProviderConfig,
  options: ListModelsOptions = {},
): Promise<EndpointModels[]> {
  const resolver = createResolver(config, options);
  const entries = Object.values(config.providers).filter((entry) => entry.preset !== 'azure');
  return Promise.all(
    entries.map(async (entry): Promise<EndpointModels> => {
      let provider: Provider;
      try {
        provider = resolver.providerNamed(entry.name);
      } catch (error) {
        return { provider: entry.name, origin: '', ids: [], error: errorMessage(error) };
      }
      const origin = provider.endpointOrigin;
      if (!isListable(provider)) return { provider: entry.name, origin, ids: [], error: 'cannot list models' };
      let listed: string[];
      try {
        listed = await provider.listModels({
          ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        return { provider: entry.name, origin, ids: [], error: errorMessage(error) };
      }
      const ids: string[] = [];
      for (const model of listed) {
        // Offer an id only if a run with it really goes to this endpoint.
        const id = candidateIds(entry, model, config).find((candidate) => {
          try {
            return resolver.resolve(candidate).provider === provider;
          } catch {
            return false;
          }
        });
        if (id && !ids.includes(id)) ids.push(id);
      }
      return { provider: entry.name, origin, ids };
    }),
  );
}

export interface EndpointListOptions {
  baseURL: string;
  /** Sent to that origin only (the client follows no redirects). */
  apiKey?: string;
  /** Default 5000 ms: a picker must not hang on a server that is not there. */
  timeoutMs?: number;
}

/**
 * `GET /models` of one endpoint that is not configured yet ("Set Up a Model Provider…" offers what a
 * local or custom server serves before writing it down): its ids, sorted; throws what it answered.
 */
export async function listModelsAt(options: EndpointListOptions): Promise<string[]> {
  const provider = new OpenAICompatibleProvider({
    kind: 'custom',
    baseURL: options.baseURL,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const ids = await provider.listModels({ timeoutMs: options.timeoutMs ?? 5000 });
  return [...new Set(ids)].sort((a, b) => a.localeCompare(b));
}
