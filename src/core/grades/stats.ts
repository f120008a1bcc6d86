// Agreement statistics between two raters (a person and an evaluator): raw agreement, Cohen's
// kappa with an analytic 95 % interval, the 2x2 confusion matrix and Spearman's rank correlation.
// Pure functions over plain pairs, so every figure can be checked by hand.

/** Counts of the 2x2 table, the person's verdict first. */
export interface Confusion {
  bothPass: number;
  bothFail: number;
  humanPassEvaluatorFail: number;
  humanFailEvaluatorPass: number;
}

export interface KappaResult {
  n: number;
  /** Observed share of equal verdicts (p_o); null when n = 0. */
  agreement: number | null;
  /** Agreement expected by chance from the two raters' pass rates (p_e); null when n = 0. */
  chanceAgreement: number | null;
  /** (p_o - p_e) / (1 - p_e); null when undefined (n = 0, or p_e = 1: both raters gave one class only). */
  kappa: number | null;
  /** 95 % interval κ ± 1.96·SE, clipped to [-1, 1]; null with kappa. */
  kappaInterval: [number, number] | null;
  /** The standard error used for the interval. */
  standardError: number | null;
  confusion: Confusion;
}

/** How the interval is computed, for every report that shows it. */
export const KAPPA_INTERVAL_METHOD =
  'analytic: κ ± 1.96 × the large-sample standard error of Fleiss, Cohen & Everitt (1969), clipped to [-1, 1]';

const Z_95 = 1.959963984540054;

export function confusionOf(pairs: readonly { human: boolean; evaluator: boolean }[]): Confusion {
  const confusion: Confusion = { bothPass: 0, bothFail: 0, humanPassEvaluatorFail: 0, humanFailEvaluatorPass: 0 };
  for (const { human, evaluator } of pairs) {
    if (human && evaluator) confusion.bothPass++;
    else if (!human && !evaluator) confusion.bothFail++;
    else if (human) confusion.humanPassEvaluatorFail++;
    else confusion.humanFailEvaluatorPass++;
  }
  return confusion;
}

/**
 * Cohen's kappa of two binary raters. The variance is Fleiss, Cohen & Everitt's (1969)
 * large-sample formula for κ ≠ 0 (the one SPSS and statsmodels report as the asymptotic SE):
 *   Var = [Σ_i p_ii((1-p_e) - (p_i. + p_.i)(1-p_o))² + (1-p_o)² Σ_{i≠j} p_ij(p_.i + p_j.)² - (p_o·p_e - 2p_e + p_o)²]
 *         / (n (1-p_e)⁴)
 */
export function cohensKappa(pairs: readonly { human: boolean; evaluator: boolean }[]): KappaResult {
  const confusion = confusionOf(pairs);
  const n = pairs.length;
  const empty: KappaResult = {
    n,
    agreement: null,
    chanceAgreement: null,
    kappa: null,
    kappaInterval: null,
    standardError: null,
    confusion,
  };
  if (n === 0) return empty;
  // p[i][j]: share with the person's class i and the evaluator's class j (0 = pass, 1 = fail).
  const p = [
    [confusion.bothPass / n, confusion.humanPassEvaluatorFail / n],
    [confusion.humanFailEvaluatorPass / n, confusion.bothFail / n],
  ];
  const cell = (i: number, j: number): number => p[i]?.[j] ?? 0;
  const row = (i: number): number => cell(i, 0) + cell(i, 1);
  const col = (j: number): number => cell(0, j) + cell(1, j);
  const po = cell(0, 0) + cell(1, 1);
  const pe = row(0) * col(0) + row(1) * col(1);
  if (1 - pe < 1e-12) return { ...empty, agreement: po, chanceAgreement: pe };
  const kappa = (po - pe) / (1 - pe);
  let diagonal = 0;
  let offDiagonal = 0;
  for (let i = 0; i < 2; i++) {
    diagonal += cell(i, i) * (1 - pe - (row(i) + col(i)) * (1 - po)) ** 2;
    const j = 1 - i;
    offDiagonal += cell(i, j) * (col(i) + row(j)) ** 2;
  }
  const numerator = diagonal + (1 - po) ** 2 * offDiagonal - (po * pe - 2 * pe + po) ** 2;
  // Rounding can leave a tiny negative numerator when the variance is 0 (perfect agreement).
  const standardError = Math.sqrt(Math.max(0, numerator) / (n * (1 - pe) ** 4));
  const clip = (x: number): number => Math.min(1, Math.max(-1, x));
  return {
    n,
    agreement: po,
    chanceAgreement: pe,
    kappa,
    kappaInterval: [clip(kappa - Z_95 * standardError), clip(kappa + Z_95 * standardError)],
    standardError,
    confusion,
  };
}

/** Ranks 1..n with ties sharing their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]?.value === order[start]?.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[(order[k] as { index: number }).index] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson's correlation of the average ranks; null for n < 2 or a constant side. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error('spearman: both sides need the same number of values');
  const n = xs.length;
  if (n < 2) return null;
  const rx = averageRanks(xs);
  const ry = averageRanks(ys);
  const mean = (n + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (rx[i] ?? 0) - mean;
    const dy = (ry[i] ?? 0) - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Landis & Koch's (1977) words for a κ value. */
export function kappaLevel(kappa: number): 'poor' | 'slight' | 'fair' | 'moderate' | 'substantial' | 'almost perfect' {
  if (kappa < 0) return 'poor';
  if (kappa <= 0.2) return 'slight';
  if (kappa <= 0.4) return 'fair';
  if (kappa <= 0.6) return 'moderate';
  if (kappa <= 0.8) return 'substantial';
  return 'almost perfect';
}
