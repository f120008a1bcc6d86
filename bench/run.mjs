// `npm run bench`: engine + CLI figures against the stand-in, side by side with a bare `openai`
// client doing the same requests. Prints figures; asserts nothing. Then runs bench/*.bench.mjs.
//
//   (a) 1,000 cases, 0 ms latency, concurrency 4: PromptLab's extra cost per case over the bare client
//   (b) 200 cases at 200 ms latency: wall vs N×latency/concurrency at concurrency 4 and 16
//   (c) fully cached re-run of 1,000 cases: wall including process start
//   (d) `promptlab --version` time; peak RSS of a 1,000-case run
//   (e) 20% 429 (Retry-After 1 s) + 2% 500: cases completed and wall vs the bare client
//   (f) 600 cases, c=16, stand-in limited to 40 req/s (token bucket) + 3% 500 + 1% drops: answered, wall vs 15 s
//   (g) 1,000 cases, c=16, 20% random 429 (Retry-After 1 s): wall vs a bare client retrying without limit
//   (h) 10,000 cases, c=16, 0 ms latency: wall and peak RSS vs the bare client, each its own process
//   (i) 1,000 cases, c=4, 0 ms latency: spawn → exit wall vs the bare client's process
//
// Usage: node bench/run.mjs [--only a,b,c,d,e,f,g,h,i] [--skip-others]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import readline from 'node:readline';
import * as esbuild from 'esbuild';
import OpenAI from 'openai';
import { nodeBundleOptions } from './lib/setup.mjs';

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

/** Test data inline in the YAML (gh-models style), or in a .jsonl file beside it (`jsonl: true`). */
function promptText(cases, jsonl) {
  const testData = jsonl
    ? ['testData: bench-cases.jsonl']
    : ['testData:', ...Array.from({ length: cases }, (_, i) => `  - input: "question number ${i + 1}"`)];
  return [
    'name: Bench',
    `model: ${MODEL}`,
    'messages:',
    '  - role: system',
    '    content: You answer questions briefly.',
    '  - role: user',
    '    content: "Please answer {{input}}"',
    ...testData,
    'evaluators:',
    '  - name: echoes',
    '    string:',
    "      contains: '{{input}}'",
    '',
  ].join('\n');
}

function writePrompt(dir, cases, { jsonl = false } = {}) {
  const file = path.join(dir, `bench-${cases}${jsonl ? '-jsonl' : ''}.prompt.yml`);
  if (jsonl) {
    const lines = Array.from({ length: cases }, (_, i) => JSON.stringify({ input: `question number ${i + 1}` }));
    fs.writeFileSync(path.join(dir, 'bench-cases.jsonl'), `${lines.join('\n')}\n`);
  }
  fs.writeFileSync(file, promptText(cases, jsonl));
  return file;
}

/** Runs the CLI; wall time covers process start to exit. With `probeFile`, `probe` holds the child's CPU and peak RSS. */
async function runCli(args, { cwd, probeFile, script = [cli] } = {}) {
  const nodeArgs = probeFile ? ['-r', rssProbe, ...script, ...args] : [...script, ...args];
  const env = { ...process.env, NO_COLOR: '1', ...(probeFile ? { PROMPTLAB_RSS_FILE: probeFile } : {}) };
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, { cwd: cwd ?? work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  const result = await new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started })),
  );
  if (probeFile) {
    result.probe = JSON.parse(fs.readFileSync(probeFile, 'utf8'));
    result.cpuMs = result.probe.userMs + result.probe.systemMs;
  }
  return result;
}

async function evalJson(prompt, config, extra, options = {}) {
  const result = await runCli(['eval', prompt, '--json', '--quiet', '--config', config, ...extra], options);
  if (result.code !== 0 && result.code !== 1) throw new Error(`promptlab exited ${result.code}: ${result.stderr}`);
  const json = JSON.parse(result.stdout);
  return { ...result, json };
}

