// `GET /models` of one OpenAI-compatible endpoint through the real `openai` client, for pickers
// ("Set Up a Model Provider…" lists what a local or custom server serves). The key, when given, goes
// only to that endpoint's origin (the client follows no redirects).
import { OpenAICompatibleProvider } from './openai';

export interface ListModelsOptions {
  baseURL: string;
  apiKey?: string;
  /** Give up after this long (default 5 s): a picker must not hang on a server that is not there. */
  timeoutMs?: number;
}

export async function listEndpointModels(options: ListModelsOptions): Promise<string[]> {
  const provider = new OpenAICompatibleProvider({
    kind: 'custom',
    baseURL: options.baseURL,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  });
  const ids = await provider.listModels(AbortSignal.timeout(options.timeoutMs ?? 5000));
  return [...new Set(ids)].sort((a, b) => a.localeCompare(b));
}
