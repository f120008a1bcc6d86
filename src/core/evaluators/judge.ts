// Sends a judge conversation to a model through the resolver. Failures surface as JudgeError so
// each evaluator can turn them into an evaluator error (the case continues).
import type { ResponseFormat } from '../model';
import type { ChatMessage } from '../providers/types';
import { type EvaluationContext, errorMessage } from './types';

export class JudgeError extends Error {}

export async function askJudge(ctx: EvaluationContext, modelId: string | undefined, messages: ChatMessage[], responseFormat?: ResponseFormat): Promise<string> {
  if (!ctx.judge) throw new JudgeError('no judge model is configured for this run');
  const id = modelId && modelId.trim() !== '' ? modelId : ctx.judge.defaultModel;
  let resolved;
  try {
    resolved = ctx.judge.resolver.resolve(id);
  } catch (error) {
    throw new JudgeError(`judge model '${id}' cannot be resolved: ${errorMessage(error)}`);
  }
  try {
    const response = await resolved.provider.chat({
      model: resolved.model,
      messages,
      parameters: {},
      ...(responseFormat ? { responseFormat } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.waitBudget ? { waitBudget: ctx.waitBudget } : {}),
    });
    return response.text;
  } catch (error) {
    throw new JudgeError(`judge model '${id}' could not be reached: ${errorMessage(error)}`);
  }
}
