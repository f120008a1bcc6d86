// Chat and embeddings on any OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama, LM Studio,
// vLLM, OpenRouter, the stand-in) through the official `openai` client.
// One attempt per call: the client's own retries are off (maxRetries: 0) and we never loop here.
// Failures a retry may cure become ProviderErrors with a retry hint (class, reason, rate-limit
// headers); the run's scheduler (src/core/schedule) is the only place that waits and retries.

import { inspect } from 'node:util';
import OpenAI, { AzureOpenAI } from 'openai';
import type { ChatCompletionCreateParamsBase } from 'openai/resources/chat/completions';
import { createHash } from 'node:crypto';
import { type BatchApi, OpenAIBatchApi } from './batchApi';
import { PromptLabError } from '../errors';
import { originOf } from './origin';
import type { TokenUsage } from '../run/types';
import { ProviderError, type RetryHint } from '../schedule/failure';
import { type RateLimitSignals, readRateLimitSignals } from '../schedule/headers';
import type { ChatRequest, ChatResponse, Provider } from './types';

export interface OpenAICompatibleOptions {
  /** `openai`, `azure`, `ollama`, `lmstudio`, `custom`: shown in run headers and messages. */
  kind: string;
  /** The config's provider name (for messages); defaults to `kind`. */
  name?: string;
  /** Base URL including the API path, e.g. `https://api.openai.com/v1`; for Azure the resource endpoint. */
  baseURL: string;
  apiKey?: string;
  /** Azure OpenAI (classic deployment paths): the `api-version` query parameter. */
  azureApiVersion?: string;
  headers?: Record<string, string>;
  /** The scheduler's retries after 5xx/408/409 and broken connections (429s: while the wait budget lasts). Default 3. */
  maxRetries?: number;
  /** Per-attempt limit for a whole reply. Default 300 000 ms. */
  timeoutMs?: number;
  /** Base of the scheduler's exponential backoff when the server gives no Retry-After. Default 500 ms. */
  backoffBaseMs?: number;
  /** How the user sets this provider's key, for the 401 message (e.g. `the OPENAI_API_KEY environment variable`). */
  keyHint?: string;
  /** Use `max_completion_tokens` instead of `max_tokens` (OpenAI reasoning models need it). Default: by model id on OpenAI/Azure. */
  maxTokensField?: 'max_tokens' | 'max_completion_tokens';
}

const DEFAULT_TIMEOUT_MS = 300_000;
const CLIENT_TIMEOUT_MS = 24 * 3600 * 1000;
const REASONING_MODEL = /^(?:o\d|gpt-5)/i;

