// The schedulers of one run: one per endpoint (origin), and the resolver through which the run
// reaches them, so case, judge and embedding calls all pass through the same scheduler. Keyed by
// origin, not by provider object: wrappers (the cost budget) may hand out a new object per resolve.
import type { ChatRequest, ChatResponse, ModelResolver, Provider, ResolvedModel } from '../providers/types';
import type { BatchApi } from '../providers/batchApi';
import { scheduledBatchApi } from './batchCalls';
import type { WaitBudget } from './failure';
import { EndpointScheduler, type SchedulerOptions, type ThrottleState } from './scheduler';

export class SchedulerPool {
  readonly #options: SchedulerOptions;
  readonly #schedulers = new Map<string, EndpointScheduler>();
  readonly #wrapped = new WeakMap<Provider, Provider>();

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  get maxWaitMs(): number | undefined {
    return this.#options.maxWaitMs;
  }

  schedulerFor(provider: Provider): EndpointScheduler {
    let scheduler = this.#schedulers.get(provider.endpointOrigin);
    if (!scheduler) {
      const limits = provider.retryLimits;
      scheduler = new EndpointScheduler(provider.endpointOrigin, {
        ...this.#options,
        ...(limits?.maxRetries !== undefined ? { maxRetries: limits.maxRetries } : {}),
        ...(limits?.backoffBaseMs !== undefined ? { backoffBaseMs: limits.backoffBaseMs } : {}),
      });
      this.#schedulers.set(provider.endpointOrigin, scheduler);
    }
    return scheduler;
  }

  /** The provider with every request going through its endpoint's scheduler. */
  wrap(provider: Provider): Provider {
    let wrapped = this.#wrapped.get(provider);
    if (!wrapped) {
      wrapped = scheduledProvider(provider, this.schedulerFor(provider));
      this.#wrapped.set(provider, wrapped);
    }
    return wrapped;
  }

  resolver(inner: ModelResolver): ModelResolver {
    return {
      resolve: (modelId: string): ResolvedModel => {
        const resolved = inner.resolve(modelId);
        return { ...resolved, provider: this.wrap(resolved.provider) };
      },
    };
  }

  states(): ThrottleState[] {
    return [...this.#schedulers.values()].map((s) => s.state());
  }

  dispose(): void {
    for (const scheduler of this.#schedulers.values()) scheduler.dispose();
  }
}

function scheduledProvider(inner: Provider, scheduler: EndpointScheduler): Provider {
  let batch: BatchApi | undefined;
  const provider: Provider = {
    kind: inner.kind,
    endpointOrigin: inner.endpointOrigin,
    ...(inner.approximate ? { approximate: true } : {}),
    // The Batch API's calls (upload, create, poll, download) share the endpoint's rate limit and
    // retry policy with its live requests; the batch runner sets the pace of polling.
    get batch(): BatchApi | undefined {
      const api = inner.batch;
      if (api) batch ??= scheduledBatchApi(api, scheduler);
      return api ? batch : undefined;
    },
    async chat(request: ChatRequest): Promise<ChatResponse> {
      let delivered = false;
      const onDelta = request.onDelta;
      const attemptRequest: ChatRequest = onDelta
        ? {
            ...request,
            onDelta: (text) => {
              delivered = true;
              onDelta(text);
            },
          }
        : request;
      const { value, retries } = await scheduler.run({
        start: () => ({
          kind: 'chat',
          model: request.model,
          texts: request.messages.map((m) => m.content),
          ...(request.parameters.maxTokens !== undefined ? { maxTokens: request.parameters.maxTokens } : {}),
        }),
        attempt: () => {
          delivered = false;
          return inner.chat(attemptRequest);
        },
        delivered: () => delivered,
        signalsOf: (response) => response.rateLimit,
        usageOf: (response) => response.usage,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(request.waitBudget ? { budget: request.waitBudget } : {}),
        ...(request.onRetry ? { onRetry: request.onRetry } : {}),
      });
      return retries > 0 ? { ...value, retries } : value;
    },
  };
  const embed = inner.embed?.bind(inner);
  if (embed) {
    provider.embed = async (
      model: string,
      inputs: string[],
      signal?: AbortSignal,
      budget?: WaitBudget,
    ): Promise<number[][]> => {
      const { value } = await scheduler.run({
        start: () => ({ kind: 'embedding', model, texts: inputs }),
        attempt: () => embed(model, inputs, signal),
        ...(signal ? { signal } : {}),
        ...(budget ? { budget } : {}),
      });
      return value;
    };
  }
  return provider;
}