/** The same requests through a bare openai client: a promise pool of `concurrency`, streamed like PromptLab. */
async function barePool(url, cases, concurrency, { maxRetries = 3 } = {}) {
  // Default: the same retry count PromptLab uses for 5xx (3); the client honours Retry-After itself.
  const client = new OpenAI({ baseURL: url, apiKey: 'bench', maxRetries });
  let next = 0;
  let completed = 0;
  let failed = 0;
  const started = performance.now();
  const cpuStart = process.cpuUsage();
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
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: performance.now() - started, cpuMs: (cpu.user + cpu.system) / 1000, completed, failed };
}

// Minimum of the rounds: the least disturbed measurement (noise only ever adds time).
const best = (xs) => Math.min(...xs);
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
// Three views of the same 1,000 requests (c=4, 0 ms latency):
//  1. processes: `promptlab eval` vs bench/bare-client.mjs, each a fresh process; wall of the run
//     itself (engine durationMs vs the pool's own wall) and marginal CPU per case (1,000-case run
//     minus 10-case run, over 990: process start, loading and JIT warm-up drop out).
//  2. in one warmed process: bare pool vs runPrompt (evaluators + run store), interleaved.
// CPU time is reported because wall time on a shared machine measures the machine as much as us.
if (runs('a') || runs('d')) {
  const standin = await startStandin();
  const dir = path.join(work, 'a');
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, 1000);
  const small = writePrompt(dir, 10);
  const args = ['--no-cache', '--concurrency', '4', '--runs-dir', path.join(dir, 'runs')];
  const bareChild = async (cases, probe) => {
    const r = await runCli([standin.url, String(cases), '4'], {
      probeFile: path.join(dir, probe),
      script: [path.join(root, 'bench', 'bare-client.mjs')],
    });
    return { ...JSON.parse(r.stdout), cpuMs: r.cpuMs };
  };
  await bareChild(50, 'warm.json'); // warm the stand-in
  const bare = [];
  const bareCpu = [];
  const bareSmallCpu = [];
  const engine = [];
  const wall = [];
  const cpu = [];
  const smallCpu = [];
  let rssKb = 0;
  for (let round = 0; round < 2; round++) {
    const b = await bareChild(1000, `bare-${round}.json`);
    bare.push(b.wallMs);
    bareCpu.push(b.cpuMs);
    bareSmallCpu.push((await bareChild(10, `bare-small-${round}.json`)).cpuMs);
    const r = await evalJson(prompt, config, args, { cwd: dir, probeFile: path.join(dir, `probe-${round}.json`) });
    engine.push(r.json.promptlab.durationMs);
    wall.push(r.wallMs);
    cpu.push(r.cpuMs);
    rssKb = Math.max(rssKb, r.probe.maxRssKb);
    if (r.json.summary.passedTests !== 1000)
      console.log(`  note: ${r.json.summary.passedTests}/1000 passed in round ${round + 1}`);
    smallCpu.push(
      (await evalJson(small, config, args, { cwd: dir, probeFile: path.join(dir, `probe-small-${round}.json`) })).cpuMs,
    );
  }
  let inProcess;
  if (runs('a')) {
    // The engine as a library (the CLI bundle is a program): bundled from src/core like bench/compare.bench.mjs does.
    const engineBundle = path.join(root, 'dist-bench', 'engine.cjs');
    await esbuild.build({
      stdin: {
        contents:
          "export * from './src/core/index'; export { parseProviderConfig } from './src/core/providers/config'; export { createResolver } from './src/core/providers/resolver';",
        resolveDir: root,
        loader: 'ts',
      },
      ...nodeBundleOptions,
      outfile: engineBundle,
      logLevel: 'error',
      inject: [path.join(root, 'scripts', 'import-meta-url.js')],
      define: { 'import.meta.url': 'importMetaUrl' },
    });
    const r = spawnSync(
      process.execPath,
      [
        path.join(root, 'bench', 'engine-inprocess.cjs'),
        engineBundle,
        standin.url,
        prompt,
        path.join(dir, 'runs-inprocess'),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) console.log(`  note: in-process comparison failed: ${r.stderr}`);
    else inProcess = JSON.parse(r.stdout);
  }
  await standin.stop();
  const perCase = (best(engine) - best(bare)) / 1000;
  const bareCpuPerCase = (best(bareCpu) - best(bareSmallCpu)) / 990;
  const plCpuPerCase = (best(cpu) - best(smallCpu)) / 990;
  if (runs('a')) {
    report('a', 'bare client process: pool wall, 1,000 cases (best of 2)', ms(best(bare)), '', undefined);
    report('a', 'promptlab eval: engine wall (--json durationMs)', ms(best(engine)), '', undefined);
    report('a', '  promptlab eval process, spawn → exit', ms(best(wall)), '', undefined);
    report('a', 'extra wall per case over the bare client', `${perCase.toFixed(3)} ms`, '≤ 1 ms', perCase <= 1);
    report('a', 'marginal CPU per case: bare client process', `${bareCpuPerCase.toFixed(3)} ms`, '', undefined);
    report('a', 'marginal CPU per case: promptlab eval process', `${plCpuPerCase.toFixed(3)} ms`, '', undefined);
    report(
      'a',
      'extra CPU per case over the bare client (processes)',
      `${(plCpuPerCase - bareCpuPerCase).toFixed(3)} ms`,
      '≤ 1 ms',
      plCpuPerCase - bareCpuPerCase <= 1,
    );
    if (inProcess) {
      const min = (xs, key) => Math.min(...xs.map((x) => x[key]));
      const n = inProcess.cases;
      const cpuExtra = (min(inProcess.engine, 'cpuMs') - min(inProcess.bare, 'cpuMs')) / n;
      const wallExtra = (min(inProcess.engine, 'wallMs') - min(inProcess.bare, 'wallMs')) / n;
      report(
        'a',
        'in one warmed process: bare pool (wall / CPU per case)',
        `${ms(min(inProcess.bare, 'wallMs'))} / ${(min(inProcess.bare, 'cpuMs') / n).toFixed(3)} ms`,
        '',
        undefined,
      );
      report(
        'a',
        '  runPrompt + evaluators + run store (wall / CPU per case)',
        `${ms(min(inProcess.engine, 'wallMs'))} / ${(min(inProcess.engine, 'cpuMs') / n).toFixed(3)} ms`,
        '',
        undefined,
      );
      report(
        'a',
        '  extra per case in-process (wall / CPU)',
        `${wallExtra.toFixed(3)} / ${cpuExtra.toFixed(3)} ms`,
        '≤ 1 ms',
        wallExtra <= 1 && cpuExtra <= 1,
      );
    }
  }
  if (runs('d'))
    report(
      'd',
      'peak RSS of a 1,000-case run (child maxRSS)',
      `${(rssKb / 1024).toFixed(1)} MB`,
      '≤ 150 MB',
      rssKb / 1024 <= 150,
    );
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
    const r = await evalJson(
      prompt,
      config,
      ['--no-cache', '--concurrency', String(concurrency), '--runs-dir', path.join(dir, 'runs')],
      { cwd: dir },
    );
    const ratio = r.json.promptlab.durationMs / ideal;
    report(
      'b',
      `200 cases × 200 ms, c=${concurrency}: engine wall / ideal ${ms(ideal)}`,
      `${ms(r.json.promptlab.durationMs)} = ${ratio.toFixed(3)}×`,
      `≤ ${target.toFixed(2)}×`,
      ratio <= target,
    );
    const bare = await barePool(standin.url, 200, concurrency);
    report(
      'b',
      `  same with bare client, c=${concurrency}`,
      `${ms(bare.wallMs)} = ${(bare.wallMs / ideal).toFixed(3)}×`,
      '',
      undefined,
    );
  }
  await standin.stop();
}

