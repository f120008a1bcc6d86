// Token counting for the stand-in's `usage`: whitespace-separated words by default, or an OpenAI
// encoding counted the way OpenAI bills a chat request (per message 3 framing tokens + the role +
// the content, plus 3 priming the reply), so estimates can be checked against `prompt_tokens`.
// The encodings are loaded on first use (scripts/build.mjs ships them as dist/standin-vendor/ files).
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';
import { countTokens as countWords, type StandinMessage } from './reply';

export const STANDIN_TOKENIZERS = ['words', 'o200k_base', 'cl100k_base'] as const;
export type StandinTokenizer = (typeof STANDIN_TOKENIZERS)[number];

type Encoding = Pick<typeof O200k, 'countTokens'>;
const AS_TEXT = { disallowedSpecial: new Set<string>() };

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loads of large data files */
/** Each encoding's module; require() keeps it once loaded, so its data is parsed on first use only. */
const ENCODINGS: Record<Exclude<StandinTokenizer, 'words'>, () => Encoding> = {
  o200k_base: () => require('gpt-tokenizer/encoding/o200k_base') as Encoding,
  cl100k_base: () => require('gpt-tokenizer/encoding/cl100k_base') as Encoding,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export function countTextTokens(tokenizer: StandinTokenizer, text: string): number {
  if (tokenizer === 'words') return countWords(text);
  return text === '' ? 0 : ENCODINGS[tokenizer]().countTokens(text, AS_TEXT);
}

export function countPromptTokens(tokenizer: StandinTokenizer, messages: readonly StandinMessage[]): number {
  if (tokenizer === 'words') return messages.reduce((sum, m) => sum + countWords(m.content), 0);
  return messages.reduce((sum, m) => sum + 4 + countTextTokens(tokenizer, m.content), 3);
}
