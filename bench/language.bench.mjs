// Editor language speed on a 2,000-case prompt file: what one keystroke costs. Diagnostics are
// core's parsePromptFile on the whole text (what the extension runs ~250 ms after the last
// change), also with the cases in a .json test-data file; completion, hover, outline and a quick fix
// are the services' own work per request.
// Target: diagnostics ≤ 50 ms per change. Prints figures; asserts nothing.
// Usage: node bench/language.bench.mjs [--cases N] [--rounds N]
import { performance } from 'node:perf_hooks';
import { loadBundled, numberFlag } from './lib/setup.mjs';

const core = await loadBundled('language', {
  contents: "export * from './src/core/language'; export { parsePromptFile } from './src/core/promptfile';",
});

const N = numberFlag('--cases', 2000);
const ROUNDS = numberFlag('--rounds', 40);

function promptText(cases) {
  const lines = [
    'name: Bench',
    'model: openai/gpt-4o-mini',
    'modelParameters:',
    '  temperature: 0.2',
    'messages:',
    '  - role: system',
    '    content: |',
    '      You are a {{persona}} answering in {{lang}}.',
    '  - role: user',
    '    content: "Question {{id}}: {{question}}"',
    'testData:',
  ];
  for (let i = 0; i < cases; i++) {
    lines.push(
      `  - id: ${i}`,
      `    persona: helper ${i % 7}`,
      `    question: "What is ${i} plus ${i}?"`,
      `    expected: "${2 * i}"`,
    );
    if (i % 50 !== 0) lines.push('    lang: en'); // every 50th case lacks `lang`: a warning with an addVariable fix
  }
  lines.push(
    'evaluators:',
    '  - name: has answer',
    '    string:',
    '      contains: "{{expected}}"',
    '  - name: judge',
    '    uses: github/similarity',
    '',
  );
  return lines.join('\n');
}

