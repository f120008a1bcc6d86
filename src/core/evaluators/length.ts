// Our extension: reply length in characters (Unicode code points, so an emoji counts once).
import type { LengthEvaluator } from '../model';
import { type EvaluationContext, type EvaluationResult, verdict } from './types';

export function evaluateLength(spec: LengthEvaluator, ctx: EvaluationContext): EvaluationResult {
  const length = [...ctx.output].length;
  const tooShort = spec.min !== undefined && length < spec.min;
  const tooLong = spec.max !== undefined && length > spec.max;
  const bounds = [spec.min !== undefined ? `≥ ${spec.min}` : '', spec.max !== undefined ? `≤ ${spec.max}` : '']
    .filter(Boolean)
    .join(' and ');
  return verdict(spec.name, !tooShort && !tooLong, `Length ${length} characters; expected ${bounds || 'any length'}`);
}
