// What every evaluator gets to judge one sample, and the shape of its verdict.
import type { JsonSchemaSpec } from '../model';
import type { ModelResolver } from '../providers/types';
import type { EvaluationResult } from '../run/types';
import type { WaitBudget } from '../schedule/failure';

/** gh-models ran every built-in judge on this model; `judgeModel` in the config overrides it. */
export const DEFAULT_JUDGE_MODEL = 'openai/gpt-4o';
/** Used by the `similarity` evaluator when it names no embedding model. */
export const DEFAULT_EMBEDDING_MODEL = 'openai/text-embedding-3-small';

/** Turns texts into embedding vectors (one per input, same order). */
export type EmbedFunction = (texts: string[], modelId: string | undefined, signal?: AbortSignal) => Promise<number[][]>;

export interface JudgeSettings {
  resolver: ModelResolver;
  /** Model for `uses: github/*` judges and for `llm` evaluators that name no model. */
  defaultModel: string;
}

export interface EvaluationContext {
  /** The case's variables (rendered into evaluator strings and judge prompts). */
  vars: Record<string, unknown>;
  /** The model's reply, trimmed (as gh-models did before evaluating). */
  output: string;
  latencyMs: number;
  /** USD, `null` when the model's price is unknown. */
  costUsd: number | null;
  /** The prompt file's `jsonSchema`, used by `jsonSchema` evaluators without an inline schema. */
  jsonSchema?: JsonSchemaSpec;
  judge?: JudgeSettings;
  embed?: EmbedFunction;
  signal?: AbortSignal;
  /** The case's budget for waiting on rate limits (judge calls spend it too). */
  waitBudget?: WaitBudget;
}

export type { EvaluationResult };

export function verdict(evaluatorName: string, passed: boolean, details: string): EvaluationResult {
  return { evaluatorName, score: passed ? 1 : 0, passed, details };
}

/** The evaluator could not judge (judge unreachable, unparsable reply, bad pattern …): the case fails, visibly. */
export function evaluatorError(evaluatorName: string, details: string): EvaluationResult {
  return { evaluatorName, score: 0, passed: false, details, error: true };
}

export { errorMessage } from '../errors';

/** A short, single-line excerpt of untrusted text for details strings. */
export function snippet(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
