// Significance tests for "is B really different from A, or is it noise?".
// Exact McNemar for paired pass/fail, a seeded paired bootstrap for mean score differences.

import type { BootstrapResult, McNemarResult } from './types';

/**
 * Exact two-sided McNemar test: under H0 the discordant pairs split 50/50, so the smaller count
 * follows Binomial(n, 1/2). p = min(1, 2·P(X ≤ min(b, c))). Computed in log space so n in the
 * thousands does not underflow.
 */
export function mcnemarExact(passToFail: number, failToPass: number): McNemarResult {
  const n = passToFail + failToPass;
  const k = Math.min(passToFail, failToPass);
  let pValue = 1;
  if (n > 0) {
    const logHalfPowN = -n * Math.LN2;
    let logChoose = 0; // log C(n, 0)
    let logTail = logChoose + logHalfPowN;
    for (let i = 1; i <= k; i++) {
      logChoose += Math.log(n - i + 1) - Math.log(i);
      logTail = logAddExp(logTail, logChoose + logHalfPowN);
    }
    pValue = Math.min(1, 2 * Math.exp(logTail));
  }
  return { test: 'mcnemar-exact', passToFail, failToPass, pValue };
}

function logAddExp(x: number, y: number): number {
  const max = Math.max(x, y);
  return max + Math.log(Math.exp(x - max) + Math.exp(y - max));
}

/** Mulberry32: small, fast, good enough for resampling, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** Two-sided: the interval covers 1 − alpha. */
  alpha?: number;
}

/**
 * Percentile bootstrap confidence interval for the mean of paired differences (B − A per case).
 * Resampling cases (not samples) keeps the pairing, so per-case difficulty cancels out.
 */
export function pairedBootstrap(differences: readonly number[], options: BootstrapOptions = {}): BootstrapResult {
  const resamples = options.resamples ?? 2000;
  const seed = options.seed ?? 1;
  const alpha = options.alpha ?? 0.05;
  const n = differences.length;
  const meanDifference = n ? differences.reduce((s, d) => s + d, 0) / n : 0;
  const base = { test: 'paired-bootstrap' as const, pairs: n, meanDifference, confidence: 1 - alpha, resamples, seed };
  if (n === 0) return { ...base, low: 0, high: 0 };
  // Cases whose difference is 0 add nothing to a resample's sum, and in most comparisons most cases
  // are unchanged. So instead of n draws per resample: draw how many of the n picks land on a nonzero
  // case (Binomial(n, m/n), by inverting its CDF, computed once), then pick that many among the m
  // nonzero cases. Same distribution as the plain bootstrap, cost ∝ m instead of n.
  const nonzero = Float64Array.from(differences.filter((d) => d !== 0));
  const m = nonzero.length;
  const hitsCdf = binomialCdf(n, m / n);
  const means = new Float64Array(resamples);
  // Mulberry32 inlined (same generator as seededRandom): this loop is the hot path.
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let r = 0; r < resamples && m > 0; r++) {
    const hits = firstAtLeast(hitsCdf, next());
    let total = 0;
    for (let i = 0; i < hits; i++) total += nonzero[Math.floor(next() * m)] as number;
    means[r] = total / n;
  }
  means.sort();
  const lowIndex = Math.max(0, Math.floor((alpha / 2) * resamples));
  const highIndex = Math.min(resamples - 1, Math.ceil((1 - alpha / 2) * resamples) - 1);
  return { ...base, low: means[lowIndex] as number, high: means[highIndex] as number };
}

/** P(X ≤ k) for X ~ Binomial(n, p), k = 0..n, computed in log space (n in the thousands is fine). */
function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (p <= 0) return cdf.fill(1);
  if (p >= 1) {
    cdf[n] = 1;
    return cdf;
  }
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  let logChoose = 0;
  let total = 0;
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log(n - k + 1) - Math.log(k);
    total += Math.exp(logChoose + k * logP + (n - k) * logQ);
    cdf[k] = total;
  }
  cdf[n] = 1;
  return cdf;
}

/** Smallest k with cdf[k] ≥ u (binary search). */
function firstAtLeast(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] as number) >= u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
