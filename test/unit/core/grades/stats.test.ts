// Cohen's κ, its analytic interval, the confusion matrix and Spearman's ρ against values worked
// out by hand (the working is in the comments), including the degenerate cases.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageRanks, cohensKappa, confusionOf, kappaLevel, spearman } from '../../../../src/core/grades';

/** Pairs from a 2x2 table: a both pass, b person pass / evaluator fail, c person fail / evaluator pass, d both fail. */
function table(a: number, b: number, c: number, d: number): { human: boolean; evaluator: boolean }[] {
  const rows: { human: boolean; evaluator: boolean }[] = [];
  const add = (count: number, human: boolean, evaluator: boolean): void => {
    for (let i = 0; i < count; i++) rows.push({ human, evaluator });
  };
  add(a, true, true);
  add(b, true, false);
  add(c, false, true);
  add(d, false, false);
  // Order must not matter: interleave them.
  return rows.sort((x, y) => Number(x.human !== x.evaluator) - Number(y.human !== y.evaluator)).reverse();
}

const close = (actual: number | null | undefined, expected: number, what: string, eps = 1e-9): void => {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) < eps,
    `${what}: ${actual} ≠ ${expected}`,
  );
};

void describe('cohensKappa', () => {
  void it('a 20-case table: κ = 22/47 with the Fleiss–Cohen–Everitt standard error', () => {
    // a=10 b=2 c=3 d=5, n=20. p_o = 15/20 = .75. Person pass .6, evaluator pass .65:
    // p_e = .6·.65 + .4·.35 = .53; κ = (.75-.53)/(1-.53) = .22/.47.
    // Var numerator: Σ p_ii((1-p_e)-(p_i.+p_.i)(1-p_o))² = .5(.47-1.25·.25)² + .25(.47-.75·.25)²
    //   = .012403125 + .0199515625 = .0323546875
    // (1-p_o)² Σ_{i≠j} p_ij(p_.i+p_j.)² = .0625(.1·1.05² + .15·.95²) = .0625·.245625 = .0153515625
    // (p_o·p_e - 2p_e + p_o)² = (.3975 - 1.06 + .75)² = .0875² = .00765625
    // Var = (.0323546875 + .0153515625 - .00765625) / (20·.47⁴) = .04005 / .9759362
    const k = cohensKappa(table(10, 2, 3, 5));
    assert.equal(k.n, 20);
    close(k.agreement, 0.75, 'p_o');
    close(k.chanceAgreement, 0.53, 'p_e');
    close(k.kappa, 22 / 47, 'κ');
    const se = Math.sqrt(0.04005 / (20 * 0.47 ** 4));
    close(k.standardError, se, 'SE');
    close(k.kappaInterval?.[0], 22 / 47 - 1.959963984540054 * se, 'lower');
    close(k.kappaInterval?.[1], 22 / 47 + 1.959963984540054 * se, 'upper');
    assert.deepEqual(k.confusion, { bothPass: 10, bothFail: 5, humanPassEvaluatorFail: 2, humanFailEvaluatorPass: 3 });
  });

  void it('perfect agreement over both classes: κ = 1 and a zero-width interval', () => {
    // p_o = 1, p_e = .6² + .4² = .52; every variance term cancels: (1-p_e)² - (1-p_e)² = 0.
    const k = cohensKappa(table(6, 0, 0, 4));
    close(k.kappa, 1, 'κ');
    close(k.chanceAgreement, 0.52, 'p_e');
    assert.deepEqual(k.kappaInterval, [1, 1]);
  });

  void it('all one class on both sides: κ undefined (p_e = 1), agreement still 1', () => {
    const k = cohensKappa(table(12, 0, 0, 0));
    assert.equal(k.kappa, null);
    assert.equal(k.kappaInterval, null);
    assert.equal(k.agreement, 1);
    assert.equal(k.chanceAgreement, 1);
  });

  void it('the person passes everything, the evaluator mostly: κ = 0 (agreement is what chance gives)', () => {
    // p_o = .8, p_e = 1·.8 + 0·.2 = .8 → κ = 0.
    const k = cohensKappa(table(8, 2, 0, 0));
    close(k.kappa, 0, 'κ');
    close(k.agreement, 0.8, 'p_o');
  });

  void it('n < 10: figures are still computed (the report says they are too few), interval clipped to [-1, 1]', () => {
    // a=3 b=1 c=1 d=2, n=7: p_o = 5/7; p_e = (4/7)(4/7) + (3/7)(3/7) = 25/49; κ = (5/7-25/49)/(24/49) = 10/24.
    const k = cohensKappa(table(3, 1, 1, 2));
    close(k.kappa, 10 / 24, 'κ');
    assert.equal(k.kappaInterval?.[1], 1, 'upper bound clipped');
    assert.ok((k.kappaInterval?.[0] ?? 0) < 0, 'lower bound below 0 with 7 grades');
  });

  void it('complete disagreement gives κ = -1', () => {
    // p_o = 0, p_e = .5·.5 + .5·.5 = .5 → κ = -1.
    close(cohensKappa(table(0, 3, 3, 0)).kappa, -1, 'κ');
  });

  void it('no pairs: nothing to compute', () => {
    const k = cohensKappa([]);
    assert.equal(k.n, 0);
    assert.equal(k.kappa, null);
    assert.equal(k.agreement, null);
  });

  void it('confusionOf counts each cell', () => {
    assert.deepEqual(confusionOf(table(1, 2, 3, 4)), {
      bothPass: 1,
      humanPassEvaluatorFail: 2,
      humanFailEvaluatorPass: 3,
      bothFail: 4,
    });
  });
});

void describe('spearman', () => {
  void it('no ties: 1 - 6Σd²/(n(n²-1))', () => {
    // ranks of ys: 1 3 2 5 4 → d = 0 -1 1 -1 1, Σd² = 4 → ρ = 1 - 24/120 = .8
    close(spearman([1, 2, 3, 4, 5], [0.1, 0.4, 0.2, 0.9, 0.8]), 0.8, 'ρ');
  });

  void it('ties share their average rank', () => {
    assert.deepEqual(averageRanks([1, 1, 2, 3]), [1.5, 1.5, 3, 4]);
    // Pearson on ranks: dx = -1 -1 .5 1.5, dy = -1.5 -.5 .5 1.5 → 4.5 / √(4.5·5)
    close(spearman([1, 1, 2, 3], [1, 2, 3, 4]), 4.5 / Math.sqrt(22.5), 'ρ');
  });

  void it('a constant side or fewer than two values: undefined', () => {
    assert.equal(spearman([3, 3, 3], [0.1, 0.5, 0.9]), null);
    assert.equal(spearman([4], [1]), null);
  });
});

void describe('kappaLevel', () => {
  void it('uses Landis & Koch words', () => {
    assert.equal(kappaLevel(-0.1), 'poor');
    assert.equal(kappaLevel(0.2), 'slight');
    assert.equal(kappaLevel(0.35), 'fair');
    assert.equal(kappaLevel(0.5), 'moderate');
    assert.equal(kappaLevel(0.7), 'substantial');
    assert.equal(kappaLevel(0.9), 'almost perfect');
  });
});
