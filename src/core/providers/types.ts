// The provider contract: the runner and evaluators talk only to this.
// Implementations: OpenAI-compatible (core, via the `openai` client) and vscode.lm (src/extension).

import type { JsonSchemaSpec, ModelParameters, ResponseFormat, Role } from '../model';
import type { TokenUsage } from '../run/types';
import type { BatchApi } from './batchApi';
import type { WaitBudget } from '../schedule/failure';
import type { RateLimitSignals } from '../schedule/headers';

export interface ChatMessage {
  role: Role;
  content: string;
}

export interface ChatRequest {
  /** The model id as the endpoint knows it (after resolution). */
  model: string;
  messages: ChatMessage[];
  parameters: ModelParameters;
  responseFormat?: ResponseFormat;
  jsonSchema?: JsonSchemaSpec;
  signal?: AbortSignal;
  /** Called with each streamed text fragment. When absent the provider may skip streaming. */
  onDelta?: (text: string) => void;
  /**
   * Called before a retry (rate limit, server error, dropped connection). When `discardPartial` is
   * true, text already passed to `onDelta` belongs to the failed attempt: clear it.
   */
  onRetry?: (info: RetryInfo) => void;
  /** Per-attempt limit for the whole reply (headers and body), ms. Overrides the provider's default. */
  timeoutMs?: number;
  /** The case's budget for waiting on rate limits and retries (spent by the scheduler). */
  waitBudget?: WaitBudget;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** How long the provider waits before retrying (from Retry-After when the server sent one). */
  delayMs: number;
  /** e.g. `429 rate limited`, `500 server error`, `connection dropped`. */
  reason: string;
  discardPartial: boolean;
}

export interface ChatResponse {
  text: string;
  usage?: TokenUsage;
  /** Milliseconds from the start of the successful attempt to the first token (streaming only). */
  ttftMs?: number;
  /** Milliseconds of the successful attempt (waits before retries excluded). */
  latencyMs: number;
  /** `stop`, `length`, `content_filter` … as the endpoint reported it. */
  finishReason?: string;
  /** Retries it took (0 when the first attempt succeeded). */
  retries?: number;
  /** What the response's headers said about the endpoint's rate limit (for the scheduler). */
  rateLimit?: RateLimitSignals;
}

export interface Provider {
  /** e.g. `openai`, `azure`, `ollama`, `custom`, `vscode-lm`. */
  readonly kind: string;
  /** scheme://host[:port] of the endpoint; used in run headers and cache keys, never holds a key. */
  readonly endpointOrigin: string;
  /** True when results only approximate the file's settings (vscode.lm). */
  readonly approximate?: boolean;
  /**
   * Limits for the scheduler's retries of 5xx and dropped connections (config `maxRetries`).
   * Providers make one attempt per call and never retry themselves: the scheduler does.
   */
  readonly retryLimits?: { maxRetries?: number; backoffBaseMs?: number };
  /** One attempt; failures that a retry may cure are ProviderErrors with a `retry` hint. */
  chat(request: ChatRequest): Promise<ChatResponse>;
  embed?(model: string, inputs: string[], signal?: AbortSignal, budget?: WaitBudget): Promise<number[][]>;
  /** The provider's Batch API (`eval --batch`), when it has one. */
  readonly batch?: BatchApi;
}

export interface ModelPrice {
  /** USD per 1M input tokens. */
  inputPerMTok: number;
  /** USD per 1M output tokens. */
  outputPerMTok: number;
  /** USD per 1M input tokens served from the provider's prompt cache; absent: the input price. */
  cachedInputPerMTok?: number;
  /** Batch-API prices when the config gives them (see batchPriceOf). */
  batchInputPerMTok?: number;
  batchOutputPerMTok?: number;
  /** Long-context prices: each applies to the whole request once the prompt is longer, ascending. */
  tiers?: PriceTier[];
  /** Where the price came from; set by lookupPrice. */
  source?: PriceSource;
}

export interface PriceTier {
  /** The tier applies to requests whose prompt has more tokens than this. */
  aboveInputTokens: number;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
}

export interface PriceSource {
  kind: 'config' | 'catalogue';
  /** e.g. `promptlab.config.yaml pricing."gpt-4o*"` or `@pydantic/genai-prices 0.1.8: OpenAI gpt-4o`. */
  label: string;
  /** Catalogue prices: the day the catalogue was published. */
  date?: string;
  /** Catalogue prices: the catalogue's provider id (`openai`, `anthropic` …). */
  provider?: string;
}

export interface ResolvedModel {
  provider: Provider;
  /** Id sent to the endpoint (e.g. `gpt-4o-mini` for `openai/gpt-4o-mini`, or an Azure deployment). */
  model: string;
  /** Id as the user wrote it. */
  requestedId: string;
  /** `undefined` when the price is unknown. */
  price?: ModelPrice;
}

export interface ModelResolver {
  /** Throws ModelResolutionError (with a how-to-map hint) when the id maps to no endpoint. */
  resolve(modelId: string): ResolvedModel;
}
