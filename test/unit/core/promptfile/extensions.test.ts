// PromptLab's format extensions: external test data, content files, repeat, extra evaluator kinds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Diagnostic, FileReader } from '../../../../src/core/model';
import { loadPromptFile, parsePromptFile } from '../../../../src/core/promptfile';
import { at, codes, fixture, only, parseText, textAt } from './support';

const ext = (name: string) => fixture('extensions', name);
const data = (name: string) => fixture('extensions', 'data', name);
const strip = <T extends { range: unknown }>(x: T) => ({ ...x, range: undefined });

void test('the extensions tour file loads cleanly and maps every evaluator kind to its spec', async () => {
  const r = await loadPromptFile(ext('all-evaluators.prompt.yml'));
  assert.deepEqual(r.diagnostics, []);
  const p = r.prompt;
  assert.ok(p);
  assert.equal(p.repeat, 3);
  assert.deepEqual(p.modelParameters, { temperature: 0, seed: 7, stop: ['END'] });
  assert.equal(p.jsonSchema?.name, 'answer');
  assert.equal(p.jsonSchema?.strict, true);
  assert.deepEqual(JSON.parse(p.jsonSchema?.raw ?? ''), { name: 'answer', strict: true, schema: p.jsonSchema?.schema });
  assert.equal(p.messages[0]?.contentFile, 'prompts/system.md');
  assert.equal(p.messages[0]?.content, fs.readFileSync(ext('prompts/system.md'), 'utf8'));
  const specs = p.evaluators.map(strip);
  const u = undefined;
  assert.deepEqual(specs, [
    { name: 'shape', kind: 'regex', pattern: '^\\{.*\\}$', flags: '', range: u },
    { name: 'answer-field', kind: 'regex', pattern: '"answer"\\s*:', flags: 'i', range: u },
    { name: 'polite', kind: 'notContains', value: '{{forbidden}}', range: u },
    { name: 'parses', kind: 'json', range: u },
    { name: 'matches-file-schema', kind: 'jsonSchema', range: u },
    { name: 'inline-schema', kind: 'jsonSchema', schema: { type: 'object', required: ['answer'] }, range: u },
    { name: 'short', kind: 'length', min: 5, max: 200, range: u },
    { name: 'fast', kind: 'latencyMs', max: 5000, range: u },
    { name: 'fast-short-form', kind: 'latencyMs', max: 8000, range: u },
    { name: 'cheap', kind: 'costUsd', max: 0.01, range: u },
    { name: 'cheap-long-form', kind: 'costUsd', max: 0.5, range: u },
    {
      name: 'close-to-expected',
      kind: 'similarity',
      expected: '{{expected}}',
      threshold: 0.75,
      modelId: 'openai/text-embedding-3-small',
      range: u,
    },
    { name: 'default-similarity', kind: 'similarity', expected: '{{expected}}', threshold: 0.8, range: u },
    {
      name: 'graded',
      kind: 'llm',
      modelId: 'openai/gpt-4o',
      mode: 'structured',
      threshold: 0.7,
      choices: [],
      systemPrompt: 'You grade answers.',
      prompt: 'Question: {{question}}\nAnswer: {{completion}}\nScore 0..1.',
      range: u,
    },
  ]);
  // Evaluator ranges cover the whole list item.
  const text = fs.readFileSync(ext('all-evaluators.prompt.yml'), 'utf8');
  assert.equal(textAt(text, { range: p.evaluators[0]?.range } as Diagnostic), "name: shape\n    regex: '^\\{.*\\}$'");
});

