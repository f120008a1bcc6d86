import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mcnemarExact, pairedBootstrap, seededRandom } from '../../../../src/core/compare/stats';

/** Independent exact reference with BigInt: 2·Σ_{i≤k} C(n,i) / 2^n. */
function exactMcNemar(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  let choose = 1n;
  let tail = 0n;
  for (let i = 0; i <= k; i++) {
    if (i > 0) choose = (choose * BigInt(n - i + 1)) / BigInt(i);
    tail += choose;
  }
  const scale = 10n ** 30n;
  return Math.min(1, Number((2n * tail * scale) / 2n ** BigInt(n)) / Number(scale));
}

void test('McNemar exact: hand-computed values', () => {
  // n=12, k=2: 2·(1+12+66)/4096
  assert.ok(Math.abs(mcnemarExact(10, 2).pValue - 158 / 4096) < 1e-15);
  assert.equal(mcnemarExact(2, 10).pValue, mcnemarExact(10, 2).pValue);
  // All five discordant pairs one way: 2/32 — still not significant at 0.05.
  assert.ok(Math.abs(mcnemarExact(5, 0).pValue - 0.0625) < 1e-15);
  assert.ok(Math.abs(mcnemarExact(6, 0).pValue - 0.03125) < 1e-15);
  assert.equal(mcnemarExact(0, 0).pValue, 1);
  assert.equal(mcnemarExact(3, 3).pValue, 1);
});

void test('McNemar exact: large n agrees with a BigInt reference and does not underflow', () => {
  for (const [b, c] of [
    [60, 40],
    [600, 400],
    [1200, 1100],
  ] as const) {
    const p = mcnemarExact(b, c).pValue;
    const ref = exactMcNemar(b, c);
    assert.ok(Math.abs(p - ref) <= 1e-9 * Math.max(ref, 1e-300) + 1e-15, `${b},${c}: ${p} vs ${ref}`);
    assert.ok(p > 0);
  }
});

void test('seeded PRNG repeats its sequence and stays in [0,1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs,
    Array.from({ length: 1000 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, seededRandom(43)));
});

void test('paired bootstrap: constant differences give a zero-width interval', () => {
  const r = pairedBootstrap([0.25, 0.25, 0.25], { seed: 7 });
  assert.equal(r.meanDifference, 0.25);
  assert.equal(r.low, 0.25);
  assert.equal(r.high, 0.25);
  assert.equal(r.resamples, 2000);
  assert.equal(r.confidence, 0.95);
});

void test('paired bootstrap: interval matches the exact resampling distribution', () => {
  // Resampling [0,0,0,1] gives mean k/4 with k ~ Binomial(4, 1/4):
  // P(k≤2)=0.949 < 0.975 ≤ P(k≤3)=0.996, so the 97.5th percentile is 3/4; P(k=0)=0.316 so the 2.5th is 0.
  const r = pairedBootstrap([0, 0, 0, 1], { seed: 1, resamples: 2000, alpha: 0.05 });
  assert.equal(r.meanDifference, 0.25);
  assert.equal(r.low, 0);
  assert.equal(r.high, 0.75);
  // Same seed, same answer.
  assert.deepEqual(pairedBootstrap([0, 0, 0, 1], { seed: 1 }), r);
});

void test('paired bootstrap: an interval that excludes zero for a consistent improvement', () => {
  const diffs = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 0 : 0.2));
  const r = pairedBootstrap(diffs, { seed: 3 });
  assert.ok(r.low > 0 && r.high <= 0.2, `${r.low}..${r.high}`);
  assert.equal(pairedBootstrap([], {}).pairs, 0);
});
