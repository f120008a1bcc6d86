// `npm run bench`: engine + CLI figures against the stand-in, side by side with a bare `openai`
// client doing the same requests. Prints figures; asserts nothing. Then runs bench/*.bench.mjs.
//
//   (a) 1,000 cases, 0 ms latency, concurrency 4: PromptLab's extra cost per case over the bare client
//   (b) 200 cases at 200 ms latency: wall vs N×latency/concurrency at concurrency 4 and 16
//   (c) fully cached re-run of 1,000 cases: wall including process start
//   (d) `promptlab --version` time; peak RSS of a 1,000-case run
//   (e) 20% 429 (Retry-After 1 s) + 2% 500: cases completed and wall vs the bare client
//
// Usage: node bench/run.mjs [--only a,b,c,d,e] [--skip-others]
import { spawn, spawnSync } from 'node:child_process';
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
const MODEL = 'openai/gpt-4o-mini';
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : undefined;
const runs = (part) => !only || only.has(part);

for (const file of [cli, standinBin]) {
  if (!fs.existsSync(file)) {
    console.error(`bench: ${path.relative(root, file)} is missing; run \`npm run bench\` (it builds first)`);
    process.exit(2);
  }
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-bench-'));
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

// ---------- helpers ----------

async function startStandin(args = []) {
  const child = spawn(process.execPath, [standinBin, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stand-in did not start in 10 s')), 10_000);
    child.on('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^STANDIN_URL=(\S+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(m[1]);
      }
    });
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

/** Provider config mapping MODEL (and the default judge) to the stand-in. */
function writeConfig(dir, url) {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'promptlab.config.yaml');
  fs.writeFileSync(file, standinConfigText(url));
  return file;
}

function standinConfigText(url) {
  return [
    'providers:',
    '  standin:',
    `    baseURL: ${url}`,
    'models:',
    `  ${MODEL}: standin`,
    '  openai/gpt-4o: standin',
    '',
  ].join('\n');
}

function promptText(cases) {
  const rows = Array.from({ length: cases }, (_, i) => `  - input: "question number ${i + 1}"`).join('\n');
  return [
    'name: Bench',
    `model: ${MODEL}`,
    'messages:',
    '  - role: system',
    '    content: You answer questions briefly.',
    '  - role: user',
    '    content: "Please answer {{input}}"',
    'testData:',
    rows,
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{input}}'",
    '',
  ].join('\n');
}

function writePrompt(dir, cases) {
  const file = path.join(dir, `bench-${cases}.prompt.yml`);
  fs.writeFileSync(file, promptText(cases));
  return file;
}

/** Runs the CLI; wall time covers process start to exit. */
function runCli(args, { cwd, probeFile } = {}) {
  const nodeArgs = probeFile ? ['-r', rssProbe, cli, ...args] : [cli, ...args];
  const env = { ...process.env, NO_COLOR: '1', ...(probeFile ? { PROMPTLAB_RSS_FILE: probeFile } : {}) };
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, { cwd: cwd ?? work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started })));
}

async function evalJson(prompt, config, extra, options = {}) {
  const result = await runCli(['eval', prompt, '--json', '--quiet', '--config', config, ...extra], options);
  if (result.code !== 0 && result.code !== 1) throw new Error(`promptlab exited ${result.code}: ${result.stderr}`);
  const json = JSON.parse(result.stdout);
  return { ...result, json };
}

