// A spending cap for a run (`eval --max-cost`). Before a request starts it reserves the request's
// worst case (input tokens counted with the tokenizer, output at its bound, at the model's price);
// when the request ends the reservation is settled with what the reply really cost. A request
// starts only while spent + every reservation in flight + its own worst case stays within the cap;
// one that does not fit waits for requests in flight to settle, and when it still does not fit
// the budget closes: no request starts after that, so the run stops at the cap.
import { PromptLabError } from '../errors';
import type { PromptFile } from '../model';
import { costUsd } from '../providers/pricing';
import type { ChatRequest, ChatResponse, ModelPrice, ModelResolver, Provider, ResolvedModel } from '../providers/types';
import type { RunStore } from '../store/runStore';
import { outputBoundFor } from './estimate';
import { ASSUMED_OUTPUT_TOKENS, countChat, countText, tokenizerFor, upperBound } from './tokens';

/** The reason recorded for a request the budget did not let start. */
export const NOT_RUN_BUDGET = 'not run: budget';

/** Caps above this are surely a typo (a run of PromptLab is not a million-dollar purchase). */
export const MAX_BUDGET_USD = 1_000_000;

/** Thrown instead of sending a request that would pass the cap; nothing was sent. */
export class BudgetExceededError extends Error {
  constructor() {
    super(NOT_RUN_BUDGET);
    this.name = 'BudgetExceededError';
  }
}

/** Checks a cap given by the user; `what` names where it came from (`--max-cost`). */
export function checkBudget(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new PromptLabError(`${what} must be an amount of US dollars ≥ 0, got ${value}`, 'input');
  if (value > MAX_BUDGET_USD)
    throw new PromptLabError(
      `${what} of $${value} is above $${MAX_BUDGET_USD.toLocaleString('en-US')}; that looks like a typo`,
      'input',
    );
  return value;
}

export interface BudgetTicket {
  readonly worstUsd: number;
}

export class CostBudget {
  #spent = 0;
  #reserved = 0;
  #inFlight = 0;
  #closed = false;
  #notRun = 0;
  #waiters: (() => void)[] = [];

  constructor(readonly capUsd: number) {}

  get spentUsd(): number {
    return this.#spent;
  }

  /** True once a request did not fit: no request starts any more. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Requests refused so far. */
  get refused(): number {
    return this.#notRun;
  }

