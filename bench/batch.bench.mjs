// A 3,000-case `eval --batch` run against the stand-in's Batch API, side by side with the bare
// `openai` client doing the same file upload, batch creation and result download.
//   submit:  CLI start → the batch id is in the run file (process start, load, 3,000 lines, upload, create)
//   collect: `eval --resume` after the batch completed → exit (process start, retrieve, download,
//            parse, evaluate, run file and response cache written)
// Targets (issue #11): submit ≤ 2 s, collect and store ≤ 2 s. Prints figures; asserts nothing.
// Usage: node bench/batch.bench.mjs [--cases N] [--repeat R] [--no-cache]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI, { toFile } from 'openai';
import { loadBundled, numberFlag, root } from './lib/setup.mjs';

const cli = path.join(root, 'dist', 'cli.js');
const { startStandin } = await loadBundled('standin', 'src/standin/server.ts');

const N = numberFlag('--cases', 3000);
// --no-cache: collect without writing the response cache (to see what the cache writes cost).
const noCache = process.argv.includes('--no-cache') ? ['--no-cache'] : [];
const REPEAT = numberFlag('--repeat', 3);
const KEY = 'sk-bench-batch';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-batch-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

const standin = await startStandin({ batch: { stepMs: 200 } });
const prompt = path.join(work, 'suite.prompt.yml');
fs.writeFileSync(
  prompt,
  [
    'name: Batch bench',
    'model: openai/gpt-4o-mini',
    'messages:',
    '  - role: user',
    '    content: "Answer {{input}}"',
    'testData:',
    ...Array.from({ length: N }, (_, i) => `  - input: "question number ${i + 1} about something"`),
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{input}}'",
    '',
  ].join('\n'),
);
const config = path.join(work, 'promptlab.config.yaml');
fs.writeFileSync(
  config,
  [
    'providers:',
    '  oa:',
    '    preset: openai',
    `    baseURL: ${standin.url}`,
    '    apiKeyEnv: PROMPTLAB_BENCH_KEY',
    'models:',
    '  openai/gpt-4o-mini: oa',
    '',
  ].join('\n'),
);
const env = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', PROMPTLAB_BENCH_KEY: KEY };

// GNU time reports the child's CPU time: on a loaded machine wall time says more about the load.
const gnuTime = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function runToEnd(args) {
  const command = gnuTime
    ? [gnuTime, ['-f', 'CPU %U %S', process.execPath, cli, ...args]]
    : [process.execPath, [cli, ...args]];
  const child = spawn(command[0], command[1], { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({ code, stderr, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined });
    }),
  );
}

/** The id of the cases' batch once its record is in the run file (complete lines only; field order is not fixed). */
function stageZeroBatchId(text) {
  for (const line of text.split('\n').slice(0, -1)) {
    if (!line.includes('"batch"')) continue;
    const record = JSON.parse(line);
    if (record.type === 'batch' && record.stage === 0 && typeof record.batchId === 'string') return record.batchId;
  }
  return undefined;
}

async function waitCompleted(client, id) {
  for (let i = 0; i < 2000; i++) {
    const batch = await client.batches.retrieve(id);
    if (batch.status === 'completed') return;
    await delay(20);
  }
  throw new Error(`batch ${id} did not complete`);
}

const client = new OpenAI({ baseURL: standin.url, apiKey: KEY, maxRetries: 0 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const promptlab = { submit: [], collect: [], collectCpu: [] };
const load = [];
const bare = { submit: [], collect: [] };

for (let r = 0; r < REPEAT; r++) {
  // PromptLab: submit, then kill (the batch goes on), then resume once it completed.
  const runs = path.join(work, `runs-${r}`);
  // A fresh response cache each time: every reply is written to it during collect, as in real use.
  fs.rmSync(path.join(work, '.promptlab'), { recursive: true, force: true });
  load.push(os.loadavg()[0]);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'eval', prompt, '--batch', '--quiet', ...noCache, '--config', config, '--runs-dir', runs],
    { cwd: work, env, stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.on('exit', resolve));
  let runFile;
  let batchId;
  while (!batchId && performance.now() - started < 60_000) {
    const names = fs.existsSync(runs) ? fs.readdirSync(runs) : [];
    if (names[0]) {
      runFile = path.join(runs, names[0]);
      batchId = stageZeroBatchId(fs.readFileSync(runFile, 'utf8'));
    }
    if (!batchId) await delay(2);
  }
  promptlab.submit.push(performance.now() - started);
  child.kill('SIGKILL');
  await exited;
  await waitCompleted(client, batchId);
  const collectStart = performance.now();
  const resumed = await runToEnd([
    'eval',
    '--resume',
    runFile,
    '--quiet',
    ...noCache,
    '--config',
    config,
    '--runs-dir',
    runs,
  ]);
  promptlab.collect.push(performance.now() - collectStart);
  if (resumed.cpuMs !== undefined) promptlab.collectCpu.push(resumed.cpuMs);
  if (resumed.code !== 0) console.error(`bench: resume exited ${resumed.code}: ${resumed.stderr}`);

  // The bare client: the same lines, upload + create; then retrieve + download + parse.
  const bareStart = performance.now();
  const lines = Array.from({ length: N }, (_, i) =>
    JSON.stringify({
      custom_id: `case-${i}-0`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `Answer question number ${i + 1} about something` }],
      },
    }),
  );
  const file = await client.files.create({
    file: await toFile(Buffer.from(`${lines.join('\n')}\n`), 'bare.jsonl'),
    purpose: 'batch',
  });
  const batch = await client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  bare.submit.push(performance.now() - bareStart);
  await waitCompleted(client, batch.id);
  const bareCollect = performance.now();
  const done = await client.batches.retrieve(batch.id);
  const text = await (await client.files.content(done.output_file_id)).text();
  const answers = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  if (answers.length !== N) console.error(`bench: bare client read ${answers.length} lines`);
  bare.collect.push(performance.now() - bareCollect);
}
await standin.close();

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
console.log(
  `\nbatch (${N} cases, ${REPEAT} runs, median; PromptLab includes process start${noCache.length ? ', --no-cache' : ', response cache written'}):`,
);
console.log(
  `  submit   PromptLab ${fmt(median(promptlab.submit))}   bare client ${fmt(median(bare.submit))}   target ≤ 2 s`,
);
console.log(
  `  collect  PromptLab ${fmt(median(promptlab.collect))}   bare client ${fmt(median(bare.collect))}   target ≤ 2 s (after the batch completed)`,
);
console.log(
  `  all PromptLab submit: ${promptlab.submit.map(fmt).join(', ')}; collect: ${promptlab.collect.map(fmt).join(', ')}`,
);
if (promptlab.collectCpu.length)
  console.log(`  collect CPU time of the PromptLab process (user+sys, median): ${fmt(median(promptlab.collectCpu))}`);
console.log(
  `  1-min load average during the runs: ${load.map((l) => l.toFixed(1)).join(', ')} (${os.cpus().length} cores)`,
);
