// The machine-level `promptlab.endpoints` setting as entries of core's provider configuration, so
// the editor has one resolver (core's createResolver). Pure: unit-tested with plain Node.
import type { ProviderEntry } from '../../core/providers/config';
import { httpOrigin } from '../../core/providers/origin';
import type { EndpointSetting } from '../settings';

/** A well-formed `promptlab.endpoints` entry (the setting is hand-editable JSON). */
export function isEndpoint(value: unknown): value is EndpointSetting {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.baseURL === 'string' &&
    Array.isArray(v.models) &&
    v.models.every((m) => typeof m === 'string') &&
    (v.kind === undefined || typeof v.kind === 'string') &&
    (v.deployment === undefined || typeof v.deployment === 'string')
  );
}

/**
 * The `promptlab.endpoints` setting as provider entries. A `vendor/*` pattern sends the id without its
 * vendor (`openai/gpt-4o` → `gpt-4o`); exact ids and other patterns are sent as written, so an
 * endpoint with both kinds becomes two entries (one client each).
 */
export function endpointEntries(endpoints: readonly EndpointSetting[]): ProviderEntry[] {
  const entries: ProviderEntry[] = [];
  endpoints.forEach((endpoint, index) => {
    const origin = httpOrigin(endpoint.baseURL);
    if (!origin) return;
    const url = endpoint.baseURL.trim().replace(/\/+$/, '');
    const common = {
      // Azure needs its own client (api-version, deployments, the api-key header): the URL is the resource endpoint.
      ...(endpoint.kind === 'azure'
        ? {
            preset: 'azure' as const,
            endpoint: url,
            ...(endpoint.deployment?.trim() ? { deployment: endpoint.deployment.trim() } : {}),
          }
        : { preset: 'custom' as const, baseURL: url }),
      kind: endpoint.kind ?? 'custom',
      keyHint: `"PromptLab: Set API Key…" for ${origin}`,
    };
    const name = `promptlab.endpoints[${index}]`;
    const vendorPatterns = endpoint.models.filter((m) => m.endsWith('/*'));
    const asWritten = endpoint.models.filter((m) => !m.endsWith('/*'));
    if (vendorPatterns.length > 0) entries.push({ ...common, name, models: vendorPatterns });
    if (asWritten.length > 0)
      entries.push({
        ...common,
        name: vendorPatterns.length > 0 ? `${name} (ids as written)` : name,
        models: asWritten,
        keepPrefix: true,
      });
  });
  return entries;
}
