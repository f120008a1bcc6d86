// Judge–human agreement of a run: for every evaluator, its verdicts against the person's grades.
// Every front end (CLI, Agreement view, run panel marks) shows this report; none recomputes it.
import type { CaseResult } from '../run/types';
import { KAPPA_INTERVAL_METHOD, cohensKappa, kappaLevel, spearman, type Confusion } from './stats';
import type { GradedSample, Verdict } from './types';

/** Below this many graded cases κ is reported but called too few to mean anything. */
export const MIN_MEANINGFUL_GRADES = 10;
/** From this many graded cases the interval is narrow enough to act on (docs/grading.md). */
export const RECOMMENDED_GRADES = 30;
/** κ below this (with enough grades) marks a judge as poorly agreeing: Landis & Koch's "fair" or worse. */
export const POOR_KAPPA = 0.4;

export interface Disagreement {
  /** 1-based case number, as the CLI table shows it. */
  case: number;
  /** 1-based sample number. */
  sample: number;
  human: Verdict;
  evaluator: Verdict;
  evaluatorScore: number;
  note?: string;
}

export interface EvaluatorAgreement {
  name: string;
  /** Graded samples with a pass/fail grade that this evaluator judged (evaluator errors left out). */
  n: number;
  agreement: number | null;
  kappa: number | null;
  kappaInterval: [number, number] | null;
  chanceAgreement: number | null;
  confusion: Confusion;
  disagreements: Disagreement[];
  /** Samples whose evaluation by this evaluator failed (left out of n). */
  evaluatorErrors: number;
  /** Spearman's ρ of the person's 1–5 scores against this evaluator's scores. */
  scores: { n: number; spearman: number | null } | null;
  /** Landis & Koch's word for κ, when κ is defined. */
  level: string | null;
  /** True when there are enough grades and κ is below POOR_KAPPA: discount this evaluator. */
  poor: boolean;
  /** What the figures mean here, in words (too few grades, κ undefined …). */
  summary: string;
}

export interface AgreementReport {
  evaluators: EvaluatorAgreement[];
  /** Samples with a grade of any kind. */
  graded: number;
  intervalMethod: string;
}

function evaluatorNames(cases: readonly CaseResult[]): string[] {
  const names = new Set<string>();
  for (const result of cases)
    for (const sample of result.samples) for (const e of sample.evaluations) names.add(e.evaluatorName);
  return [...names];
}

const fixed = (x: number, digits = 2): string => x.toFixed(digits);

function summaryOf(a: Omit<EvaluatorAgreement, 'summary'>): string {
  if (a.n === 0)
    return a.scores && a.scores.n > 0
      ? 'no pass/fail grades for this evaluator (scores only)'
      : 'no graded case has a verdict from this evaluator';
  const percent = `${fixed((a.agreement ?? 0) * 100, 0)} % agreement`;
  if (a.kappa === null)
    return `κ undefined: the person and the evaluator gave all ${a.n} graded cases the same verdict, so chance explains it; ${percent}`;
  const c = a.confusion;
  const evaluatorOneClass = c.bothPass + c.humanFailEvaluatorPass === 0 || c.bothFail + c.humanPassEvaluatorFail === 0;
  const personOneClass = c.bothPass + c.humanPassEvaluatorFail === 0 || c.bothFail + c.humanFailEvaluatorPass === 0;
  const oneSided = evaluatorOneClass ? 'the evaluator' : personOneClass ? 'the person' : undefined;
  let figure = `κ = ${fixed(a.kappa)} (${a.level}), ${percent} on ${a.n} graded case${a.n === 1 ? '' : 's'}`;
  // One constant rater makes κ 0 and its analytic interval collapse: say so instead of implying certainty.
  if (oneSided)
    figure += ` (${oneSided} gave every graded case the same verdict, so κ is 0 by construction and its interval says nothing)`;
  if (a.n < MIN_MEANINGFUL_GRADES)
    return `too few grades: ${a.n} graded case${a.n === 1 ? '' : 's'} cannot give a meaningful κ (grade at least ${RECOMMENDED_GRADES}); ${figure}`;
  const poor = a.poor ? `: poor agreement, discount this evaluator's verdicts` : '';
  if (a.n < RECOMMENDED_GRADES)
    return `${figure}${poor}; few grades, so the interval is wide (grade ${RECOMMENDED_GRADES}–50 cases)`;
  return `${figure}${poor}`;
}

/** Agreement of each evaluator of `cases` with `graded` (one grade per sample at most). */
export function computeAgreement(cases: readonly CaseResult[], graded: readonly GradedSample[]): AgreementReport {
  const byCase = new Map(cases.map((c) => [c.caseIndex, c]));
  const evaluators = evaluatorNames(cases).map((name): EvaluatorAgreement => {
    const pairs: { human: boolean; evaluator: boolean }[] = [];
    const humanScores: number[] = [];
    const evaluatorScores: number[] = [];
    const disagreements: Disagreement[] = [];
    let evaluatorErrors = 0;
    for (const grade of graded) {
      const sample = byCase.get(grade.caseIndex)?.samples.find((s) => s.sample === grade.sample);
      const evaluation = sample?.evaluations.find((e) => e.evaluatorName === name);
      if (!evaluation) continue;
      if (evaluation.error) {
        evaluatorErrors++;
        continue;
      }
      if (grade.score !== undefined) {
        humanScores.push(grade.score);
        evaluatorScores.push(evaluation.score);
      }
      if (grade.verdict === undefined) continue;
      const human = grade.verdict === 'pass';
      pairs.push({ human, evaluator: evaluation.passed });
      if (human !== evaluation.passed) {
        const d: Disagreement = {
          case: grade.caseIndex + 1,
          sample: grade.sample + 1,
          human: grade.verdict,
          evaluator: evaluation.passed ? 'pass' : 'fail',
          evaluatorScore: evaluation.score,
        };
        if (grade.note !== undefined) d.note = grade.note;
        disagreements.push(d);
      }
    }
    disagreements.sort((x, y) => x.case - y.case || x.sample - y.sample);
    const k = cohensKappa(pairs);
    const partial = {
      name,
      n: k.n,
      agreement: k.agreement,
      kappa: k.kappa,
      kappaInterval: k.kappaInterval,
      chanceAgreement: k.chanceAgreement,
      confusion: k.confusion,
      disagreements,
      evaluatorErrors,
      scores:
        humanScores.length === 0 ? null : { n: humanScores.length, spearman: spearman(humanScores, evaluatorScores) },
      level: k.kappa === null ? null : kappaLevel(k.kappa),
      poor: k.kappa !== null && k.n >= MIN_MEANINGFUL_GRADES && k.kappa < POOR_KAPPA,
    };
    return { ...partial, summary: summaryOf(partial) };
  });
  return { evaluators, graded: graded.length, intervalMethod: KAPPA_INTERVAL_METHOD };
}

/**
 * Stored grades and a file's grades together: a file row replaces the stored grade of the same
 * sample (the file is what the user asked about now).
 */
export function mergeGraded(stored: readonly GradedSample[], fromFile: readonly GradedSample[]): GradedSample[] {
  const key = (g: GradedSample): string => `${g.caseIndex}.${g.sample}`;
  const merged = new Map(stored.map((g) => [key(g), g]));
  for (const g of fromFile) merged.set(key(g), g);
  return [...merged.values()].sort((a, b) => a.caseIndex - b.caseIndex || a.sample - b.sample);
}
