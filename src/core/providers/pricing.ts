// Model prices in USD per million tokens, from the config's `pricing:` or from a maintained
// multi-provider catalogue (@pydantic/genai-prices: prices by provider, cached-input prices,
// dated price changes, long-context tiers). A price we do not know stays unknown (cost `null`),
// never 0: a wrong zero would make a cost budget pass silently.
//
// The catalogue is ~0.5 MB of data: it is loaded on the first lookup (see vendor.ts), so
// starting the CLI or activating the extension never pays for it.

import type { TokenUsage } from '../run/types';
import type { ModelPrice, PriceTier } from './types';
import { loadPriceCatalogue, type CatalogueModelPrice, type CataloguePriceValue } from './vendor';

/**
 * The catalogue bundled with this build. `date` is the day this version of the package was
 * published; a unit test fails when the installed version differs, so the two move together.
 */
export const PRICE_CATALOGUE = { name: '@pydantic/genai-prices', version: '0.1.8', date: '2026-09-23' } as const;

/**
 * Share of the standard price that a provider's batch API charges, where the provider documents
 * a flat discount (OpenAI, Azure OpenAI, Anthropic and Google batch jobs cost half).
 */
const BATCH_PRICE_FACTOR: Readonly<Record<string, number>> = { openai: 0.5, azure: 0.5, anthropic: 0.5, google: 0.5 };

/** What the catalogue lookup needs to know about the endpoint a model runs on. */
export interface PriceEndpoint {
  /** Provider preset (`openai`, `azure`, `custom` …). */
  kind: string;
  /** scheme://host[:port] of the endpoint. */
  origin: string;
}

export interface PriceQuery {
  /** The id as the user wrote it (`openai/gpt-4o-mini`). */
  requestedId: string;
  /** The id sent to the endpoint, when it differs (`gpt-4o-mini`, an Azure deployment …). */
  endpointModel?: string;
  /** The config's `pricing:` (exact ids or globs); wins over the catalogue. */
  overrides?: Readonly<Record<string, ModelPrice>>;
  /** File the overrides come from (for the price's source label). */
  configFile?: string;
  /** Absent or undefined: the catalogue is not used (local servers, the editor's models). */
  endpoint?: PriceEndpoint;
  /** Prices in force at this time (the catalogue knows dated price changes). Default: now. */
  at?: Date;
}

/** `*` matches any run of characters, `?` one character; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Number of literal characters: more literal = more specific when several globs match. */
export function globSpecificity(glob: string): number {
  return glob.replace(/[*?]/g, '').length;
}

function fromOverrides(
  modelId: string,
  overrides: Readonly<Record<string, ModelPrice>>,
): [string, ModelPrice] | undefined {
  const exact = Object.entries(overrides).find(([key]) => key.toLowerCase() === modelId.toLowerCase());
  if (exact) return exact;
  const globs = Object.entries(overrides)
    .filter(([key]) => /[*?]/.test(key) && globToRegExp(key).test(modelId))
    .sort(([a], [b]) => globSpecificity(b) - globSpecificity(a));
  return globs[0];
}

function baseName(file: string | undefined): string {
  if (!file) return 'the config';
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function bare(id: string): string {
  return id.slice(id.lastIndexOf('/') + 1);
}

/** Base price and the tier starts of one catalogue field. */
function field(
  value: CataloguePriceValue | undefined,
): { base: number; tiers: { start: number; price: number }[] } | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { base: value, tiers: [] };
  return { base: value.base, tiers: [...value.tiers].sort((a, b) => a.start - b.start) };
}

function priceAtStart(f: ReturnType<typeof field>, inputTokens: number): number | undefined {
  if (!f) return undefined;
  let price = f.base;
  for (const tier of f.tiers) if (inputTokens > tier.start) price = tier.price;
  return price;
}