/** The same requests through a bare openai client: a promise pool of `concurrency`, streamed like PromptLab. */
async function barePool(url, cases, concurrency) {
  const client = new OpenAI({ baseURL: url, apiKey: 'bench' });
  let next = 0;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < cases) {
      const i = next++;
      try {
        const stream = await client.chat.completions.create({
          model: MODEL.split('/')[1],
          messages: [
            { role: 'system', content: 'You answer questions briefly.' },
            { role: 'user', content: `Please answer question number ${i + 1}` },
          ],
          stream: true,
          stream_options: { include_usage: true },
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        if (text.trim().length > 0) completed++;
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { wallMs: performance.now() - started, completed, failed };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;
const figures = [];
function report(id, what, value, target, ok) {
  const verdict = ok === undefined ? '' : ok ? 'met' : 'MISSED';
  figures.push({ id, what, value, target, verdict });
  console.log(`  ${id.padEnd(3)} ${what.padEnd(58)} ${String(value).padEnd(26)} ${target.padEnd(12)} ${verdict}`);
}

console.log(`PromptLab engine/CLI benchmark — node ${process.version}, ${os.cpus().length} CPU(s), ${os.platform()}`);
console.log('Replies come from the local stand-in server (dist/standin.js), a separate process.\n');

// ---------- (a) + (d: RSS) ----------
if (runs('a') || runs('d')) {
  const standin = await startStandin();
  const dir = path.join(work, 'a');
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, 1000);
  await barePool(standin.url, 50, 4); // warm the stand-in
  const bare = [];
  const engine = [];
  const wall = [];
  let rssKb = 0;
  for (let round = 0; round < 3; round++) {
    bare.push((await barePool(standin.url, 1000, 4)).wallMs);
    const probeFile = path.join(dir, `rss-${round}.txt`);
    const r = await evalJson(prompt, config, ['--no-cache', '--concurrency', '4', '--runs-dir', path.join(dir, 'runs')], { cwd: dir, probeFile });
    engine.push(r.json.promptlab.durationMs);
    wall.push(r.wallMs);
    rssKb = Math.max(rssKb, Number(fs.readFileSync(probeFile, 'utf8')));
    if (r.json.summary.passedTests !== 1000) console.log(`  note: ${r.json.summary.passedTests}/1000 passed in round ${round + 1}`);
  }
  await standin.stop();
  const perCase = (median(engine) - median(bare)) / 1000;
  const perCaseWall = (median(wall) - median(bare)) / 1000;
  if (runs('a')) {
    report('a', 'bare openai client, 1,000 cases, c=4 (median of 3)', ms(median(bare)), '', undefined);
    report('a', 'PromptLab run (engine wall, from --json durationMs)', ms(median(engine)), '', undefined);
    report('a', 'PromptLab process (spawn → exit, incl. load/store)', ms(median(wall)), '', undefined);
    report('a', 'extra cost per case over bare client (engine)', `${perCase.toFixed(3)} ms`, '≤ 1 ms', perCase <= 1);
    report('a', 'extra cost per case incl. process start', `${perCaseWall.toFixed(3)} ms`, '', undefined);
  }
  if (runs('d')) report('d', 'peak RSS of a 1,000-case run (child maxRSS)', `${(rssKb / 1024).toFixed(1)} MB`, '≤ 150 MB', rssKb / 1024 <= 150);
}

// ---------- (b) ----------
if (runs('b')) {
  const latency = 200;
  const standin = await startStandin(['--latency-ms', String(latency)]);
  const dir = path.join(work, 'b');
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, 200);
  for (const [concurrency, target] of [
    [4, 1.1],
    [16, 1.25],
  ]) {
    const ideal = (200 * latency) / concurrency;
    const r = await evalJson(prompt, config, ['--no-cache', '--concurrency', String(concurrency), '--runs-dir', path.join(dir, 'runs')], { cwd: dir });
    const ratio = r.json.promptlab.durationMs / ideal;
    report('b', `200 cases × 200 ms, c=${concurrency}: engine wall / ideal ${ms(ideal)}`, `${ms(r.json.promptlab.durationMs)} = ${ratio.toFixed(3)}×`, `≤ ${target.toFixed(2)}×`, ratio <= target);
    const bare = await barePool(standin.url, 200, concurrency);
    report('b', `  same with bare client, c=${concurrency}`, `${ms(bare.wallMs)} = ${(bare.wallMs / ideal).toFixed(3)}×`, '', undefined);
  }
  await standin.stop();
}

// ---------- (c) ----------
if (runs('c')) {
  const standin = await startStandin();
  const dir = path.join(work, 'c');
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, 1000);
  const first = await evalJson(prompt, config, ['--concurrency', '4', '--runs-dir', path.join(dir, 'runs')], { cwd: dir });
  const rerun = [];
  let cached = 0;
  for (let round = 0; round < 3; round++) {
    const r = await evalJson(prompt, config, ['--concurrency', '4', '--runs-dir', path.join(dir, 'runs')], { cwd: dir });
    rerun.push(r.wallMs);
    cached = r.json.promptlab.cachedSamples;
  }
  await standin.stop();
  report('c', `cached re-run of 1,000 cases, spawn → exit (${cached} cached)`, ms(median(rerun)), '≤ 1000 ms', median(rerun) <= 1000);
  report('c', '  first (uncached) run for reference', ms(first.wallMs), '', undefined);
}

// ---------- (d) ----------
if (runs('d')) {
  const times = [];
  for (let i = 0; i < 11; i++) times.push((await runCli(['--version'])).wallMs);
  report('d', '`promptlab --version`, spawn → exit (median of 11)', ms(median(times)), '≤ 300 ms', median(times) <= 300);
  const nodeAlone = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    nodeAlone.push(performance.now() - t);
  }
  report('d', '  `node -e 0` on this machine, for reference', ms(median(nodeAlone)), '', undefined);
}

// ---------- (e) ----------
if (runs('e')) {
  const cases = 200;
  const concurrency = 8;
  const failureArgs = ['--fail429-rate', '0.2', '--fail500-rate', '0.02', '--retry-after-ms', '1000'];
  const dir = path.join(work, 'e');
  // A fresh stand-in per side: its failure pattern is deterministic from its own request count.
  let standin = await startStandin(failureArgs);
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, cases);
  const r = await evalJson(prompt, config, ['--no-cache', '--concurrency', String(concurrency), '--runs-dir', path.join(dir, 'runs')], { cwd: dir });
  await standin.stop();
  standin = await startStandin(failureArgs);
  const bare = await barePool(standin.url, cases, concurrency);
  await standin.stop();
  const completed = r.json.summary.totalTests - r.json.promptlab.erroredTests;
  const ratio = r.json.promptlab.durationMs / bare.wallMs;
  report('e', `20% 429 (1 s) + 2% 500, ${cases} cases, c=${concurrency}: completed`, `${((completed / cases) * 100).toFixed(1)}% (${completed}/${cases})`, '', undefined);
  report('e', '  bare client completed', `${((bare.completed / cases) * 100).toFixed(1)}% (${bare.completed}/${cases})`, '', undefined);
  report('e', '  wall PromptLab vs bare client', `${ms(r.json.promptlab.durationMs)} vs ${ms(bare.wallMs)} = ${ratio.toFixed(2)}×`, '≤ 1.20×', ratio <= 1.2);
}

fs.mkdirSync(path.join(root, 'dist-bench'), { recursive: true });
fs.writeFileSync(path.join(root, 'dist-bench', 'cli-bench.json'), JSON.stringify({ node: process.version, cpus: os.cpus().length, figures }, null, 2));

// ---------- other benchmarks ----------
if (!process.argv.includes('--skip-others') && !only) {
  const others = fs.readdirSync(path.join(root, 'bench')).filter((f) => f.endsWith('.bench.mjs')).sort();
  for (const file of others) {
    console.log(`\n== bench/${file}`);
    spawnSync(process.execPath, [path.join(root, 'bench', file)], { stdio: 'inherit', cwd: root });
  }
}
