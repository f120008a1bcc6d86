// The stand-in's Batch API (OpenAI `/v1/files` + `/v1/batches`, Azure `/openai/files` + `/openai/batches`):
// multipart upload, batches that move validating → in_progress → finalizing → completed on a clock,
// per-line failures, expiry, cancellation, faults in the output files for the client's bad-input
// tests, and injected 429 / 5xx / dropped connections on each endpoint (BatchOptions.faults).
// Lines are answered with the same reply rules as live requests (reply.ts), but they are not live
// requests: they never count in `stats.chatRequests`. Status is a pure function of the time, so
// no timers are left behind.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { embeddingInputs, embeddingsResponse } from './embeddings';
import { failureResponse } from './failure';
import { asMessages, chatCompletion, completionUsage, countTokens, planReply, replyRequestOf } from './reply';

export interface BatchOptions {
  /** Time a batch spends in each of validating, in_progress and finalizing. Default 50 ms. */
  stepMs?: number;
  /** The batch ends `expired` after answering only its first N lines; the rest get `batch_expired`. */
  expireAfterLines?: number;
  /** Limits checked at creation (a batch over them fails validation). Defaults: OpenAI's 50,000 lines, 200 MB. */
  maxLines?: number;
  maxFileBytes?: number;
  /** Faults in the output file, for the client's bad-input tests. */
  outputFault?: 'missing-lines' | 'unknown-custom-ids';
  /** The next N content downloads are cut off half-way (the connection ends before Content-Length). */
  truncateDownloads?: number;
  /** Failures for the next calls to the batch endpoints, consumed in order (the first one whose route matches). */
  faults?: BatchFault[];
}

/** Which call of the Batch API a fault hits. */
export type BatchRoute = 'upload' | 'create' | 'retrieve' | 'list' | 'cancel' | 'file' | 'content';

/**
 * One injected failure: a status (429 comes with `retry-after-ms` and `retry-after`, 5xx with a
 * server_error body), `drop` (the socket is destroyed, no answer), or for `content` `short` (the
 * first half of the file's lines, sent as a complete response with a matching Content-Length).
 */
export interface BatchFault {
  route: BatchRoute;
  fault: number | 'drop' | 'short';
  /**
   * `create` only: the batch is made first and then the answer fails, so the client cannot tell
   * from the answer whether the batch exists (the case a retried create must not bill twice).
   */
  afterCommit?: boolean;
  /** With 429: the wait asked for. Default 50 ms. */
  retryAfterMs?: number;
}

export interface BatchStats {
  filesUploaded: number;
  batchesCreated: number;
  batchesCancelled: number;
  /** Request lines answered by batches (never counted as live chat requests). */
  linesAnswered: number;
  contentDownloads: number;
  /** `GET /batches` (list) requests. */
  listRequests: number;
  /** Injected faults (BatchOptions.faults) that were used. */
  faultsInjected: number;
}

interface StoredFile {
  id: string;
  bytes: number;
  createdAt: number;
  filename: string;
  purpose: string;
  content: Buffer;
  /** Digest of the key that uploaded it: files and batches are private to their key, as to an organisation. */
  scope: string;
}

type Terminal = 'completed' | 'expired' | 'cancelled' | 'failed';

interface StoredBatch {
  id: string;
  scope: string;
  endpoint: string;
  inputFileId: string;
  createdMs: number;
  metadata: Record<string, string> | null;
  /** Result lines, computed at creation (the reply is a pure function of the request). */
  lines: { customId: string; output?: string; error?: string }[];
  validationErrors?: { code: string; message: string; line: number | null }[];
  cancelledAtMs?: number;
  outputFileId?: string;
  errorFileId?: string;
  finalStatus?: Terminal;
  counts?: { total: number; completed: number; failed: number };
}

export interface BatchService {
  readonly stats: BatchStats;
  setOptions(partial: Partial<BatchOptions>): void;
  resetStats(): void;
  /** True when `path` is a files or batches path (`/v1/…` or Azure `/openai/…`). */
  handles(path: string): boolean;
  handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, scope: string): Promise<void>;
}

