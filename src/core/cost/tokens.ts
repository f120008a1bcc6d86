// Token counts for estimates and budgets, with the model's own tokenizer where it is known
// (OpenAI's o200k_base / cl100k_base via gpt-tokenizer) and o200k_base as a stand-in otherwise,
// marked approximate. Chat requests are counted as OpenAI bills them: per message 3 tokens of
// framing plus the role and the content, plus 3 that prime the reply.
import type { ChatMessage } from '../providers/types';
import { type EncodingName, loadEncoding } from '../providers/vendor';

export interface Tokenizer {
  encoding: EncodingName;
  /** False when the model's own tokenizer is unknown and `encoding` only approximates it. */
  exact: boolean;
  /** `o200k_base`, or `approximate (o200k_base)`. */
  label: string;
}

/** Output tokens assumed per request when neither maxTokens nor a past run bounds them. */
export const ASSUMED_OUTPUT_TOKENS = 1024;

/** Approximate counts are scaled by this for upper bounds (other tokenizers split text up to ~20 % finer). */
export const APPROXIMATE_TOKEN_MARGIN = 1.2;

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_ROLE = 1;
const REPLY_PRIMING_TOKENS = 3;

// OpenAI families by tokenizer; everything else is approximate. Dated snapshots
// (`gpt-4o-2024-08-06`) match their family.
const CL100K = /^(?:gpt-3\.5|gpt-4(?:-\d{4}|-32k|-turbo|-\d+k)?(?:$|-)|text-embedding-(?:3-small|3-large|ada-002))/;
const O200K = /^(?:gpt-4o|chatgpt-4o|gpt-4\.\d|gpt-[5-9]|o[1-9](?:$|-)|gpt-oss|codex-mini|computer-use)/;

export function tokenizerFor(modelId: string): Tokenizer {
  const id = modelId.trim().toLowerCase();
  const bare = id.slice(id.lastIndexOf('/') + 1);
  if (O200K.test(bare)) return { encoding: 'o200k_base', exact: true, label: 'o200k_base' };
  if (CL100K.test(bare)) return { encoding: 'cl100k_base', exact: true, label: 'cl100k_base' };
  return { encoding: 'o200k_base', exact: false, label: 'approximate (o200k_base)' };
}

/** Special-token text (`<|endoftext|>`) in a prompt is plain text to the API: count it as such. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };

// A file's system prompt (and other fixed messages) repeat in every case: count each text once.
const MEMO_LIMIT = 4096;
const memo = new Map<string, number>();

export function countText(tokenizer: Tokenizer, text: string): number {
  if (text === '') return 0;
  const key = `${tokenizer.encoding}\u0000${text}`;
  const known = memo.get(key);
  if (known !== undefined) return known;
  const count = loadEncoding(tokenizer.encoding).countTokens(text, AS_TEXT);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, count);
  return count;
}

/** Prompt tokens of a chat request, as the provider's `usage.prompt_tokens` reports them. */
export function countChat(tokenizer: Tokenizer, messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMING_TOKENS;
  for (const message of messages) total += TOKENS_PER_MESSAGE + TOKENS_PER_ROLE + countText(tokenizer, message.content);
  return total;
}

/** An upper bound for budgets: exact counts as they are, approximate ones with a margin. */
export function upperBound(tokenizer: Tokenizer, count: number): number {
  return tokenizer.exact ? count : Math.ceil(count * APPROXIMATE_TOKEN_MARGIN);
}
