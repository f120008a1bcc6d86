// The evaluator registry: one entry point for every evaluator family.
import type { EvaluatorSpec } from '../model';
import { evaluateBuiltin } from './builtin';
import { evaluateJson, evaluateJsonSchema } from './json';
import { evaluateLength } from './length';
import { evaluateCost, evaluateLatency } from './limits';
import { evaluateLlm } from './llm';
import { evaluateRegex } from './regex';
import { evaluateSimilarity } from './similarity';
import { evaluateNotContains, evaluateString } from './string';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError } from './types';

export { BUILTIN_JUDGES, STAR_CHOICES } from './builtin';
export { cosineSimilarity } from './similarity';
export { matchChoice, parseStructuredReply } from './llm';
export * from './types';

async function dispatch(spec: EvaluatorSpec, ctx: EvaluationContext): Promise<EvaluationResult> {
  switch (spec.kind) {
    case 'string':
      return evaluateString(spec, ctx);
    case 'notContains':
      return evaluateNotContains(spec, ctx);
    case 'regex':
      return evaluateRegex(spec, ctx);
    case 'json':
      return evaluateJson(spec, ctx);
    case 'jsonSchema':
      return evaluateJsonSchema(spec, ctx);
    case 'length':
      return evaluateLength(spec, ctx);
    case 'latencyMs':
      return evaluateLatency(spec, ctx);
    case 'costUsd':
      return evaluateCost(spec, ctx);
    case 'llm':
      return evaluateLlm(spec, ctx);
    case 'builtin':
      return evaluateBuiltin(spec, ctx);
    case 'similarity':
      return evaluateSimilarity(spec, ctx);
  }
}

/** Runs one evaluator. Never throws: an unexpected failure becomes an evaluator error for this case only. */
export async function evaluate(spec: EvaluatorSpec, ctx: EvaluationContext): Promise<EvaluationResult> {
  try {
    return await dispatch(spec, ctx);
  } catch (error) {
    return evaluatorError(spec.name, `evaluator failed: ${errorMessage(error)}`);
  }
}

/** Runs a case's evaluators in file order (so judge calls stay within the sample's pool slot). */
export async function evaluateAll(
  specs: readonly EvaluatorSpec[],
  ctx: EvaluationContext,
): Promise<EvaluationResult[]> {
  const results: EvaluationResult[] = [];
  for (const spec of specs) results.push(await evaluate(spec, ctx));
  return results;
}
