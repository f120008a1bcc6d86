// Entry of dist/vendor/<encoding>.js (scripts/build.mjs builds one per encoding, with ENCODING
// defined): gpt-tokenizer's own encoder over the ranks in <encoding>.ranks beside this file.
// gpt-tokenizer ships its 200,000 ranks as one JavaScript array literal (2.4 MB): compiling it
// is most of the cost of counting a file's tokens. Reading the same ranks from a text file and
// splitting it is several times cheaper; the build checks they are the same ranks.
import fs from 'node:fs';
import path from 'node:path';
import { GptEncoding } from 'gpt-tokenizer/GptEncoding';

/** Inverse of `encodeRanks` in scripts/build.mjs. */
function readRanks(file) {
  const text = fs.readFileSync(file, 'utf8');
  const firstLineEnd = text.indexOf('\n');
  // Line 1: the ranks a line cannot hold (byte arrays, text with a line break), as JSON by rank.
  const special = JSON.parse(text.slice(0, firstLineEnd));
  const ranks = text.slice(firstLineEnd + 1).split('\n');
  for (const [rank, value] of Object.entries(special)) ranks[Number(rank)] = value;
  return ranks;
}

// eslint-disable-next-line no-undef -- defined by the build
const name = ENCODING;
const api = GptEncoding.getEncodingApi(name, () => readRanks(path.join(__dirname, `${name}.ranks`)));
export const countTokens = api.countTokens.bind(api);
export const encode = api.encode.bind(api);
