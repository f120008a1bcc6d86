// A local OpenAI-compatible server for tests, benchmarks and the demo: real sockets, real SSE,
// deterministic replies (see reply.ts and docs/standin.md) and knobs for latency and failures.

import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBatchService, readRaw, type BatchOptions, type BatchService } from './batch';
import { embeddingInputs, embeddingsResponse } from './embeddings';
import { failureResponse, openAiError } from './failure';
import { RateLimiter, requestTokenCost, type RateLimitSettings } from './rateLimit';
import {
  asMessages,
  chatCompletion,
  completionUsage,
  planReply,
  replyRequestOf,
  splitIntoChunks,
  type ReplyPlan,
} from './reply';
import { countPromptTokens, countTextTokens, type StandinTokenizer } from './tokenizer';

/** A scripted failure for the next request(s), consumed in order. */
export type ScriptedFailure =
  | { status: number; retryAfterMs?: number; message?: string }
  /** `headers`: the socket is destroyed before any response; `midstream`: after part of the body. */
  | { drop: 'headers' | 'midstream' };

/** Rate limit (requestsPerSecond, burst, tokensPerSecond, tokenBurst): see rateLimit.ts. */
export interface StandinOptions extends RateLimitSettings {
  /** 0 (default) picks a free port. The server listens on 127.0.0.1 only. */
  port?: number;
  /** Delay before the response headers of chat and embedding requests. */
  latencyMs?: number;
  /** Delay between streamed chunks. */
  perTokenDelayMs?: number;
  /** Delay before the response headers of every request, /v1/models included (for timeout tests). */
  slowHeadersMs?: number;
  /** Fraction (0..1) of chat/embedding requests answered 429, spread evenly, the first request included. */
  fail429Rate?: number;
  /** Fraction (0..1) of chat/embedding requests answered 500. */
  fail500Rate?: number;
  /** Fraction (0..1) of chat/embedding requests whose socket is destroyed mid-response. */
  dropRate?: number;
  /** Sent as `retry-after-ms` and (rounded up to seconds) `retry-after` with every 429. Default 100. */
  retryAfterMs?: number;
  /** Failures for the next requests, consumed one per chat/embedding request before the rates apply. */
  failNext?: ScriptedFailure[];
  /** When set, requests need `Authorization: Bearer <key>` or `api-key: <key>`, else 401. */
  requireKey?: string;
  /** When set, other model ids get 404 model_not_found; also the /v1/models list. */
  knownModels?: string[];
  /** How many requests the log keeps (default 200). */
  logLimit?: number;
  /** Called with every request as recorded (keys redacted), e.g. to write a request log for another process. */
  onRequest?: (request: RecordedRequest) => void;
  /** The Batch API's clock, limits and faults (see batch.ts); change them later with `standin.batches.setOptions`. */
  batch?: BatchOptions;
  /** How `usage` counts tokens: `words` (default) or an OpenAI encoding, as OpenAI counts a chat request. */
  tokenizer?: StandinTokenizer;
}

export interface RecordedRequest {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Header names lower-cased; `authorization` and `api-key` values replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** `keyDigest()` of the key that came with the request (Bearer or api-key), if any. */
  keyDigest?: string;
  /** Parsed JSON body (undefined for GET or an unparsable body). */
  body: unknown;
  /** Final HTTP status, or `dropped` when the socket was destroyed on purpose. */
  outcome?: number | 'dropped';
  /** Which reply rule answered a chat request. */
  rule?: ReplyPlan['rule'];
}

export interface StandinStats {
  requests: number;
  chatRequests: number;
  embeddingRequests: number;
  streamed: number;
  byStatus: Record<string, number>;
  dropped: number;
  inFlight: number;
  maxInFlight: number;
  /** Requests whose client went away before the response finished (cancellation, timeouts). */
  clientAborts: number;
  /** 429s sent because a request was over the rate limit (the random fail429Rate ones not included). */
  rateLimited: number;
}

