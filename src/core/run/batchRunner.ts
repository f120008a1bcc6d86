// `eval --batch`: a run's requests go through the provider's Batch API instead of live calls.
//   stage 0   every case × sample request not in the response cache, in one batch (split only
//             where the provider's line/byte limits require);
//   stage 1…  judge and embedding requests, which need the replies: the evaluators run against
//             the collected answers; the requests they could not answer yet go in the next batch.
// Each batch's uploaded input file is written to the run file before its create is sent
// (BatchSubmitRecord), the batch the moment the provider created it (BatchRecord), and its end once
// its files were read (BatchResultRecord), so `eval --resume` reattaches instead of paying again.
// The Batch API's calls are retried by the endpoint's scheduler (src/core/schedule/batchCalls.ts).
// Results reach the run file and the response cache exactly as live results do.
import { setTimeout as sleepFor } from 'node:timers/promises';
import {
  DEFAULT_EMBEDDING_MODEL,
  DEFAULT_JUDGE_MODEL,
  type EmbedFunction,
  type EvaluationContext,
  evaluateAll,
} from '../evaluators';
import { errorMessage, PromptLabError } from '../errors';
import type { PromptFile } from '../model';
import {
  BATCH_DONE_STATES,
  type BatchApi,
  type BatchEndpointKind,
  type BatchJob,
  type BatchLineResult,
  chatReplyOf,
  embeddingsOf,
} from '../providers/batchApi';
import { batchPriceOf, costUsd as priceUsage } from '../providers/pricing';
import type { ChatRequest, ChatResponse, ModelPrice, ModelResolver, Provider, ResolvedModel } from '../providers/types';
import { responseCacheKey } from '../store/cache';
import { canonicalJson, caseKey, sha256Hex } from './canonical';
import { type CaseRunnerOptions, caseResultOf, renderMessages } from './runner';
import type { BatchRecord, BatchResultRecord, BatchSubmitRecord, CaseResult, SampleResult, TokenUsage } from './types';

export interface BatchSettings {
  /** First wait between status polls; it grows ×1.5 up to `maxPollMs`. Default 250 ms. */
  pollMs?: number;
  /** Default 30 s. */
  maxPollMs?: number;
  /** Fewer lines per batch than the provider allows (tests of the split). */
  maxLinesPerBatch?: number;
}

/** The live runner's inputs that a batch run shares, plus the batch's own. */
export interface BatchRunnerOptions extends Pick<
  CaseRunnerOptions,
  | 'prompt'
  | 'resolved'
  | 'resolver'
  | 'cases'
  | 'repeat'
  | 'passRate'
  | 'cache'
  | 'writer'
  | 'signal'
  | 'onEvent'
  | 'judgeModel'
  | 'embeddingModel'
  | 'onWarning'
> {
  settings: BatchSettings;
  /** Resume: batches (and their ends) already in the run file. */
  records?: readonly BatchRecord[];
  results?: readonly BatchResultRecord[];
  submissions?: readonly BatchSubmitRecord[];
}

export interface BatchRunnerResult {
  cases: CaseResult[];
  /** True when the signal stopped the wait; the batches go on at the provider (resume later). */
  detached: boolean;
  /** Batches of this run that were not read yet (detached runs). */
  pendingBatches: string[];
}

/** At most this many evaluator stages (a judge needs one; an evaluator asking twice would need two). */
const MAX_EVALUATION_STAGES = 4;

class DeferredRequest extends Error {
  constructor() {
    super('deferred to the next batch');
  }
}

/** The request's batch: a stage-0 request, or a judge/embedding request of a later stage. */
interface PendingLine {
  customId: string;
  target: ResolvedModel;
  kind: BatchEndpointKind;
  body: Record<string, unknown>;
}

interface Draft {
  output: string;
  usage?: TokenUsage;
  finishReason?: string;
  cached: boolean;
  error?: string;
}

const caseCustomId = (caseIndex: number, sample: number): string => `case-${caseIndex}-${sample}`;

function scaledPrice(price: ModelPrice, factor: number): ModelPrice {
  return { inputPerMTok: price.inputPerMTok * factor, outputPerMTok: price.outputPerMTok * factor };
}

/** The Batch API of a model's provider, or a clear error naming what has none. */
export function requireBatchApi(target: ResolvedModel, role: string): BatchApi {
  const api = target.provider.batch;
  if (api) return api;
  throw new PromptLabError(
    `${role} '${target.requestedId}' is served by a ${target.provider.kind} endpoint (${target.provider.endpointOrigin}), which has no Batch API; ` +
      '--batch works with providers of preset openai or azure (Azure: a global-batch deployment)',
    'config',
  );
}

