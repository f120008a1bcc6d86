// CLI for the stand-in: `node dist/standin.js --port 0 --latency-ms 200`.
// Prints `STANDIN_URL=<url>` once listening; closes on SIGTERM/SIGINT.

import { appendFileSync } from 'node:fs';
import { startStandin, type RecordedRequest, type StandinOptions } from './server';
import { STANDIN_TOKENIZERS } from './tokenizer';

const USAGE = `Usage: node dist/standin.js [options]
  --port N                  port on 127.0.0.1 (default 0: any free port)
  --latency-ms N            delay before response headers (chat, embeddings)
  --per-token-delay-ms N    delay between streamed chunks
  --slow-headers-ms N       delay before response headers of every request
  --fail429-rate R          fraction 0..1 of requests answered 429
  --fail500-rate R          fraction 0..1 of requests answered 500
  --drop-rate R             fraction 0..1 of requests dropped mid-response
  --retry-after-ms N        Retry-After sent with 429 (default 100)
  --requests-per-second N   rate limit: token bucket of requests (429 + retry-after-ms beyond it)
  --burst N                 request bucket capacity (default: one second's worth)
  --tokens-per-second N     rate limit on tokens (prompt + max_tokens per request)
  --token-burst N           token bucket capacity (default: one second's worth)
  --require-key-env NAME    require the key held in env var NAME (401 otherwise)
  --known-models a,b,c      other model ids get 404
  --log-requests FILE       append one JSON line per request (method, path, headers with keys
                            redacted, keyDigest) to FILE, for tests in another process
  --tokenizer NAME          usage counts: words (default), o200k_base or cl100k_base
Reply language: docs/standin.md`;

const numeric: Record<string, keyof StandinOptions> = {
  '--port': 'port',
  '--latency-ms': 'latencyMs',
  '--per-token-delay-ms': 'perTokenDelayMs',
  '--slow-headers-ms': 'slowHeadersMs',
  '--fail429-rate': 'fail429Rate',
  '--fail500-rate': 'fail500Rate',
  '--drop-rate': 'dropRate',
  '--retry-after-ms': 'retryAfterMs',
  '--requests-per-second': 'requestsPerSecond',
  '--burst': 'burst',
  '--tokens-per-second': 'tokensPerSecond',
  '--token-burst': 'tokenBurst',
};

function fail(message: string): never {
  process.stderr.write(`standin: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): StandinOptions {
  const options: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] ?? '';
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    const value = argv[i + 1];
    if (value === undefined) fail(`${flag} needs a value`);
    i++;
    const key = numeric[flag];
    if (key) {
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0) fail(`${flag} expects a non-negative number, got "${value}"`);
      options[key] = n;
    } else if (flag === '--require-key-env') {
      const key = process.env[value];
      if (!key) fail(`environment variable ${value} is empty`);
      options.requireKey = key;
    } else if (flag === '--tokenizer') {
      if (!(STANDIN_TOKENIZERS as readonly string[]).includes(value))
        fail(`--tokenizer expects one of ${STANDIN_TOKENIZERS.join(', ')}, got "${value}"`);
      options.tokenizer = value;
    } else if (flag === '--log-requests') {
      options.onRequest = (request: RecordedRequest): void => {
        const { seq, method, path: requestPath, headers, keyDigest } = request;
        appendFileSync(value, `${JSON.stringify({ seq, method, path: requestPath, headers, keyDigest })}\n`);
      };
    } else if (flag === '--known-models') {
      options.knownModels = value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    } else fail(`unknown option ${flag}`);
  }
  return options as StandinOptions;
}

async function main(): Promise<void> {
  const standin = await startStandin(parseArgs(process.argv.slice(2)));
  process.stdout.write(`STANDIN_URL=${standin.url}\n`);
  const stop = (): void => {
    standin.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`standin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
