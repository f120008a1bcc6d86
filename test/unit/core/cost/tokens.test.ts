import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeChat } from 'gpt-tokenizer/model/gpt-4o';
import { countChat, countText, tokenizerFor, upperBound } from '../../../../src/core/cost/tokens';

void describe('tokens', () => {
  void it('picks the model family tokenizer for OpenAI ids and says approximate otherwise', () => {
    for (const id of ['openai/gpt-4o-mini', 'gpt-4o-2024-08-06', 'gpt-4.1-nano', 'openai/gpt-5', 'o3-mini', 'o1'])
      assert.equal(tokenizerFor(id).label, 'o200k_base', id);
    for (const id of ['gpt-4', 'gpt-4-turbo', 'openai/gpt-3.5-turbo', 'text-embedding-3-small'])
      assert.equal(tokenizerFor(id).label, 'cl100k_base', id);
    for (const id of ['meta/llama-3.3-70b-instruct', 'standin', 'anthropic/claude-sonnet-4', 'ollama/o1x']) {
      const t = tokenizerFor(id);
      assert.equal(t.exact, false, id);
      assert.equal(t.label, 'approximate (o200k_base)');
    }
  });

  void it('counts a chat as gpt-tokenizer encodes it for gpt-4o (framing, roles, priming)', () => {
    const chat = [
      { role: 'system' as const, content: 'You are a terse assistant. <|endoftext|> is plain text here.' },
      { role: 'user' as const, content: 'Name three rivers in Europe, then explain — in French — why they matter.' },
    ];
    const reference = encodeChat(
      chat.map((m) => ({ ...m })),
      'gpt-4o',
      { disallowedSpecial: new Set() } as never,
    ).length;
    assert.equal(countChat(tokenizerFor('gpt-4o'), chat), reference);
    assert.ok(reference > 30);
  });

  void it('counts text, and bounds approximate counts from above', () => {
    const t = tokenizerFor('gpt-4o');
    assert.equal(countText(t, ''), 0);
    assert.equal(countText(t, 'hello world'), 2);
    assert.equal(upperBound(t, 100), 100);
    assert.equal(upperBound(tokenizerFor('llama3'), 100), 120);
  });
});
