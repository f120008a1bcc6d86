import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import {
  documentSymbols,
  fileReferences,
  hover,
  promptSchemaDocs,
  referenceAt,
  SchemaDocs,
} from '../../../../src/core/language';
import { parsePromptFile } from '../../../../src/core/promptfile';
import { KEY_CONTEXTS } from '../../../../src/core/promptfile/keys';
import { REPO_ROOT } from '../../support/repoRoot';

const examples = path.join(REPO_ROOT, 'test', 'fixtures', 'gh-models-examples');
const readExample = (name: string) => fs.readFileSync(path.join(examples, name), 'utf8');

void test('every key the validator knows has hover documentation in the schema', () => {
  const missing: string[] = [];
  for (const context of Object.values(KEY_CONTEXTS)) {
    // Keys inside the JSON text of `jsonSchema` are not YAML keys: no hover there.
    if (context.schemaPath[0] === 'jsonSchema') continue;
    for (const key of context.keys) {
      const info = promptSchemaDocs.infoAt([...context.schemaPath.filter((s) => s !== '{}'), key]);
      if (!info?.description) missing.push([...context.schemaPath, key].join('.'));
    }
  }
  assert.deepEqual(missing, []);
});

void test('schema walker: $ref, oneOf alternatives, items, enums and defaults', () => {
  const docs = new SchemaDocs({
    type: 'object',
    properties: {
      list: { type: 'array', items: { $ref: '#/definitions/item' } },
      either: {
        description: 'text or object',
        oneOf: [
          { type: 'string' },
          { type: 'object', properties: { inner: { description: 'deep', enum: ['a', 'b'], default: 'a' } } },
        ],
      },
    },
    definitions: { item: { type: 'object', properties: { name: { type: 'string', description: 'the name' } } } },
  });
  assert.equal(docs.infoAt(['list', 0, 'name'])?.description, 'the name');
  assert.equal(docs.infoAt(['list', '[]', 'name'])?.description, 'the name');
  assert.deepEqual(docs.infoAt(['either'])?.types, ['string', 'object']);
  const inner = docs.infoAt(['either', 'inner']);
  assert.deepEqual(inner?.enumValues, ['a', 'b']);
  assert.equal(inner?.defaultValue, 'a');
  assert.equal(docs.infoAt(['nope']), undefined);
  assert.deepEqual(docs.keysAt(['list', '[]']), ['name']);
});

void test('hover on a key shows its schema documentation over the key', () => {
  const text = 'model: openai/gpt-4o\nmodelParameters:\n  temperature: 0.2\n';
  const result = hover(text, { line: 2, column: 4 }, { docs: promptSchemaDocs });
  assert.ok(result);
  assert.ok(
    result.contents.includes(promptSchemaDocs.infoAt(['modelParameters', 'temperature'])?.description ?? '<none>'),
  );
  assert.deepEqual(result.range, { start: { line: 2, column: 2 }, end: { line: 2, column: 13 } });
  assert.equal(
    hover(text, { line: 0, column: 12 }, { docs: promptSchemaDocs }),
    undefined,
    'no hover on a free-form value',
  );
});

void test('hover on {{variable}} lists its values per test case, truncated, and the cases without it', () => {
  const long = 'x'.repeat(200);
  const text = [
    'testData:',
    '  - input: first',
    `  - input: "${long}"`,
    '  - other: 1',
    '  - input: "multi\\nline"',
    'messages:',
    '  - role: user',
    '    content: "Q: {{input}}"',
  ].join('\n');
  const result = hover(text, { line: 7, column: 20 }, {});
  assert.ok(result);
  assert.deepEqual(result.range, { start: { line: 7, column: 17 }, end: { line: 7, column: 26 } });
  assert.ok(result.contents.includes('3 of 4 test cases set it'));
  assert.ok(result.contents.includes('1. `first`'));
  assert.ok(result.contents.includes(`2. \`${'x'.repeat(79)}…\``));
  assert.ok(result.contents.includes('4. `multi⏎line`'));
  assert.ok(result.contents.includes('Not set (left unchanged) in case 3'));
  const limited = hover(text, { line: 7, column: 20 }, { maxCases: 1 });
  assert.ok(limited?.contents.includes('… and 2 more'));
});

