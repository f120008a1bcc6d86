// Compare view first paint in Chromium (no VS Code): a 1,000-case comparison computed by core is
// posted as one `show` message to the built dist/webview/compare.main.js; timed from the post until
// the frame after the summary, verdict, charts and the first batch of rows are laid out (median of 5
// fresh pages). Target: ≤ 300 ms. Prints figures; asserts nothing.
// Usage: node scripts/build.mjs && node bench/compare-paint.bench.mjs
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { builtFile, loadBundled, root } from './lib/setup.mjs';

const script = builtFile('dist/webview/compare.main.js');
const core = await loadBundled('compare', 'src/core/compare/index.ts');

const CASES = 1000;
const CASES_IN_PAGE = CASES;
const WORDS = 'the capital of country is city and its population grows every year while the river runs north'.split(
  ' ',
);
const sentence = (seed, n) => Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ');
function makeRun(runId, model, variant) {
  const cases = Array.from({ length: CASES }, (_, i) => {
    const changed = variant && i % 4 === 0;
    const passed = changed ? i % 8 !== 0 : i % 10 < 8;
    const output = (changed ? sentence(i + 1, 50) : sentence(i, 50)) + ' <img src=x onerror=alert(1)>';
    return {
      caseIndex: i,
      caseKey: `k${i}`,
      vars: { input: `Question ${i}: what is the capital of country ${i % 190}?`, expected: `City ${i % 190}` },
      samples: [
        {
          sample: 0,
          output,
          evaluations: [
            {
              evaluatorName: 'contains expected',
              score: passed ? 1 : 0,
              passed,
              details: passed ? 'found' : 'not found',
            },
            { evaluatorName: 'length', score: 1, passed: true, details: 'ok' },
          ],
          passed,
          usage: { prompt: 40, completion: 60, total: 100 },
          latencyMs: variant ? 180 : 240,
          costUsd: variant ? 0.00004 : 0.00012,
          cached: false,
        },
      ],
      passRate: passed ? 1 : 0,
      passed,
    };
  });
  const header = {
    kind: 'promptlab-run',
    formatVersion: 1,
    runId,
    promptFile: '/w/bench.prompt.yml',
    promptFileRelative: 'bench.prompt.yml',
    contentHash: 'x',
    model,
    endpointOrigin: 'http://127.0.0.1:1',
    provider: 'custom',
    parameters: {},
    repeat: 1,
    caseCount: CASES,
    startedAt: new Date(0).toISOString(),
    toolVersion: '0',
  };
  return { header, cases };
}
const a = makeRun('A', 'openai/gpt-4o', false);
const b = makeRun('B', 'openai/gpt-4o-mini', true);
const t0 = performance.now();
const comparison = core.compareRuns(a, b);
const computeMs = performance.now() - t0;
const points = core.qualityPoints([comparison.a, comparison.b]);
// As the host sends it (src/extension/compare/panel.ts): the first 60 rows with the summary, then the
// rest in chunks of 250, posted back to back.
const FIRST_ROWS = 60;
const MORE_ROWS = 250;
const message = {
  type: 'show',
  content: {
    kind: 'pair',
    title: 'Compare: gpt-4o ↔ gpt-4o-mini',
    runFiles: ['/w/a.jsonl', '/w/b.jsonl'],
    rowCount: comparison.rows.length,
    comparison: { ...comparison, rows: comparison.rows.slice(0, FIRST_ROWS) },
    points,
  },
};
const more = [];
for (let i = FIRST_ROWS; i < comparison.rows.length; i += MORE_ROWS)
  more.push({ type: 'more-rows', pairRows: comparison.rows.slice(i, i + MORE_ROWS) });