// ---------- (c) ----------
if (runs('c')) {
  const standin = await startStandin();
  for (const jsonl of [false, true]) {
    // Own directory (and so own response cache) per variant: the first run must really be uncached.
    const dir = path.join(work, jsonl ? 'c-jsonl' : 'c-inline');
    const config = writeConfig(dir, standin.url);
    const prompt = writePrompt(dir, 1000, { jsonl });
    const label = jsonl ? 'test data in a .jsonl file' : 'test data inline in the YAML';
    const first = await evalJson(prompt, config, ['--concurrency', '4', '--runs-dir', path.join(dir, 'runs')], {
      cwd: dir,
    });
    const rerun = [];
    const engine = [];
    let cached = 0;
    for (let round = 0; round < 2; round++) {
      const r = await evalJson(prompt, config, ['--concurrency', '4', '--runs-dir', path.join(dir, 'runs')], {
        cwd: dir,
      });
      rerun.push(r.wallMs);
      engine.push(r.json.promptlab.durationMs);
      cached = r.json.promptlab.cachedSamples;
    }
    report(
      'c',
      `cached re-run, 1,000 cases, ${label}: spawn → exit`,
      `${ms(best(rerun))} (${cached} cached)`,
      '≤ 1000 ms',
      best(rerun) <= 1000,
    );
    report('c', '  of which the engine run (durationMs)', ms(best(engine)), '', undefined);
    report('c', '  first (uncached) run, spawn → exit', ms(first.wallMs), '', undefined);
  }
  await standin.stop();
}

