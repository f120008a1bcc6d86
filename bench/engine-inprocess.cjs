// In-process comparison for bench/run.mjs: a bare `openai` pool and runPrompt (evaluators +
// run store) doing the same 1,000 requests in one process, interleaved and warmed, so the
// difference is the engine's own work per case. Prints JSON.
// Usage: node bench/engine-inprocess.cjs <dist-bench/engine.cjs> <baseURL> <prompt file> <runs dir>
const { performance } = require('node:perf_hooks');
const [engineBundle, url, promptPath, runsDir] = process.argv.slice(2);
const engine = require(engineBundle);
const OpenAI = require('openai').default;
const CONCURRENCY = 4;

async function bare(cases) {
  const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 3 });
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases) {
        const i = next++;
        const stream = await client.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'You answer questions briefly.' },
            { role: 'user', content: `Please answer question number ${i + 1}` },
          ],
          stream: true,
          stream_options: { include_usage: true },
        });
        for await (const _chunk of stream);
      }
    }),
  );
}

(async () => {
  const { prompt } = await engine.loadPromptFile(promptPath);
  const config = engine.parseProviderConfig(
    `providers:\n  standin:\n    baseURL: ${url}\nmodels:\n  "openai/*": standin\n`,
    'bench.yaml',
  );
  const resolver = engine.createResolver(config, { env: {} });
  const store = new engine.RunStore(runsDir);
  const cases = prompt.testData.length;
  const measure = async (fn) => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    return { wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
  };
  const sides = {
    bare: () => bare(cases),
    engine: () =>
      engine.runPrompt({ prompt, resolver, concurrency: CONCURRENCY, store, signal: new AbortController().signal }),
  };
  await sides.bare();
  await sides.engine();
  const results = { bare: [], engine: [] };
  for (let round = 0; round < 2; round++)
    for (const name of ['bare', 'engine']) results[name].push(await measure(sides[name]));
  process.stdout.write(`${JSON.stringify({ cases, ...results })}\n`);
})().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
