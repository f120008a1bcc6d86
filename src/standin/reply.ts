// The stand-in's reply language: every reply is a pure function of the request, so tests can
// predict it. Documented for test writers in docs/standin.md; keep the two in step.

import { generationReply, isGenerationRequest } from './generate';
import { sampleFromSchema } from './schemaSample';

export interface StandinMessage {
  role: string;
  content: string;
}

export interface ReplyRequest {
  model: string;
  messages: StandinMessage[];
  /** `response_format.type` as sent: `text`, `json_object` or `json_schema`. */
  responseFormat?: string;
  /** `response_format.json_schema.schema` when present. */
  jsonSchema?: unknown;
  /** `response_format.json_schema.name` when present (generation requests: see generate.ts). */
  jsonSchemaName?: string;
  maxTokens?: number;
  stop?: string[];
}

/** What the server must do besides sending text (a per-request status or delay). */
export interface ReplyPlan {
  text: string;
  finishReason: 'stop' | 'length';
  /** `[[status: N]]`: answer with this HTTP error status instead of a completion. */
  status?: number;
  /** `[[delay: MS]]`: wait this long before the response headers. */
  delayMs?: number;
  /** Which rule produced the text (for the request log and tests of the stand-in). */
  rule: 'html' | 'reply' | 'judge' | 'generate' | 'json-schema' | 'json' | 'lorem' | 'echo';
}

/** OpenAI's `usage` object of a chat completion. */
export function completionUsage(
  promptTokens: number,
  completionTokens: number,
): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** The non-streamed `chat.completion` object carrying the plan's text (the server and the batch service both send it). */
export function chatCompletion(
  id: string,
  model: string,
  plan: Pick<ReplyPlan, 'text' | 'finishReason'>,
  usage: ReturnType<typeof completionUsage>,
  created = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  return {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: plan.text, refusal: null },
        logprobs: null,
        finish_reason: plan.finishReason,
      },
    ],
    usage,
  };
}

export const XSS_PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';
export const DEFAULT_JUDGE_VERDICT = '4';
export const BAD_MODEL_REPLY = 'Sorry, I cannot help with that.';

const LOREM =
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua'.split(
    ' ',
  );

/** `[[name]]` or `[[name: value]]`; the value ends at the first `]]`. */
const DIRECTIVE = /\[\[\s*([a-z-]+)\s*(?::\s*([\s\S]*?)\s*)?\]\]/gi;

interface Directive {
  name: string;
  value: string | undefined;
}

function directivesIn(text: string): Directive[] {
  return [...text.matchAll(DIRECTIVE)].map((m) => ({ name: (m[1] ?? '').toLowerCase(), value: m[2] }));
}

function lastDirective(texts: string[], name: string): Directive | undefined {
  let found: Directive | undefined;
  for (const text of texts) {
    for (const directive of directivesIn(text)) if (directive.name === name) found = directive;
  }
  return found;
}

