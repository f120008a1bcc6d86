// Model prices in USD per million tokens. A price we do not know stays unknown (cost `null`),
// never 0: a wrong zero would make a cost budget pass silently.

import type { TokenUsage } from '../run/types';
import type { ModelPrice } from './types';

/** When the table below was last checked against OpenAI's public price list (standard tier). */
export const PRICE_TABLE_DATE = '2025-08';

const price = (inputPerMTok: number, outputPerMTok: number): ModelPrice => ({ inputPerMTok, outputPerMTok });

/** Keys are bare model ids as OpenAI names them; dated snapshots fall back to their family. */
const PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-5': price(1.25, 10),
  'gpt-5-mini': price(0.25, 2),
  'gpt-5-nano': price(0.05, 0.4),
  'gpt-5-chat-latest': price(1.25, 10),
  'gpt-4.1': price(2, 8),
  'gpt-4.1-mini': price(0.4, 1.6),
  'gpt-4.1-nano': price(0.1, 0.4),
  'gpt-4o': price(2.5, 10),
  'gpt-4o-mini': price(0.15, 0.6),
  'chatgpt-4o-latest': price(5, 15),
  'gpt-4-turbo': price(10, 30),
  'gpt-4': price(30, 60),
  'gpt-3.5-turbo': price(0.5, 1.5),
  o1: price(15, 60),
  'o1-mini': price(1.1, 4.4),
  o3: price(2, 8),
  'o3-mini': price(1.1, 4.4),
  'o3-pro': price(20, 80),
  'o4-mini': price(1.1, 4.4),
  'text-embedding-3-small': price(0.02, 0),
  'text-embedding-3-large': price(0.13, 0),
  'text-embedding-ada-002': price(0.1, 0),
};

/** `openai/gpt-4o-2024-08-06` → candidates `openai/gpt-4o-2024-08-06`, `gpt-4o-2024-08-06`, `gpt-4o`. */
function candidates(modelId: string): string[] {
  const id = modelId.trim().toLowerCase();
  const bare = id.slice(id.lastIndexOf('/') + 1);
  const undated = bare.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-(?:preview|latest)$/, '');
  return [...new Set([id, bare, undated])];
}

/** `*` matches any run of characters, `?` one character; everything else literally. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Number of literal characters: more literal = more specific when several globs match. */
export function globSpecificity(glob: string): number {
  return glob.replace(/[*?]/g, '').length;
}

function fromOverrides(modelId: string, overrides: Readonly<Record<string, ModelPrice>>): ModelPrice | undefined {
  const exact = Object.entries(overrides).find(([key]) => key.toLowerCase() === modelId.toLowerCase());
  if (exact) return exact[1];
  const globs = Object.entries(overrides)
    .filter(([key]) => /[*?]/.test(key) && globToRegExp(key).test(modelId))
    .sort(([a], [b]) => globSpecificity(b) - globSpecificity(a));
  return globs[0]?.[1];
}

/**
 * The price of a model id as the user wrote it (`openai/gpt-4o-mini`) or as the endpoint knows it.
 * `overrides` (the config's `pricing`, exact ids or globs) win over the built-in table.
 * `useTable: false` skips the table (local providers are free only when the config says so).
 */
export function priceFor(modelId: string, overrides: Readonly<Record<string, ModelPrice>> = {}, useTable = true): ModelPrice | undefined {
  const overridden = fromOverrides(modelId, overrides);
  if (overridden) return overridden;
  if (!useTable) return undefined;
  for (const candidate of candidates(modelId)) {
    const known = PRICES[candidate];
    if (known) return known;
  }
  return undefined;
}

/** USD for one request; `null` when the usage or the price is unknown. */
export function costUsd(usage: TokenUsage | undefined, modelPrice: ModelPrice | undefined): number | null {
  if (!usage || !modelPrice) return null;
  return (usage.prompt * modelPrice.inputPerMTok + usage.completion * modelPrice.outputPerMTok) / 1_000_000;
}
