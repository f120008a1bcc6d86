// Provider Batch APIs (OpenAI `/v1/files` + `/v1/batches`, Azure OpenAI `/openai/files` +
// `/openai/batches` on global-batch deployments) through the official `openai` client.
// Every method is one attempt; failures a retry may cure are ProviderErrors with a retry hint, and
// the endpoint's scheduler retries them (src/core/schedule/batchCalls.ts, which also keeps a
// retried `create` from making a second batch).
import OpenAI, { toFile } from 'openai';
import { errorMessage, PromptLabError } from '../errors';
import { ProviderError } from '../schedule/failure';
import type { TokenUsage } from '../run/types';
import type { ChatRequest } from './types';

export type BatchEndpointKind = 'chat' | 'embeddings';

/** A provider batch as last seen. `status` as the provider reports it. */
export interface BatchJob {
  id: string;
  status: string;
  endpoint: string;
  inputFileId: string;
  outputFileId?: string;
  errorFileId?: string;
  counts: { total: number; completed: number; failed: number };
  /** Validation errors of a `failed` batch, as `line N: message`. */
  errors: string[];
}

/** One line of an output or error file. */
export interface BatchLineResult {
  customId: string;
  /** HTTP status of the request; absent when the request never ran (expired, cancelled). */
  statusCode?: number;
  body?: unknown;
  /** Set for every line that did not succeed. */
  error?: string;
}

export interface BatchLimits {
  maxLines: number;
  maxBytes: number;
  /** Embedding batches: inputs across all requests. */
  maxEmbeddingInputs: number;
}

export interface BatchApi {
  readonly limits: BatchLimits;
  /** Batch prices as a fraction of the standard price (OpenAI and Azure global batch: half). */
  readonly priceFactor: number;
  /** The `url`/`endpoint` value of each kind: `/v1/chat/completions` (OpenAI) or `/chat/completions` (Azure). */
  endpointOf(kind: BatchEndpointKind): string;
  /** Short fingerprint of the key the batches are created with (never the key), to recognise another key on resume. */
  readonly keyFingerprint: string;
  chatBody(request: ChatRequest): Record<string, unknown>;
  embeddingBody(model: string, inputs: string[]): Record<string, unknown>;
  /** Uploads the JSONL (purpose `batch`); the input file's id. */
  upload(jsonl: string, signal?: AbortSignal): Promise<string>;
  /** Creates a batch of an uploaded input file. Not idempotent: see findByInputFile. */
  create(
    kind: BatchEndpointKind,
    inputFileId: string,
    metadata: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<BatchJob>;
  /**
   * The batch made from this input file, if the provider has one: after a `create` whose answer
   * was lost, the way to learn whether it exists. Looks through the batches created since
   * `createdAfterMs` (epoch ms), newest first, at most FIND_BATCH_LIMIT of them.
   */
  findByInputFile(inputFileId: string, createdAfterMs: number, signal?: AbortSignal): Promise<BatchJob | undefined>;
  retrieve(batchId: string, signal?: AbortSignal): Promise<BatchJob>;
  cancel(batchId: string, signal?: AbortSignal): Promise<BatchJob>;
  /**
   * The lines of an output or error file. A download that breaks off, ends mid-line or is shorter
   * than the file's size is a ProviderError the scheduler retries (it is read again whole).
   */
  download(fileId: string, signal?: AbortSignal): Promise<BatchLineResult[]>;
}

/** How many of the newest batches findByInputFile looks through at most. */
export const FIND_BATCH_LIMIT = 1000;
/** Clocks differ: a batch may carry a created_at a little before the moment the client asked. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Terminal states: nothing will change any more. */
export const BATCH_DONE_STATES: ReadonlySet<string> = new Set(['completed', 'expired', 'cancelled', 'failed']);

const OPENAI_LIMITS: BatchLimits = { maxLines: 50_000, maxBytes: 200 * 1024 * 1024, maxEmbeddingInputs: 50_000 };
/** Azure OpenAI global batch: 100,000 requests and 200 MB per file. */
const AZURE_LIMITS: BatchLimits = { maxLines: 100_000, maxBytes: 200 * 1024 * 1024, maxEmbeddingInputs: 50_000 };
interface Raw {
  id: string;
  status: string;
  endpoint: string;
  input_file_id: string;
  created_at?: number;
  output_file_id?: string | null;
  error_file_id?: string | null;
  request_counts?: { total: number; completed: number; failed: number } | null;
  errors?: { data?: { line?: number | null; message?: string; code?: string }[] } | null;
}

function toJob(raw: Raw): BatchJob {
  const job: BatchJob = {
    id: raw.id,
    status: raw.status,
    endpoint: raw.endpoint,
    inputFileId: raw.input_file_id,
    counts: raw.request_counts ?? { total: 0, completed: 0, failed: 0 },
    errors: (raw.errors?.data ?? []).map(
      (e) => `${e.line != null ? `line ${e.line}: ` : ''}${e.message ?? e.code ?? 'invalid'}`,
    ),
  };
  if (raw.output_file_id) job.outputFileId = raw.output_file_id;
  if (raw.error_file_id) job.errorFileId = raw.error_file_id;
  return job;
}

function lineError(line: {
  response?: { status_code?: number; body?: unknown } | null;
  error?: { code?: string; message?: string } | null;
}): string | undefined {
  if (line.error?.code === 'batch_expired') return 'the batch expired before this request ran (batch_expired)';
  if (line.error?.code === 'batch_cancelled')
    return 'the batch was cancelled before this request ran (batch_cancelled)';
  if (line.error) return `${line.error.code ?? 'error'}: ${line.error.message ?? ''}`.trim();
  const status = line.response?.status_code;
  if (status === undefined) return 'the line has neither a response nor an error';
  if (status >= 200 && status < 300) return undefined;
  const message = (line.response?.body as { error?: { message?: unknown } } | undefined)?.error?.message;
  return `the batch request failed (${status})${typeof message === 'string' ? `: ${message}` : ''}`;
}

/** A download that came back short or broken: read again (the scheduler's bounded retries). */
function truncated(message: string): ProviderError {
  return new ProviderError(message, { retryClass: 'connection', reason: 'truncated download' });
}

/** Parses an output/error file. Every line must be a complete JSON object with a custom_id. */
export function parseBatchFile(text: string, fileId: string): BatchLineResult[] {
  if (text !== '' && !text.endsWith('\n'))
    throw truncated(`batch file ${fileId} ends in the middle of a line (truncated download)`);
  const results: BatchLineResult[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let parsed: {
      custom_id?: unknown;
      response?: { status_code?: number; body?: unknown } | null;
      error?: { code?: string; message?: string } | null;
    };
    try {
      parsed = JSON.parse(line) as typeof parsed;
    } catch {
      throw truncated(`batch file ${fileId}:${i + 1}: not a JSON line (truncated or corrupted download)`);
    }
    if (typeof parsed.custom_id !== 'string')
      throw new PromptLabError(`batch file ${fileId}:${i + 1}: the line has no custom_id`, 'provider');
    const result: BatchLineResult = { customId: parsed.custom_id };
    if (parsed.response?.status_code !== undefined) result.statusCode = parsed.response.status_code;
    if (parsed.response?.body !== undefined) result.body = parsed.response.body;
    const problem = lineError(parsed);
    if (problem !== undefined) result.error = problem;
    results.push(result);
  });
  return results;
}

