// The nine gh-models example files load with no errors and the fields gh-models read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { loadPromptFile } from '../../../../src/core/promptfile';
import { fixture } from './support';

const dir = fixture('gh-models-examples');
const load = async (name: string) => {
  const result = await loadPromptFile(`${dir}/${name}`);
  assert.deepEqual(
    result.diagnostics.filter((d) => d.severity !== 'info'),
    [],
    `${name}: unexpected problems`,
  );
  assert.ok(result.prompt, `${name}: no prompt`);
  return result.prompt;
};

void test('all nine example files are present with their MIT licence', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.prompt.yml'));
  assert.equal(files.length, 9);
  assert.match(fs.readFileSync(`${dir}/LICENSE.txt`, 'utf8'), /MIT License[\s\S]*Copyright GitHub, Inc\./);
});

void test('every example loads with zero errors and zero warnings', async () => {
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.prompt.yml'))) await load(name);
});

void test('sample_prompt: parameters, cases, string + builtin evaluators', async () => {
  const p = await load('sample_prompt.prompt.yml');
  assert.equal(p.name, 'Sample Evaluation');
  assert.equal(p.model, 'openai/gpt-4o');
  assert.deepEqual(p.modelParameters, { temperature: 0.5, maxTokens: 50 });
  assert.deepEqual(
    p.testData.map((c) => c.vars),
    [
      { input: 'hello world', string: 'hello', expected: 'greeting response' },
      { input: 'goodbye world', string: 'goodbye', expected: 'farewell response' },
    ],
  );
  assert.deepEqual(
    p.messages.map((m) => [m.role, m.content]),
    [
      ['system', 'You are a helpful assistant that responds to greetings and farewells.'],
      ['user', 'Please respond to this message appropriately: {{input}}'],
    ],
  );
  assert.equal(p.evaluators.length, 2);
  const [first, second] = p.evaluators;
  assert.deepEqual(first && { ...first, range: undefined }, {
    name: 'string evaluator',
    kind: 'string',
    criterion: 'contains',
    value: '{{string}}',
    range: undefined,
  });
  assert.deepEqual(second && { ...second, range: undefined }, {
    name: 'similarity check',
    kind: 'builtin',
    uses: 'github/similarity',
    range: undefined,
  });
  assert.equal(p.repeat, 1);
  assert.deepEqual(p.keyRanges.testData, { start: { line: 6, column: 0 }, end: { line: 6, column: 8 } });
});

void test('json_schema_prompt: jsonSchema string parsed into name, strict and schema', async () => {
  const p = await load('json_schema_prompt.prompt.yml');
  assert.equal(p.responseFormat, 'json_schema');
  assert.equal(p.jsonSchema?.name, 'animal_description');
  assert.equal(p.jsonSchema?.strict, true);
  assert.deepEqual((p.jsonSchema?.schema as { required: string[] }).required, ['name', 'habitat', 'diet']);
  assert.ok(p.jsonSchema?.raw.startsWith('{\n  "name": "animal_description"'));
  assert.equal(p.testData.length, 3);
});

void test('json_response_prompt: json_object without a schema', async () => {
  const p = await load('json_response_prompt.prompt.yml');
  assert.equal(p.responseFormat, 'json_object');
  assert.equal(p.jsonSchema, undefined);
  assert.deepEqual(
    p.evaluators.map((e) => e.kind === 'string' && e.value),
    ['{', 'title'],
  );
});

void test('block-scalar content keeps its text; files without testData have no cases', async () => {
  const generate = await load('test_generate.prompt.yml');
  assert.deepEqual(generate.modelParameters, { temperature: 0.2 });
  assert.equal(generate.messages[1]?.content, '{{input}}\n');
  assert.equal(generate.testData.length, 0);
  const advanced = await load('advanced_template_prompt.prompt.yml');
  assert.match(advanced.messages[0]?.content ?? '', /^You are \{\{assistant_persona\}\}, a \{\{expertise_level\}\}/);
  assert.equal(advanced.evaluators.length, 0);
});

void test('test_builtins: the five built-in judges', async () => {
  const p = await load('test_builtins.prompt.yml');
  assert.deepEqual(
    p.evaluators.map((e) => e.kind === 'builtin' && e.uses),
    ['github/similarity', 'github/coherence', 'github/fluency', 'github/relevance', 'github/groundedness'],
  );
});

void test('quoted scalars and failing-test evaluators', async () => {
  const single = await load('test_single_evaluator.prompt.yml');
  assert.equal(single.name, 'Test Single Evaluator');
  assert.equal(single.model, 'openai/gpt-4o');
  const failing = await load('failing_test_prompt.prompt.yml');
  assert.deepEqual(
    failing.evaluators.map((e) => e.kind === 'string' && [e.criterion, e.value]),
    [
      ['contains', 'this-text-will-never-appear-in-any-response'],
      ['startsWith', 'ZZZZZ'],
    ],
  );
});