void test('testData from .jsonl, .json, .csv and .yaml files gives the same cases, with ranges in the data file', async () => {
  const expected = [
    { question: 'What is 2 + 2?', expected: '4' },
    { question: 'Capital of France?', expected: 'Paris' },
  ];
  for (const format of ['jsonl', 'json', 'csv', 'yaml']) {
    const r = await loadPromptFile(ext(`testdata-${format}.prompt.yml`));
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity !== 'info'),
      [],
      format,
    );
    const p = r.prompt;
    assert.ok(p);
    assert.equal(p.testDataFile, `data/cases.${format}`);
    const file = data(`cases.${format}`);
    assert.deepEqual(
      p.testData.map((c) => c.sourceFile),
      [file, file],
    );
    assert.deepEqual(
      p.testData.map((c) => c.index),
      [0, 1],
    );
    const vars = p.testData.map((c) => ({ question: c.vars.question, expected: c.vars.expected }));
    if (format === 'csv') (expected[1] as { question: string }).question = 'Capital of France, please?';
    assert.deepEqual(vars, expected, format);
    if (format === 'csv') (expected[1] as { question: string }).question = 'Capital of France?';
  }
  const jsonl = await loadPromptFile(ext('testdata-jsonl.prompt.yml'));
  // Blank lines are skipped; each case points at its own line.
  assert.deepEqual(
    jsonl.prompt?.testData.map((c) => c.range.start.line),
    [0, 2],
  );
  assert.deepEqual(jsonl.prompt?.testData[1]?.vars.tags, ['geo']);
  const csv = await loadPromptFile(ext('testdata-csv.prompt.yml'));
  assert.deepEqual(
    csv.prompt?.testData.map((c) => [c.range.start.line, c.range.end.line]),
    [
      [1, 1],
      [2, 2],
    ],
  );
  const json = await loadPromptFile(ext('testdata-json.prompt.yml'));
  assert.deepEqual(
    json.prompt?.testData.map((c) => c.range.start.line),
    [1, 2],
  );
  // An unused key from a data file is reported in that file.
  const unused = only(json.diagnostics, 'unused-variable');
  assert.equal(unused.file, data('cases.json'));
  assert.match(unused.message, /`n`/);
});

void test('a malformed line in a .jsonl file: error in THAT file at its line, plus a summary on the testData value', async () => {
  const r = await loadPromptFile(ext('testdata-bad-line.prompt.yml'));
  const inFile = r.diagnostics.filter((d) => d.file === data('bad-line.jsonl'));
  assert.deepEqual(
    inFile.map((d) => [d.code, at(d)]),
    [
      ['test-data-syntax', [1, 35, 1, 36]],
      ['test-data-shape', [2, 0, 2, 23]],
    ],
  );
  assert.match(inFile[0]?.message ?? '', /^Line 2 is not valid JSON/);
  const summary = only(r.diagnostics, 'test-data-invalid');
  assert.equal(summary.file, ext('testdata-bad-line.prompt.yml'));
  assert.deepEqual(at(summary), [1, 10, 1, 29]);
  assert.match(summary.message, /2 problems in "data\/bad-line.jsonl"; first at 2:36/);
  // The good lines are still cases.
  assert.deepEqual(
    r.prompt?.testData.map((c) => c.vars.question),
    ['ok', 'also ok'],
  );
});

void test('missing, unsupported and malformed test-data files are diagnostics on the testData value', async () => {
  const missing = await loadPromptFile(ext('testdata-missing.prompt.yml'));
  const d = only(missing.diagnostics, 'test-data-unreadable');
  assert.deepEqual(at(d), [1, 10, 1, 25]);
  assert.match(d.message, /file not found/);
  const unsupported = await loadPromptFile(ext('invalid-testdata-unsupported.prompt.yml'));
  assert.deepEqual(at(only(unsupported.diagnostics, 'test-data-format')), [1, 10, 1, 24]);

  const prompt = (file: string) => `model: m\ntestData: data/${file}\nmessages:\n  - role: user\n    content: x\n`;
  const notArray = await parseText(prompt('not-array.json'));
  assert.equal(only(notArray.diagnostics, 'test-data-shape').file, data('not-array.json'));
  const brokenCsv = await parseText(prompt('broken.csv'));
  const csvProblem = only(brokenCsv.diagnostics, 'test-data-syntax');
  assert.equal(csvProblem.file, data('broken.csv'));
  assert.match(csvProblem.message, /^Not valid CSV/);
  const badYaml = await parseText(prompt('bad.yaml'));
  const yamlProblem = only(badYaml.diagnostics, 'test-data-shape');
  assert.deepEqual([yamlProblem.file, at(yamlProblem)], [data('bad.yaml'), [1, 2, 1, 11]]);
  assert.equal(badYaml.prompt?.testData.length, 1);
  assert.ok(codes(badYaml.diagnostics).includes('test-data-invalid'));
});

