// `llm` evaluators.
// choices mode (gh-models): the judge prompt is templated with the case's variables plus
// {{completion}}; the judge's reply is trimmed and lower-cased, and the first choice, in list
// order, whose (lower-cased) text occurs anywhere in it wins. passed = score > 0; no match → 0.
// structured mode (ours): the judge must answer a JSON object {score: 0..1, reason}; passed =
// score ≥ threshold. A reply that is not such an object is an evaluator error, never a silent 0.
import type { LlmChoice, LlmEvaluator } from '../model';
import type { ChatMessage } from '../providers/types';
import { renderTemplate } from '../template';
import { JudgeError, askJudge } from './judge';
import { type EvaluationContext, type EvaluationResult, errorMessage, evaluatorError, snippet } from './types';

const DEFAULT_THRESHOLD = 0.5;

const STRUCTURED_INSTRUCTIONS =
  'Answer with a JSON object and nothing else: {"score": <a number from 0 to 1, where 1 is best>, "reason": "<one or two sentences>"}.';

export function judgeVars(ctx: EvaluationContext): Record<string, unknown> {
  return { ...ctx.vars, completion: ctx.output };
}

function judgeMessages(systemPrompt: string | undefined, prompt: string): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (systemPrompt) messages.push({ role: 'system', content: systemPrompt });
  messages.push({ role: 'user', content: prompt });
  return messages;
}

/** gh-models choice matching on a raw judge reply. */
export function matchChoice(evaluatorName: string, choices: LlmChoice[], judgeReply: string): EvaluationResult {
  const reply = judgeReply.trim().toLowerCase();
  for (const choice of choices) {
    if (reply.includes(choice.choice.toLowerCase())) {
      return {
        evaluatorName,
        score: choice.score,
        passed: choice.score > 0,
        details: `LLM evaluation matched choice: '${choice.choice}'`,
      };
    }
  }
  return {
    evaluatorName,
    score: 0,
    passed: false,
    details: `LLM evaluation response '${snippet(reply)}' did not match any defined choices`,
  };
}

export type StructuredVerdict = { ok: true; score: number; reason: string } | { ok: false; problem: string };

/** Parses a structured judge reply; tolerates a surrounding ``` fence, nothing else. */
export function parseStructuredReply(reply: string): StructuredVerdict {
  const text = reply.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: `reply is not JSON (${errorMessage(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: 'reply is not a JSON object' };
  const { score, reason } = value as { score?: unknown; reason?: unknown };
  if (typeof score !== 'number' || !Number.isFinite(score))
    return { ok: false, problem: '"score" is missing or not a number' };
  if (score < 0 || score > 1) return { ok: false, problem: `"score" ${score} is outside 0..1` };
  if (reason !== undefined && typeof reason !== 'string') return { ok: false, problem: '"reason" is not a string' };
  return { ok: true, score, reason: reason ?? '' };
}

export async function evaluateLlm(spec: LlmEvaluator, ctx: EvaluationContext): Promise<EvaluationResult> {
  const prompt = renderTemplate(spec.prompt, judgeVars(ctx));
  try {
    if (spec.mode === 'structured') {
      const system = spec.systemPrompt ? `${spec.systemPrompt}\n\n${STRUCTURED_INSTRUCTIONS}` : STRUCTURED_INSTRUCTIONS;
      const answer = await askJudge(ctx, spec.modelId, judgeMessages(system, prompt), 'json_object');
      const parsed = parseStructuredReply(answer.text);
      if (!parsed.ok) {
        const failed = evaluatorError(spec.name, `Unusable judge reply: ${parsed.problem}: '${snippet(answer.text)}'`);
        return { ...failed, judge: { model: answer.model, reply: answer.text } };
      }
      const threshold = spec.threshold ?? DEFAULT_THRESHOLD;
      const passed = parsed.score >= threshold;
      return {
        evaluatorName: spec.name,
        score: parsed.score,
        passed,
        details: `Judge score ${parsed.score} (threshold ${threshold}): ${parsed.reason}`,
        judge: { model: answer.model, reply: answer.text, ...(parsed.reason ? { reason: parsed.reason } : {}) },
      };
    }
    const answer = await askJudge(ctx, spec.modelId, judgeMessages(spec.systemPrompt, prompt));
    return { ...matchChoice(spec.name, spec.choices, answer.text), judge: { model: answer.model, reply: answer.text } };
  } catch (error) {
    if (error instanceof JudgeError) return evaluatorError(spec.name, error.message);
    throw error;
  }
}
