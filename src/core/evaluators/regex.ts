// Our extension: the reply must match a regular expression (JavaScript syntax, `flags` as written).
import type { RegexEvaluator } from '../model';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError, verdict } from './types';

export function evaluateRegex(spec: RegexEvaluator, ctx: EvaluationContext): EvaluationResult {
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec.pattern, spec.flags);
  } catch (error) {
    return evaluatorError(spec.name, `Invalid regular expression /${spec.pattern}/${spec.flags}: ${errorMessage(error)}`);
  }
  return verdict(spec.name, pattern.test(ctx.output), `Expected to match /${spec.pattern}/${spec.flags}`);
}