/** A chat completion body from an output line: text, usage, finish reason (as a live reply). */
export function chatReplyOf(body: unknown): { text: string; usage?: TokenUsage; finishReason?: string } | undefined {
  const choices = (body as { choices?: unknown } | undefined)?.choices;
  if (!Array.isArray(choices)) return undefined;
  const choice = choices[0] as
    { message?: { content?: string | null; refusal?: string | null }; finish_reason?: string | null } | undefined;
  const reply: { text: string; usage?: TokenUsage; finishReason?: string } = {
    text: choice?.message?.content ?? choice?.message?.refusal ?? '',
  };
  const usage = (body as { usage?: { prompt_tokens?: number; completion_tokens?: number; total_tokens?: number } })
    .usage;
  if (usage) {
    const prompt = usage.prompt_tokens ?? 0;
    const completion = usage.completion_tokens ?? 0;
    reply.usage = { prompt, completion, total: usage.total_tokens ?? prompt + completion };
  }
  if (choice?.finish_reason) reply.finishReason = choice.finish_reason;
  return reply;
}

/** Vectors from an embeddings output line (requested as floats). */
export function embeddingsOf(body: unknown): number[][] | undefined {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  const rows = [...(data as { index: number; embedding: unknown }[])].sort((a, b) => a.index - b.index);
  return rows.every((r) => Array.isArray(r.embedding)) ? rows.map((r) => r.embedding as number[]) : undefined;
}

export interface OpenAIBatchDeps {
  client: OpenAI;
  azure: boolean;
  keyFingerprint: string;
  chatBody(request: ChatRequest): Record<string, unknown>;
  /** Maps a client error to a PromptLabError naming the endpoint. */
  describe(error: unknown): PromptLabError;
  /** scheme://host[:port] of the endpoint, for messages. */
  origin: string;
}

