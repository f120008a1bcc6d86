// The scheduler's state as the run reports it (RunEvent `throttle`): types only, so the run-file
// types and src/protocol can name it without the scheduler's code (see docs/architecture.md).

export interface ThrottleState {
  endpointOrigin: string;
  /** The provider is holding the run back: a 429 in the last moments, or a cool-down in force. */
  limited: boolean;
  inFlight: number;
  /** The adaptive limit on requests in flight, and its ceiling (`--concurrency`). */
  concurrency: number;
  ceiling: number;
  /** Milliseconds until the shared cool-down ends (0: none). */
  waitMs: number;
  /** Requests waiting to start (for a free slot, the cool-down or their retry time). */
  waiting: number;
  /** 429 answers so far. */
  rateLimited: number;
  /** Retries so far (any cause). */
  retries: number;
}
