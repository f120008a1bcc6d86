// A provider's Batch API with every call (upload, create, find, poll, cancel, download) going
// through its endpoint's scheduler, as the run's chat and embedding requests do: a 429 waits as
// long as `retry-after-ms` / `retry-after` ask (within the wait budget), 5xx answers and dropped
// connections get the scheduler's bounded, jittered retries, `failFast` retries nothing.
//
// `create` is the one call that bills: a retry must never make a second batch. A 429 means the
// provider did not take the request, so it is simply sent again. After a 5xx or a lost connection
// nobody knows whether the batch exists, so every further attempt first looks for a batch made
// from the same input file (its id is unique to this upload) and takes that one when it is there.
import type { BatchApi, BatchEndpointKind, BatchJob } from '../providers/batchApi';
import { PromptLabError } from '../errors';
import { ProviderError } from './failure';
import type { EndpointScheduler } from './scheduler';

/** True when a failed `create` may still have made the batch (the answer was lost, not refused). */
function mayHaveCreated(error: unknown): boolean {
  return error instanceof ProviderError && error.retry !== undefined && error.retry.retryClass !== 'rate-limit';
}

export function scheduledBatchApi(inner: BatchApi, scheduler: EndpointScheduler): BatchApi {
  const scheduled = async <T>(attempt: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> =>
    (await scheduler.run({ attempt, ...(signal ? { signal } : {}) })).value;
  return {
    limits: inner.limits,
    priceFactor: inner.priceFactor,
    keyFingerprint: inner.keyFingerprint,
    endpointOf: (kind) => inner.endpointOf(kind),
    chatBody: (request) => inner.chatBody(request),
    embeddingBody: (model, inputs) => inner.embeddingBody(model, inputs),
    upload: (jsonl, signal) => scheduled(() => inner.upload(jsonl, signal), signal),
    create: (kind: BatchEndpointKind, inputFileId: string, metadata: Record<string, string>, signal?: AbortSignal) => {
      const firstTry = Date.now();
      let uncertain = false;
      // The signal stops the scheduler's waits, never an attempt in flight: an aborted create
      // would be as uncertain as a dropped one.
      return scheduled(async (): Promise<BatchJob> => {
        if (uncertain) {
          const existing = await inner.findByInputFile(inputFileId, firstTry);
          if (existing) return existing;
        }
        try {
          return await inner.create(kind, inputFileId, metadata);
        } catch (error) {
          if (mayHaveCreated(error)) uncertain = true;
          throw error;
        }
      }, signal).catch((error: unknown) => {
        if (!uncertain || signal?.aborted || !(error instanceof PromptLabError)) throw error;
        throw new PromptLabError(
          `${error.message}; the provider may have made the batch of input file ${inputFileId} all the same: ` +
            'resume the run (promptlab eval --resume), which looks for it before creating one',
          error.kind,
        );
      });
    },
    findByInputFile: (inputFileId, createdAfterMs, signal) =>
      scheduled(() => inner.findByInputFile(inputFileId, createdAfterMs, signal), signal),
    retrieve: (batchId, signal) => scheduled(() => inner.retrieve(batchId, signal), signal),
    cancel: (batchId, signal) => scheduled(() => inner.cancel(batchId, signal), signal),
    download: (fileId, signal) => scheduled(() => inner.download(fileId, signal), signal),
  };
}
