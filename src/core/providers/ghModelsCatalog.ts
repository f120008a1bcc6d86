// The retired GitHub Models catalog (service shut down 2026-07-30) and where each of its ids
// lives now. `promptlab init` writes routes from this table. The table itself is data, in
// ./ghModelsCatalog.json (bundled into the engine); this module checks it as it loads.
//
// Sources, checked 2026-12-01:
//  - ids: the 58 entries of the catalog's public model list (`GET models.github.ai/catalog/models`)
//    as of 2025-08, the last state before new models stopped being added; cross-checked against
//    public repositories that listed the full catalog.
//  - Azure AI Foundry: the catalog's own `name` field (GitHub Models was served by Azure AI, and
//    Foundry uses the same model names; a Foundry deployment is named after its model unless
//    renamed).
//  - OpenRouter: model slugs from openrouter.ai/models.
//  - Ollama: tags from ollama.com/library (default quantisation of the named size).
// A `substitute` is not the same model: the provider has no build of it, so the closest open or
// current one is named, and the config says so. A provider left out means no equivalent is known.
//
// ghModelsCatalog.json: `models` holds one row per catalog id: `id`, `label`, `kind` (only
// "embedding"; default "chat") and a name per provider (`openai`, `azure`, `openrouter`, `ollama`).
// A name is the provider's id for the same model, `{model, substitute}` for a stand-in with its
// note, or `{shared}` naming a stand-in of `sharedSubstitutes` that several rows use.

import catalogJson from './ghModelsCatalog.json';

export const GH_MODELS_CATALOG_DATE = '2026-12-01';
export const GH_MODELS_RETIRED = '2026-07-30';

/** Providers `promptlab init` knows names for. */
export const CATALOG_TARGETS = ['openai', 'azure', 'openrouter', 'ollama'] as const;
export type CatalogTarget = (typeof CATALOG_TARGETS)[number];

export interface CatalogName {
  /** The provider's id for the model. */
  model: string;
  /** Set when this is a different model standing in for one the provider does not serve. */
  substitute?: string;
}

export interface CatalogEntry {
  /** The GitHub Models id, `publisher/model`. */
  id: string;
  /** Display name in the catalog. */
  label: string;
  kind: 'chat' | 'embedding';
  names: Partial<Record<CatalogTarget, CatalogName>>;
}

const ROW_KEYS: ReadonlySet<string> = new Set(['id', 'label', 'kind', ...CATALOG_TARGETS]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function substituteFrom(value: unknown): CatalogName | undefined {
  if (!isRecord(value) || Object.keys(value).length !== 2 || !isText(value.model) || !isText(value.substitute))
    return undefined;
  return { model: value.model, substitute: value.substitute };
}

/**
 * The table from ghModelsCatalog.json's shape (see the top of this file). A malformed row throws,
 * naming the row and the field, so a bad edit of the data fails every test that loads it.
 */
export function catalogFromJson(data: unknown): CatalogEntry[] {
  if (!isRecord(data) || !isRecord(data.sharedSubstitutes) || !Array.isArray(data.models))
    throw new Error('GitHub Models catalog: expected {sharedSubstitutes: {...}, models: [...]}');
  const shared = new Map<string, CatalogName>();
  for (const [key, value] of Object.entries(data.sharedSubstitutes)) {
    const name = substituteFrom(value);
    if (!name) throw new Error(`GitHub Models catalog: sharedSubstitutes.${key} must be {model, substitute}`);
    shared.set(key, name);
  }
  return data.models.map((row: unknown, i): CatalogEntry => {
    const at = `GitHub Models catalog: models[${i}]`;
    if (!isRecord(row) || !isText(row.id) || !isText(row.label)) throw new Error(`${at} needs an id and a label`);
    const where = `${at} (${row.id})`;
    for (const key of Object.keys(row)) if (!ROW_KEYS.has(key)) throw new Error(`${where}: unknown key "${key}"`);
    const kind = row.kind ?? 'chat';
    if (kind !== 'chat' && kind !== 'embedding') throw new Error(`${where}: kind must be "chat" or "embedding"`);
    const names: CatalogEntry['names'] = {};
    for (const target of CATALOG_TARGETS) {
      const value = row[target];
      if (value === undefined) continue;
      const name = isText(value)
        ? { model: value }
        : isRecord(value) && typeof value.shared === 'string' && Object.keys(value).length === 1
          ? shared.get(value.shared)
          : substituteFrom(value);
      if (!name)
        throw new Error(`${where}: ${target} must be a name, {model, substitute} or {shared} of sharedSubstitutes`);
      names[target] = { ...name };
    }
    return { id: row.id, label: row.label, kind, names };
  });
}

/** One row per catalog id: OpenAI, Azure AI Foundry, OpenRouter, Ollama. */
export const GH_MODELS_CATALOG: readonly CatalogEntry[] = catalogFromJson(catalogJson);

const byKey = new Map<string, CatalogEntry>();
for (const item of GH_MODELS_CATALOG) {
  byKey.set(item.id.toLowerCase(), item);
  // Older gh-models docs and the Azure inference endpoint used the bare or Azure-style name.
  const bare = item.id.slice(item.id.indexOf('/') + 1).toLowerCase();
  if (!byKey.has(bare)) byKey.set(bare, item);
  const azure = item.names.azure?.model.toLowerCase();
  if (azure && !byKey.has(azure)) byKey.set(azure, item);
}

/** The catalog entry for an id as a prompt file may write it: `publisher/model`, bare, or the Azure-style name. */
export function findCatalogEntry(modelId: string): CatalogEntry | undefined {
  return byKey.get(modelId.trim().toLowerCase());
}