const MAX_UPLOAD_BYTES = 210 * 1024 * 1024;
const DAY_S = 24 * 3600;
const ROUTE = /^(?:\/v1|\/openai(?:\/v1)?)\/(files|batches)(?:\/([^/]+))?(?:\/(content|cancel))?$/;

function emptyStats(): BatchStats {
  return {
    filesUploaded: 0,
    batchesCreated: 0,
    batchesCancelled: 0,
    linesAnswered: 0,
    contentDownloads: 0,
    listRequests: 0,
    faultsInjected: 0,
  };
}

function error(message: string, code: string | null = null, type = 'invalid_request_error'): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type = 'application/json',
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** The request body, or undefined when it is over `limit` bytes (the request is then destroyed) or broke off. */
export function readRaw(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(undefined));
  });
}

/** Minimal multipart/form-data reader: fields by name, with the filename of file parts. */
function parseMultipart(
  body: Buffer,
  contentType: string,
): Map<string, { filename?: string; data: Buffer }> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const mark = boundary?.[1] ?? boundary?.[2];
  if (!mark) return undefined;
  const delimiter = Buffer.from(`--${mark}`);
  const parts = new Map<string, { filename?: string; data: Buffer }>();
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const part = body.subarray(start + 2, next - 2); // skip the CRLF after the delimiter and before the next
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const head = part.subarray(0, split).toString('utf8');
    const name = /name="([^"]*)"/i.exec(head)?.[1];
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (name !== undefined)
      parts.set(name, { ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    at = next;
  }
  return parts;
}

function chatResult(model: string, body: Record<string, unknown>, seq: number): { status: number; body: unknown } {
  const messages = asMessages(body.messages);
  if (!messages) return { status: 400, body: JSON.parse(error("'messages' must be an array of {role, content}.")) };
  const plan = planReply(replyRequestOf(model, messages, body));
  if (plan.status !== undefined) {
    const type = plan.status >= 500 ? 'server_error' : 'invalid_request_error';
    return { status: plan.status, body: JSON.parse(error(`Stand-in forced status ${plan.status}.`, null, type)) };
  }
  const promptTokens = messages.reduce((sum, m) => sum + countTokens(m.content), 0);
  const usage = completionUsage(promptTokens, countTokens(plan.text));
  return { status: 200, body: chatCompletion(`chatcmpl-standin-batch-${seq}`, model, plan, usage) };
}

function embeddingResult(model: string, body: Record<string, unknown>): { status: number; body: unknown } {
  const inputs = embeddingInputs(body.input);
  if (!inputs) return { status: 400, body: JSON.parse(error("'input' must be a string or an array of strings.")) };
  const tokens = inputs.reduce((sum, text) => sum + countTokens(text), 0);
  return { status: 200, body: embeddingsResponse(model, body, inputs, tokens) };
}