/** Catalogue prices → ours; long-context tiers (priced by prompt size) become `tiers`. */
function fromCatalogue(prices: CatalogueModelPrice): ModelPrice | undefined {
  const input = field(prices.input_mtok);
  const output = field(prices.output_mtok);
  const cached = field(prices.cache_read_mtok);
  // A model priced per request, image or second only is not a text model we can price.
  if (!input) return undefined;
  const price: ModelPrice = { inputPerMTok: input.base, outputPerMTok: output?.base ?? 0 };
  if (cached) price.cachedInputPerMTok = cached.base;
  const starts = [...new Set([input, output, cached].flatMap((f) => f?.tiers.map((t) => t.start) ?? []))].sort(
    (a, b) => a - b,
  );
  if (starts.length) {
    price.tiers = starts.map((start): PriceTier => {
      // The tier applies once the prompt has more than `start` tokens.
      const tier: PriceTier = {
        aboveInputTokens: start,
        inputPerMTok: priceAtStart(input, start + 1) ?? 0,
        outputPerMTok: priceAtStart(output, start + 1) ?? 0,
      };
      const cachedPrice = priceAtStart(cached, start + 1);
      if (cachedPrice !== undefined) tier.cachedInputPerMTok = cachedPrice;
      return tier;
    });
  }
  return price;
}

/**
 * Provider ids of the catalogue to try, best first. An OpenAI or Azure endpoint is priced only as
 * that provider (a llama id on an OpenAI-compatible URL is not OpenAI's to price); any other
 * endpoint by its URL, then by the id's `publisher/` part, then by the catalogue's own matching.
 */
function catalogueProviders(
  query: PriceQuery,
  endpoint: PriceEndpoint,
  findProviderByUrl: (url: string) => string | undefined,
): (string | undefined)[] {
  if (endpoint.kind === 'openai') return ['openai'];
  if (endpoint.kind === 'azure') return ['azure', 'openai'];
  const ids: (string | undefined)[] = [];
  const byUrl = findProviderByUrl(endpoint.origin);
  if (byUrl) ids.push(byUrl);
  const slash = query.requestedId.indexOf('/');
  if (slash > 0) ids.push(query.requestedId.slice(0, slash).toLowerCase());
  // Last: the catalogue's own model-name matching across providers.
  ids.push(undefined);
  return [...new Set(ids)];
}

function lookupCatalogue(query: PriceQuery, endpoint: PriceEndpoint): ModelPrice | undefined {
  const catalogue = loadPriceCatalogue();
  const at = query.at ?? new Date();
  const findByUrl = (url: string): string | undefined => {
    try {
      // Loopback and private hosts are nobody's public price list.
      if (/^https?:\/\/(?:localhost|127\.|\[::1\]|0\.0\.0\.0)/i.test(url)) return undefined;
      return catalogue.findProvider({ providerApiUrl: url })?.id;
    } catch {
      return undefined;
    }
  };
  const ids = [
    ...new Set([query.endpointModel, query.requestedId, bare(query.requestedId)].filter((id): id is string => !!id)),
  ];
  for (const providerId of catalogueProviders(query, endpoint, findByUrl)) {
    for (const modelId of ids) {
      let result;
      try {
        result = catalogue.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, {
          ...(providerId ? { providerId } : {}),
          timestamp: at,
        });
      } catch {
        result = null;
      }
      if (!result) continue;
      const price = fromCatalogue(result.model_price);
      if (!price) continue;
      price.source = {
        kind: 'catalogue',
        label: `${PRICE_CATALOGUE.name} ${PRICE_CATALOGUE.version}: ${result.provider.name} ${result.model.id}`,
        date: PRICE_CATALOGUE.date,
        provider: result.provider.id,
      };
      return price;
    }
  }
  return undefined;
}

/**
 * The price of a model: the config's `pricing:` first (exact id, then the most specific glob,
 * tried on the requested id and then the endpoint's id), else the catalogue when an endpoint is
 * given. Every price found carries its `source`.
 */
export function lookupPrice(query: PriceQuery): ModelPrice | undefined {
  const overrides = query.overrides ?? {};
  for (const id of [query.requestedId, query.endpointModel]) {
    if (!id) continue;
    const hit = fromOverrides(id, overrides);
    if (hit) {
      const [key, price] = hit;
      return { ...price, source: { kind: 'config', label: `${baseName(query.configFile)} pricing."${key}"` } };
    }
  }
  return query.endpoint ? lookupCatalogue(query, query.endpoint) : undefined;
}