export interface Standin {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (for Azure-style clients that add their own path). */
  readonly origin: string;
  readonly port: number;
  readonly stats: StandinStats;
  /** The Batch API (`/v1/files`, `/v1/batches`, Azure `/openai/…`): its counters and knobs. */
  readonly batches: BatchService;
  /** Requests received so far, oldest first (bounded by `logLimit`). */
  readonly requests: readonly RecordedRequest[];
  lastRequest(): RecordedRequest | undefined;
  setOptions(partial: Partial<StandinOptions>): void;
  resetStats(): void;
  /** Resolves once `stats` satisfies `predicate` (checked after every request event); rejects after `timeoutMs`. */
  waitFor(predicate: (stats: StandinStats) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Short stable fingerprint of a key, so tests can tell which key reached which server without logging keys. */
export function keyDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

const MAX_BODY_BYTES = 20 * 1024 * 1024;
const DEFAULT_MODELS = ['standin', 'standin-upper', 'standin-bad', 'standin-judge', 'standin-embed'];

function emptyStats(): StandinStats {
  return {
    requests: 0,
    chatRequests: 0,
    embeddingRequests: 0,
    streamed: 0,
    byStatus: {},
    dropped: 0,
    inFlight: 0,
    maxInFlight: 0,
    clientAborts: 0,
    rateLimited: 0,
  };
}

/** Even spread: request n (1-based) hits when ceil(n·rate) grows, so the first request hits for any rate > 0. */
function hitsRate(rate: number | undefined, n: number): boolean {
  if (!rate || rate <= 0) return false;
  if (rate >= 1) return true;
  return Math.ceil(n * rate) > Math.ceil((n - 1) * rate);
}

function headerNumber(req: http.IncomingMessage, name: string): number | undefined {
  const raw = req.headers[name];
  if (typeof raw !== 'string') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Answers a chat or embedding request whose body, access and rate limit have passed. */
type WorkHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  entry: RecordedRequest,
  body: Record<string, unknown>,
  model: string,
) => Promise<void>;

export async function startStandin(initial: StandinOptions = {}): Promise<Standin> {
  let options: StandinOptions = { ...initial, failNext: [...(initial.failNext ?? [])] };
  let stats = emptyStats();
  const log: RecordedRequest[] = [];
  let seq = 0;
  let workCounter = 0;
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  const batches = createBatchService(initial.batch);
  const limiter = new RateLimiter();
  limiter.configure(options);

  const notify = (): void => {
    for (const waiter of [...waiters]) waiter();
  };

  /** Waits `ms`, or resolves false early when the client goes away or the server closes. */
  const pause = (ms: number, res: http.ServerResponse): Promise<boolean> => {
    if (ms <= 0) return Promise.resolve(!res.destroyed && !closing);
    return new Promise((resolve) => {
      const onClose = (): void => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        res.off('close', onClose);
        resolve(!res.destroyed && !closing);
      }, ms);
      timers.add(timer);
      res.once('close', onClose);
    });
  };

  const readBody = async (req: http.IncomingMessage): Promise<string | undefined> =>
    (await readRaw(req, MAX_BODY_BYTES))?.toString('utf8');

  const record = (req: http.IncomingMessage, url: URL, body: unknown): RecordedRequest => {
    const headers: Record<string, string> = {};
    let key: string | undefined;
    for (const [name, value] of Object.entries(req.headers)) {
      const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
      if (name === 'authorization' || name === 'api-key') {
        headers[name] = '[redacted]';
        key = name === 'authorization' ? text.replace(/^Bearer\s+/i, '') : text;
      } else headers[name] = text;
    }
    const entry: RecordedRequest = {
      seq: ++seq,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body,
    };
    if (key) entry.keyDigest = keyDigest(key);
    log.push(entry);
    options.onRequest?.(entry);
    const limit = options.logLimit ?? 200;
    while (log.length > limit) log.shift();
    return entry;
  };

  const finishWith = (
    res: http.ServerResponse,
    entry: RecordedRequest,
    status: number,
    body: string,
    headers: Record<string, string> = {},
  ): void => {
    entry.outcome = status;
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    notify();
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': `standin-${entry.seq}`, ...headers });
    res.end(body);
  };

