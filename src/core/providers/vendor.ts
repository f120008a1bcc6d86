// Large data-only dependencies, loaded on first use. scripts/build.mjs builds each of them as its
// own file under dist/vendor/ and turns these `require`s into requires of those files, so the
// 0.5–2.7 MB of data are parsed only by a process that prices or counts something.
import type * as GenaiPrices from '@pydantic/genai-prices';
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';

export type PriceCatalogue = Pick<typeof GenaiPrices, 'calcPrice' | 'findProvider'>;
export type CatalogueModelPrice = GenaiPrices.ModelPrice;
export type CataloguePriceValue = NonNullable<GenaiPrices.ModelPrice[string]>;
/** The part of a gpt-tokenizer encoding we use. */
export type Encoding = Pick<typeof O200k, 'countTokens' | 'encode'>;
export type EncodingName = 'o200k_base' | 'cl100k_base';

let catalogue: PriceCatalogue | undefined;
const encodings = new Map<EncodingName, Encoding>();

/* eslint-disable @typescript-eslint/no-require-imports -- lazy, synchronous loads (see above) */
export function loadPriceCatalogue(): PriceCatalogue {
  catalogue ??= require('@pydantic/genai-prices') as PriceCatalogue;
  return catalogue;
}

export function loadEncoding(name: EncodingName): Encoding {
  let encoding = encodings.get(name);
  if (!encoding) {
    encoding = (
      name === 'o200k_base'
        ? require('gpt-tokenizer/encoding/o200k_base')
        : require('gpt-tokenizer/encoding/cl100k_base')
    ) as Encoding;
    encodings.set(name, encoding);
  }
  return encoding;
}
/* eslint-enable @typescript-eslint/no-require-imports */