/**
 * Submissions uploaded with their create sent but no batch recorded (stopped, killed, or the create
 * failed for good), in the order they were submitted; only those of `stage` when one is given.
 */
export function unbatchedSubmissions(
  submissions: readonly BatchSubmitRecord[],
  batches: readonly Pick<BatchRecord, 'inputFileId'>[],
  stage?: number,
): BatchSubmitRecord[] {
  const made = new Set(batches.map((b) => b.inputFileId));
  return submissions.filter((s) => (stage === undefined || s.stage === stage) && !made.has(s.inputFileId));
}

/** Every model a batch run calls must have a Batch API: checked before anything is sent. */
export function checkBatchModels(
  prompt: PromptFile,
  resolved: ResolvedModel,
  resolver: ModelResolver,
  judgeModel?: string,
  embeddingModel?: string,
): void {
  requireBatchApi(resolved, 'model');
  for (const spec of prompt.evaluators) {
    let id: string | undefined;
    if (spec.kind === 'builtin') id = judgeModel ?? DEFAULT_JUDGE_MODEL;
    else if (spec.kind === 'llm') id = spec.modelId.trim() || (judgeModel ?? DEFAULT_JUDGE_MODEL);
    else if (spec.kind === 'similarity') id = spec.modelId?.trim() || (embeddingModel ?? DEFAULT_EMBEDDING_MODEL);
    if (id === undefined) continue;
    const role =
      spec.kind === 'similarity'
        ? `embedding model of evaluator "${spec.name}"`
        : `judge model of evaluator "${spec.name}"`;
    requireBatchApi(resolver.resolve(id), role);
  }
}

