// Our extension: the reply must match a regular expression (JavaScript syntax, `flags` as written).
// Placeholders in the pattern are filled in per case with the value escaped, so `^{{expected}}$`
// matches the expected text literally even when it holds `+`, `.` or `(`.
import type { RegexEvaluator } from '../model';
import { formatValue, renderTemplate } from '../template';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError, verdict } from './types';

const REGEX_SYNTAX = /[.*+?^${}()|[\]\\/]/g;

function escapedVars(vars: Record<string, unknown>): Record<string, string> {
  const escaped: Record<string, string> = {};
  for (const [key, value] of Object.entries(vars)) escaped[key] = formatValue(value).replace(REGEX_SYNTAX, '\\$&');
  return escaped;
}

export function evaluateRegex(spec: RegexEvaluator, ctx: EvaluationContext): EvaluationResult {
  const source = renderTemplate(spec.pattern, escapedVars(ctx.vars));
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, spec.flags);
  } catch (error) {
    return evaluatorError(spec.name, `Invalid regular expression /${source}/${spec.flags}: ${errorMessage(error)}`);
  }
  return verdict(spec.name, pattern.test(ctx.output), `Expected to match /${source}/${spec.flags}`);
}