class ReplyInterruptedError extends Error {
  constructor(override readonly cause: unknown) {
    super(`the reply stream broke off: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

class AttemptTimeoutError extends Error {}

/** An exception thrown by the caller's onDelta: passed through as is, never retried. */
class CallbackFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('onDelta failed');
  }
}

interface Attempt {
  text: string;
  usage?: TokenUsage;
  ttftMs?: number;
  latencyMs: number;
  finishReason?: string;
  rateLimit?: RateLimitSignals;
}

type WireUsage = {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
};

function toUsage(usage: WireUsage | null | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const prompt = usage.prompt_tokens ?? 0;
  const completion = usage.completion_tokens ?? 0;
  const result: TokenUsage = { prompt, completion, total: usage.total_tokens ?? prompt + completion };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number' && cached > 0) result.cachedPrompt = cached;
  return result;
}

function serverMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string' && body.message !== '') return body.message;
  return error.message.replace(/^\d{3}\s*/, '');
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export class OpenAICompatibleProvider implements Provider {
  readonly kind: string;
  readonly endpointOrigin: string;
  readonly name: string;
  readonly retryLimits: { maxRetries?: number; backoffBaseMs?: number };
  readonly #client: OpenAI;
  readonly #apiKey: string | undefined;
  readonly #options: OpenAICompatibleOptions;
  #batch: BatchApi | undefined;

  constructor(options: OpenAICompatibleOptions) {
    this.kind = options.kind;
    this.name = options.name ?? options.kind;
    this.endpointOrigin = originOf(options.baseURL);
    this.#apiKey = options.apiKey || undefined;
    this.#options = options;
    this.retryLimits = {
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.backoffBaseMs !== undefined ? { backoffBaseMs: options.backoffBaseMs } : {}),
    };
    const common = {
      maxRetries: 0,
      // Our per-attempt deadline covers headers and body; the client's own (headers only) must never fire first.
      timeout: CLIENT_TIMEOUT_MS,
      // No redirects: a redirect could carry the key (Authorization or api-key header) to another origin.
      fetchOptions: { redirect: 'manual' as const },
      // Keyless endpoints: the client insists on a credential, so give it one and strip the header.
      apiKey: this.#apiKey ?? 'no-key',
      organization: null,
      project: null,
    };
    const headers: Record<string, string | null> = { ...options.headers };
    const hasHeader = (name: string): boolean => Object.keys(headers).some((h) => h.toLowerCase() === name);
    if (options.azureApiVersion !== undefined) {
      if (!this.#apiKey && !hasHeader('api-key')) headers['api-key'] = null;
      this.#client = new AzureOpenAI({
        ...common,
        endpoint: options.baseURL,
        apiVersion: options.azureApiVersion,
        defaultHeaders: headers,
      });
    } else {
      if (!this.#apiKey && !hasHeader('authorization')) headers.Authorization = null;
      this.#client = new OpenAI({ ...common, baseURL: options.baseURL, defaultHeaders: headers });
    }
  }

  /**
   * The ids the endpoint's `GET /models` lists (first `limit`), for the editor's model pickers. One
   * attempt, no retries; throws what the endpoint answered (a ProviderError) or the timeout.
   */
  async listModels(options: { timeoutMs?: number; signal?: AbortSignal; limit?: number } = {}): Promise<string[]> {
    const limit = options.limit ?? 1000;
    const ids: string[] = [];
    try {
      for await (const model of this.#client.models.list({
        timeout: options.timeoutMs ?? 5000,
        ...(options.signal ? { signal: options.signal } : {}),
      })) {
        if (typeof model.id === 'string' && model.id) ids.push(model.id);
        if (ids.length >= limit) break;
      }
    } catch (error) {
      if (error instanceof OpenAI.APIConnectionTimeoutError)
        throw new ProviderError(
          `${this.#label()} at ${this.endpointOrigin} did not list its models within ${formatSeconds(options.timeoutMs ?? 5000)}`,
          undefined,
        );
      throw this.#describe(error, 'list');
    }
    return ids;
  }

  /** Keys stay out of JSON and console output. */
  toJSON(): { kind: string; name: string; endpointOrigin: string } {
    return { kind: this.kind, name: this.name, endpointOrigin: this.endpointOrigin };
  }

  [inspect.custom](): string {
    return `OpenAICompatibleProvider(${this.name} → ${this.endpointOrigin})`;
  }

