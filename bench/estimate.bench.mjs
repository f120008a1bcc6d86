// `promptlab estimate` on a 2,000-case file: wall time (spawn → exit), and how close its input-token
// figure is to the provider's own `usage.prompt_tokens`, read by a bare `openai` client from the
// stand-in counting with the same tokenizer (`--tokenizer o200k_base`, as OpenAI counts gpt-4o-mini).
// Prints figures; asserts nothing. Run through `npm run bench` (it builds first) or
// `node bench/estimate.bench.mjs` after `node scripts/build.mjs`.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import OpenAI from 'openai';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const cli = path.join(root, 'dist', 'cli.js');
const standinBin = path.join(root, 'dist', 'standin.js');
const rssProbe = path.join(root, 'bench', 'rss-probe.cjs');
const CASES = 2000;
const SYSTEM = 'You answer questions briefly and precisely; cite no sources.';
const USER = 'Please answer {{input}} — in English or français, without emoji.';
const question = (i) =>
  `question number ${i + 1}: what is ${i} × ${(i % 13) + 2}, and why (e.g. «${'ab'.repeat(i % 5)}»)?`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-bench-estimate-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

function startStandin(args) {
  const child = spawn(process.execPath, [standinBin, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stand-in did not start in 10 s')), 10_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^STANDIN_URL=(\S+)$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1],
        stop: () =>
          new Promise((done) => (child.exitCode !== null ? done() : (child.once('exit', done), child.kill('SIGTERM')))),
      });
    });
  });
}

/** Runs the CLI; wall time is spawn → exit, `cpuMs` the child's user + system CPU (bench/rss-probe.cjs). */
function runCli(args) {
  const probeFile = path.join(work, 'probe.json');
  const started = performance.now();
  const env = { ...process.env, NO_COLOR: '1', PROMPTLAB_RSS_FILE: probeFile };
  const child = spawn(process.execPath, ['-r', rssProbe, cli, ...args], {
    cwd: work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const probe = JSON.parse(fs.readFileSync(probeFile, 'utf8'));
      resolve({ code, stdout, stderr, wallMs: performance.now() - started, cpuMs: probe.userMs + probe.systemMs });
    }),
  );
}

/** The provider's own count: every case sent once by a bare client, `usage.prompt_tokens` summed. */
async function providerPromptTokens(url, concurrency) {
  const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries: 3 });
  let next = 0;
  let total = 0;
  const worker = async () => {
    while (next < CASES) {
      const i = next++;
      const reply = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: USER.replace('{{input}}', question(i)) },
        ],
        max_tokens: 16,
      });
      total += reply.usage?.prompt_tokens ?? 0;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return total;
}

const yaml = [
  'name: Estimate bench',
  'model: openai/gpt-4o-mini',
  'modelParameters: { maxTokens: 16 }',
  'messages:',
  '  - role: system',
  `    content: ${JSON.stringify(SYSTEM)}`,
  '  - role: user',
  `    content: ${JSON.stringify(USER)}`,
  'testData:',
  ...Array.from({ length: CASES }, (_, i) => `  - input: ${JSON.stringify(question(i))}`),
  '',
].join('\n');
fs.writeFileSync(path.join(work, 'bench-2000.prompt.yml'), yaml);

const standin = await startStandin(['--tokenizer', 'o200k_base']);
fs.writeFileSync(
  path.join(work, 'promptlab.config.yaml'),
  `providers:\n  standin:\n    baseURL: ${standin.url}\nmodels:\n  openai/gpt-4o-mini: standin\n`,
);

console.log(`promptlab estimate, ${CASES}-case file (node ${process.version}, ${os.cpus().length} CPU(s))`);
const walls = [];
const cpus = [];
const validateCpus = [];
const versionWalls = [];
let estimate;
for (let round = 0; round < 5; round++) {
  const r = await runCli(['estimate', 'bench-2000.prompt.yml', '--json']);
  if (r.code !== 0) throw new Error(`estimate exited ${r.code}: ${r.stderr}`);
  estimate = JSON.parse(r.stdout);
  walls.push(r.wallMs);
  cpus.push(r.cpuMs);
  // The same file through `validate`: reading and checking it, no tokenizer, no prices.
  validateCpus.push((await runCli(['validate', 'bench-2000.prompt.yml'])).cpuMs);
  versionWalls.push((await runCli(['--version'])).wallMs);
}
const providerStarted = performance.now();
const provider = await providerPromptTokens(standin.url, 16);
const providerMs = performance.now() - providerStarted;
await standin.stop();

const best = Math.min(...walls);
const diff = ((estimate.inputTokens - provider) / provider) * 100;
const line = (what, value, target, ok) =>
  console.log(
    `  ${what.padEnd(62)} ${String(value).padEnd(30)} ${target.padEnd(10)} ${ok === undefined ? '' : ok ? 'met' : 'MISSED'}`,
  );
line(
  'estimate, spawn → exit (best of 5; tokenizer load included)',
  `${best.toFixed(0)} ms (median ${walls.sort((a, b) => a - b)[2].toFixed(0)} ms)`,
  '≤ 500 ms',
  best <= 500,
);
line('  CPU of the estimate (best of 5)', `${Math.min(...cpus).toFixed(0)} ms`, '', undefined);
line(
  '  CPU of `promptlab validate` on the same file (reading it)',
  `${Math.min(...validateCpus).toFixed(0)} ms`,
  '',
  undefined,
);
line(
  '  `promptlab --version` on this machine, for reference',
  `${Math.min(...versionWalls).toFixed(0)} ms`,
  '',
  undefined,
);
console.log(
  `  (load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
line(`estimate inputTokens (${estimate.tokenizer})`, estimate.inputTokens.toLocaleString('en-US'), '', undefined);
line(
  '  provider prompt_tokens via bare openai client (sum of 2,000)',
  `${provider.toLocaleString('en-US')} (${(providerMs / 1000).toFixed(1)} s to ask)`,
  '',
  undefined,
);
line('  difference', `${diff >= 0 ? '+' : ''}${diff.toFixed(2)} %`, '≤ ±2 %', Math.abs(diff) <= 2);
line(
  'estimate requests / cost range',
  `${estimate.requests} / $${estimate.costUsdLow.toFixed(4)} – $${estimate.costUsdHigh.toFixed(4)}`,
  '',
  undefined,
);
