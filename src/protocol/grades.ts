// Human grades and evaluator trust as the run panel sees them (host → webview), and a grade
// given in a view (webview → host). Shared by the run panel's and the compare view's protocols (run.ts, compare.ts).
import * as v from './common';

export type VerdictView = 'pass' | 'fail';

/** A person's grade of one output, as a view shows it (run panel and compare view alike). */
export interface OutputGradeView {
  verdict?: VerdictView;
  /** 1–5 */
  score?: number;
  note?: string;
  /** Who graded (git user name or e-mail), when known. */
  by?: string;
  at?: string;
}

/** A stored grade placed on one sample of the results shown (it always has its time). */
export interface GradeView extends OutputGradeView {
  caseIndex: number;
  sample: number;
  at: string;
}

/** How far an evaluator agrees with the person's grades in the results shown (core's computeAgreement). */
export interface EvaluatorTrustView {
  name: string;
  n: number;
  kappa: number | null;
  agreement: number | null;
  /** Enough grades and κ below the poor threshold: the panel marks this evaluator. */
  poor: boolean;
  /** core's sentence about the figures. */
  summary: string;
}

/** The grade the person gave a sample in the panel; all empty (null, null, '') removes it. */
export interface GradeInput {
  /** Increases with every grade the webview sends; the host reports the last one it saved. */
  seq: number;
  caseIndex: number;
  sample: number;
  verdict: VerdictView | null;
  score: number | null;
  note: string;
}

export const isVerdict: v.Guard<VerdictView> = v.literal('pass', 'fail');
/** A grade's score: a whole number from 1 to 5. */
export const isScore: v.Guard<number> = (value: unknown): value is number =>
  v.isIndex(value) && value >= 1 && value <= 5;

const isOutputGradeFields = {
  verdict: v.optional(isVerdict),
  score: v.optional(isScore),
  note: v.isOptionalString,
  by: v.isOptionalString,
  at: v.isOptionalString,
};

export const isOutputGradeView: v.Guard<OutputGradeView> = v.objectOf(isOutputGradeFields);

export const isGradeView: v.Guard<GradeView> = v.objectOf({
  caseIndex: v.isIndex,
  sample: v.isIndex,
  ...isOutputGradeFields,
  at: v.isString,
});

export const isEvaluatorTrustView: v.Guard<EvaluatorTrustView> = v.objectOf({
  name: v.isString,
  n: v.isIndex,
  kappa: v.isNullableNumber,
  agreement: v.isNullableNumber,
  poor: (value: unknown): value is boolean => typeof value === 'boolean',
  summary: v.isString,
});

/** Notes are short free text; a cap keeps one message from carrying a novel. */
export const MAX_NOTE_LENGTH = 2000;

export const isGradeInputFields = {
  seq: v.isIndex,
  caseIndex: v.isIndex,
  sample: v.isIndex,
  verdict: v.nullable(isVerdict),
  score: v.nullable(isScore),
  note: (value: unknown): value is string => v.isString(value) && value.length <= MAX_NOTE_LENGTH,
};

export const isGradesPayload = {
  grades: v.arrayOf(isGradeView),
  trust: v.arrayOf(isEvaluatorTrustView),
  appliedSeq: v.isIndex,
};