  /**
   * Reserves `worstUsd` for a request about to start. Waits while requests in flight hold the
   * room; rejects with BudgetExceededError when the request cannot fit (and closes the budget).
   */
  async reserve(worstUsd: number, signal?: AbortSignal): Promise<BudgetTicket> {
    for (;;) {
      if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('aborted');
      if (!this.#closed && this.#spent + this.#reserved + worstUsd <= this.capUsd) {
        this.#reserved += worstUsd;
        this.#inFlight++;
        return { worstUsd };
      }
      if (this.#closed || this.#inFlight === 0) {
        this.#closed = true;
        this.#notRun++;
        throw new BudgetExceededError();
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Counts money spent before this budget watched (a resumed run's earlier requests) against the cap. */
  addSpent(usd: number): void {
    if (!(usd >= 0) || !Number.isFinite(usd)) throw new RangeError(`spent USD must be ≥ 0, got ${usd}`);
    this.#spent += usd;
  }

  /** Ends a reservation. `actualUsd` null (no usage reported): the worst case counts as spent. */
  settle(ticket: BudgetTicket, actualUsd: number | null): void {
    this.#reserved = Math.max(0, this.#reserved - ticket.worstUsd);
    this.#inFlight--;
    this.#spent += actualUsd ?? ticket.worstUsd;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Ends a reservation for a request that failed before the provider billed anything. */
  release(ticket: BudgetTicket): void {
    this.settle(ticket, 0);
  }
}

/** The error for a cost cap on a model without a known price (it could not be kept). */
export function unpricedCapError(modelId: string, location?: PromptLabError['location']): PromptLabError {
  return new PromptLabError(
    `no price is known for model '${modelId}', so a cost cap cannot be kept; add it under pricing: in the config`,
    'config',
    location,
  );
}

export interface BudgetedResolverOptions {
  /** Output tokens assumed for a request without maxTokens (e.g. the file's bound from past runs). */
  outputTokens?: number;
}

/** Worst-case USD of a chat request: input at the tokenizer's upper bound, output at its bound. */
export function worstCaseChatUsd(
  modelId: string,
  price: ModelPrice,
  request: Pick<ChatRequest, 'messages' | 'parameters'>,
  assumedOutput: number,
): number {
  const tokenizer = tokenizerFor(modelId);
  const input = upperBound(tokenizer, countChat(tokenizer, request.messages));
  const output = request.parameters.maxTokens ?? assumedOutput;
  return costUsd({ prompt: input, completion: output, total: input + output }, price) ?? 0;
}

function budgetedProvider(
  inner: Provider,
  resolved: ResolvedModel,
  budget: CostBudget,
  options: BudgetedResolverOptions,
): Provider {
  const price = resolved.price;
  const unpriced = (): never => {
    throw unpricedCapError(resolved.requestedId);
  };
  const chat = async (request: ChatRequest): Promise<ChatResponse> => {
    if (!price) return unpriced();
    const ticket = await budget.reserve(
      worstCaseChatUsd(resolved.requestedId, price, request, options.outputTokens ?? ASSUMED_OUTPUT_TOKENS),
      request.signal,
    );
    let response: ChatResponse;
    try {
      response = await inner.chat(request);
    } catch (error) {
      // A failed request is not billed by OpenAI-compatible providers (no usage is returned).
      budget.release(ticket);
      throw error;
    }
    budget.settle(ticket, costUsd(response.usage, price));
    return response;
  };
  const provider: Provider = {
    kind: inner.kind,
    endpointOrigin: inner.endpointOrigin,
    chat,
    ...(inner.approximate ? { approximate: true } : {}),
    ...(inner.retryLimits ? { retryLimits: inner.retryLimits } : {}),
  };
  if (inner.embed) {
    const embed = inner.embed.bind(inner);
    provider.embed = async (model, inputs, signal) => {
      if (!price) return unpriced();
      const tokenizer = tokenizerFor(resolved.requestedId);
      const tokens = upperBound(
        tokenizer,
        inputs.reduce((n, text) => n + countText(tokenizer, text), 0),
      );
      // Embedding replies carry no usage here: the counted input is what is billed.
      const cost = costUsd({ prompt: tokens, completion: 0, total: tokens }, price) ?? 0;
      const ticket = await budget.reserve(cost, signal);
      try {
        const vectors = await embed(model, inputs, signal);
        budget.settle(ticket, cost);
        return vectors;
      } catch (error) {
        budget.release(ticket);
        throw error;
      }
    };
  }
  return provider;
}

/**
 * A resolver whose providers keep to `budget`: every chat and embedding request (the model's,
 * the judges', the embeddings') reserves its worst case before it starts. Providers are wrapped
 * once each, so request counts and caches see one provider per endpoint as before.
 */
export function budgetedResolver(
  inner: ModelResolver,
  budget: CostBudget,
  options: BudgetedResolverOptions = {},
): ModelResolver {
  const wrapped = new Map<string, ResolvedModel>();
  return {
    resolve(modelId: string): ResolvedModel {
      const key = modelId.trim();
      const known = wrapped.get(key);
      if (known) return known;
      const resolved = inner.resolve(modelId);
      const result: ResolvedModel = {
        ...resolved,
        provider: budgetedProvider(resolved.provider, resolved, budget, options),
      };
      wrapped.set(key, result);
      return result;
    },
  };
}

/**
 * `inner` kept to `budget` for a run of `prompt` on `model` (or `inner` itself without a budget):
 * requests without maxTokens reserve the file's output bound (past runs, else an assumed one).
 */
export async function promptBudgetedResolver(
  inner: ModelResolver,
  budget: CostBudget | undefined,
  prompt: PromptFile,
  model: string,
  store?: RunStore,
): Promise<ModelResolver> {
  if (!budget) return inner;
  const bound = await outputBoundFor(prompt, model, store);
  return budgetedResolver(inner, budget, { outputTokens: bound.tokens });
}