// ---------- (d) ----------
if (runs('d')) {
  const times = [];
  const cpus = [];
  const nodeTimes = [];
  const nodeCpus = [];
  for (let i = 0; i < 7; i++) {
    const v = await runCli(['--version'], { probeFile: path.join(work, 'probe-version.json') });
    times.push(v.wallMs);
    cpus.push(v.cpuMs);
    const n = await runCli([], { probeFile: path.join(work, 'probe-node.json'), script: ['-e', '0'] });
    nodeTimes.push(n.wallMs);
    nodeCpus.push(n.cpuMs);
  }
  report(
    'd',
    '`promptlab --version`, spawn → exit (best of 7)',
    `${ms(best(times))} (CPU ${ms(best(cpus))})`,
    '≤ 300 ms',
    best(times) <= 300,
  );
  report(
    'd',
    '  `node -e 0` on this machine, for reference',
    `${ms(best(nodeTimes))} (CPU ${ms(best(nodeCpus))})`,
    '',
    undefined,
  );
}

// ---------- (e) ----------
if (runs('e')) {
  const cases = 200;
  const concurrency = 8;
  // The stand-in's failures are deterministic (request n fails when ceil(n·rate) grows). At exactly
  // 0.02 every 500 would fall on a request that is already a 429 (n ≡ 1 mod 50 ⊂ n ≡ 1 mod 5), so
  // no 500 would ever be served; 0.021 (≈ 2%) puts them on other requests.
  const failureArgs = ['--fail429-rate', '0.2', '--fail500-rate', '0.021', '--retry-after-ms', '1000'];
  const dir = path.join(work, 'e');
  // A fresh stand-in per side: its failure pattern is deterministic from its own request count.
  let standin = await startStandin(failureArgs);
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, cases);
  const r = await evalJson(
    prompt,
    config,
    ['--no-cache', '--concurrency', String(concurrency), '--runs-dir', path.join(dir, 'runs')],
    { cwd: dir },
  );
  await standin.stop();
  standin = await startStandin(failureArgs);
  const bare = await barePool(standin.url, cases, concurrency);
  await standin.stop();
  const completed = r.json.summary.totalTests - r.json.promptlab.erroredTests;
  const ratio = r.json.promptlab.durationMs / bare.wallMs;
  report(
    'e',
    `20% 429 (1 s) + 2% 500, ${cases} cases, c=${concurrency}: completed`,
    `${((completed / cases) * 100).toFixed(1)}% (${completed}/${cases})`,
    '',
    undefined,
  );
  report(
    'e',
    '  bare client completed',
    `${((bare.completed / cases) * 100).toFixed(1)}% (${bare.completed}/${cases})`,
    '',
    undefined,
  );
  report(
    'e',
    '  wall PromptLab vs bare client',
    `${ms(r.json.promptlab.durationMs)} vs ${ms(bare.wallMs)} = ${ratio.toFixed(2)}×`,
    '≤ 1.20×',
    ratio <= 1.2,
  );
}

