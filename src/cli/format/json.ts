// `--json`: the gh-models shape (core/report/ghJson.ts), shared with the editor's JSON export.
export { formatJson, REQUEST_ERROR_EVALUATOR, toGhJson } from '../../core/report/ghJson';
export type {
  GhEvaluationResult,
  GhEvaluationSummary,
  GhTestResult,
  PromptLabCaseExtras,
  PromptLabExtras,
  PromptLabSampleExtras,
} from '../../core/report/ghJson';
