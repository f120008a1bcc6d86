// Compare speed: two 1,000-case runs (three evaluators, ~60-word outputs, a third of them changed)
// through compareRuns with word diffs, and the text rendering. Target: ≤ 200 ms.
// Usage: node bench/compare.bench.mjs [--cases N]
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadBundled, numberFlag } from './lib/setup.mjs';

const compare = await loadBundled('compare', 'src/core/compare/index.ts');

const N = numberFlag('--cases', 1000);
const WORDS =
  'the model answered with a short summary of the input text and then added some detail about tokens latency cost quality'.split(
    ' ',
  );

function text(seed, words) {
  const out = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 31 + i * 7) % WORDS.length]);
  return out.join(' ');
}

function makeRun(runId, model, variant) {
  const cases = [];
  for (let i = 0; i < N; i++) {
    const changed = variant && i % 3 === 0;
    const output = changed ? text(i + 1, 60) : text(i, 60);
    const passedAll = changed ? i % 6 !== 0 : true;
    const evaluations = ['contains', 'length', 'judge'].map((name, k) => ({
      evaluatorName: name,
      passed: k === 0 ? passedAll : true,
      score: k === 2 ? (changed ? 0.6 : 0.8) : k === 0 && !passedAll ? 0 : 1,
      details: 'ok',
    }));
    const sample = {
      sample: 0,
      output,
      evaluations,
      passed: passedAll,
      latencyMs: 120 + (i % 50),
      costUsd: 0.0001,
      cached: false,
      usage: { prompt: 40, completion: 60, total: 100 },
    };
    cases.push({
      caseIndex: i,
      caseKey: `k${i}`,
      vars: { input: `case ${i}` },
      samples: [sample],
      passRate: passedAll ? 1 : 0,
      passed: passedAll,
    });
  }
  const header = {
    kind: 'promptlab-run',
    formatVersion: 1,
    runId,
    promptFile: '/ws/bench.prompt.yml',
    promptFileRelative: 'bench.prompt.yml',
    contentHash: 'x',
    model,
    endpointOrigin: 'http://127.0.0.1',
    provider: 'openai',
    parameters: {},
    repeat: 1,
    caseCount: N,
    startedAt: new Date().toISOString(),
    toolVersion: '0',
  };
  return {
    header,
    cases,
    finished: true,
    summary: {
      totalTests: N,
      passedTests: 0,
      failedTests: 0,
      erroredTests: 0,
      passRate: 100,
      meanScore: 0.9,
      tokens: { prompt: 0, completion: 0, total: 100 * N },
      costUsd: 0.0001 * N,
      durationMs: 1,
      meanLatencyMs: 140,
      cachedSamples: 0,
    },
  };
}

const a = makeRun('A', 'gpt-4o', false);
const b = makeRun('B', 'gpt-4o-mini', true);
const options = process.argv.includes('--all-diffs') ? { diffLimit: Infinity } : {};
const times = [];
const cpuTimes = [];
const textTimes = [];
let result;
for (let i = 0; i < 7; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  result = compare.compareRuns(a, b, options);
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  compare.formatComparisonText(result);
  times.push(t1 - t0);
  textTimes.push(performance.now() - t1);
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const diffed = result.rows.filter((r) => r.diff).length;
console.log(
  `compare: ${N} vs ${N} cases (${result.counts.regressions} regressions, word diffs for ${diffed} rows): ` +
    `compareRuns first ${times[0].toFixed(1)} ms, median ${median(times).toFixed(1)} ms wall (CPU: first ${cpuTimes[0].toFixed(1)} ms, median ${median(cpuTimes).toFixed(1)} ms); ` +
    `text rendering median ${median(textTimes).toFixed(1)} ms (target ≤ 200 ms; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs)`,
);
// On-demand diffs (the compare view asks for a row's diff when it scrolls into view).
const t2 = performance.now();
const rows = result.rows.filter((r) => r.outputChanged);
for (const r of rows)
  compare.diffOutputs(a.cases[r.a.caseIndex].samples[0].output, b.cases[r.b.caseIndex].samples[0].output);
console.log(
  `diff: ${rows.length} changed 60-word outputs, ${((performance.now() - t2) / rows.length).toFixed(2)} ms per row on demand`,
);