// ---------- (f) ----------
// A real rate limit: the stand-in's token bucket (40 req/s, capacity 40) answers 429 with
// retry-after-ms beyond it, and 3 % of the requests it lets through fail with 500, 1 % are cut
// mid-reply. 600 cases cannot take less than 600 / 40 = 15 s, minus the first second's burst.
// The stand-in's failures are evenly spread, not random; at exactly 1 % every drop would land on a
// request already answered 500 (as in (e)), so the drop rate is 1.1 %.
/**
 * The same cases through `promptlab eval` and a bare pool, each against a fresh stand-in started
 * with `standinArgs` (its failure pattern is deterministic from its own request count).
 */
async function bothSides(part, standinArgs, cases, concurrency, bareMaxRetries) {
  const dir = path.join(work, part);
  let standin = await startStandin(standinArgs);
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, cases, { jsonl: true });
  const r = await runCli(
    [
      'eval',
      prompt,
      '--json',
      '--quiet',
      '--no-cache',
      '--concurrency',
      String(concurrency),
      '--config',
      config,
      '--runs-dir',
      path.join(dir, 'runs'),
    ],
    { cwd: dir },
  );
  await standin.stop();
  const json = JSON.parse(r.stdout);
  standin = await startStandin(standinArgs);
  const bare = await barePool(standin.url, cases, concurrency, { maxRetries: bareMaxRetries });
  await standin.stop();
  return {
    code: r.code,
    durationMs: json.promptlab.durationMs,
    answered: json.summary.totalTests - json.promptlab.erroredTests,
    bare,
  };
}

if (runs('f')) {
  const cases = 600;
  const concurrency = 16;
  const ideal = (cases / 40) * 1000;
  const { code, durationMs, answered, bare } = await bothSides(
    'f',
    ['--requests-per-second', '40', '--fail500-rate', '0.03', '--drop-rate', '0.011'],
    cases,
    concurrency,
    2,
  );
  const ratio = durationMs / ideal;
  report(
    'f',
    `40 req/s bucket + 3% 500 + 1% drops, ${cases} cases, c=${concurrency}: answered`,
    `${answered}/${cases}, exit ${code}`,
    `${cases}/${cases}, 0`,
    answered === cases && code === 0,
  );
  report(
    'f',
    '  wall (engine durationMs) / ideal 15 s',
    `${ms(durationMs)} = ${ratio.toFixed(3)}×`,
    '≤ 1.25×',
    ratio <= 1.25,
  );
  report(
    'f',
    '  same requests, bare openai client (its default 2 retries): answered',
    `${bare.completed}/${cases} in ${ms(bare.wallMs)}`,
    '',
    undefined,
  );
}

// ---------- (g) ----------
// One-off 429s (not a used-up limit): 20 % of requests, Retry-After 1 s, no x-ratelimit headers.
// The bare client retries without limit, each request waiting its own second; PromptLab must not
// turn these into a pause for every request.
if (runs('g')) {
  const cases = 1000;
  const concurrency = 16;
  const { code, durationMs, answered, bare } = await bothSides(
    'g',
    ['--fail429-rate', '0.2', '--retry-after-ms', '1000'],
    cases,
    concurrency,
    Number.MAX_SAFE_INTEGER,
  );
  const ratio = durationMs / bare.wallMs;
  report(
    'g',
    `20% random 429 (1 s), ${cases} cases, c=${concurrency}: answered`,
    `${answered}/${cases}, exit ${code}`,
    `${cases}/${cases}`,
    answered === cases,
  );
  report('g', '  bare client retrying without limit: answered', `${bare.completed}/${cases}`, '', undefined);
  report(
    'g',
    '  wall PromptLab (durationMs) vs bare client',
    `${ms(durationMs)} vs ${ms(bare.wallMs)} = ${ratio.toFixed(2)}×`,
    '≤ 1.20×',
    ratio <= 1.2,
  );
}