export class OpenAIBatchApi implements BatchApi {
  readonly limits: BatchLimits;
  readonly priceFactor = 0.5;
  readonly keyFingerprint: string;

  constructor(private readonly deps: OpenAIBatchDeps) {
    this.limits = deps.azure ? AZURE_LIMITS : OPENAI_LIMITS;
    this.keyFingerprint = deps.keyFingerprint;
  }

  endpointOf(kind: BatchEndpointKind): string {
    const path = kind === 'chat' ? '/chat/completions' : '/embeddings';
    return this.deps.azure ? path : `/v1${path}`;
  }

  chatBody(request: ChatRequest): Record<string, unknown> {
    return this.deps.chatBody(request);
  }

  embeddingBody(model: string, inputs: string[]): Record<string, unknown> {
    // Floats, not the client's default base64: the batch output is read without the client's decoder.
    return { model, input: inputs, encoding_format: 'float' };
  }

  async upload(jsonl: string, signal?: AbortSignal): Promise<string> {
    try {
      const file = await this.deps.client.files.create(
        { file: await toFile(Buffer.from(jsonl, 'utf8'), 'promptlab-batch.jsonl'), purpose: 'batch' },
        signal ? { signal } : {},
      );
      return file.id;
    } catch (error) {
      throw this.deps.describe(error);
    }
  }

  async create(
    kind: BatchEndpointKind,
    inputFileId: string,
    metadata: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<BatchJob> {
    const endpoint = this.endpointOf(kind) as OpenAI.Batches.BatchCreateParams['endpoint'];
    try {
      const batch = await this.deps.client.batches.create(
        { input_file_id: inputFileId, endpoint, completion_window: '24h', metadata },
        signal ? { signal } : {},
      );
      return toJob(batch as unknown as Raw);
    } catch (error) {
      throw this.deps.describe(error);
    }
  }

  async findByInputFile(
    inputFileId: string,
    createdAfterMs: number,
    signal?: AbortSignal,
  ): Promise<BatchJob | undefined> {
    const since = (createdAfterMs - CLOCK_SKEW_MS) / 1000;
    let seen = 0;
    try {
      // Newest first: stop at the first batch older than the create that may have made ours.
      for await (const batch of this.deps.client.batches.list({ limit: 100 }, signal ? { signal } : {})) {
        const raw = batch as unknown as Raw;
        if (raw.input_file_id === inputFileId) return toJob(raw);
        if (++seen >= FIND_BATCH_LIMIT || (raw.created_at !== undefined && raw.created_at < since)) break;
      }
      return undefined;
    } catch (error) {
      throw this.deps.describe(error);
    }
  }

  async retrieve(batchId: string, signal?: AbortSignal): Promise<BatchJob> {
    try {
      return toJob((await this.deps.client.batches.retrieve(batchId, signal ? { signal } : {})) as unknown as Raw);
    } catch (error) {
      const described = this.deps.describe(error);
      if (error instanceof OpenAI.APIError && error.status === 404) {
        throw new PromptLabError(
          `batch ${batchId} is not known at ${this.deps.origin} (404): it was created at another endpoint or with another key or project`,
          'provider',
        );
      }
      throw described;
    }
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<BatchJob> {
    try {
      return toJob((await this.deps.client.batches.cancel(batchId, signal ? { signal } : {})) as unknown as Raw);
    } catch (error) {
      throw this.deps.describe(error);
    }
  }

  async download(fileId: string, signal?: AbortSignal): Promise<BatchLineResult[]> {
    const options = signal ? { signal } : {};
    let expectedBytes: number;
    let response: Response;
    try {
      // The file's size as the provider stores it: a download that ends early but cleanly (a proxy,
      // a line boundary) is caught by comparing against it.
      expectedBytes = (await this.deps.client.files.retrieve(fileId, options)).bytes;
      response = await this.deps.client.files.content(fileId, options);
    } catch (error) {
      throw this.deps.describe(error);
    }
    let body: Buffer;
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (signal?.aborted) throw error;
      throw truncated(
        `batch file ${fileId}: the download broke off before its end (truncated download: ${errorMessage(error)})`,
      );
    }
    if (typeof expectedBytes === 'number' && body.length !== expectedBytes)
      throw truncated(
        `batch file ${fileId}: downloaded ${body.length} of its ${expectedBytes} bytes (truncated download)`,
      );
    return parseBatchFile(body.toString('utf8'), fileId);
  }
}
