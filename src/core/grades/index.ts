// Human grades and judge–human agreement (docs/grading.md).
export type { Grade, GradedSample, Grader, Verdict } from './types';
export {
  GRADES_FILE_NAME,
  GradeIndex,
  GradeStore,
  gradeFromJson,
  gradeKey,
  gradePromptOf,
  isValidScore,
  outputHash,
  parseGradesText,
  type LoadedGrades,
} from './store';
export { parseGradesFile, revisionMatches, type GradesFileResult } from './gradesFile';
export {
  MIN_MEANINGFUL_GRADES,
  POOR_KAPPA,
  RECOMMENDED_GRADES,
  computeAgreement,
  mergeGraded,
  type AgreementReport,
  type Disagreement,
  type EvaluatorAgreement,
} from './agreement';
export {
  KAPPA_INTERVAL_METHOD,
  averageRanks,
  cohensKappa,
  confusionOf,
  kappaLevel,
  spearman,
  type Confusion,
  type KappaResult,
} from './stats';
