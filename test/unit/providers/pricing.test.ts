import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { costUsd, priceFor } from '../../../src/core/providers/pricing';

void describe('pricing', () => {
  void it('knows common OpenAI models by catalog id, bare id and dated snapshot', () => {
    assert.deepEqual(priceFor('openai/gpt-4o-mini'), { inputPerMTok: 0.15, outputPerMTok: 0.6 });
    assert.deepEqual(priceFor('gpt-4o-mini'), { inputPerMTok: 0.15, outputPerMTok: 0.6 });
    assert.deepEqual(priceFor('gpt-4o-2024-08-06'), { inputPerMTok: 2.5, outputPerMTok: 10 });
    assert.deepEqual(priceFor('openai/gpt-4.1-nano'), { inputPerMTok: 0.1, outputPerMTok: 0.4 });
    assert.deepEqual(priceFor('o4-mini'), { inputPerMTok: 1.1, outputPerMTok: 4.4 });
    assert.deepEqual(priceFor('gpt-5-mini'), { inputPerMTok: 0.25, outputPerMTok: 2 });
  });

  void it('leaves unknown models unpriced instead of free', () => {
    assert.equal(priceFor('meta/llama-3.3-70b-instruct'), undefined);
    assert.equal(priceFor('gpt-4o-mini', {}, false), undefined);
    assert.equal(costUsd({ prompt: 1000, completion: 1000, total: 2000 }, undefined), null);
    assert.equal(costUsd(undefined, { inputPerMTok: 1, outputPerMTok: 1 }), null);
  });

  void it('lets the config override by exact id or glob, most specific first', () => {
    const overrides = { 'gpt-4o-mini': { inputPerMTok: 1, outputPerMTok: 2 }, 'ollama/*': { inputPerMTok: 0, outputPerMTok: 0 }, 'ollama/big*': { inputPerMTok: 3, outputPerMTok: 3 } };
    assert.deepEqual(priceFor('GPT-4o-mini', overrides), { inputPerMTok: 1, outputPerMTok: 2 });
    assert.deepEqual(priceFor('ollama/llama3.2', overrides, false), { inputPerMTok: 0, outputPerMTok: 0 });
    assert.deepEqual(priceFor('ollama/bigmodel', overrides, false), { inputPerMTok: 3, outputPerMTok: 3 });
  });

  void it('computes cost per million tokens, zero only when the price is zero', () => {
    const cost = costUsd({ prompt: 2_000, completion: 500, total: 2_500 }, { inputPerMTok: 2.5, outputPerMTok: 10 });
    assert.ok(cost !== null && Math.abs(cost - 0.01) < 1e-12);
    assert.equal(costUsd({ prompt: 10, completion: 10, total: 20 }, { inputPerMTok: 0, outputPerMTok: 0 }), 0);
  });
});