const base = promptText(N);
const lines = base.split('\n');
const middle = Math.floor(lines.length / 2);
const reader = {
  readFile: () => Promise.reject(Object.assign(new Error('no files in this bench'), { code: 'ENOENT' })),
};

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: pick(0.5), p95: pick(0.95), max: sorted[sorted.length - 1] };
}
const fmt = (s) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`;

/** The text after the k-th simulated keystroke: one character typed into a question in the middle. */
function edited(k) {
  const copy = [...lines];
  copy[middle + 2] = `${copy[middle + 2]}${'x'.repeat(k % 5)}`;
  return copy.join('\n');
}

/** Wall time of `fn`; its CPU time (the honest figure on a busy machine) goes to `cpuOf.get(samples)`. */
const cpuOf = new Map();
async function time(fn, samples) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const used = process.cpuUsage(c0);
  if (samples) {
    const list = cpuOf.get(samples) ?? [];
    list.push((used.user + used.system) / 1000);
    cpuOf.set(samples, list);
  }
  return wall;
}
const both = (samples) => `${fmt(stats(samples))}; CPU ${fmt(stats(cpuOf.get(samples) ?? [0]))}`;

// Warm up the JIT the way a long editor session does.
for (let k = 0; k < 5; k++) await core.parsePromptFile('/bench/b.prompt.yml', edited(k), reader);

const fullDiagnostics = [];
let diagnosticCount = 0;
for (let k = 0; k < ROUNDS; k++) {
  const text = edited(k);
  fullDiagnostics.push(
    await time(async () => {
      const result = await core.parsePromptFile('/bench/b.prompt.yml', text, reader);
      diagnosticCount = result.diagnostics.length;
    }, fullDiagnostics),
  );
}

// What the extension runs per change: its incremental parse, then validation of that parse.
const editorParser = new core.IncrementalPromptParser();
editorParser.parse(edited(0));
const diagnostics = [];
for (let k = 1; k <= ROUNDS; k++) {
  const text = edited(k);
  diagnostics.push(
    await time(async () => {
      const result = await core.parsePromptFile('/bench/b.prompt.yml', text, reader, {
        parsed: editorParser.parse(text),
      });
      diagnosticCount = result.diagnostics.length;
    }, diagnostics),
  );
}

const docs = core.promptSchemaDocs;
const completion = [];
const hover = [];
const outline = [];
const quickFix = [];
const loaded = await core.parsePromptFile('/bench/b.prompt.yml', base, reader);
const missing = loaded.diagnostics.find((d) => d.code === 'missing-variable' && d.fix?.kind === 'addVariable');
const placeholderLine = lines.findIndex((l) => l.includes('{{question}}'));
let edits = 0;
for (let k = 0; k < ROUNDS; k++) {
  completion.push(
    await time(() => core.complete(base, { line: middle + 1, column: 4 }, { docs, prompt: loaded.prompt }), completion),
  );
  hover.push(
    await time(() =>
      core.hover(
        base,
        { line: placeholderLine, column: lines[placeholderLine].indexOf('question') },
        { prompt: loaded.prompt },
      ),
    ),
  );
  outline.push(await time(() => core.documentSymbols(base), outline));
  if (missing)
    quickFix.push(
      await time(
        () =>
          (edits =
            core.quickFixes(missing, { promptPath: '/bench/b.prompt.yml', promptText: base })[0]?.edits.length ?? 0),
      ),
    );
}

// The incremental parser the editor's outline uses: one keystroke re-parses one test case.
const incremental = new core.IncrementalPromptParser();
incremental.parse(edited(0));
const incrementalParse = [];
const incrementalOutline = [];
for (let k = 1; k <= ROUNDS; k++) {
  const text = edited(k);
  incrementalParse.push(await time(() => incremental.parse(text), incrementalParse));
  const parsed = incremental.parse(text);
  incrementalOutline.push(await time(() => core.documentSymbols(parsed), incrementalOutline));
}

// The same cases in a .json test-data file: each validation reads it and locates every case in it.
const jsonCases = JSON.stringify(
  Array.from({ length: N }, (_, i) => ({
    id: i,
    persona: `helper ${i % 7}`,
    question: `What is ${i} plus ${i}?`,
    expected: `${2 * i}`,
    lang: 'en',
  })),
  null,
  2,
);
const jsonPrompt = `${base.slice(0, base.indexOf('testData:'))}testData: cases.json\n${base.slice(base.indexOf('evaluators:'))}`;
const jsonReader = { readFile: async () => jsonCases };
for (let k = 0; k < 5; k++) await core.parsePromptFile('/bench/j.prompt.yml', jsonPrompt, jsonReader);
const jsonDiagnostics = [];
let jsonCaseCount = 0;
for (let k = 0; k < ROUNDS; k++)
  jsonDiagnostics.push(
    await time(async () => {
      jsonCaseCount =
        (await core.parsePromptFile('/bench/j.prompt.yml', jsonPrompt, jsonReader)).prompt?.testData.length ?? 0;
    }, jsonDiagnostics),
  );

console.log(`language: ${N} cases, ${lines.length} lines, ${(base.length / 1024).toFixed(0)} KiB, ${ROUNDS} rounds`);
console.log(
  `  diagnostics per change (editor: incremental parse + validation): ${both(diagnostics)}  [${diagnosticCount} diagnostics; target ≤ 50 ms]`,
);
console.log(`  diagnostics per change (full parse + validation):        ${both(fullDiagnostics)}`);
console.log(
  `  diagnostics, test data in a ${(jsonCases.length / 1024).toFixed(0)} KiB .json file: ${both(jsonDiagnostics)}  [${jsonCaseCount} cases read]`,
);
console.log(`  completion in a test case:               ${both(completion)}`);
console.log(`  hover on {{question}}:                   ${fmt(stats(hover))}`);
console.log(`  outline (full parse):                    ${both(outline)}`);
console.log(
  `  incremental YAML parse per change:       ${both(incrementalParse)}  [${incremental.fullParses} full parses]`,
);
console.log(`  outline from that parse:                 ${both(incrementalOutline)}`);
if (quickFix.length) console.log(`  addVariable quick fix (${edits} edits):        ${fmt(stats(quickFix))}`);