const fileUrl = (p) => 'file://' + path.join(root, p);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promptlab-compare-bench-'));
const page = path.join(scratch, 'compare.html');
fs.writeFileSync(
  page,
  `<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="${fileUrl('media/codicons/codicon.css')}">
<link rel="stylesheet" href="${fileUrl('media/webview.css')}">
<link rel="stylesheet" href="${fileUrl('media/compare.css')}">
<script>
  window.__ready = false; window.__posted = [];
  window.addEventListener('message', () => { window.__received = performance.now(); });
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); if (m && m.type === 'ready') window.__ready = true; },
    getState: () => undefined, setState: () => {},
  });
</script></head>
<body><div id="app"></div><script src="${fileUrl('dist/webview/compare.main.js')}"></script></body></html>`,
);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--allow-file-access-from-files'],
});
const PROFILE = process.argv.includes('--profile');
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
try {
  const paints = [];
  const deliveries = [];
  const busy = [];
  let rowsShown = 0;
  for (let round = 0; round < 5; round++) {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const tab = await context.newPage();
    await tab.goto('file://' + page);
    await tab.waitForFunction(() => window.__ready === true, undefined, { timeout: 10_000 });
    // The messages are put into the page first, so handing them over (Playwright's serialization) is not timed.
    await tab.evaluate(
      ({ msg, rest }) => {
        window.__show = msg;
        window.__more = rest;
      },
      { msg: message, rest: more },
    );
    const metricsSession = await context.newCDPSession(tab);
    await metricsSession.send('Performance.enable');
    const metric = async () =>
      Object.fromEntries((await metricsSession.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
    const before = await metric();
    const cdp = PROFILE && round === 0 ? await context.newCDPSession(tab) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const ms = await tab.evaluate(
      () =>
        new Promise((resolve, reject) => {
          const start = performance.now();
          window.postMessage(window.__show, '*');
          // Later messages arrive as their own tasks, as they do from the extension host.
          for (const m of window.__more) setTimeout(() => window.postMessage(m, '*'), 0);
          const deadline = start + 10_000;
          const check = () => {
            if (
              document.querySelector('ol.rows > li.row') &&
              document.querySelector('table.summary') &&
              document.querySelector('.charts svg')
            ) {
              void document.body.offsetHeight;
              requestAnimationFrame(() =>
                resolve({ total: performance.now() - start, delivery: window.__received - start }),
              );
            } else if (performance.now() > deadline) reject(new Error('the compare view never painted'));
            else requestAnimationFrame(check);
          };
          requestAnimationFrame(check);
        }),
    );
    const after = await metric();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map();
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      profile.samples.forEach((id, i) => {
        const n = byId.get(id);
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
      });
      console.log(
        [...self.entries()]
          .sort((x, y) => y[1] - x[1])
          .slice(0, 15)
          .map(([k, v]) => `  ${(v / 1000).toFixed(1)} ms ${k}`)
          .join('\n'),
      );
    }
    rowsShown = await tab.evaluate(() => document.querySelectorAll('ol.rows > li.row').length);
    // Every row arrived and scrolling to the end renders them all.
    await tab.evaluate(async () => {
      for (let i = 0; i < 100 && document.querySelectorAll('ol.rows > li.row').length < 1000; i++) {
        document.querySelector('.sentinel')?.scrollIntoView();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
    });
    const allRows = await tab.evaluate(() => document.querySelectorAll('ol.rows > li.row').length);
    if (allRows !== CASES_IN_PAGE)
      throw new Error(`only ${allRows} of ${CASES_IN_PAGE} rows rendered after scrolling to the end`);
    const imgs = await tab.evaluate(() => document.querySelectorAll('img').length);
    if (imgs !== 0) throw new Error(`model output became ${imgs} <img> element(s)`);
    // Busy time of the page's main thread (tasks, of which script and style+layout), in ms: unlike wall
    // time it does not count waiting for a CPU on a loaded machine.
    busy.push({
      task: (after.TaskDuration - before.TaskDuration) * 1000,
      script: (after.ScriptDuration - before.ScriptDuration) * 1000,
      layout:
        (after.LayoutDuration - before.LayoutDuration + after.RecalcStyleDuration - before.RecalcStyleDuration) * 1000,
    });
    paints.push(ms.total);
    deliveries.push(ms.delivery);
    await context.close();
  }
  console.log(
    `compare view bench (Chromium ${browser.version()}, ${os.cpus().length} CPU, ${CASES} vs ${CASES} cases, ${comparison.counts.regressions} regressions)`,
  );
  console.log(`  compareRuns in Node: ${computeMs.toFixed(0)} ms (first call, cold)`);
  console.log(
    `  first paint (validate message, summary, charts, first ${rowsShown} rows): median ${median(paints).toFixed(0)} ms (runs: ${paints.map((m) => m.toFixed(0)).join(', ')}) — target ≤ 300 ms`,
  );
  console.log(
    `    of which message delivery (the first ${(JSON.stringify(message).length / 1e6).toFixed(2)} MB of ${(JSON.stringify([message, ...more]).length / 1e6).toFixed(1)} MB): median ${median(deliveries).toFixed(0)} ms; load average ${os.loadavg()[0].toFixed(1)}`,
  );
  const mid = (key) => median(busy.map((b) => b[key])).toFixed(0);
  console.log(
    `    main-thread busy time until first paint: median ${mid('task')} ms (script ${mid('script')} ms, style+layout ${mid('layout')} ms)`,
  );
} finally {
  await browser.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