void test('content: {file}: read through the FileReader (unsaved buffers), missing file is an error at the value', async () => {
  const missing = await loadPromptFile(ext('content-missing.prompt.yml'));
  const d = only(missing.diagnostics, 'content-file-unreadable');
  assert.deepEqual(at(d), [3, 20, 3, 38]);
  assert.equal(d.severity, 'error');
  assert.deepEqual(
    missing.prompt?.messages.map((m) => m.role),
    ['user'],
  );

  const unsaved: FileReader = {
    readFile: async (p: string) => {
      if (p === ext('prompts/missing.md')) return 'from the editor buffer';
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    },
  };
  const text = fs.readFileSync(ext('content-missing.prompt.yml'), 'utf8');
  const viaReader = await parsePromptFile(ext('content-missing.prompt.yml'), text, unsaved);
  assert.deepEqual(viaReader.diagnostics, []);
  assert.equal(viaReader.prompt?.messages[0]?.content, 'from the editor buffer');
  assert.equal(viaReader.prompt?.messages[0]?.contentFile, 'prompts/missing.md');
});

void test('placeholders inside a content file are checked, with ranges in that file', async () => {
  const r = await loadPromptFile(ext('content-variables.prompt.yml'));
  const d = only(r.diagnostics, 'missing-variable');
  assert.equal(d.file, path.resolve(ext('prompts/with-variables.md')));
  assert.deepEqual(at(d), [1, 10, 1, 22]);
  assert.match(d.message, /`\{\{language\}\}` \(message 1\) has no value in test case 1/);
});

void test('repeat: {n, passRate}: the object form, its keys and its ranges', async () => {
  const base = 'model: m\nmessages:\n  - role: user\n    content: x\n';
  const ok = await parseText(`${base}repeat: {n: 5, passRate: 0.8}\n`);
  assert.deepEqual(ok.diagnostics, []);
  assert.equal(ok.prompt?.repeat, 5);
  assert.equal(ok.prompt?.repeatPassRate, 0.8);
  const onlyN = await parseText(`${base}repeat:\n  n: 3\n`);
  assert.equal(onlyN.prompt?.repeat, 3);
  assert.equal(onlyN.prompt?.repeatPassRate, undefined);
  const noN = await parseText(`${base}repeat: {passRate: 0.5}\n`);
  assert.deepEqual(codes(noN.diagnostics), ['missing-repeat-count']);
  assert.equal(noN.prompt?.repeat, 1);
  const badRate = await parseText(`${base}repeat: {n: 4, passRate: 1.5}\n`);
  assert.deepEqual(codes(badRate.diagnostics), ['out-of-range']);
  assert.equal(badRate.prompt?.repeatPassRate, undefined);
  const zero = await parseText(`${base}repeat: {n: 4, passRate: 0}\n`);
  assert.deepEqual(codes(zero.diagnostics), ['out-of-range']);
  const typo = await parseText(`${base}repeat: {n: 4, passrate: 0.5}\n`);
  assert.match(typo.diagnostics[0]?.message ?? '', /Did you mean `passRate`/);
});

