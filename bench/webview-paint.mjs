// Run panel rendering in Chromium (no VS Code): loads the built dist/webview/run.main.js with the
// panel's CSS into a test page whose fake acquireVsCodeApi answers the "ready" handshake, then
//   (a) first paint of 1,000 results: from posting one `run-loaded` message with 1,000 case results
//       until the frame after the results grid shows the first screenful of rows with their verdicts
//       and the totals (median of 5 fresh pages); the grid is virtualised, so rows off screen are
//       not built until they scroll into view;
//   (s) scrolling 10,000 results: the grid scrolled from top to bottom in 300 steps, one per frame,
//       with the longest task (PerformanceObserver 'longtask', > 50 ms counts as one) and frame times;
//   (b) streaming: 1,000 running cases fed 100 `progress` batches of 1,000 deltas each (what the host
//       sends at most every 50 ms), the first case expanded so its reply streams into the DOM: mean
//       and worst time to apply one batch, and the longest task.
//   (r) reference on the same browser: 10,000 plain <div>s with text, created and laid out, so the
//       figures can be read against how fast this machine is at the moment (shared CI machines vary).
// Prints figures; asserts nothing. Usage: node scripts/build.mjs && node bench/webview-paint.mjs [--trace FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const script = path.join(root, 'dist/webview/run.main.js');
if (!fs.existsSync(script)) {
  console.error('bench: dist/webview/run.main.js is missing; run node scripts/build.mjs first');
  process.exit(1);
}
const CASES = 1000;
// --trace FILE: records a Chromium trace of the 10,000-row scroll and prints where the main thread's time went.
const traceAt = process.argv.indexOf('--trace');
const TRACE = traceAt > 0 ? path.resolve(process.argv[traceAt + 1] ?? 'webview-scroll.trace.json') : undefined;
/** Main-thread time per trace event name (style, layout, paint, script), summed over the trace. */
function traceSummary(trace) {
  const all = trace.traceEvents ?? trace;
  const renderers = new Set(
    all.filter((e) => e.ph === 'M' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const totals = new Map();
  for (const e of all)
    if (e.ph === 'X' && e.dur && renderers.has(`${e.pid}:${e.tid}`))
      totals.set(e.name, (totals.get(e.name) ?? 0) + e.dur);
  return [...totals]
    .sort((x, y) => y[1] - x[1])
    .slice(0, 14)
    .map(([name, us]) => `    ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`)
    .join('\n');
}
const fileUrl = (p) => 'file://' + path.join(root, p);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-webview-bench-'));
const page = path.join(scratch, 'run.html');
fs.writeFileSync(
  page,
  `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${fileUrl('media/codicons/codicon.css')}">
<link rel="stylesheet" href="${fileUrl('media/webview.css')}">
<link rel="stylesheet" href="${fileUrl('media/run.css')}">
<script>
  window.__ready = false; window.__posted = [];
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); if (m && m.type === 'ready') window.__ready = true; },
    getState: () => undefined, setState: () => {},
  });
</script></head>
<body><div id="app"></div><script src="${fileUrl('dist/webview/run.main.js')}"></script></body></html>`,
);

const header = {
  runId: 'bench',
  promptFile: '/w/bench.prompt.yml',
  promptName: 'Bench',
  model: 'openai/gpt-4o-mini',
  endpointOrigin: 'http://127.0.0.1:1',
  provider: 'custom',
  repeat: 1,
  caseCount: CASES,
  startedAt: new Date(0).toISOString(),
};
const summary = {
  totalTests: CASES,
  passedTests: 700,
  failedTests: 300,
  erroredTests: 20,
  passRate: 70,
  meanScore: 0.8,
  tokens: { prompt: 40000, completion: 60000, total: 100000 },
  costUsd: 0.12,
  durationMs: 61000,
  meanLatencyMs: 240,
  cachedSamples: 0,
};
const vars = (i) => ({
  input: `Question number ${i}: what is the capital of country ${i % 190}?`,
  expected: `City ${i % 190}`,
});
const result = (i) => ({
  caseIndex: i,
  caseKey: `k${i}`,
  vars: vars(i),
  samples: [
    {
      sample: 0,
      output: `The capital of country ${i % 190} is City ${i % 190}. `.repeat(4) + '<img src=x onerror=alert(1)>',
      evaluations: [
        {
          evaluatorName: 'contains expected',
          score: i % 10 < 7 ? 1 : 0,
          passed: i % 10 < 7,
          details: i % 10 < 7 ? 'found' : 'expected text not found in the output',
        },
        { evaluatorName: 'length', score: 1, passed: true, details: 'within 10..400 characters' },
      ],
      passed: i % 10 < 7,
      usage: { prompt: 40, completion: 60, total: 100 },
      ttftMs: 80,
      latencyMs: 240,
      costUsd: 0.00012,
      cached: false,
    },
  ],
  passRate: i % 10 < 7 ? 1 : 0,
  passed: i % 10 < 7,
});
const init = {
  type: 'init',
  promptFile: header.promptFile,
  promptName: 'Bench',
  model: header.model,
  cases: Array.from({ length: CASES }, (_, i) => ({ caseIndex: i, vars: vars(i) })),
  trusted: true,
};
const loaded = {
  type: 'run-loaded',
  header,
  results: Array.from({ length: CASES }, (_, i) => result(i)),
  summary,
  warnings: [],
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const firstPaint = [];
  for (let round = 0; round < 5; round++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const tab = await context.newPage();
    await tab.goto('file://' + page);
    await tab.waitForFunction(() => window.__ready === true, undefined, { timeout: 10_000 });
    await tab.evaluate(
      (message) =>
        new Promise((resolve) => {
          window.postMessage(message, '*');
          requestAnimationFrame(() => requestAnimationFrame(resolve));
        }),
      init,
    );
    const ms = await tab.evaluate(
      ({ message, cases }) =>
        new Promise((resolve, reject) => {
          const start = performance.now();
          window.postMessage(message, '*');
          const deadline = start + 10_000;
          const check = () => {
            const rows = document.querySelectorAll('.grid-row:not([hidden])');
            const judged = document.querySelectorAll('.grid-row.passed, .grid-row.failed');
            const totals = document.querySelector('.stats .stat-value')?.textContent === '70%';
            if (
              rows.length > 0 &&
              judged.length === rows.length &&
              totals &&
              document.querySelector('.shown-text')?.textContent === `${cases} cases`
            ) {
              // Force style and layout, then wait for the frame that paints it.
              void document.body.offsetHeight;
              requestAnimationFrame(() => resolve(performance.now() - start));
            } else if (performance.now() > deadline) reject(new Error('rows never showed their verdicts'));
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
      { message: loaded, cases: CASES },
    );
    const imgs = await tab.evaluate(() => document.querySelectorAll('img').length);
    if (imgs !== 0) throw new Error(`model output became ${imgs} <img> element(s)`);
    firstPaint.push(ms);
    await context.close();
  }

  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const tab = await context.newPage();
  await tab.goto('file://' + page);
  await tab.waitForFunction(() => window.__ready === true, undefined, { timeout: 10_000 });
  const streaming = await tab.evaluate(
    async ({ init, header, summary, cases }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      window.postMessage(init, '*');
      await frame();
      window.postMessage({ type: 'run-started', header, caseIndexes: Array.from({ length: cases }, (_, i) => i) }, '*');
      await frame();
      window.postMessage(
        {
          type: 'progress',
          started: Array.from({ length: cases }, (_, i) => ({ caseIndex: i, sample: 0 })),
          deltas: [],
          finished: [],
          summary,
        },
        '*',
      );
      await frame();
      // Expand the first case so its streamed reply is in the DOM (the others stream into memory).
      while (!document.querySelector('.grid-row.running[data-case="0"]')) await frame();
      document.querySelector('.grid-row[data-case="0"]').dispatchEvent(new MouseEvent('click', { bubbles: true }));
      while (!document.querySelector('.detail pre.streaming')) await frame();
      let longestTask = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longestTask = Math.max(longestTask, e.duration);
      }).observe({ type: 'longtask', buffered: false });
      const times = [];
      for (let batch = 0; batch < 100; batch++) {
        const deltas = Array.from({ length: cases }, (_, i) => ({ caseIndex: i, sample: 0, text: `token${batch} ` }));
        const start = performance.now();
        window.postMessage({ type: 'progress', started: [], deltas, finished: [], summary }, '*');
        await frame();
        void document.body.offsetHeight;
        times.push(performance.now() - start);
      }
      const text = document.querySelector('.detail pre.streaming')?.textContent ?? '';
      return {
        mean: times.reduce((a, b) => a + b, 0) / times.length,
        worst: Math.max(...times),
        longestTask,
        tokensInFirstRow: text.split(' ').filter(Boolean).length,
      };
    },
    { init, header, summary, cases: CASES },
  );
  await context.close();

  // (s) 10,000 results, scrolled top to bottom.
  const BIG = 10_000;
  const bigContext = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const bigTab = await bigContext.newPage();
  await bigTab.goto('file://' + page);
  await bigTab.waitForFunction(() => window.__ready === true, undefined, { timeout: 10_000 });
  const bigLoaded = {
    ...loaded,
    header: { ...header, caseCount: BIG },
    results: Array.from({ length: BIG }, (_, i) => result(i)),
    summary: { ...summary, totalTests: BIG },
  };
  const loadMs = await bigTab.evaluate(async (message) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const loadStart = performance.now();
    window.postMessage(message, '*');
    while (document.querySelectorAll('.grid-row.passed, .grid-row.failed').length === 0) await frame();
    return performance.now() - loadStart;
  }, bigLoaded);
  if (TRACE)
    await browser.startTracing(bigTab, {
      path: TRACE,
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
    });
  const scroll = await bigTab.evaluate(
    async ({ steps }) => {
      const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
      const grid = document.querySelector('.grid');
      let longestTask = 0;
      let longTasks = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          longestTask = Math.max(longestTask, e.duration);
          longTasks++;
        }
      }).observe({ type: 'longtask', buffered: false });
      await frame();
      const frames = [];
      const max = grid.scrollHeight - grid.clientHeight;
      for (let step = 1; step <= steps; step++) {
        const start = performance.now();
        grid.scrollTop = (max * step) / steps;
        await frame();
        frames.push(performance.now() - start);
      }
      await frame();
      const lastRow = [...document.querySelectorAll('.grid-row:not([hidden])')]
        .map((r) => Number(r.dataset.case))
        .sort((a, b) => b - a)[0];
      return {
        longestTask,
        longTasks,
        meanFrame: frames.reduce((a, b) => a + b, 0) / frames.length,
        worstFrame: Math.max(...frames),
        rowsInDom: document.querySelectorAll('.grid-row:not([hidden])').length,
        lastRow,
      };
    },
    { steps: 300 },
  );
  if (TRACE) {
    await browser.stopTracing();
    console.log(`  scroll trace written to ${TRACE} (top-level time by event):`);
    console.log(traceSummary(JSON.parse(fs.readFileSync(TRACE, 'utf8'))));
  }
  await bigContext.close();

  const reference = [];
  {
    const context = await browser.newContext();
    const tab = await context.newPage();
    for (let round = 0; round < 5; round++)
      reference.push(
        await tab.evaluate(() => {
          const start = performance.now();
          const fragment = document.createDocumentFragment();
          for (let i = 0; i < 10_000; i++) {
            const div = document.createElement('div');
            div.textContent = `row ${i}`;
            fragment.append(div);
          }
          document.body.replaceChildren(fragment);
          void document.body.offsetHeight;
          return performance.now() - start;
        }),
      );
    await context.close();
  }

  const chromeVersion = browser.version();
  console.log(`webview bench (Chromium ${chromeVersion}, ${os.cpus().length} CPU, ${CASES} cases)`);
  console.log(
    `  (a) first paint of ${CASES} results: median ${median(firstPaint).toFixed(0)} ms (runs: ${firstPaint.map((m) => m.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  (s) ${BIG.toLocaleString('en-US')} results: loaded and first rows painted in ${loadMs.toFixed(0)} ms; scrolled top to bottom in 300 steps: ` +
      `longest task ${scroll.longestTask.toFixed(0)} ms (${scroll.longTasks} task(s) over 50 ms), mean ${scroll.meanFrame.toFixed(1)} ms, worst ${scroll.worstFrame.toFixed(1)} ms per step (incl. one frame); ` +
      `${scroll.rowsInDom} rows in the DOM at the end, last row #${scroll.lastRow + 1}`,
  );
  console.log(
    `  (r) reference, 10,000 plain divs: median ${median(reference).toFixed(0)} ms; load average ${os.loadavg()[0].toFixed(1)}`,
  );
  console.log(
    `  (b) streaming, ${CASES} deltas per batch: mean ${streaming.mean.toFixed(1)} ms, worst ${streaming.worst.toFixed(1)} ms per batch (incl. one frame); longest task ${streaming.longestTask.toFixed(0)} ms; first row got ${streaming.tokensInFirstRow} of 100 tokens`,
  );
} finally {
  await browser.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
