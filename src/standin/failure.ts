// The answer to a failure the stand-in was told to give, shared by the chat and embedding endpoints
// (server.ts) and the Batch API (batch.ts) so that both fail the way OpenAI does.

/** An OpenAI error body. */
export function openAiError(status: number, message: string, type: string, code: string | null): string {
  return JSON.stringify({ error: { message, type, param: null, code } });
}

/** What to send: the status, the headers beyond content-type, the body. */
export interface FailureResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A 429 asks the client to wait `retryAfterMs` (`retry-after-ms`, and `retry-after` in whole
 * seconds); a 5xx is a server_error and any other status an invalid_request_error.
 */
export function failureResponse(status: number, message: string, retryAfterMs: number): FailureResponse {
  if (status === 429) {
    return {
      status,
      headers: { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) },
      body: openAiError(429, message, 'requests', 'rate_limit_exceeded'),
    };
  }
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  return { status, headers: {}, body: openAiError(status, message, type, null) };
}
