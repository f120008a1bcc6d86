import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode as encodeCl100k } from 'gpt-tokenizer/model/gpt-4';
import { encodeChat, encode as encodeO200k } from 'gpt-tokenizer/model/gpt-4o';
import { countChat, countText, tokenizerFor, upperBound } from '../../../../src/core/cost/tokens';
import { loadEncoding } from '../../../../src/core/providers/vendor';

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

  void it('reads the ranks from dist-test/vendor/*.ranks and encodes exactly as gpt-tokenizer does', () => {
    // The vendor encoders read their ranks from a text file (scripts/build.mjs); the library's own
    // model modules, bundled into this test, carry them as shipped. Texts cover line breaks, control
    // characters, non-UTF-8 byte tokens, non-Latin scripts and emoji.
    const texts = [
      'hello world',
      'line one\nline two\r\n\ttabbed\u0000\u0001\u001f end',
      'Ünïcödé — français, 日本語のテキスト, русский текст, العربية, 한국어',
      'emoji 🙂🚀👩‍👩‍👧 and \ud83d\ude00',
      '    indented code:\n\tif (x) { return y; }\n\n\n',
      Array.from({ length: 300 }, (_, i) => String.fromCharCode(32 + ((i * 37) % 0x2ff))).join(''),
    ];
    for (const text of texts) {
      assert.deepEqual(loadEncoding('o200k_base').encode(text), encodeO200k(text), `o200k_base: ${text}`);
      assert.deepEqual(loadEncoding('cl100k_base').encode(text), encodeCl100k(text), `cl100k_base: ${text}`);
      assert.equal(countText(tokenizerFor('gpt-4o'), text), encodeO200k(text).length, `o200k_base: ${text}`);
    }
  });

  void it('counts text, and bounds approximate counts from above', () => {
    const t = tokenizerFor('gpt-4o');
    assert.equal(countText(t, ''), 0);
    assert.equal(countText(t, 'hello world'), 2);
    assert.equal(upperBound(t, 100), 100);
    assert.equal(upperBound(tokenizerFor('llama3'), 100), 120);
  });
});