  /**
   * Cuts the connection. Before headers the socket is destroyed (the client sees a reset); after
   * part of a body it is ended, so the bytes already written arrive before the cut.
   */
  const drop = (res: http.ServerResponse, entry: RecordedRequest): void => {
    entry.outcome = 'dropped';
    stats.dropped++;
    notify();
    const socket = res.socket;
    if (res.headersSent && socket) {
      socket.end();
      socket.once('finish', () => socket.destroy());
    } else {
      socket?.destroy();
      res.destroy();
    }
  };

  /** Scripted failures, header overrides and failure rates, in that order. */
  const pickFailure = (req: http.IncomingMessage): ScriptedFailure | undefined => {
    workCounter++;
    const scripted = options.failNext?.shift();
    if (scripted) return scripted;
    const forcedStatus = headerNumber(req, 'x-standin-status');
    if (forcedStatus !== undefined && forcedStatus >= 400) return { status: forcedStatus };
    const forcedDrop = req.headers['x-standin-drop'];
    if (forcedDrop === 'headers' || forcedDrop === 'midstream') return { drop: forcedDrop };
    if (hitsRate(options.fail429Rate, workCounter)) return { status: 429 };
    if (hitsRate(options.fail500Rate, workCounter)) return { status: 500 };
    if (hitsRate(options.dropRate, workCounter)) return { drop: 'midstream' };
    return undefined;
  };

  const sendFailure = (
    res: http.ServerResponse,
    entry: RecordedRequest,
    failure: { status: number; retryAfterMs?: number; message?: string },
  ): void => {
    const { status } = failure;
    const message =
      failure.message ?? (status === 429 ? 'Rate limit reached (stand-in).' : `Stand-in forced status ${status}.`);
    const answer = failureResponse(status, message, failure.retryAfterMs ?? options.retryAfterMs ?? 100);
    finishWith(res, entry, answer.status, answer.body, answer.headers);
  };