void test('repeat must be an integer ≥ 1; extension evaluator shapes are checked', async () => {
  const base = 'model: m\nmessages:\n  - role: user\n    content: x\n';
  const repeat = await parseText(`${base}repeat: 2.5\n`);
  assert.deepEqual(at(only(repeat.diagnostics, 'wrong-type')), [4, 8, 4, 11]);
  assert.equal(repeat.prompt?.repeat, 1);
  const cases: [string, string, string][] = [
    ['json: false', 'wrong-type', 'false'],
    ['jsonSchema: 3', 'wrong-type', '3'],
    ['length: {}', 'missing-field', 'length'],
    ['length: 5', 'wrong-type', '5'],
    ['latencyMs: {}', 'missing-field', 'latencyMs'],
    ['latencyMs: 0', 'out-of-range', '0'],
    ['costUsd: -1', 'out-of-range', '-1'],
    ['costUsd:', 'missing-field', 'costUsd'],
    ['similarity: {threshold: 2}', 'out-of-range', '2'],
    ['similarity: [a]', 'wrong-type', '[a]'],
    ['notContains: ""', 'missing-field', '""'],
    ['regex: {flags: i}', 'missing-field', 'regex'],
    ['regex: "(?<n>a)\\\\k<m>"', 'invalid-regex', '"(?<n>a)\\\\k<m>"'],
    ['llm: {modelId: m, prompt: p, mode: fuzzy}', 'wrong-type', 'fuzzy'],
    ['llm: {modelId: m, prompt: p, choices: [{choice: a, score: high}]}', 'wrong-type', 'high'],
    ['llm: {prompt: p, choices: [{choice: a, score: 1}]}', 'missing-field', 'llm'],
    ['uses: ""', 'missing-field', '""'],
  ];
  for (const [evaluator, code, covered] of cases) {
    const text = `${base}evaluators:\n  - name: e\n    ${evaluator}\n`;
    const r = await parseText(text);
    const found = r.diagnostics.filter((d) => d.code === code && d.severity !== 'info');
    assert.equal(found.length, 1, `${evaluator}: ${JSON.stringify(r.diagnostics)}`);
    assert.equal(textAt(text, found[0] as Diagnostic), covered, evaluator);
    assert.deepEqual(r.prompt?.evaluators, [], evaluator);
  }
});

void test('regex patterns are templates: placeholders do not make a pattern invalid', async () => {
  const r = await parseText(
    'model: m\nmessages:\n  - role: user\n    content: "{{word}}"\ntestData:\n  - word: hi\nevaluators:\n  - name: e\n    regex: {pattern: "^{{word}}\\\\b", flags: iu}\n',
  );
  assert.deepEqual(r.diagnostics, []);
  const e = r.prompt?.evaluators[0];
  assert.deepEqual(e?.kind === 'regex' && [e.pattern, e.flags], ['^{{word}}\\b', 'iu']);
});

void test('llm structured mode: choices not required, threshold defaults to 0.5; choices-mode threshold is flagged', async () => {
  const base =
    'model: m\nmessages:\n  - role: user\n    content: x\nevaluators:\n  - name: j\n    llm:\n      modelId: judge\n      prompt: "rate {{completion}}"\n';
  const structured = await parseText(`${base}      mode: structured\n`);
  assert.deepEqual(structured.diagnostics, []);
  const e = structured.prompt?.evaluators[0];
  assert.deepEqual(e?.kind === 'llm' && [e.mode, e.threshold, e.choices], ['structured', 0.5, []]);
  const choices = await parseText(`${base}      threshold: 0.9\n      choices: [{choice: good, score: 1}]\n`);
  assert.deepEqual(codes(choices.diagnostics), ['unused-key']);
  const withChoices = await parseText(`${base}      mode: structured\n      choices: [{choice: good, score: 1}]\n`);
  assert.deepEqual(codes(withChoices.diagnostics), ['unused-key']);
});

void test('inline schemas: 2020-12 is recognised, $id may repeat, the file schema is checked too (warning)', async () => {
  const base = 'model: m\nmessages:\n  - role: user\n    content: x\n';
  const inline = (id: string) =>
    `    jsonSchema:\n      $schema: https://json-schema.org/draft/2020-12/schema\n      $id: ${id}\n      type: array\n      prefixItems: [{type: string}]\n`;
  const text = `${base}evaluators:\n  - name: a\n${inline('http://x/s')}  - name: b\n${inline('http://x/s')}`;
  for (let round = 0; round < 2; round++) {
    const r = await parseText(text);
    assert.deepEqual(r.diagnostics, []);
    assert.equal(r.prompt?.evaluators.length, 2);
  }
  const fileSchema = `${base}responseFormat: json_schema\njsonSchema: '{"name": "n", "schema": {"type": "objekt"}}'\n`;
  const r = await parseText(fileSchema);
  const d = only(r.diagnostics, 'invalid-json-schema');
  assert.equal(d.severity, 'warning');
  assert.equal(textAt(fileSchema, d), '"schema"');
  assert.equal(r.prompt?.jsonSchema?.name, 'n');
});
