// gh-models `string` evaluator: `equals` is exact and case-sensitive; `contains`, `startsWith`
// and `endsWith` ignore case. The criterion value is templated with the case's variables.
import type { NotContainsEvaluator, StringEvaluator } from '../model';
import { renderTemplate } from '../template';
import { type EvaluationContext, type EvaluationResult, verdict } from './types';

export function evaluateString(spec: StringEvaluator, ctx: EvaluationContext): EvaluationResult {
  const expected = renderTemplate(spec.value, ctx.vars);
  const output = ctx.output;
  switch (spec.criterion) {
    case 'equals':
      return verdict(spec.name, output === expected, `Expected exact match: '${expected}'`);
    case 'contains':
      return verdict(
        spec.name,
        output.toLowerCase().includes(expected.toLowerCase()),
        `Expected to contain: '${expected}'`,
      );
    case 'startsWith':
      return verdict(
        spec.name,
        output.toLowerCase().startsWith(expected.toLowerCase()),
        `Expected to start with: '${expected}'`,
      );
    case 'endsWith':
      return verdict(
        spec.name,
        output.toLowerCase().endsWith(expected.toLowerCase()),
        `Expected to end with: '${expected}'`,
      );
  }
}

/** Our extension: passes when the (templated) value does not occur, ignoring case like `contains`. */
export function evaluateNotContains(spec: NotContainsEvaluator, ctx: EvaluationContext): EvaluationResult {
  const unwanted = renderTemplate(spec.value, ctx.vars);
  return verdict(
    spec.name,
    !ctx.output.toLowerCase().includes(unwanted.toLowerCase()),
    `Expected not to contain: '${unwanted}'`,
  );
}
