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

  void it('stores and reads back responses in one pack per shard, misses otherwise', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c1'));
    const key = responseCacheKey(base);
    assert.equal(await cache.get(key), undefined);
    await cache.set(key, { text: 'Hello', usage: { prompt: 3, completion: 1, total: 4 } });
    assert.deepEqual(await cache.get(key), { text: 'Hello', usage: { prompt: 3, completion: 1, total: 4 } });
    // A fresh reader (another process) finds it too: the pack is the only file, no temporary files.
    assert.deepEqual(await new ResponseCache(cache.dir).get(key), {
      text: 'Hello',
      usage: { prompt: 3, completion: 1, total: 4 },
    });
    assert.deepEqual(fs.readdirSync(cache.dir).sort(), [`${key.slice(0, 2)}.pack`]);
  });

  void it('batches the writes of a run: many entries, one pack per shard, all readable', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c4'));
    const entries = Array.from({ length: 2000 }, (_, i) => ({
      key: responseCacheKey({ ...base, messages: [{ role: 'user', content: `q${i}` }] }),
      text: `a${i} «ü» ${'x'.repeat(i % 300)}`,
    }));
    await Promise.all(entries.map(({ key, text }) => cache.set(key, { text, latencyMs: 12 })));
    const files = fs.readdirSync(cache.dir);
    assert.ok(
      files.every((name) => /^[0-9a-f]{2}\.pack$/.test(name)),
      files.join(' '),
    );
    assert.ok(files.length <= 256);
    const reader = new ResponseCache(cache.dir);
    for (const { key, text } of entries) assert.deepEqual(await reader.get(key), { text, latencyMs: 12 });
  });

  void it('finds entries appended by another writer after its first read of the shard (exact lookups)', async () => {
    const dir = path.join(tmp, 'c5');
    const reader = new ResponseCache(dir);
    const writer = new ResponseCache(dir);
    const key = responseCacheKey({ ...base, sample: 11 });
    const sibling = `${key.slice(0, 2)}${'0'.repeat(62)}`;
    await writer.set(sibling, { text: 'first' });
    assert.equal(await reader.get(key), undefined); // the shard is read now, without the key
    await writer.set(key, { text: 'later' });
    assert.deepEqual(await reader.get(key), { text: 'later' });
    assert.deepEqual(await reader.get(sibling), { text: 'first' });
  });

  void it('a lookup between set and the append sees the queued entry', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c6'));
    const key = responseCacheKey({ ...base, sample: 12 });
    const written = cache.set(key, { text: 'queued' });
    assert.deepEqual(await cache.get(key), { text: 'queued' });
    await written;
    assert.deepEqual(await new ResponseCache(cache.dir).get(key), { text: 'queued' });
  });

  void it('never serves a torn or altered record, and records after a torn one stay readable', async () => {
    const dir = path.join(tmp, 'c7');
    const cache = new ResponseCache(dir);
    const keys = [21, 22, 23, 24].map((sample) => `ab${responseCacheKey({ ...base, sample }).slice(2)}`);
    const [whole, torn, altered, after] = keys as [string, string, string, string];
    await cache.set(whole, { text: 'whole' });
    await cache.set(altered, { text: 'the reply' });
    const pack = path.join(dir, 'ab.pack');
    // Another process flipped one byte of a reply; a writer killed mid-record left a line without its end.
    fs.writeFileSync(pack, fs.readFileSync(pack, 'utf8').replace('the reply', 'the replY'));
    const record = `${torn} ${'0'.repeat(16)} {"text":"never served"}`;
    fs.appendFileSync(pack, record.slice(0, -5));
    await cache.set(after, { text: 'after' });
    const reader = new ResponseCache(dir);
    assert.deepEqual(await reader.get(whole), { text: 'whole' });
    assert.equal(await reader.get(torn), undefined);
    assert.equal(await reader.get(altered), undefined);
    assert.deepEqual(await reader.get(after), { text: 'after' });
  });

  void it('still reads entries of the one-file-per-response layout, and clear removes them', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c8'));
    const key = responseCacheKey({ ...base, sample: 30 });
    fs.mkdirSync(path.join(cache.dir, key.slice(0, 2)), { recursive: true });
    fs.writeFileSync(path.join(cache.dir, key.slice(0, 2), `${key}.json`), '{"text":"old layout","latencyMs":5}');
    assert.deepEqual(await cache.get(key), { text: 'old layout', latencyMs: 5 });
    await cache.clear();
    assert.equal(await new ResponseCache(cache.dir).get(key), undefined);
  });

  void it('parallel writers of one entry: a whole entry is read back', async () => {
    const cache = new ResponseCache(path.join(tmp, 'c3'));
    const key = responseCacheKey({ ...base, sample: 3 });
    const texts = Array.from({ length: 20 }, (_, i) => `reply ${i} `.repeat(200));
    await Promise.all(texts.map((text) => new ResponseCache(cache.dir).set(key, { text })));
    const read = await new ResponseCache(cache.dir).get(key);
    assert.ok(read && texts.includes(read.text));
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
    assert.ok(fs.readdirSync(cache.dir).every((name) => name.endsWith('.pack') || name === '.gitignore'));
  });
});
