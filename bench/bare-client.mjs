// The baseline for bench/run.mjs: the same chat requests PromptLab sends, through a bare `openai`
// client in a promise pool, streamed and read to the end, in a process of its own (so it starts
// as cold as the CLI). Prints {"wallMs", "completed", "failed"} as JSON.
// Usage: node bench/bare-client.mjs <baseURL> <cases> <concurrency>
import OpenAI from 'openai';
import { performance } from 'node:perf_hooks';

const [url, casesArg, concurrencyArg] = process.argv.slice(2);
const cases = Number(casesArg);
const concurrency = Number(concurrencyArg);
// Same retry budget as PromptLab's provider (3); the client honours Retry-After itself.
const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 3 });
let next = 0;
let completed = 0;
let failed = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < cases) {
      const i = next++;
      try {
        const stream = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'You answer questions briefly.' },
            { role: 'user', content: `Please answer question number ${i + 1}` },
          ],
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        if (text.trim()) completed++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }),
);
process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - started, completed, failed })}\n`);
