// Repeats done properly: `repeat: {n, passRate}` judges a case by the share of its samples that
// passed, the summary reports pass@k and pass^k, and every sample is its own request and its
// own cache entry (a cached reply is never counted for several samples).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runPrompt } from '../../../../src/core/engine';
import { repeatStats } from '../../../../src/core/run/summary';
import { ResponseCache } from '../../../../src/core/store/cache';
import { RunStore } from '../../../../src/core/store/runStore';
import { kase } from '../../support/runBuilders';
import { promptFrom, standinResolver, standinFixture } from '../../support/standinSetup';

const fixture = standinFixture('repeats');

// Case 3 expects text its echo never contains, so all its samples fail.
const yaml = (repeat: string): string => `model: openai/standin
messages:
  - role: user
    content: '{{input}}'
testData:
  - {input: one, expected: one}
  - {input: two, expected: two}
  - {input: three, expected: never-said}
evaluators:
  - name: echoes
    string:
      contains: '{{expected}}'
repeat: ${repeat}
`;

/** Entries in the cache's packs (one record line each). */
function cacheEntries(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  const packs = fs.readdirSync(dir).filter((f) => f.endsWith('.pack'));
  return packs.flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n')).filter((line) => line !== '')
    .length;
}

void describe('repeat: {n, passRate}', () => {
  void it('a case passes when its share of passing samples reaches passRate; pass@k and pass^k in the summary', async () => {
    const prompt = await promptFrom(fixture.dir, 'rate.prompt.yml', yaml('{n: 5, passRate: 0.8}'));
    assert.equal(prompt.repeat, 5);
    assert.equal(prompt.repeatPassRate, 0.8);
    fixture.standin.resetStats();
    // At concurrency 1 the first request is case 1's first sample: it fails, the other four pass.
    fixture.standin.setOptions({ failNext: [{ status: 400, message: 'scripted' }] });
    const store = new RunStore(path.join(fixture.dir, 'runs'));
    const outcome = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), concurrency: 1, store });
    assert.equal(fixture.standin.stats.chatRequests, 15);
    assert.deepEqual(
      outcome.cases.map((c) => [c.passRate, c.passed]),
      [
        [0.8, true],
        [1, true],
        [0, false],
      ],
    );
    assert.equal(outcome.summary.passedTests, 2);
    // pass@5: cases 1 and 2 have a passing sample → 2/3; pass^5: only case 2 → 1/3; mean (.8 + 1 + 0)/3.
    assert.deepEqual(outcome.summary.repeats, {
      k: 5,
      passAtK: 2 / 3,
      passHatK: 1 / 3,
      meanSamplePassRate: 0.6,
      passRateThreshold: 0.8,
    });
    assert.equal(outcome.header.repeatPassRate, 0.8);
    // The stored run keeps the threshold, so a summary recomputed from it judges the same way.
    const loaded = await store.load(outcome.header.runId);
    assert.equal(loaded.header.repeatPassRate, 0.8);
    assert.deepEqual(loaded.summary.repeats, outcome.summary.repeats);

    // The integer form is unchanged: every sample must pass.
    fixture.standin.setOptions({ failNext: [{ status: 400, message: 'scripted' }] });
    const strict = await runPrompt({
      prompt: await promptFrom(fixture.dir, 'strict.prompt.yml', yaml('5')),
      resolver: standinResolver(fixture.standin.url),
      concurrency: 1,
    });
    assert.deepEqual(
      strict.cases.map((c) => c.passed),
      [false, true, false],
    );
    assert.equal(strict.summary.repeats?.passRateThreshold, 1);
    assert.equal(strict.header.repeatPassRate, undefined);
  });

  void it('every sample is its own request and cache entry: raising n sends only the new samples', async () => {
    const cacheDir = path.join(fixture.dir, 'cache');
    const cache = new ResponseCache(cacheDir);
    const prompt = await promptFrom(fixture.dir, 'cached.prompt.yml', yaml('{n: 2}'));
    fixture.standin.resetStats();
    await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), cache });
    assert.equal(fixture.standin.stats.chatRequests, 6);
    assert.equal(cacheEntries(cacheDir), 6, 'one entry per (case, sample)');
    const more = await runPrompt({ prompt, resolver: standinResolver(fixture.standin.url), cache, repeat: 4 });
    assert.equal(fixture.standin.stats.chatRequests, 12, 'samples 3 and 4 of each case went out');
    for (const c of more.cases)
      assert.deepEqual(
        c.samples.map((s) => s.cached),
        [true, true, false, false],
      );
    assert.equal(cacheEntries(cacheDir), 12);
    assert.equal(more.summary.cachedSamples, 6);
  });
});

void describe('repeatStats', () => {
  void it('is absent for single-sample runs and counts k from the samples', () => {
    assert.equal(repeatStats([kase(0, 'a', [true]), kase(1, 'b', [false])]), undefined);
    // pass@3: 2 of 3 cases have a pass; pass^3: 1 of 3; mean (1 + 1/3 + 0)/3 = 4/9.
    const stats = repeatStats([
      kase(0, 'a', [true, true, true]),
      kase(1, 'b', [false, true, false]),
      kase(2, 'c', [false, false, false]),
    ]);
    assert.equal(stats?.k, 3);
    assert.equal(stats?.passAtK, 2 / 3);
    assert.equal(stats?.passHatK, 1 / 3);
    assert.ok(Math.abs((stats?.meanSamplePassRate ?? 0) - 4 / 9) < 1e-12);
  });
});
