// Our extension: ceilings on latency and cost of the sample.
import type { CostEvaluator, LatencyEvaluator } from '../model';
import { type EvaluationContext, type EvaluationResult, evaluatorError, verdict } from './types';

export function evaluateLatency(spec: LatencyEvaluator, ctx: EvaluationContext): EvaluationResult {
  const ms = Math.round(ctx.latencyMs);
  return verdict(spec.name, ctx.latencyMs <= spec.max, `Latency ${ms} ms; limit ${spec.max} ms`);
}

export function evaluateCost(spec: CostEvaluator, ctx: EvaluationContext): EvaluationResult {
  // An unknown price must never count as cheap enough.
  if (ctx.costUsd === null)
    return evaluatorError(
      spec.name,
      'price unknown: cannot check the cost ceiling (add a price for this model in the config)',
    );
  return verdict(spec.name, ctx.costUsd <= spec.max, `Cost $${formatUsd(ctx.costUsd)}; limit $${formatUsd(spec.max)}`);
}

function formatUsd(value: number): string {
  return value === 0 ? '0' : value < 0.01 ? value.toPrecision(3) : value.toFixed(4);
}