  /** The Batch API: OpenAI and Azure OpenAI (global batch deployments) only; other endpoints have none. */
  get batch(): BatchApi | undefined {
    if (this.kind !== 'openai' && this.kind !== 'azure') return undefined;
    this.#batch ??= new OpenAIBatchApi({
      client: this.#client,
      azure: this.#options.azureApiVersion !== undefined,
      origin: this.endpointOrigin,
      keyFingerprint: this.#apiKey ? createHash('sha256').update(this.#apiKey).digest('hex').slice(0, 12) : 'none',
      chatBody: (request) => this.#requestBody(request) as unknown as Record<string, unknown>,
      describe: (error) => this.#describe(error, 'batch'),
    });
    return this.#batch;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const body = this.#requestBody(request);
    return this.#attempt(
      request.signal,
      request.timeoutMs,
      (signal) =>
        request.onDelta ? this.#streamOnce(body, request.onDelta, signal) : this.#completeOnce(body, signal),
      request.model,
    );
  }

  async embed(model: string, inputs: string[], signal?: AbortSignal): Promise<number[][]> {
    if (inputs.length === 0) return [];
    const result = await this.#attempt(
      signal,
      undefined,
      async (attemptSignal) => {
        const started = performance.now();
        const response = await this.#client.embeddings.create({ model, input: inputs }, { signal: attemptSignal });
        if (!Array.isArray((response as { data?: unknown }).data)) throw this.#notOpenAI();
        const vectors = [...response.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (vectors.length !== inputs.length) {
          throw new PromptLabError(
            `${this.#label()} returned ${vectors.length} embeddings for ${inputs.length} inputs`,
            'provider',
          );
        }
        return { vectors, latencyMs: performance.now() - started };
      },
      model,
    );
    return result.vectors;
  }

  #notOpenAI(): PromptLabError {
    return new PromptLabError(
      `${this.#label()} at ${this.endpointOrigin} did not answer like an OpenAI-compatible API; check the baseURL (it usually ends in /v1)`,
      'provider',
    );
  }

  #label(): string {
    return this.name === this.kind ? `${this.kind} endpoint` : `provider "${this.name}"`;
  }

  #requestBody(request: ChatRequest): ChatCompletionCreateParamsBase {
    const { parameters } = request;
    const body: ChatCompletionCreateParamsBase = {
      model: request.model,
      messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    };
    if (parameters.maxTokens !== undefined) {
      const field =
        this.#options.maxTokensField ??
        ((this.kind === 'openai' || this.kind === 'azure') && REASONING_MODEL.test(request.model)
          ? 'max_completion_tokens'
          : 'max_tokens');
      body[field] = parameters.maxTokens;
    }
    if (parameters.temperature !== undefined) body.temperature = parameters.temperature;
    if (parameters.topP !== undefined) body.top_p = parameters.topP;
    if (parameters.presencePenalty !== undefined) body.presence_penalty = parameters.presencePenalty;
    if (parameters.frequencyPenalty !== undefined) body.frequency_penalty = parameters.frequencyPenalty;
    if (parameters.stop !== undefined && parameters.stop.length > 0) body.stop = parameters.stop;
    if (parameters.seed !== undefined) body.seed = parameters.seed;
    if (request.responseFormat === 'json_object') body.response_format = { type: 'json_object' };
    else if (request.responseFormat === 'json_schema' && request.jsonSchema) {
      const { name, schema, strict, description } = request.jsonSchema;
      body.response_format = {
        type: 'json_schema',
        json_schema: {
          name,
          schema,
          ...(strict !== undefined ? { strict } : {}),
          ...(description !== undefined ? { description } : {}),
        },
      };
    }
    return body;
  }

  async #completeOnce(body: ChatCompletionCreateParamsBase, signal: AbortSignal): Promise<Attempt> {
    const started = performance.now();
    let completion;
    let headers: Headers;
    try {
      const { data, response } = await this.#client.chat.completions
        .create({ ...body, stream: false }, { signal })
        .withResponse();
      completion = data;
      headers = response.headers;
    } catch (error) {
      // HTTP errors and refused connections keep their type; a body cut off after the headers is a broken reply.
      if (signal.aborted || error instanceof OpenAI.APIError) throw error;
      throw new ReplyInterruptedError(error);
    }
    if (!Array.isArray((completion as { choices?: unknown }).choices)) throw this.#notOpenAI();
    const choice = completion.choices[0];
    const attempt: Attempt = {
      text: choice?.message.content ?? choice?.message.refusal ?? '',
      latencyMs: performance.now() - started,
    };
    const usage = toUsage(completion.usage);
    if (usage) attempt.usage = usage;
    if (choice?.finish_reason) attempt.finishReason = choice.finish_reason;
    const rateLimit = readRateLimitSignals(headers);
    if (rateLimit) attempt.rateLimit = rateLimit;
    return attempt;
  }

  async #streamOnce(
    body: ChatCompletionCreateParamsBase,
    onDelta: (text: string) => void,
    signal: AbortSignal,
  ): Promise<Attempt> {
    const started = performance.now();
    const { data: stream, response } = await this.#client.chat.completions
      .create({ ...body, stream: true, stream_options: { include_usage: true } }, { signal })
      .withResponse();
    const attempt: Attempt = { text: '', latencyMs: 0 };
    const rateLimit = readRateLimitSignals(response.headers);
    if (rateLimit) attempt.rateLimit = rateLimit;
    let chunks = 0;
    try {
      for await (const chunk of stream) {
        chunks++;
        const usage = toUsage(chunk.usage);
        if (usage) attempt.usage = usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        const text = choice.delta?.content ?? choice.delta?.refusal ?? '';
        if (text !== '') {
          attempt.ttftMs ??= performance.now() - started;
          attempt.text += text;
          try {
            onDelta(text);
          } catch (error) {
            throw new CallbackFailure(error);
          }
        }
        if (choice.finish_reason) attempt.finishReason = choice.finish_reason;
      }
    } catch (error) {
      if (signal.aborted || error instanceof CallbackFailure) throw error;
      throw new ReplyInterruptedError(error);
    }
    // The client ends an aborted stream quietly; a cut-short reply must not pass for a whole one.
    signal.throwIfAborted();
    if (chunks === 0) throw this.#notOpenAI();
    attempt.latencyMs = performance.now() - started;
    return attempt;
  }

  /** Runs `once` with cancellation and a per-attempt deadline; maps failures to ProviderError. */
  async #attempt<T extends { latencyMs: number }>(
    signal: AbortSignal | undefined,
    timeoutOverride: number | undefined,
    once: (signal: AbortSignal) => Promise<T>,
    model: string,
  ): Promise<T> {
    const timeoutMs = timeoutOverride ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    signal?.throwIfAborted();
    const controller = new AbortController();
    const forward = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    const deadline = setTimeout(() => controller.abort(new AttemptTimeoutError()), timeoutMs);
    try {
      return await once(controller.signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (error instanceof CallbackFailure) throw error.cause;
      if (controller.signal.reason instanceof AttemptTimeoutError) {
        throw new ProviderError(
          `${this.#label()} at ${this.endpointOrigin} gave no complete reply within ${formatSeconds(timeoutMs)} (timeout)`,
        );
      }
      throw this.#describe(error, model);
    } finally {
      clearTimeout(deadline);
      signal?.removeEventListener('abort', forward);
    }
  }

  /** Whether a retry may cure this failure, and what the server said about waiting. */
  #retryHint(error: unknown): RetryHint | undefined {
    if (
      error instanceof OpenAI.APIError &&
      error.status !== undefined &&
      !(error instanceof OpenAI.APIConnectionError)
    ) {
      if (!isRetryableStatus(error.status)) return undefined;
      const signals = readRateLimitSignals(error.headers);
      const retryClass = error.status === 429 ? 'rate-limit' : 'server';
      const reason = error.status === 429 ? '429 rate limited' : `${error.status} server error`;
      return { retryClass, reason, ...(signals ? { signals } : {}) };
    }
    if (error instanceof ReplyInterruptedError)
      return { retryClass: 'connection', reason: 'connection dropped during the reply' };
    if (error instanceof OpenAI.APIConnectionError) {
      // A refused connection will not heal within a retry; fail fast with a clear message.
      if (networkCode(error) === 'ECONNREFUSED' || networkCode(error) === 'ENOTFOUND') return undefined;
      return { retryClass: 'connection', reason: 'connection failed' };
    }
    return undefined;
  }

  #describe(error: unknown, model: string): PromptLabError {
    const origin = this.endpointOrigin;
    const label = this.#label();
    let message: string;
    if (error instanceof PromptLabError) return error;
    if (
      error instanceof OpenAI.APIError &&
      error.status !== undefined &&
      !(error instanceof OpenAI.APIConnectionError)
    ) {
      const status = error.status;
      const detail = serverMessage(error);
      if (status === 401) {
        message = `${label} rejected the API key (401) for ${origin}; set the key with ${this.#options.keyHint ?? 'the provider\'s apiKeyEnv variable or the "PromptLab: Set API Key" command'}`;
      } else if (status === 403) message = `${label} denied access (403) at ${origin}: ${detail}`;
      else if (status === 404) {
        const aboutModel = (error as { code?: unknown }).code === 'model_not_found' || /model|deployment/i.test(detail);
        message = aboutModel
          ? `model ${model} not found at ${origin} (404): ${detail}`
          : `${label} at ${origin} has no such API path (404): ${detail}; check the baseURL (OpenAI-compatible servers usually end in /v1)`;
      } else if (status === 429) message = `${label} at ${origin} is rate limiting requests (429): ${detail}`;
      else if (status >= 300 && status < 400) {
        const location = error.headers?.get('location');
        message = `${origin} redirected the request${location ? ` to ${originOf(new URL(location, origin).href)}` : ''} (${status}); PromptLab does not follow redirects so keys stay with their origin: set the provider's baseURL to the final address`;
      } else if (status >= 500) message = `${label} at ${origin} failed with ${status}: ${detail}`;
      else message = `${label} at ${origin} rejected the request (${status}): ${detail}`;
    } else if (error instanceof ReplyInterruptedError) {
      message = `${label} at ${origin}: ${error.message}`;
    } else if (error instanceof OpenAI.APIConnectionError) {
      const code = networkCode(error);
      message =
        code === 'ECONNREFUSED'
          ? `cannot reach ${origin} (connection refused); is the server running?`
          : code === 'ENOTFOUND'
            ? `cannot reach ${origin} (host not found)`
            : `cannot reach ${origin}${code ? ` (${code})` : ''}`;
    } else {
      message = `${label} at ${origin} failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return new ProviderError(this.#redact(message), this.#retryHint(error));
  }

  /** Server messages are echoed to the user; make sure none of them repeats the key. */
  #redact(text: string): string {
    const key = this.#apiKey;
    return key && key.length >= 4 ? text.split(key).join('***') : text;
  }
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
