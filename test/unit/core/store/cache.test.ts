import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type CacheKeyParts, ResponseCache, responseCacheKey } from '../../../../src/core/store/cache';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-cache-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const base: CacheKeyParts = {
  endpointOrigin: 'http://127.0.0.1:1234',
  model: 'gpt-4o-mini',
  parameters: { temperature: 0, maxTokens: 100 },
  messages: [{ role: 'user', content: 'Hi' }],
  sample: 0,
};

void describe('response cache', () => {
  void it('keys ignore property order but change with every part that shapes the reply', () => {
    const key = responseCacheKey(base);
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(responseCacheKey({ ...base, parameters: { maxTokens: 100, temperature: 0 } }), key);
    const variants: Partial<CacheKeyParts>[] = [
      { endpointOrigin: 'http://127.0.0.1:9999' },
      { model: 'gpt-4o' },
      { parameters: { temperature: 1, maxTokens: 100 } },
      { messages: [{ role: 'system', content: 'Hi' }] },
      { messages: [{ role: 'user', content: 'Hi!' }] },
      { responseFormat: 'json_object' },
      { jsonSchema: { name: 's', schema: { type: 'object' }, raw: '{}' } },
      { sample: 1 },
    ];
    const keys = new Set(variants.map((v) => responseCacheKey({ ...base, ...v })));
    assert.equal(keys.size, variants.length);
    assert.ok(!keys.has(key));
  });

  void it('stores and reads back responses in sharded folders, misses otherwise', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c1'));
    const key = responseCacheKey(base);
    assert.equal(await cache.get(key), undefined);
    await cache.set(key, { text: 'Hello', usage: { prompt: 3, completion: 1, total: 4 } });
    assert.deepEqual(await cache.get(key), { text: 'Hello', usage: { prompt: 3, completion: 1, total: 4 } });
    assert.ok(fs.existsSync(path.join(cache.dir, key.slice(0, 2), `${key}.json`)));
    // No temporary files are left behind.
    assert.deepEqual(fs.readdirSync(path.join(cache.dir, key.slice(0, 2))), [`${key}.json`]);
  });

  void it('parallel writers of one entry leave one whole file and no temporary files', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c3'));
    const key = responseCacheKey({ ...base, sample: 3 });
    const texts = Array.from({ length: 20 }, (_, i) => `reply ${i} `.repeat(200));
    await Promise.all(texts.map((text) => cache.set(key, { text })));
    const read = await cache.get(key);
    assert.ok(read && texts.includes(read.text));
    assert.deepEqual(fs.readdirSync(path.join(cache.dir, key.slice(0, 2))), [`${key}.json`]);
  });

  void it('treats a corrupt entry as a miss', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c2'));
    const key = responseCacheKey({ ...base, sample: 7 });
    fs.mkdirSync(path.join(cache.dir, key.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(cache.dir, key.slice(0, 2), `${key}.json`), '{"text": 42}');
    assert.equal(await cache.get(key), undefined);
    await assert.rejects(cache.get('../../etc/passwd'), /invalid cache key/);
  });
});

void describe('response cache: setMany (batch replies)', () => {
  void it('stores every entry atomically, readable by get, and reports the entries it could not write', async () => {
    const cache = new ResponseCache(path.join(tmp, 'many'));
    const entries = Array.from({ length: 300 }, (_, i) => ({
      key: responseCacheKey({ ...base, messages: [{ role: 'user', content: `q${i}` }] }),
      response: { text: `a${i}`, usage: { prompt: 1, completion: 2, total: 3 }, finishReason: 'stop' },
    }));
    const failures = cache.setMany([...entries, { key: 'not-a-key', response: { text: 'x' } }]);
    assert.deepEqual(
      failures.map((f) => f.key),
      ['not-a-key'],
    );
    for (const { key, response } of entries) assert.deepEqual(await cache.get(key), response);
    const leftovers = fs.readdirSync(cache.dir, { recursive: true }).filter((name) => String(name).endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
  });
});