void test('hover values come from the validated model when given (external test data)', async () => {
  const text = 'testData: cases.jsonl\nmessages:\n  - role: user\n    content: "{{city}}"\n';
  const loaded = await parsePromptFile('/w/a.prompt.yml', text, {
    readFile: () => Promise.resolve('{"city":"Paris"}\n{"city":"Oslo"}\n'),
  });
  const result = hover(text, { line: 3, column: 17 }, loaded.prompt ? { prompt: loaded.prompt } : {});
  assert.ok(result?.contents.includes('2 of 2 test cases set it'));
  assert.ok(result?.contents.includes('2. `Oslo`'));
});

void test('outline of a gh-models example: keys, messages with role and first line, cases, evaluators', () => {
  const symbols = documentSymbols(readExample('sample_prompt.prompt.yml'));
  assert.deepEqual(
    symbols.map((s) => s.name),
    ['name', 'description', 'model', 'modelParameters', 'testData', 'messages', 'evaluators'],
  );
  const model = symbols.find((s) => s.name === 'model');
  assert.equal(model?.detail, 'openai/gpt-4o');
  assert.deepEqual(model?.selectionRange, { start: { line: 2, column: 0 }, end: { line: 2, column: 5 } });
  const messages = symbols.find((s) => s.name === 'messages');
  assert.deepEqual(
    messages?.children.map((c) => [c.name, c.detail]),
    [
      ['system', 'You are a helpful assistant that responds to greetings and …'],
      ['user', 'Please respond to this message appropriately: {{input}}'],
    ],
  );
  const cases = symbols.find((s) => s.name === 'testData');
  assert.equal(cases?.detail, '2 cases');
  assert.deepEqual(
    cases?.children.map((c) => [c.name, c.detail]),
    [
      ['Case 1', 'input: hello world, string: hello, expected: greeting respo…'],
      ['Case 2', 'input: goodbye world, string: goodbye, expected: farewell r…'],
    ],
  );
  assert.deepEqual(cases?.children[0]?.range, { start: { line: 7, column: 4 }, end: { line: 9, column: 33 } });
  const evaluators = symbols.find((s) => s.name === 'evaluators');
  assert.deepEqual(
    evaluators?.children.map((c) => [c.name, c.detail]),
    [
      ['string evaluator', 'string contains'],
      ['similarity check', 'github/similarity'],
    ],
  );
});

void test('outline keeps entries that fail validation, and survives broken YAML', () => {
  const symbols = documentSymbols(
    'messages:\n  - role: narrator\n    content: |\n      Once upon a time\n  - content: x\n',
  );
  assert.deepEqual(
    symbols[0]?.children.map((c) => [c.name, c.detail]),
    [
      ['narrator', 'Once upon a time'],
      ['message 2', 'x'],
    ],
  );
  assert.doesNotThrow(() => documentSymbols('model: [unclosed\nmessages:\n  - role: user\n  content: :\n'));
  assert.deepEqual(documentSymbols('- just\n- a list\n'), []);
});

void test('file references: testData file and message content files, resolved next to the prompt', () => {
  const text =
    'testData: data/cases.jsonl\nmessages:\n  - role: system\n    content:\n      file: prompts/system.md\n  - role: user\n    content: hi\n';
  const refs = fileReferences('/work/p/a.prompt.yml', text);
  assert.deepEqual(
    refs.map((r) => [r.kind, r.written, r.target]),
    [
      ['testData', 'data/cases.jsonl', '/work/p/data/cases.jsonl'],
      ['contentFile', 'prompts/system.md', '/work/p/prompts/system.md'],
    ],
  );
  assert.deepEqual(refs[0]?.range, { start: { line: 0, column: 10 }, end: { line: 0, column: 26 } });
  assert.equal(referenceAt('/work/p/a.prompt.yml', text, { line: 4, column: 14 })?.kind, 'contentFile');
  assert.equal(referenceAt('/work/p/a.prompt.yml', text, { line: 6, column: 14 }), undefined);
});