// ---------- (h) + (i) ----------
// The engine's own cost at scale: the same requests through `promptlab eval` and through
// bench/bare-client.mjs, each a fresh process, rounds interleaved (best of 2). (h) compares the
// engine's durationMs with the pool's own wall and peak RSS of the two processes; (i) compares
// whole processes, spawn to exit (start, loading the file, writing the output included).
for (const [part, cases, concurrency, target] of [
  ['h', 10_000, 16, 1.25],
  ['i', 1_000, 4, 1.15],
]) {
  if (!runs(part)) continue;
  const standin = await startStandin();
  const dir = path.join(work, part);
  const config = writeConfig(dir, standin.url);
  const prompt = writePrompt(dir, cases, { jsonl: true });
  const args = ['--no-cache', '--concurrency', String(concurrency), '--runs-dir', path.join(dir, 'runs')];
  const bareScript = { script: [path.join(root, 'bench', 'bare-client.mjs')] };
  await runCli([standin.url, '200', String(concurrency)], bareScript); // warm the stand-in
  const pl = [];
  const bare = [];
  for (let round = 0; round < 2; round++) {
    const b = await runCli([standin.url, String(cases), String(concurrency)], {
      ...bareScript,
      probeFile: path.join(dir, `bare-${round}.json`),
    });
    bare.push({ ...JSON.parse(b.stdout), processMs: b.wallMs, cpuMs: b.cpuMs, rssKb: b.probe.maxRssKb });
    const r = await evalJson(prompt, config, args, { cwd: dir, probeFile: path.join(dir, `pl-${round}.json`) });
    pl.push({
      durationMs: r.json.promptlab.durationMs,
      processMs: r.wallMs,
      cpuMs: r.cpuMs,
      rssKb: r.probe.maxRssKb,
      passed: r.json.summary.passedTests,
    });
  }
  await standin.stop();
  const min = (xs, key) => Math.min(...xs.map((x) => x[key]));
  const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
  const label = `${cases.toLocaleString('en')} cases, c=${concurrency}, 0 ms`;
  if (part === 'h') {
    const ratio = min(pl, 'durationMs') / min(bare, 'wallMs');
    report(
      'h',
      `${label}: engine wall vs bare pool wall`,
      `${ms(min(pl, 'durationMs'))} vs ${ms(min(bare, 'wallMs'))} = ${ratio.toFixed(2)}×`,
      `≤ ${target.toFixed(2)}×`,
      ratio <= target,
    );
    report(
      'h',
      '  peak RSS promptlab eval / bare client process',
      `${mb(min(pl, 'rssKb'))} / ${mb(min(bare, 'rssKb'))}`,
      '≤ 220 MB',
      min(pl, 'rssKb') / 1024 <= 220,
    );
    report(
      'h',
      '  CPU of the process promptlab / bare',
      `${ms(min(pl, 'cpuMs'))} / ${ms(min(bare, 'cpuMs'))}`,
      '',
      undefined,
    );
    report('h', '  cases passed (promptlab)', `${min(pl, 'passed')}/${cases}`, '', undefined);
  } else {
    const ratio = min(pl, 'processMs') / min(bare, 'processMs');
    report(
      'i',
      `${label}: process wall promptlab vs bare`,
      `${ms(min(pl, 'processMs'))} vs ${ms(min(bare, 'processMs'))} = ${ratio.toFixed(2)}×`,
      `≤ ${target.toFixed(2)}×`,
      ratio <= target,
    );
    report(
      'i',
      '  CPU of the process promptlab / bare',
      `${ms(min(pl, 'cpuMs'))} / ${ms(min(bare, 'cpuMs'))}`,
      '',
      undefined,
    );
  }
}

fs.mkdirSync(path.join(root, 'dist-bench'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'dist-bench', 'cli-bench.json'),
  JSON.stringify({ node: process.version, cpus: os.cpus().length, figures }, null, 2),
);

// ---------- other benchmarks ----------
if (!process.argv.includes('--skip-others') && !only) {
  const others = fs
    .readdirSync(path.join(root, 'bench'))
    .filter((f) => f.endsWith('.bench.mjs'))
    .sort();
  for (const file of others) {
    console.log(`\n== bench/${file}`);
    spawnSync(process.execPath, [path.join(root, 'bench', file)], { stdio: 'inherit', cwd: root });
  }
}