/** Tokens are whitespace-separated words: the stand-in's documented token count. */
export function countTokens(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Stream chunks: one word plus its trailing whitespace each (leading whitespace goes first). */
export function splitIntoChunks(text: string): string[] {
  return text.match(/^\s+|\S+\s*/g) ?? [];
}

/** Knobs carried by the model id: `standin-upper`, `standin-bad`, `standin-judge`, `gpt-4o+upper` … */
export function modelKnobs(model: string): Set<string> {
  const bare = model.slice(model.lastIndexOf('/') + 1).toLowerCase();
  return new Set(bare.split(/[-+_.:]/).filter((part) => part !== ''));
}

const JUDGE_SCALE = /\b(?:1|one)\s*(?:-|–|to)\s*(?:5|five)\b|\bfive stars?\b|\b5 stars?\b/i;
const JUDGE_WORDS = /\b(?:stars?|rating|rate)\b/i;

/** True for an LLM-judge request: explicit `[[judge]]`, a `judge` model knob, or a 1–5 star-rating prompt. */
export function isJudgeRequest(request: ReplyRequest): boolean {
  const texts = request.messages.map((m) => m.content);
  if (texts.some((t) => directivesIn(t).some((d) => d.name === 'no-judge'))) return false;
  if (texts.some((t) => directivesIn(t).some((d) => d.name === 'judge' && d.value === undefined))) return true;
  if (modelKnobs(request.model).has('judge')) return true;
  const instructions = request.messages
    .filter((m) => m.role === 'system' || m.role === 'user')
    .map((m) => m.content)
    .join('\n');
  return JUDGE_SCALE.test(instructions) && JUDGE_WORDS.test(instructions);
}

function judgeReply(request: ReplyRequest, texts: string[]): string {
  const verdict =
    lastDirective(texts, 'judge-reply')?.value ?? lastDirective(texts, 'judge')?.value ?? DEFAULT_JUDGE_VERDICT;
  const wantsJson = request.responseFormat === 'json_object' || request.responseFormat === 'json_schema';
  if (!wantsJson) return verdict;
  if (verdict.trimStart().startsWith('{')) return verdict;
  const score = Number(verdict);
  return JSON.stringify({ score: Number.isFinite(score) ? score : verdict, reason: 'stand-in verdict' });
}

function applyLimits(text: string, request: ReplyRequest): { text: string; finishReason: 'stop' | 'length' } {
  let result = text;
  for (const stop of request.stop ?? []) {
    const at = stop === '' ? -1 : result.indexOf(stop);
    if (at >= 0) result = result.slice(0, at);
  }
  if (request.maxTokens !== undefined && request.maxTokens >= 0 && countTokens(result) > request.maxTokens) {
    const chunks = splitIntoChunks(result);
    const leading = chunks[0]?.trim() === '' ? 1 : 0;
    return {
      text: chunks
        .slice(0, leading + request.maxTokens)
        .join('')
        .trimEnd(),
      finishReason: 'length',
    };
  }
  return { text: result, finishReason: 'stop' };
}

/** Computes the reply for a chat request. Rules in order: see docs/standin.md. */
export function planReply(request: ReplyRequest): ReplyPlan {
  const lastUser = [...request.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  // The last user message overrides the system prompt: it is listed last.
  const controlTexts = [...system, lastUser];
  const statusDirective = lastDirective([lastUser], 'status');
  const delayDirective = lastDirective(controlTexts, 'delay');
  const extras: Pick<ReplyPlan, 'status' | 'delayMs'> = {};
  const status = Number(statusDirective?.value);
  if (statusDirective && Number.isInteger(status) && status >= 400 && status <= 599) extras.status = status;
  const delay = Number(delayDirective?.value);
  if (delayDirective && Number.isFinite(delay) && delay >= 0) extras.delayMs = Math.min(delay, 60_000);

  const finish = (text: string, rule: ReplyPlan['rule'], transform: boolean): ReplyPlan => {
    const knobs = modelKnobs(request.model);
    let shaped = text;
    if (transform && knobs.has('bad')) shaped = BAD_MODEL_REPLY;
    if (transform && knobs.has('upper')) shaped = shaped.toUpperCase();
    if (transform && knobs.has('lower')) shaped = shaped.toLowerCase();
    return { ...applyLimits(shaped, request), rule, ...extras };
  };

  // Test-case generation first: its request quotes the prompt under test, judge wording included.
  // `[[reply: TEXT]]` in it still forces TEXT, so tests can send malformed replies.
  if (isGenerationRequest(request)) {
    const forcedReply = lastDirective([lastUser], 'reply');
    return forcedReply?.value !== undefined
      ? finish(forcedReply.value, 'reply', false)
      : finish(generationReply(request), 'generate', false);
  }
  if (isJudgeRequest(request))
    return finish(
      judgeReply(
        request,
        request.messages.map((m) => m.content),
      ),
      'judge',
      false,
    );
  if (lastDirective(controlTexts, 'html')) return finish(XSS_PAYLOAD, 'html', false);
  const forced = lastDirective(controlTexts, 'reply');
  if (forced?.value !== undefined) return finish(forced.value, 'reply', true);
  if (request.responseFormat === 'json_schema' && request.jsonSchema !== undefined) {
    return finish(JSON.stringify(sampleFromSchema(request.jsonSchema)), 'json-schema', false);
  }
  const echo = `Echo: ${lastUser}`;
  if (request.responseFormat === 'json_object' || lastDirective(controlTexts, 'json')) {
    return finish(JSON.stringify({ reply: echo }), 'json', false);
  }
  const lorem = lastDirective(controlTexts, 'lorem');
  const words = Number(lorem?.value);
  if (lorem && Number.isInteger(words) && words >= 0) {
    const count = Math.min(words, 100_000);
    return finish(Array.from({ length: count }, (_, i) => LOREM[i % LOREM.length]).join(' '), 'lorem', true);
  }
  return finish(echo, 'echo', true);
}

/** The `messages` of a chat body as role + text (only text content parts carry words); undefined when malformed. */
export function asMessages(value: unknown): StandinMessage[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const messages: StandinMessage[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) return undefined;
    const { role, content } = item as { role?: unknown; content?: unknown };
    if (typeof role !== 'string') return undefined;
    let text = '';
    if (typeof content === 'string') text = content;
    else if (Array.isArray(content)) {
      // Content parts: only text parts carry words.
      text = content
        .map((part: unknown) =>
          typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string'
            ? (part as { text: string }).text
            : '',
        )
        .join('');
    }
    messages.push({ role, content: text });
  }
  return messages;
}

/** The reply-relevant fields of a chat completion body. */
export function replyRequestOf(model: string, messages: StandinMessage[], body: Record<string, unknown>): ReplyRequest {
  const responseFormat = body.response_format as
    { type?: unknown; json_schema?: { schema?: unknown; name?: unknown } } | undefined;
  const stop =
    typeof body.stop === 'string'
      ? [body.stop]
      : Array.isArray(body.stop)
        ? body.stop.filter((s): s is string => typeof s === 'string')
        : undefined;
  const maxTokens =
    typeof body.max_completion_tokens === 'number'
      ? body.max_completion_tokens
      : typeof body.max_tokens === 'number'
        ? body.max_tokens
        : undefined;
  return {
    model,
    messages,
    responseFormat: typeof responseFormat?.type === 'string' ? responseFormat.type : undefined,
    jsonSchema: responseFormat?.json_schema?.schema,
    ...(typeof responseFormat?.json_schema?.name === 'string'
      ? { jsonSchemaName: responseFormat.json_schema.name }
      : {}),
    maxTokens,
    stop,
  };
}