  const checkAccess = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: RecordedRequest,
    model: string | undefined,
  ): boolean => {
    if (options.requireKey !== undefined) {
      const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '');
      const apiKey = req.headers['api-key'];
      if (bearer !== options.requireKey && apiKey !== options.requireKey) {
        finishWith(
          res,
          entry,
          401,
          openAiError(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'),
        );
        return false;
      }
    }
    if (model !== undefined && options.knownModels && !options.knownModels.includes(model)) {
      finishWith(
        res,
        entry,
        404,
        openAiError(
          404,
          `The model \`${model}\` does not exist or you do not have access to it.`,
          'invalid_request_error',
          'model_not_found',
        ),
      );
      return false;
    }
    return true;
  };

  /** The rate limit: headers on every answer, 429 (without touching the failure rates) beyond it. */
  const admit = (res: http.ServerResponse, entry: RecordedRequest, body: Record<string, unknown>): boolean => {
    if (!limiter.active) return true;
    const admission = limiter.admit(
      requestTokenCost(body, (text) => countTextTokens(options.tokenizer ?? 'words', text)),
    );
    for (const [name, value] of Object.entries(admission.headers)) res.setHeader(name, value);
    if (admission.ok) return true;
    stats.rateLimited++;
    const message = `Rate limit reached (stand-in). Please try again in ${admission.retryAfterMs}ms.`;
    sendFailure(res, entry, { status: 429, retryAfterMs: admission.retryAfterMs, message });
    return false;
  };

  /** The 400 `invalid_request_error` OpenAI sends for a malformed request. */
  const rejectBadRequest = (res: http.ServerResponse, entry: RecordedRequest, message: string): void => {
    finishWith(res, entry, 400, openAiError(400, message, 'invalid_request_error', null));
  };

  /** The configured latency plus the per-request `x-standin-latency-ms` header. */
  const requestLatency = (req: http.IncomingMessage): number =>
    (options.latencyMs ?? 0) + (headerNumber(req, 'x-standin-latency-ms') ?? 0);

  const handleModels = (res: http.ServerResponse, entry: RecordedRequest): void => {
    const ids = options.knownModels ?? DEFAULT_MODELS;
    finishWith(
      res,
      entry,
      200,
      JSON.stringify({
        object: 'list',
        data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'standin' })),
      }),
    );
  };

  /**
   * The start chat and embedding requests share: count the request, answer 400 when the body's
   * input is malformed (`input` undefined), then the injected failure (else the reply's own
   * `status`) after the latency (plus the reply's `delayMs`). Resolves undefined when the request
   * is answered already (400, failure, drop before the headers) or the client went away; else the
   * input, the reply and whether a `midstream` drop is to cut the answer.
   */
  const startWork = async <Input, Reply extends Partial<Pick<ReplyPlan, 'status' | 'delayMs' | 'rule'>>>(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    entry: RecordedRequest,
    work: {
      counter: 'chatRequests' | 'embeddingRequests';
      input: Input | undefined;
      invalidInput: string;
      reply: (input: Input) => Reply;
    },
  ): Promise<{ input: Input; reply: Reply; dropMidway: boolean } | undefined> => {
    stats[work.counter]++;
    notify();
    if (work.input === undefined) {
      rejectBadRequest(res, entry, work.invalidInput);
      return undefined;
    }
    const reply = work.reply(work.input);
    if (reply.rule !== undefined) entry.rule = reply.rule;
    const failure = pickFailure(req) ?? (reply.status !== undefined ? { status: reply.status } : undefined);
    if (!(await pause(requestLatency(req) + (reply.delayMs ?? 0), res))) return undefined;
    if (failure && 'drop' in failure && failure.drop === 'headers') {
      drop(res, entry);
      return undefined;
    }
    if (failure && 'status' in failure) {
      sendFailure(res, entry, failure);
      return undefined;
    }
    return { input: work.input, reply, dropMidway: failure !== undefined };
  };

  const handleEmbeddings: WorkHandler = async (req, res, entry, body, model) => {
    const started = await startWork(req, res, entry, {
      counter: 'embeddingRequests',
      input: embeddingInputs(body.input),
      invalidInput: "'input' must be a string or an array of strings.",
      reply: () => ({}),
    });
    if (!started) return;
    // An embeddings answer is one small body: a midstream drop cuts it before the headers too.
    if (started.dropMidway) {
      drop(res, entry);
      return;
    }
    const inputs = started.input;
    const tokens = inputs.reduce((sum, text) => sum + countTextTokens(options.tokenizer ?? 'words', text), 0);
    finishWith(res, entry, 200, JSON.stringify(embeddingsResponse(model, body, inputs, tokens)));
  };

  const handleChat: WorkHandler = async (req, res, entry, body, model) => {
    const started = await startWork(req, res, entry, {
      counter: 'chatRequests',
      input: asMessages(body.messages),
      invalidInput: "'messages' must be an array of {role, content}.",
      reply: (messages) => planReply(replyRequestOf(model, messages, body)),
    });
    if (!started) return;
    const { input: messages, reply: plan, dropMidway } = started;
    const promptTokens = countPromptTokens(options.tokenizer ?? 'words', messages);
    const completionTokens = countTextTokens(options.tokenizer ?? 'words', plan.text);
    const usage = completionUsage(promptTokens, completionTokens);
    const id = `chatcmpl-standin-${entry.seq}`;
    const created = Math.floor(Date.now() / 1000);

    if (body.stream !== true) {
      const payload = JSON.stringify(chatCompletion(id, model, plan, usage, created));
      if (dropMidway) {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(payload)),
        });
        res.write(payload.slice(0, Math.floor(payload.length / 2)));
        drop(res, entry);
        return;
      }
      finishWith(res, entry, 200, payload);
      return;
    }

    stats.streamed++;
    notify();
    const perTokenDelay = (options.perTokenDelayMs ?? 0) + (headerNumber(req, 'x-standin-per-token-delay-ms') ?? 0);
    const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-request-id': `standin-${entry.seq}`,
    });
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): string =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices, ...extra })}\n\n`;
    res.write(
      chunk(
        [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
        includeUsage ? { usage: null } : {},
      ),
    );
    const pieces = splitIntoChunks(plan.text);
    // A mid-stream drop happens after half the pieces, and always after at least one piece of text.
    const dropAfter = dropMidway ? Math.max(1, Math.floor(pieces.length / 2)) : Infinity;
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0 && !(await pause(perTokenDelay, res))) return;
      if (res.destroyed) return;
      res.write(
        chunk(
          [{ index: 0, delta: { content: pieces[i] }, logprobs: null, finish_reason: null }],
          includeUsage ? { usage: null } : {},
        ),
      );
      if (i + 1 >= dropAfter) {
        drop(res, entry);
        return;
      }
    }
    if (dropMidway) {
      drop(res, entry);
      return;
    }
    res.write(
      chunk(
        [{ index: 0, delta: {}, logprobs: null, finish_reason: plan.finishReason }],
        includeUsage ? { usage: null } : {},
      ),
    );
    if (includeUsage) res.write(chunk([], { usage }));
    res.write('data: [DONE]\n\n');
    entry.outcome = 200;
    stats.byStatus[200] = (stats.byStatus[200] ?? 0) + 1;
    notify();
    res.end();
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (batches.handles(url.pathname.replace(/\/+$/, ''))) {
      const entry = record(req, url, undefined);
      const key = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? req.headers['api-key'];
      if (checkAccess(req, res, entry, undefined))
        await batches.handle(req, res, url, typeof key === 'string' ? keyDigest(key) : '');
      return;
    }
    const raw = req.method === 'POST' ? await readBody(req) : undefined;
    let body: unknown;
    let bodyError = raw === undefined && req.method === 'POST';
    if (raw !== undefined && raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        bodyError = true;
      }
    }
    const entry = record(req, url, body);
    res.on('close', () => {
      if (!res.writableFinished && entry.outcome !== 'dropped') {
        stats.clientAborts++;
        notify();
      }
    });
    if (!(await pause(options.slowHeadersMs ?? 0, res))) return;
    const path = url.pathname.replace(/\/+$/, '');
    // Azure paths carry the deployment instead of a body model: /openai/deployments/<name>/chat/completions.
    const deployment = /\/deployments\/([^/]+)\//.exec(path)?.[1];

    if (req.method === 'GET' && path.endsWith('/models')) {
      if (checkAccess(req, res, entry, undefined)) handleModels(res, entry);
      return;
    }
    const isChat = path.endsWith('/chat/completions');
    const isEmbeddings = path.endsWith('/embeddings');
    if (req.method !== 'POST' || (!isChat && !isEmbeddings)) {
      finishWith(
        res,
        entry,
        404,
        openAiError(404, `Unknown endpoint ${req.method} ${url.pathname}.`, 'invalid_request_error', 'unknown_url'),
      );
      return;
    }
    if (bodyError || typeof body !== 'object' || body === null || Array.isArray(body)) {
      rejectBadRequest(res, entry, 'The request body must be a JSON object.');
      return;
    }
    const record_ = body as Record<string, unknown>;
    const model =
      typeof record_.model === 'string'
        ? record_.model
        : deployment !== undefined
          ? decodeURIComponent(deployment)
          : undefined;
    if (model === undefined) {
      rejectBadRequest(res, entry, "'model' is required.");
      return;
    }
    if (!checkAccess(req, res, entry, model)) return;
    if (!admit(res, entry, record_)) return;
    await (isChat ? handleChat : handleEmbeddings)(req, res, entry, record_, model);
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      stats.inFlight--;
      notify();
    };
    res.on('close', settle);
    notify();
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          openAiError(
            500,
            `Stand-in internal error: ${error instanceof Error ? error.message : String(error)}`,
            'server_error',
            null,
          ),
        );
      } else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    batches,
    get stats() {
      return stats;
    },
    get requests() {
      return log;
    },
    lastRequest: () => log[log.length - 1],
    setOptions(partial) {
      options = { ...options, ...partial };
      if (partial.failNext) options.failNext = [...partial.failNext];
      limiter.configure(options);
    },
    resetStats() {
      // In-flight requests still settle against the new counters, so keep their count.
      stats = { ...emptyStats(), inFlight: stats.inFlight, maxInFlight: stats.inFlight };
      log.length = 0;
      workCounter = 0;
      limiter.reset(options);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          if (predicate(stats)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`stand-in: condition not met within ${timeoutMs} ms (stats ${JSON.stringify(stats)})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