function abortable(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return sleepFor(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
}

export async function runBatchCases(options: BatchRunnerOptions): Promise<BatchRunnerResult> {
  const { prompt, resolved, resolver, writer, cache, signal } = options;
  const emit = options.onEvent ?? ((): void => {});
  const warn = options.onWarning ?? ((): void => {});
  const records: BatchRecord[] = [...(options.records ?? [])];
  const submissions: BatchSubmitRecord[] = [...(options.submissions ?? [])];
  const results = new Map((options.results ?? []).map((r) => [r.batchId, r]));
  const api = requireBatchApi(resolved, 'model');
  // The last state reported per batch: an event only when something changed.
  const lastSeen = new Map<string, BatchJob>();
  const report = (stage: number, job: BatchJob): void => {
    const before = lastSeen.get(job.id);
    lastSeen.set(job.id, job);
    if (
      before &&
      before.status === job.status &&
      before.counts.completed === job.counts.completed &&
      before.counts.failed === job.counts.failed
    )
      return;
    emit({ type: 'batch-status', stage, batchId: job.id, status: job.status, counts: job.counts });
  };
  checkBatchModels(prompt, resolved, resolver, options.judgeModel, options.embeddingModel);

  /** Where a batch's model lives now: a resumed batch must be read where (and with the key) it was made. */
  const apiFor = (record: BatchRecord | BatchSubmitRecord): BatchApi => {
    const what = record.type === 'batch' ? `batch ${record.batchId}` : `the batch of input file ${record.inputFileId}`;
    const target = resolver.resolve(record.model);
    if (target.provider.endpointOrigin !== record.endpointOrigin) {
      throw new PromptLabError(
        `${what} was created at ${record.endpointOrigin}, but the configuration now sends '${record.model}' to ${target.provider.endpointOrigin}; ` +
          'resume with the configuration the run started with',
        'config',
      );
    }
    const batchApi = requireBatchApi(target, 'model');
    if (batchApi.keyFingerprint !== record.keyFingerprint) {
      throw new PromptLabError(
        `${what} was created with another API key for ${record.endpointOrigin}; resume with the key the run started with (a new key cannot read it)`,
        'config',
      );
    }
    return batchApi;
  };

  const metadataOf = (stage: number): Record<string, string> => ({
    promptlab_run: prompt.name ?? 'run',
    stage: String(stage),
  });
  /** The batch line of a created batch: from here on a resume reattaches to it. */
  const recordBatch = (submission: BatchSubmitRecord, job: BatchJob): void => {
    const { type: _type, submittedAt: _at, ...fields } = submission;
    const record: BatchRecord = { ...fields, type: 'batch', batchId: job.id, createdAt: new Date().toISOString() };
    writer?.appendBatch(record);
    records.push(record);
    report(submission.stage, job);
  };
  const kindOf = (endpoint: string): BatchEndpointKind => (endpoint.endsWith('/embeddings') ? 'embeddings' : 'chat');
  const orphans = (stage: number): BatchSubmitRecord[] => unbatchedSubmissions(submissions, records, stage);
  const createAndRecord = async (
    submission: BatchSubmitRecord,
    batchApi: BatchApi,
    lookFirst: boolean,
  ): Promise<void> => {
    try {
      // A create whose answer was lost may have made the batch: look for it before making one.
      const existing = lookFirst
        ? await batchApi.findByInputFile(submission.inputFileId, Date.parse(submission.submittedAt), signal)
        : undefined;
      if (existing)
        warn(
          `batch ${existing.id} of input file ${submission.inputFileId} was found at the provider and is used (no second batch)`,
        );
      recordBatch(
        submission,
        existing ??
          (await batchApi.create(
            kindOf(submission.endpoint),
            submission.inputFileId,
            metadataOf(submission.stage),
            signal,
          )),
      );
    } catch (error) {
      // Stopped: the run stays resumable, and its resume looks for the batch before creating one.
      if (signal?.aborted) return;
      throw error;
    }
  };
  /** Resume: the submissions a stopped or killed run left without a batch line. */
  const adoptOrphans = async (stage: number): Promise<void> => {
    for (const submission of orphans(stage)) {
      if (signal?.aborted) return;
      await createAndRecord(submission, apiFor(submission), true);
    }
  };

  const submit = async (stage: number, lines: PendingLine[]): Promise<void> => {
    // One batch per (endpoint, kind, model): a batch holds requests to one model.
    const groups = new Map<string, PendingLine[]>();
    for (const line of lines) {
      const key = `${line.target.provider.endpointOrigin}\n${line.kind}\n${line.target.model}`;
      const group = groups.get(key);
      if (group) group.push(line);
      else groups.set(key, [line]);
    }
    for (const group of groups.values()) {
      const first = group[0] as PendingLine;
      const batchApi = requireBatchApi(first.target, 'model');
      const endpoint = batchApi.endpointOf(first.kind);
      const maxLines = Math.min(batchApi.limits.maxLines, options.settings.maxLinesPerBatch ?? Infinity);
      let chunk: string[] = [];
      let ids: string[] = [];
      let bytes = 0;
      let inputs = 0;
      const flush = async (): Promise<void> => {
        // Stopped: the rest is not submitted; a resume submits what no batch record holds.
        if (chunk.length === 0 || signal?.aborted) return;
        let inputFileId: string;
        try {
          inputFileId = await batchApi.upload(`${chunk.join('\n')}\n`, signal);
        } catch (error) {
          if (signal?.aborted) return;
          throw error;
        }
        const submission: BatchSubmitRecord = {
          type: 'batch-submit',
          stage,
          inputFileId,
          endpoint,
          endpointOrigin: first.target.provider.endpointOrigin,
          provider: first.target.provider.kind,
          model: first.target.requestedId,
          keyFingerprint: batchApi.keyFingerprint,
          customIds: ids,
          submittedAt: new Date().toISOString(),
        };
        // On disk before the create is sent: whatever happens to its answer, a resume finds the batch.
        writer?.appendBatch(submission);
        submissions.push(submission);
        await createAndRecord(submission, batchApi, false);
        chunk = [];
        ids = [];
        bytes = 0;
        inputs = 0;
      };
      for (const line of group) {
        const text = JSON.stringify({ custom_id: line.customId, method: 'POST', url: endpoint, body: line.body });
        const size = Buffer.byteLength(text) + 1;
        const lineInputs = Array.isArray(line.body.input) ? line.body.input.length : 1;
        const full =
          chunk.length >= maxLines ||
          bytes + size > batchApi.limits.maxBytes ||
          (first.kind === 'embeddings' && inputs + lineInputs > batchApi.limits.maxEmbeddingInputs);
        if (full) await flush();
        chunk.push(text);
        ids.push(line.customId);
        bytes += size;
        inputs += lineInputs;
      }
      await flush();
    }
  };

  /** Waits for the stage's batches, reads their files; answers by custom id. Undefined when detached. */
  const collect = async (stage: number): Promise<Map<string, BatchLineResult> | undefined> => {
    try {
      return await collectOrThrow(stage);
    } catch (error) {
      // Stopped while reading: the batches go on at the provider and the run stays resumable.
      if (signal?.aborted) return undefined;
      throw error;
    }
  };
  const collectOrThrow = async (stage: number): Promise<Map<string, BatchLineResult> | undefined> => {
    if (signal?.aborted) return undefined;
    const stageRecords = records.filter((r) => r.stage === stage);
    const jobs = new Map<string, BatchJob>();
    const apis = new Map(stageRecords.map((r) => [r.batchId, apiFor(r)]));
    let wait = options.settings.pollMs ?? 250;
    for (;;) {
      const open = stageRecords.filter(
        (r) => !results.has(r.batchId) && !BATCH_DONE_STATES.has(jobs.get(r.batchId)?.status ?? ''),
      );
      if (open.length === 0) break;
      for (const record of open) {
        const job = await (apis.get(record.batchId) as BatchApi).retrieve(record.batchId, signal);
        jobs.set(record.batchId, job);
        report(stage, job);
      }
      if (stageRecords.every((r) => results.has(r.batchId) || BATCH_DONE_STATES.has(jobs.get(r.batchId)?.status ?? '')))
        break;
      await abortable(wait, signal);
      if (signal?.aborted) return undefined;
      wait = Math.min(wait * 1.5, options.settings.maxPollMs ?? 30_000);
    }
    const answers = new Map<string, BatchLineResult>();
    for (const record of stageRecords) {
      const batchApi = apis.get(record.batchId) as BatchApi;
      const known = results.get(record.batchId);
      const job = jobs.get(record.batchId);
      const outputFileId = known ? known.outputFileId : job?.outputFileId;
      const errorFileId = known ? known.errorFileId : job?.errorFileId;
      const status = known?.status ?? job?.status ?? 'unknown';
      const lines: BatchLineResult[] = [];
      if (outputFileId) lines.push(...(await batchApi.download(outputFileId, signal)));
      if (errorFileId) lines.push(...(await batchApi.download(errorFileId, signal)));
      const expected = new Set(record.customIds);
      const before = answers.size;
      for (const line of lines) {
        if (!expected.has(line.customId)) {
          warn(
            `batch ${record.batchId}: a line with custom_id '${line.customId}' that this batch never sent was ignored`,
          );
          continue;
        }
        answers.set(line.customId, line);
      }
      const reason =
        status === 'failed'
          ? `batch ${record.batchId} failed validation${job?.errors.length ? `: ${job.errors.slice(0, 3).join('; ')}` : ''}`
          : status === 'expired'
            ? `batch ${record.batchId} expired before this request ran`
            : status === 'cancelled'
              ? `batch ${record.batchId} was cancelled before this request ran`
              : `batch ${record.batchId} (${status}) returned no line for this request (its output and error files hold ${answers.size - before} of the batch's ${record.customIds.length} lines)`;
      const missing = record.customIds.filter((id) => !answers.has(id)).length;
      if (missing > 0 && status === 'completed')
        warn(
          `batch ${record.batchId} completed, but its output and error files hold no line for ${missing} of its ${record.customIds.length} requests; those cases are reported as errors (promptlab eval --resume of the finished run sends them again, live)`,
        );
      for (const id of record.customIds) if (!answers.has(id)) answers.set(id, { customId: id, error: reason });
      if (!known) {
        const result: BatchResultRecord = {
          type: 'batch-result',
          batchId: record.batchId,
          status,
          counts: job?.counts ?? { total: record.customIds.length, completed: 0, failed: 0 },
          finishedAt: new Date().toISOString(),
        };
        if (outputFileId) result.outputFileId = outputFileId;
        if (errorFileId) result.errorFileId = errorFileId;
        writer?.appendBatch(result);
        results.set(record.batchId, result);
      }
    }
    return answers;
  };

  const pendingOf = (): string[] => [
    ...records.filter((r) => !results.has(r.batchId)).map((r) => r.batchId),
    ...unbatchedSubmissions(submissions, records).map((s) => `of input file ${s.inputFileId}`),
  ];
  const detachedResult = (): BatchRunnerResult => ({ cases: [], detached: true, pendingBatches: pendingOf() });

  // ---- stage 0: the cases' requests
  const parameters = prompt.modelParameters;
  const states = options.cases.map((testCase) => ({
    testCase,
    key: caseKey(testCase.vars),
    messages: renderMessages(prompt, testCase.vars),
  }));
  for (const state of states) emit({ type: 'case-queued', caseIndex: state.testCase.index });
  const drafts = new Map<string, Draft>();
  const cacheKeyOf = (messages: ChatRequest['messages'], sample: number): string =>
    responseCacheKey({
      endpointOrigin: resolved.provider.endpointOrigin,
      model: resolved.model,
      parameters,
      messages,
      ...(prompt.responseFormat ? { responseFormat: prompt.responseFormat } : {}),
      ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
      sample,
    });
  await adoptOrphans(0);
  const sentIn = (stage: number): Set<string> =>
    new Set([...records, ...submissions].filter((r) => r.stage === stage).flatMap((r) => r.customIds));
  const submitted = sentIn(0);
  const caseLines: PendingLine[] = [];
  for (const state of states) {
    for (let sample = 0; sample < options.repeat; sample++) {
      const customId = caseCustomId(state.testCase.index, sample);
      if (submitted.has(customId)) continue;
      const hit = cache ? await cache.get(cacheKeyOf(state.messages, sample)) : undefined;
      if (hit) {
        drafts.set(customId, {
          output: hit.text.trim(),
          cached: true,
          ...(hit.usage ? { usage: hit.usage } : {}),
          ...(hit.finishReason !== undefined ? { finishReason: hit.finishReason } : {}),
        });
        continue;
      }
      const request: ChatRequest = {
        model: resolved.model,
        messages: state.messages,
        parameters,
        ...(prompt.responseFormat ? { responseFormat: prompt.responseFormat } : {}),
        ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
      };
      caseLines.push({ customId, target: resolved, kind: 'chat', body: api.chatBody(request) });
    }
  }
  await submit(0, caseLines);
  if (signal?.aborted) return detachedResult();
  const caseAnswers =
    records.some((r) => r.stage === 0) || orphans(0).length > 0 ? await collect(0) : new Map<string, BatchLineResult>();
  if (!caseAnswers) return detachedResult();
  const cacheEntries: { key: string; response: { text: string; usage?: TokenUsage; finishReason?: string } }[] = [];
  for (const state of states) {
    for (let sample = 0; sample < options.repeat; sample++) {
      const customId = caseCustomId(state.testCase.index, sample);
      const line = caseAnswers.get(customId);
      if (!line) continue; // answered from the cache above
      const reply = line.error === undefined ? chatReplyOf(line.body) : undefined;
      if (!reply) {
        drafts.set(customId, {
          output: '',
          cached: false,
          error: line.error ?? `batch line ${customId} is not a chat completion`,
        });
        continue;
      }
      drafts.set(customId, {
        output: reply.text.trim(),
        cached: false,
        ...(reply.usage ? { usage: reply.usage } : {}),
        ...(reply.finishReason ? { finishReason: reply.finishReason } : {}),
      });
      if (cache) {
        const entry = {
          text: reply.text,
          ...(reply.usage ? { usage: reply.usage } : {}),
          ...(reply.finishReason ? { finishReason: reply.finishReason } : {}),
        };
        cacheEntries.push({ key: cacheKeyOf(state.messages, sample), response: entry });
      }
    }
  }
  const failures = cache ? cache.setMany(cacheEntries) : [];
  if (failures[0])
    warn(
      `cache write failed for ${failures.length} repl${failures.length === 1 ? 'y' : 'ies'}: ${errorMessage(failures[0].error)}`,
    );

  // ---- stages 1…: evaluators, answered from batches of their own requests
  const evalAnswers = new Map<string, BatchLineResult>();
  const lineIdOf = (origin: string, kind: BatchEndpointKind, body: Record<string, unknown>): string =>
    `eval-${sha256Hex(canonicalJson({ origin, kind, body })).slice(0, 32)}`;
  const answeringProvider = (
    target: ResolvedModel,
    pending: Map<string, PendingLine>,
    deferred: { hit: boolean },
  ): Provider => {
    const batchApi = requireBatchApi(target, 'model');
    const ask = (kind: BatchEndpointKind, body: Record<string, unknown>): BatchLineResult => {
      const customId = lineIdOf(target.provider.endpointOrigin, kind, body);
      const answer = evalAnswers.get(customId);
      if (answer) return answer;
      pending.set(customId, { customId, target, kind, body });
      deferred.hit = true;
      throw new DeferredRequest();
    };
    return {
      kind: target.provider.kind,
      endpointOrigin: target.provider.endpointOrigin,
      async chat(request): Promise<ChatResponse> {
        const answer = ask('chat', batchApi.chatBody(request));
        const reply = answer.error === undefined ? chatReplyOf(answer.body) : undefined;
        if (!reply) throw new PromptLabError(answer.error ?? 'the batch line is not a chat completion', 'provider');
        return {
          text: reply.text,
          latencyMs: 0,
          ...(reply.usage ? { usage: reply.usage } : {}),
          ...(reply.finishReason ? { finishReason: reply.finishReason } : {}),
        };
      },
      async embed(model, inputs): Promise<number[][]> {
        const answer = ask('embeddings', batchApi.embeddingBody(model, inputs));
        const vectors = answer.error === undefined ? embeddingsOf(answer.body) : undefined;
        if (!vectors || vectors.length !== inputs.length)
          throw new PromptLabError(answer.error ?? 'the batch line holds no embeddings for these inputs', 'provider');
        return vectors;
      },
    };
  };

  // The batch price: the config's batchInput/batchOutput, else the provider's documented discount.
  const batchPrice =
    batchPriceOf(resolved.price, resolved.provider.kind) ??
    (resolved.price && scaledPrice(resolved.price, api.priceFactor));
  const finals = new Map<string, SampleResult>();
  for (let stage = 1; ; stage++) {
    const pending = new Map<string, PendingLine>();
    for (const state of states) {
      for (let sample = 0; sample < options.repeat; sample++) {
        const customId = caseCustomId(state.testCase.index, sample);
        if (finals.has(customId)) continue;
        const draft = drafts.get(customId) as Draft;
        const costUsd = priceUsage(draft.usage, batchPrice);
        const base = { sample, output: draft.output, latencyMs: 0, costUsd, cached: draft.cached };
        if (draft.error !== undefined) {
          finals.set(customId, { ...base, evaluations: [], passed: false, error: draft.error, costUsd: null });
          continue;
        }
        const deferred = { hit: false };
        const answering: ModelResolver = {
          resolve: (id) => ({
            ...resolver.resolve(id),
            provider: answeringProvider(resolver.resolve(id), pending, deferred),
          }),
        };
        const embed: EmbedFunction = async (texts, modelId) => {
          const target = resolver.resolve(modelId ?? options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL);
          return answeringProvider(target, pending, deferred).embed?.(target.model, texts) ?? [];
        };
        const context: EvaluationContext = {
          vars: state.testCase.vars,
          output: draft.output,
          latencyMs: 0,
          costUsd,
          judge: { resolver: answering, defaultModel: options.judgeModel ?? DEFAULT_JUDGE_MODEL },
          embed,
          ...(prompt.jsonSchema ? { jsonSchema: prompt.jsonSchema } : {}),
        };
        const evaluations = prompt.evaluators.length === 0 ? [] : await evaluateAll(prompt.evaluators, context);
        if (deferred.hit) continue; // needs answers from the next batch; evaluated again then
        const result: SampleResult = { ...base, evaluations, passed: evaluations.every((e) => e.passed) };
        if (draft.usage) result.usage = draft.usage;
        if (draft.finishReason !== undefined) result.finishReason = draft.finishReason;
        finals.set(customId, result);
      }
    }
    if (pending.size === 0) break;
    if (stage > MAX_EVALUATION_STAGES)
      throw new PromptLabError(
        `evaluators still asked for new requests after ${MAX_EVALUATION_STAGES} batches`,
        'internal',
      );
    await adoptOrphans(stage);
    const alreadySent = sentIn(stage);
    await submit(
      stage,
      [...pending.values()].filter((line) => !alreadySent.has(line.customId)),
    );
    if (signal?.aborted) return detachedResult();
    const answers = await collect(stage);
    if (!answers) return detachedResult();
    for (const [id, answer] of answers) evalAnswers.set(id, answer);
  }

  // ---- results: one run-file line per case, as the live runner writes them
  const finished = states.map((state) => {
    const samples = Array.from({ length: options.repeat }, (_, sample) =>
      finals.get(caseCustomId(state.testCase.index, sample)),
    );
    return caseResultOf(
      { testCase: state.testCase, key: state.key, messages: state.messages, samples },
      options.passRate,
    );
  });
  // Every case is on disk before the first is announced, as with the live runner.
  writer?.appendCases(finished);
  for (const result of finished)
    emit(result.error !== undefined ? { type: 'case-failed', result } : { type: 'case-finished', result });
  return { cases: finished, detached: false, pendingBatches: [] };
}