/**
 * Compatibility form of lookupPrice for callers without endpoint details: config overrides, then
 * (with `useCatalogue`) the catalogue as for an OpenAI endpoint.
 */
export function priceFor(
  modelId: string,
  overrides: Readonly<Record<string, ModelPrice>> = {},
  useCatalogue = true,
): ModelPrice | undefined {
  return lookupPrice({
    requestedId: modelId,
    overrides,
    ...(useCatalogue ? { endpoint: { kind: 'openai', origin: 'https://api.openai.com' } } : {}),
  });
}

/** Per-million prices in force for a request with `inputTokens` prompt tokens (long-context tiers). */
export function pricesAt(
  price: ModelPrice,
  inputTokens: number,
): { input: number; cachedInput: number; output: number } {
  let input = price.inputPerMTok;
  let output = price.outputPerMTok;
  let cachedInput = price.cachedInputPerMTok ?? price.inputPerMTok;
  for (const tier of price.tiers ?? []) {
    if (inputTokens <= tier.aboveInputTokens) break;
    input = tier.inputPerMTok;
    output = tier.outputPerMTok;
    cachedInput = tier.cachedInputPerMTok ?? tier.inputPerMTok;
  }
  return { input, cachedInput, output };
}

/** USD for one request; `null` when the usage or the price is unknown. Cached prompt tokens get the cached-input price. */
export function costUsd(usage: TokenUsage | undefined, modelPrice: ModelPrice | undefined): number | null {
  if (!usage || !modelPrice) return null;
  const rates = pricesAt(modelPrice, usage.prompt);
  const cached = Math.min(usage.cachedPrompt ?? 0, usage.prompt);
  return (
    ((usage.prompt - cached) * rates.input + cached * rates.cachedInput + usage.completion * rates.output) / 1_000_000
  );
}

/**
 * The batch-API price of a model: the config's explicit `batchInput`/`batchOutput` when given,
 * else the standard price times the provider's documented batch discount; `undefined` when the
 * provider has no known batch discount (do not guess one).
 */
export function batchPriceOf(price: ModelPrice | undefined, providerId?: string): ModelPrice | undefined {
  if (!price) return undefined;
  if (price.batchInputPerMTok !== undefined && price.batchOutputPerMTok !== undefined) {
    const explicit: ModelPrice = { inputPerMTok: price.batchInputPerMTok, outputPerMTok: price.batchOutputPerMTok };
    if (price.source) explicit.source = { ...price.source, label: `${price.source.label} (batch)` };
    return explicit;
  }
  const provider = providerId ?? price.source?.provider;
  const factor = provider === undefined ? undefined : BATCH_PRICE_FACTOR[provider];
  if (factor === undefined) return undefined;
  const scale = (n: number): number => n * factor;
  const batch: ModelPrice = { inputPerMTok: scale(price.inputPerMTok), outputPerMTok: scale(price.outputPerMTok) };
  if (price.cachedInputPerMTok !== undefined) batch.cachedInputPerMTok = scale(price.cachedInputPerMTok);
  if (price.tiers)
    batch.tiers = price.tiers.map((t) => ({
      ...t,
      inputPerMTok: scale(t.inputPerMTok),
      outputPerMTok: scale(t.outputPerMTok),
      ...(t.cachedInputPerMTok !== undefined ? { cachedInputPerMTok: scale(t.cachedInputPerMTok) } : {}),
    }));
  if (price.source)
    batch.source = { ...price.source, label: `${price.source.label} (batch: ${factor * 100}% of standard)` };
  return batch;
}

/** `promptlab.config.yaml pricing."gpt-4o*"` or `@pydantic/genai-prices 0.1.8: OpenAI gpt-4o (2026-09-23)`. */
export function describePriceSource(price: ModelPrice | undefined): string {
  if (!price?.source) return 'no price known';
  return price.source.date ? `${price.source.label} (prices as of ${price.source.date})` : price.source.label;
}