export function createBatchService(initial: BatchOptions = {}): BatchService {
  let options: BatchOptions = { ...initial };
  let stats = emptyStats();
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();
  let lineSeq = 0;

  const newId = (prefix: string): string => `${prefix}${randomBytes(12).toString('hex')}`;

  /** The next injected fault for this route, taken off the list. */
  const takeFault = (route: BatchRoute): BatchFault | undefined => {
    const index = (options.faults ?? []).findIndex((f) => f.route === route);
    if (index < 0) return undefined;
    const faults = [...(options.faults ?? [])];
    const [fault] = faults.splice(index, 1);
    options = { ...options, faults };
    stats.faultsInjected++;
    return fault;
  };
  /** Answers with the fault instead of the real response. */
  const sendFault = (res: http.ServerResponse, fault: BatchFault): void => {
    if (fault.fault === 'drop') {
      res.socket?.destroy();
      res.destroy();
      return;
    }
    const status = typeof fault.fault === 'number' ? fault.fault : 500;
    const message =
      status === 429 ? 'Rate limit reached for batch requests (stand-in).' : `Stand-in injected status ${status}.`;
    const answer = failureResponse(status, message, fault.retryAfterMs ?? 50);
    send(res, answer.status, answer.body, 'application/json', answer.headers);
  };
  /** A fault taken before the route does anything (for create: unless it fails after committing). */
  const faultBefore = (res: http.ServerResponse, route: BatchRoute): BatchFault | undefined => {
    const fault = takeFault(route);
    if (!fault) return undefined;
    // `short` is a kind of download (elsewhere it is a plain 500); afterCommit applies to create.
    if ((fault.fault === 'short' && route === 'content') || (route === 'create' && fault.afterCommit)) return fault;
    sendFault(res, fault);
    return fault;
  };

  const storeFile = (scope: string, filename: string, purpose: string, content: Buffer): StoredFile => {
    const file: StoredFile = {
      id: newId('file-'),
      bytes: content.length,
      createdAt: Math.floor(Date.now() / 1000),
      filename,
      purpose,
      content,
      scope,
    };
    files.set(file.id, file);
    return file;
  };

  /** A batch's `<id>_output.jsonl` or `<id>_error.jsonl`: one JSON line a request; returns the file id. */
  const storeResultLines = (batch: StoredBatch, kind: 'output' | 'error', lines: string[]): string =>
    storeFile(batch.scope, `${batch.id}_${kind}.jsonl`, 'batch_output', Buffer.from(`${lines.join('\n')}\n`)).id;

  const fileObject = (file: StoredFile): Record<string, unknown> => ({
    id: file.id,
    object: 'file',
    bytes: file.bytes,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    status_details: null,
  });

  /** Parses and answers the input file; problems become validation errors (the batch then fails). */
  const prepare = (batch: StoredBatch, content: Buffer): void => {
    const text = content.toString('utf8');
    const errors: NonNullable<StoredBatch['validationErrors']> = [];
    const seen = new Set<string>();
    const rawLines = text.split('\n').filter((line) => line.trim() !== '');
    if (rawLines.length > (options.maxLines ?? 50_000))
      errors.push({
        code: 'too_many_requests',
        message: `The batch has ${rawLines.length} requests; the limit is ${options.maxLines ?? 50_000}.`,
        line: null,
      });
    if (content.length > (options.maxFileBytes ?? 200 * 1024 * 1024))
      errors.push({ code: 'file_too_large', message: 'The input file is larger than the limit.', line: null });
    let model: string | undefined;
    rawLines.forEach((line, i) => {
      if (errors.length > 0) return;
      let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        errors.push({ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', line: i + 1 });
        return;
      }
      const body = parsed.body as Record<string, unknown> | undefined;
      if (typeof parsed.custom_id !== 'string' || seen.has(parsed.custom_id)) {
        errors.push({ code: 'duplicate_custom_id', message: 'custom_id is missing or not unique.', line: i + 1 });
      } else if (parsed.method !== 'POST' || parsed.url !== batch.endpoint) {
        errors.push({
          code: 'mismatched_endpoint',
          message: `The url of this line must be ${batch.endpoint} with method POST.`,
          line: i + 1,
        });
      } else if (typeof body !== 'object' || body === null || typeof body.model !== 'string') {
        errors.push({
          code: 'missing_required_parameter',
          message: "The body must be an object with a 'model'.",
          line: i + 1,
        });
      } else if (model !== undefined && body.model !== model) {
        errors.push({
          code: 'mismatched_model',
          message: 'Every request of a batch must use the same model.',
          line: i + 1,
        });
      }
      if (errors.length > 0) return;
      const customId = parsed.custom_id as string;
      seen.add(customId);
      const requestBody = body as Record<string, unknown>;
      model = requestBody.model as string;
      const seq = ++lineSeq;
      const result = batch.endpoint.endsWith('/embeddings')
        ? embeddingResult(model, requestBody)
        : chatResult(model, requestBody, seq);
      const record = JSON.stringify({
        id: `batch_req_${seq}`,
        custom_id: customId,
        response: { status_code: result.status, request_id: `standin-batch-${seq}`, body: result.body },
        error: null,
      });
      batch.lines.push(result.status === 200 ? { customId, output: record } : { customId, error: record });
    });
    if (errors.length > 0) {
      batch.validationErrors = errors;
      batch.lines = [];
    }
  };

  /** Seals a batch that reached its end: writes its output and error files once. */
  const seal = (batch: StoredBatch, status: Terminal, answered: number): void => {
    if (batch.finalStatus) return;
    batch.finalStatus = status;
    const outputs: string[] = [];
    const failures: string[] = [];
    batch.lines.forEach((line, i) => {
      if (i < answered) {
        if (line.output !== undefined) outputs.push(line.output);
        else if (line.error !== undefined) failures.push(line.error);
        return;
      }
      const code = status === 'cancelled' ? 'batch_cancelled' : 'batch_expired';
      const message =
        status === 'cancelled'
          ? 'This request was not executed because the batch was cancelled.'
          : 'This request could not be executed before the completion window expired.';
      failures.push(
        JSON.stringify({
          id: `batch_req_unrun_${i}`,
          custom_id: line.customId,
          response: null,
          error: { code, message },
        }),
      );
    });
    stats.linesAnswered += Math.min(answered, batch.lines.length);
    // Counted before any fault: the counts say what ran, the faulty file then disagrees with them.
    batch.counts = { total: batch.lines.length, completed: outputs.length, failed: failures.length };
    if (options.outputFault === 'missing-lines' && outputs.length > 1) outputs.splice(1, 1);
    if (options.outputFault === 'unknown-custom-ids' && outputs[0]) {
      const stranger = JSON.parse(outputs[0]) as { custom_id: string };
      stranger.custom_id = 'not-from-this-run-1';
      outputs.push(JSON.stringify(stranger));
    }
    if (outputs.length > 0) batch.outputFileId = storeResultLines(batch, 'output', outputs);
    if (failures.length > 0) batch.errorFileId = storeResultLines(batch, 'error', failures);
  };

  /** The batch object as it is at `now`. */
  const view = (batch: StoredBatch, now = Date.now()): Record<string, unknown> => {
    const step = options.stepMs ?? 50;
    const created = batch.createdMs;
    const at = (ms: number): number => Math.floor(ms / 1000);
    const total = batch.lines.length;
    const times: Record<string, number | null> = {
      in_progress_at: null,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
    };
    let status: string;
    let answered = 0;
    const progress = (until: number): number =>
      Math.min(total, Math.floor((total * Math.max(0, until - created - step)) / Math.max(1, step)));
    const expireAt = options.expireAfterLines;
    if (batch.validationErrors) {
      status = now - created < step ? 'validating' : 'failed';
      if (status === 'failed') times.failed_at = at(created + step);
    } else if (batch.cancelledAtMs !== undefined && batch.cancelledAtMs < created + 2 * step) {
      answered = progress(batch.cancelledAtMs);
      times.cancelling_at = at(batch.cancelledAtMs);
      if (now - batch.cancelledAtMs < step) status = 'cancelling';
      else {
        seal(batch, 'cancelled', answered);
        status = 'cancelled';
        times.cancelled_at = at(batch.cancelledAtMs + step);
      }
    } else if (now - created < step) status = 'validating';
    else if (now - created < 2 * step) {
      status = 'in_progress';
      answered = Math.min(progress(now), expireAt ?? total);
    } else if (now - created < 3 * step) {
      status = 'finalizing';
      answered = Math.min(total, expireAt ?? total);
    } else {
      const expired = expireAt !== undefined && expireAt < total;
      seal(batch, expired ? 'expired' : 'completed', expired ? expireAt : total);
      status = batch.finalStatus ?? 'completed';
      times[status === 'expired' ? 'expired_at' : 'completed_at'] = at(created + 3 * step);
    }
    if (status !== 'validating' && !batch.validationErrors) times.in_progress_at = at(created + step);
    if (status === 'finalizing' || status === 'completed' || status === 'expired')
      times.finalizing_at = at(created + 2 * step);
    const failedSoFar = batch.lines.slice(0, answered).filter((l) => l.error !== undefined).length;
    const counts = batch.counts ?? { total, completed: answered - failedSoFar, failed: failedSoFar };
    return {
      id: batch.id,
      object: 'batch',
      endpoint: batch.endpoint,
      errors:
        batch.validationErrors && status === 'failed'
          ? { object: 'list', data: batch.validationErrors.map((e) => ({ ...e, param: null })) }
          : null,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: batch.outputFileId ?? null,
      error_file_id: batch.errorFileId ?? null,
      created_at: at(created),
      expires_at: at(created) + DAY_S,
      ...times,
      request_counts: counts,
      metadata: batch.metadata,
    };
  };

  const createBatch = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    scope: string,
    azure: boolean,
  ): Promise<void> => {
    const raw = await readRaw(req, 1024 * 1024);
    const fault = faultBefore(res, 'create');
    if (fault && !fault.afterCommit) return;
    let body: { input_file_id?: unknown; endpoint?: unknown; completion_window?: unknown; metadata?: unknown };
    try {
      body = JSON.parse(raw?.toString('utf8') ?? '') as typeof body;
    } catch {
      send(res, 400, error('The request body must be a JSON object.'));
      return;
    }
    const endpoints = azure
      ? ['/chat/completions', '/embeddings', '/v1/chat/completions', '/v1/embeddings']
      : ['/v1/chat/completions', '/v1/embeddings'];
    if (typeof body.endpoint !== 'string' || !endpoints.includes(body.endpoint)) {
      send(res, 400, error(`'endpoint' must be one of ${endpoints.join(', ')}.`, 'invalid_value'));
      return;
    }
    if (body.completion_window !== '24h') {
      send(res, 400, error("'completion_window' must be '24h'.", 'invalid_value'));
      return;
    }
    const input = typeof body.input_file_id === 'string' ? files.get(body.input_file_id) : undefined;
    if (!input || input.scope !== scope) {
      send(res, 404, error(`No such File object: ${String(body.input_file_id)}`, 'not_found'));
      return;
    }
    if (input.purpose !== 'batch') {
      send(res, 400, error(`File ${input.id} has purpose '${input.purpose}', not 'batch'.`, 'invalid_value'));
      return;
    }
    const metadata =
      typeof body.metadata === 'object' && body.metadata !== null ? (body.metadata as Record<string, string>) : null;
    const batch: StoredBatch = {
      id: newId('batch_'),
      scope,
      endpoint: body.endpoint,
      inputFileId: input.id,
      createdMs: Date.now(),
      metadata,
      lines: [],
    };
    prepare(batch, input.content);
    batches.set(batch.id, batch);
    stats.batchesCreated++;
    if (fault) sendFault(res, fault);
    else send(res, 200, JSON.stringify(view(batch)));
  };

  const upload = async (req: http.IncomingMessage, res: http.ServerResponse, scope: string): Promise<void> => {
    const raw = await readRaw(req, MAX_UPLOAD_BYTES);
    if (faultBefore(res, 'upload')) return;
    const parts = raw ? parseMultipart(raw, req.headers['content-type'] ?? '') : undefined;
    const file = parts?.get('file');
    const purpose = parts?.get('purpose')?.data.toString('utf8');
    if (!parts || !file) {
      send(res, 400, error("The upload must be multipart/form-data with a 'file' part.", 'invalid_request'));
      return;
    }
    if (purpose !== 'batch') {
      send(res, 400, error(`'purpose' must be 'batch' here, got '${purpose ?? ''}'.`, 'invalid_value'));
      return;
    }
    stats.filesUploaded++;
    send(res, 200, JSON.stringify(fileObject(storeFile(scope, file.filename ?? 'upload.jsonl', purpose, file.data))));
  };

  const download = (res: http.ServerResponse, file: StoredFile): void => {
    stats.contentDownloads++;
    const fault = faultBefore(res, 'content');
    if (fault?.fault === 'short') {
      // A well-formed but short answer: whole lines, a Content-Length that matches what is sent.
      const lines = file.content
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== '');
      const half = Buffer.from(
        lines
          .slice(0, Math.floor(lines.length / 2))
          .map((l) => `${l}\n`)
          .join(''),
      );
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(half.length) });
      res.end(half);
      return;
    }
    if (fault) return;
    if ((options.truncateDownloads ?? 0) > 0) {
      options = { ...options, truncateDownloads: (options.truncateDownloads ?? 0) - 1 };
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
      res.write(file.content.subarray(0, Math.floor(file.content.length / 2)));
      const socket = res.socket;
      socket?.end();
      socket?.once('finish', () => socket.destroy());
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
    res.end(file.content);
  };

  const list = (res: http.ServerResponse, url: URL, scope: string): void => {
    stats.listRequests++;
    if (faultBefore(res, 'list')) return;
    const limit = Math.max(1, Math.min(100, Number(url.searchParams.get('limit') ?? 20) || 20));
    const all = [...batches.values()].filter((b) => b.scope === scope).reverse();
    const after = url.searchParams.get('after');
    const from = after ? all.findIndex((b) => b.id === after) + 1 : 0;
    const page = all.slice(from, from + limit).map((b) => view(b));
    send(
      res,
      200,
      JSON.stringify({
        object: 'list',
        data: page,
        first_id: page[0]?.id ?? null,
        last_id: page[page.length - 1]?.id ?? null,
        has_more: from + limit < all.length,
      }),
    );
  };

  return {
    get stats() {
      return stats;
    },
    setOptions(partial) {
      options = { ...options, ...partial };
    },
    resetStats() {
      stats = emptyStats();
    },
    handles: (path) => ROUTE.test(path),
    async handle(req, res, url, scope) {
      const [, kind, id, action] = ROUTE.exec(url.pathname) ?? [];
      const method = req.method ?? 'GET';
      const azure = url.pathname.startsWith('/openai/');
      if (azure && !url.searchParams.get('api-version') && !url.pathname.startsWith('/openai/v1/')) {
        send(res, 404, error('Resource not found: the api-version query parameter is required.', '404'));
        return;
      }
      if (kind === 'files') {
        if (id === undefined && method === 'POST') return upload(req, res, scope);
        const file = id !== undefined ? files.get(id) : undefined;
        if (id !== undefined && (!file || file.scope !== scope)) {
          send(res, 404, error(`No such File object: ${id}`, 'not_found'));
          return;
        }
        if (file && method === 'GET' && action === 'content') return download(res, file);
        if (file && method === 'GET' && action === undefined) {
          if (faultBefore(res, 'file')) return;
          return send(res, 200, JSON.stringify(fileObject(file)));
        }
        if (file && method === 'DELETE' && action === undefined) {
          files.delete(file.id);
          return send(res, 200, JSON.stringify({ id: file.id, object: 'file', deleted: true }));
        }
      } else if (kind === 'batches') {
        if (id === undefined && method === 'POST') return createBatch(req, res, scope, azure);
        if (id === undefined && method === 'GET') return list(res, url, scope);
        const batch = id !== undefined ? batches.get(id) : undefined;
        if (!batch || batch.scope !== scope) {
          send(res, 404, error(`No batch found with id '${id ?? ''}'.`, 'not_found'));
          return;
        }
        if (method === 'GET' && action === undefined) {
          if (faultBefore(res, 'retrieve')) return;
          return send(res, 200, JSON.stringify(view(batch)));
        }
        if (method === 'POST' && action === 'cancel') {
          if (faultBefore(res, 'cancel')) return;
          const current = view(batch);
          if (['validating', 'in_progress', 'finalizing'].includes(String(current.status))) {
            batch.cancelledAtMs = Date.now();
            stats.batchesCancelled++;
          }
          return send(res, 200, JSON.stringify(view(batch)));
        }
      }
      send(res, 404, error(`Unknown endpoint ${method} ${url.pathname}.`, 'unknown_url'));
    },
  };
}
