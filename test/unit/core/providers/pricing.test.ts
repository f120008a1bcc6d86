import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  PRICE_CATALOGUE,
  batchPriceOf,
  costUsd,
  describePriceSource,
  lookupPrice,
  priceFor,
  pricesAt,
} from '../../../../src/core/providers/pricing';
import type { ModelPrice } from '../../../../src/core/providers/types';

const openai = { kind: 'openai', origin: 'https://api.openai.com' };
const plain = (price: ModelPrice | undefined) =>
  price && { input: price.inputPerMTok, output: price.outputPerMTok, cached: price.cachedInputPerMTok };

void describe('pricing', () => {
  void it('names the catalogue version that is installed (bump PRICE_CATALOGUE with the dependency)', () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(process.cwd(), 'node_modules/@pydantic/genai-prices/package.json'), 'utf8'),
    ) as { version: string };
    assert.equal(PRICE_CATALOGUE.version, manifest.version);
    assert.match(PRICE_CATALOGUE.date, /^\d{4}-\d{2}-\d{2}$/);
  });

  void it('prices OpenAI models from the catalogue by catalog id, bare id and dated snapshot, with cached input', () => {
    assert.deepEqual(plain(priceFor('openai/gpt-4o-mini')), { input: 0.15, output: 0.6, cached: 0.075 });
    assert.deepEqual(plain(priceFor('gpt-4o-2024-08-06')), { input: 2.5, output: 10, cached: 1.25 });
    assert.deepEqual(plain(priceFor('openai/gpt-4.1-nano')), { input: 0.1, output: 0.4, cached: 0.025 });
    const price = priceFor('gpt-4o-mini');
    assert.equal(price?.source?.kind, 'catalogue');
    assert.equal(price?.source?.provider, 'openai');
    assert.equal(price?.source?.date, PRICE_CATALOGUE.date);
    assert.match(
      describePriceSource(price),
      /^@pydantic\/genai-prices 0\.1\.8: OpenAI gpt-4o-mini \(prices as of \d{4}-\d{2}-\d{2}\)$/,
    );
  });

  void it('prices other providers by endpoint URL or publisher, never a llama id on an OpenAI endpoint', () => {
    const claude = lookupPrice({
      requestedId: 'anthropic/claude-sonnet-4-20250514',
      endpoint: { kind: 'custom', origin: 'https://gateway.example.com' },
    });
    assert.deepEqual(plain(claude), { input: 3, output: 15, cached: 0.3 });
    assert.equal(claude?.source?.provider, 'anthropic');
    const routed = lookupPrice({
      requestedId: 'openai/gpt-4o',
      endpointModel: 'openai/gpt-4o',
      endpoint: { kind: 'custom', origin: 'https://openrouter.ai' },
    });
    assert.equal(routed?.source?.provider, 'openrouter');
    assert.equal(lookupPrice({ requestedId: 'meta/llama-3.3-70b-instruct', endpoint: openai }), undefined);
    assert.equal(lookupPrice({ requestedId: 'gpt-4o-mini' }), undefined, 'no endpoint: no catalogue');
  });

  void it('uses the prices in force at the given time (dated price changes)', () => {
    const before = lookupPrice({ requestedId: 'gpt-5.6-luna', endpoint: openai, at: new Date('2026-07-01') });
    const after = lookupPrice({ requestedId: 'gpt-5.6-luna', endpoint: openai, at: new Date('2026-08-01') });
    assert.ok(before && after);
    assert.ok(after.inputPerMTok < before.inputPerMTok, `${after.inputPerMTok} < ${before.inputPerMTok}`);
  });

  void it('applies long-context tiers to the whole request once the prompt is past the tier start', () => {
    const price: ModelPrice = {
      inputPerMTok: 1,
      outputPerMTok: 2,
      tiers: [{ aboveInputTokens: 1000, inputPerMTok: 10, outputPerMTok: 20 }],
    };
    assert.deepEqual(pricesAt(price, 1000), { input: 1, cachedInput: 1, output: 2 });
    assert.deepEqual(pricesAt(price, 1001), { input: 10, cachedInput: 10, output: 20 });
    assert.equal(costUsd({ prompt: 2000, completion: 100, total: 2100 }, price), (2000 * 10 + 100 * 20) / 1e6);
  });

  void it('leaves unknown models unpriced instead of free', () => {
    assert.equal(priceFor('meta/llama-3.3-70b-instruct'), undefined);
    assert.equal(priceFor('gpt-4o-mini', {}, false), undefined);
    assert.equal(costUsd({ prompt: 1000, completion: 1000, total: 2000 }, undefined), null);
    assert.equal(costUsd(undefined, { inputPerMTok: 1, outputPerMTok: 1 }), null);
  });

  void it('lets the config override by exact id or glob, most specific first, and says so', () => {
    const overrides = {
      'gpt-4o-mini': { inputPerMTok: 1, outputPerMTok: 2 },
      'ollama/*': { inputPerMTok: 0, outputPerMTok: 0 },
      'ollama/big*': { inputPerMTok: 3, outputPerMTok: 3 },
    };
    const exact = lookupPrice({
      requestedId: 'GPT-4o-mini',
      overrides,
      configFile: '/ws/promptlab.config.yaml',
      endpoint: openai,
    });
    assert.deepEqual(plain(exact), { input: 1, output: 2, cached: undefined });
    assert.equal(describePriceSource(exact), 'promptlab.config.yaml pricing."gpt-4o-mini"');
    assert.deepEqual(plain(priceFor('ollama/llama3.2', overrides, false)), { input: 0, output: 0, cached: undefined });
    assert.deepEqual(plain(priceFor('ollama/bigmodel', overrides, false)), { input: 3, output: 3, cached: undefined });
  });

  void it('computes cost per million tokens, cached prompt tokens at the cached price, zero only for a zero price', () => {
    const cost = costUsd({ prompt: 2_000, completion: 500, total: 2_500 }, { inputPerMTok: 2.5, outputPerMTok: 10 });
    assert.ok(cost !== null && Math.abs(cost - 0.01) < 1e-12);
    const cachedCost = costUsd(
      { prompt: 2_000, completion: 0, total: 2_000, cachedPrompt: 1_000 },
      { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 0.5 },
    );
    assert.ok(cachedCost !== null && Math.abs(cachedCost - (1000 * 2 + 1000 * 0.5) / 1e6) < 1e-15);
    assert.equal(costUsd({ prompt: 10, completion: 10, total: 20 }, { inputPerMTok: 0, outputPerMTok: 0 }), 0);
  });

  void it('gives batch prices: explicit from the config, else the provider discount, else unknown', () => {
    const catalogue = priceFor('gpt-4o');
    const batch = batchPriceOf(catalogue);
    assert.deepEqual(plain(batch), { input: 1.25, output: 5, cached: 0.625 });
    assert.match(describePriceSource(batch), /batch: 50% of standard/);
    assert.deepEqual(
      plain(batchPriceOf({ inputPerMTok: 1, outputPerMTok: 2, batchInputPerMTok: 0.3, batchOutputPerMTok: 0.6 })),
      { input: 0.3, output: 0.6, cached: undefined },
    );
    assert.equal(
      batchPriceOf({ inputPerMTok: 1, outputPerMTok: 2 }),
      undefined,
      'no provider known: no guessed discount',
    );
    assert.deepEqual(plain(batchPriceOf({ inputPerMTok: 1, outputPerMTok: 2 }, 'openai')), {
      input: 0.5,
      output: 1,
      cached: undefined,
    });
  });
});
